package agenda

import "sort"

// Holiday is a jour férié: a whole local day on which no slot is offered.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// HolidayRules says which French public holidays an organisation observes. Holidays are computed
// by rule for any year (Code du travail L3133-1, the local law of Alsace-Moselle, loi 83-550 for the
// abolition of slavery overseas), never read from a list that ends.
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

// abolitionDay is the local day of the abolition of slavery per overseas territory (décret 83-1003).
var abolitionDay = map[string]Date{
	"971": {0, 5, 27},  // Guadeloupe
	"972": {0, 5, 22},  // Martinique
	"973": {0, 6, 10},  // Guyane
	"974": {0, 12, 20}, // La Réunion
	"976": {0, 4, 27},  // Mayotte
	"977": {0, 10, 9},  // Saint-Barthélemy
	"978": {0, 5, 28},  // Saint-Martin
}

func isAlsaceMoselle(dept string) bool { return dept == "57" || dept == "67" || dept == "68" }

// Holidays returns the public holidays of year under these rules, in date order.
func (r HolidayRules) Holidays(year int) []Holiday {
	fixed := func(m, d int, name string) Holiday { return Holiday{Date{year, timeMonth(m), d}, name} }
	e := Easter(year)
	hs := []Holiday{
		fixed(1, 1, "Jour de l'an"),
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
	if isAlsaceMoselle(r.Departement) {
		hs = append(hs, Holiday{e.AddDays(-2), "Vendredi saint"}, fixed(12, 26, "Saint-Étienne"))
	}
	if d, ok := abolitionDay[r.Departement]; ok {
		hs = append(hs, fixed(int(d.Month), d.Day, "Abolition de l'esclavage"))
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
