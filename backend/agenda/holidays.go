package agenda

import (
	"sort"
	"strings"
	"time"
)

// Holiday is a jour férié: a whole local day on which no slot is offered.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// HolidayRules says which French public holidays an organisation observes. Holidays are computed
// by rule for any year (Code du travail L3133-1, the local law of Alsace-Moselle, loi 83-550 for the
// abolition of slavery overseas, the local holidays of Wallis-et-Futuna, Polynésie française and
// Nouvelle-Calédonie), never read from a list that ends; a rule may hold for a span of years.
type HolidayRules struct {
	// Departement is the INSEE code of the lieu's département ("57", "974", "2A"…); it selects the
	// local holidays.
	Departement string `json:"departement"`
	// LundiPentecoteTravaille: many communes work on Whit Monday (journée de solidarité).
	LundiPentecoteTravaille bool `json:"lundiPentecoteTravaille"`
}

// Easter returns Easter Sunday of year (anonymous Gregorian computus, Meeus–Jones–Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, timeMonth(month), day}
}

// localDay is a holiday a territory adds on a fixed day of the calendar, observed from year from
// to year until (inclusive; 0 leaves that side open): a territory's date may change by law, as
// Saint-Martin's abolition day moved from 27 May to 28 May in 2018, or Polynésie française's
// 29 June gave way to 20 November in 2025.
type localDay struct {
	month       time.Month
	day         int
	name        string
	from, until int
}

func (l localDay) in(year int) bool {
	return (l.from == 0 || year >= l.from) && (l.until == 0 || year <= l.until)
}

// territory is what a département or an overseas collectivity adds to the national holidays.
type territory struct {
	goodFriday bool // Vendredi saint, counted from Easter
	days       []localDay
}

const abolition = "Abolition de l’esclavage"

// territories lists every code whose holidays differ from the métropole's, and the overseas codes
// whose holidays are the métropole's (975): an overseas code missing here is not modelled
// (Modelled), never given the métropole's holidays by default.
var territories = map[string]territory{
	// Alsace-Moselle: local law (Code du travail, L3134-13).
	"57": alsaceMoselle, "67": alsaceMoselle, "68": alsaceMoselle,
	// Abolition of slavery overseas: loi 83-550 and décret 83-1003, one day per territory.
	"971": {days: []localDay{{5, 27, abolition, 0, 0}}},  // Guadeloupe
	"972": {days: []localDay{{5, 22, abolition, 0, 0}}},  // Martinique
	"973": {days: []localDay{{6, 10, abolition, 0, 0}}},  // Guyane
	"974": {days: []localDay{{12, 20, abolition, 0, 0}}}, // La Réunion
	"975": {},                                            // Saint-Pierre-et-Miquelon: the national holidays
	"976": {days: []localDay{{4, 27, abolition, 0, 0}}},  // Mayotte
	"977": {days: []localDay{{10, 9, abolition, 0, 0}}},  // Saint-Barthélemy
	"978": {days: []localDay{ // Saint-Martin: 27 May (Guadeloupe's) until 2017, 28 May since 2018
		{5, 27, abolition, 0, 2017},
		{5, 28, abolition, 2018, 0},
	}},
	"986": {days: []localDay{ // Wallis-et-Futuna
		{4, 28, "Saint-Pierre-Chanel", 0, 0},
		{7, 29, "Fête du Territoire", 0, 0}, // statute of 29 July 1961
	}},
	"987": {goodFriday: true, days: []localDay{ // Polynésie française (Code du travail de la Polynésie française)
		{3, 5, "Arrivée de l’Évangile", 0, 0},
		{6, 29, "Fête de l’autonomie", 1985, 2024},
		// Loi du pays adopted on 6 May 2025: Matāri'i i ni'a replaces the 29 June from 2025.
		// Written without the macron: the tickets' code page (PC858) has no « ā ».
		{11, 20, "Matari’i i ni’a", 2025, 0},
	}},
	"988": {days: []localDay{ // Nouvelle-Calédonie
		{9, 24, "Fête de la citoyenneté", 0, 0},
	}},
}

var alsaceMoselle = territory{goodFriday: true, days: []localDay{{12, 26, "Saint-Étienne", 0, 0}}}

// Modelled reports whether the rules know the holidays of the département: every metropolitan
// code and the overseas codes listed in territories. 984 (Terres australes et antarctiques
// françaises: no commune) and 985 (Mayotte's former code) are not: Organisation.Validate refuses
// them rather than give them the métropole's holidays.
func (r HolidayRules) Modelled() bool {
	d := r.Departement
	if d == "" || !strings.HasPrefix(d, "97") && !strings.HasPrefix(d, "98") {
		return true
	}
	_, ok := territories[d]
	return ok
}

// Holidays returns the public holidays of year under these rules, in date order. A département
// Modelled refuses gets the national holidays only: Organisation.Validate keeps such codes out.
func (r HolidayRules) Holidays(year int) []Holiday {
	fixed := func(m, d int, name string) Holiday { return Holiday{Date{year, timeMonth(m), d}, name} }
	e := Easter(year)
	hs := []Holiday{
		fixed(1, 1, "Jour de l’an"),
		{e.AddDays(1), "Lundi de Pâques"},
		fixed(5, 1, "Fête du travail"),
		fixed(5, 8, "Victoire 1945"),
		{e.AddDays(39), "Ascension"},
		fixed(7, 14, "Fête nationale"),
		fixed(8, 15, "Assomption"),
		fixed(11, 1, "Toussaint"),
		fixed(11, 11, "Armistice 1918"),
		fixed(12, 25, "Noël"),
	}
	if !r.LundiPentecoteTravaille {
		hs = append(hs, Holiday{e.AddDays(50), "Lundi de Pentecôte"})
	}
	t := territories[r.Departement]
	if t.goodFriday {
		hs = append(hs, Holiday{e.AddDays(-2), "Vendredi saint"})
	}
	for _, l := range t.days {
		if l.in(year) {
			hs = append(hs, fixed(int(l.month), l.day, l.name))
		}
	}
	// Stable: two holidays may fall on one day (Ascension on 1 May in 2008), keep the order above.
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// Between returns the holidays whose day lies in [from, to].
func (r HolidayRules) Between(from, to Date) []Holiday {
	var out []Holiday
	for y := from.Year; y <= to.Year; y++ {
		for _, h := range r.Holidays(y) {
			if !h.Date.Before(from) && !h.Date.After(to) {
				out = append(out, h)
			}
		}
	}
	return out
}
