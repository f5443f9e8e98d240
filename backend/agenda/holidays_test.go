package agenda

import (
	"slices"
	"testing"
)

func TestEaster(t *testing.T) {
	want := map[int]string{
		2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
		2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21",
		// Extremes of the computus: earliest (22 March) and latest (25 April) Easter.
		2285: "2285-03-22", 2038: "2038-04-25", 1818: "1818-03-22", 1943: "1943-04-25",
	}
	for y, s := range want {
		if got := Easter(y); got != d(s) {
			t.Errorf("Easter(%d) = %s, want %s", y, got, s)
		}
	}
}

func holidayMap(r HolidayRules, year int) map[Date]string {
	m := map[Date]string{}
	for _, h := range r.Holidays(year) {
		m[h.Date] = h.Name
	}
	return m
}

func TestHolidays(t *testing.T) {
	common := map[int][]string{
		2026: {"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"},
		2027: {"2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-07-14", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25"},
		2030: {"2030-01-01", "2030-04-22", "2030-05-01", "2030-05-08", "2030-05-30", "2030-07-14", "2030-08-15", "2030-11-01", "2030-11-11", "2030-12-25"},
	}
	pentecote := map[int]string{2026: "2026-05-25", 2027: "2027-05-17", 2030: "2030-06-10"}
	vendrediSaint := map[int]string{2026: "2026-04-03", 2027: "2027-03-26", 2030: "2030-04-19"}
	for year, days := range common {
		for _, tt := range []struct {
			rules HolidayRules
			extra []string
		}{
			{HolidayRules{Departement: "75"}, []string{pentecote[year]}},
			{HolidayRules{Departement: "75", LundiPentecoteTravaille: true}, nil},
			{HolidayRules{}, []string{pentecote[year]}},
			{HolidayRules{Departement: "57"}, []string{pentecote[year], vendrediSaint[year], itoa(year) + "-12-26"}},
			{HolidayRules{Departement: "67", LundiPentecoteTravaille: true}, []string{vendrediSaint[year], itoa(year) + "-12-26"}},
			{HolidayRules{Departement: "68"}, []string{pentecote[year], vendrediSaint[year], itoa(year) + "-12-26"}},
			{HolidayRules{Departement: "971"}, []string{pentecote[year], itoa(year) + "-05-27"}},
			{HolidayRules{Departement: "972"}, []string{pentecote[year], itoa(year) + "-05-22"}},
			{HolidayRules{Departement: "973"}, []string{pentecote[year], itoa(year) + "-06-10"}},
			{HolidayRules{Departement: "974"}, []string{pentecote[year], itoa(year) + "-12-20"}},
			{HolidayRules{Departement: "976"}, []string{pentecote[year], itoa(year) + "-04-27"}},
			{HolidayRules{Departement: "977"}, []string{pentecote[year], itoa(year) + "-10-09"}},
			{HolidayRules{Departement: "978"}, []string{pentecote[year], itoa(year) + "-05-28"}},
		} {
			want := append(dates(days...), dates(tt.extra...)...)
			slices.SortFunc(want, func(a, b Date) int { return a.DaysSince(b) })
			var got []Date
			for _, h := range tt.rules.Holidays(year) {
				got = append(got, h.Date)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d %+v:\n got %v\nwant %v", year, tt.rules, got, want)
			}
		}
	}
	names := holidayMap(HolidayRules{Departement: "57"}, 2026)
	for day, name := range map[string]string{
		"2026-04-03": "Vendredi saint", "2026-04-06": "Lundi de Pâques", "2026-05-14": "Ascension",
		"2026-05-25": "Lundi de Pentecôte", "2026-07-14": "Fête nationale", "2026-12-26": "Saint-Étienne",
	} {
		if names[d(day)] != name {
			t.Errorf("%s: %q, want %q", day, names[d(day)], name)
		}
	}
	if n := holidayMap(HolidayRules{Departement: "974"}, 2026)[d("2026-12-20")]; n != "Abolition de l'esclavage" {
		t.Errorf("974: %q", n)
	}
}

func TestHolidaysSameDayStable(t *testing.T) {
	// 2008: Ascension fell on 1 May; both holidays are kept, in a stable order.
	hs := HolidayRules{}.Holidays(2008)
	var names []string
	for _, h := range hs {
		if h.Date == d("2008-05-01") {
			names = append(names, h.Name)
		}
	}
	if !slices.Equal(names, []string{"Fête du travail", "Ascension"}) {
		t.Errorf("1 May 2008: %v", names)
	}
}

func TestHolidaysBetween(t *testing.T) {
	got := HolidayRules{Departement: "13"}.Between(d("2026-12-20"), d("2027-01-10"))
	want := []Holiday{{d("2026-12-25"), "Noël"}, {d("2027-01-01"), "Jour de l'an"}}
	if !slices.Equal(got, want) {
		t.Errorf("Between = %v", got)
	}
}

func itoa(n int) string { return Date{n, 1, 1}.String()[:4] }
