package agenda

import (
	"errors"
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
	if n := holidayMap(HolidayRules{Departement: "974"}, 2026)[d("2026-12-20")]; n != "Abolition de l’esclavage" {
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
	want := []Holiday{{d("2026-12-25"), "Noël"}, {d("2027-01-01"), "Jour de l’an"}}
	if !slices.Equal(got, want) {
		t.Errorf("Between = %v", got)
	}
}

func itoa(n int) string { return Date{n, 1, 1}.String()[:4] }

// Issue 10, #15: the Pacific collectivities have their own holidays, a territory's date may
// change with the year, and a code the rules do not model is refused, never given the
// métropole's holidays.
func TestHolidaysOverseasCollectivities(t *testing.T) {
	national := func(year int) []string {
		e := Easter(year)
		return []string{itoa(year) + "-01-01", e.AddDays(1).String(), itoa(year) + "-05-01", itoa(year) + "-05-08",
			e.AddDays(39).String(), e.AddDays(50).String(), itoa(year) + "-07-14", itoa(year) + "-08-15",
			itoa(year) + "-11-01", itoa(year) + "-11-11", itoa(year) + "-12-25"}
	}
	goodFriday := func(year int) string { return Easter(year).AddDays(-2).String() }
	for _, tt := range []struct {
		dept  string
		year  int
		extra []string
		names map[string]string
	}{
		{"975", 2026, nil, nil},
		{"978", 2017, []string{"2017-05-27"}, map[string]string{"2017-05-27": "Abolition de l’esclavage"}},
		{"978", 2018, []string{"2018-05-28"}, map[string]string{"2018-05-28": "Abolition de l’esclavage"}},
		{"978", 2026, []string{"2026-05-28"}, nil},
		{"986", 2026, []string{"2026-04-28", "2026-07-29"},
			map[string]string{"2026-04-28": "Saint-Pierre-Chanel", "2026-07-29": "Fête du Territoire"}},
		{"987", 2024, []string{"2024-03-05", goodFriday(2024), "2024-06-29"},
			map[string]string{"2024-03-05": "Arrivée de l’Évangile", "2024-03-29": "Vendredi saint", "2024-06-29": "Fête de l’autonomie"}},
		{"987", 2025, []string{"2025-03-05", goodFriday(2025), "2025-11-20"},
			map[string]string{"2025-11-20": "Matari’i i ni’a"}},
		{"988", 2026, []string{"2026-09-24"}, map[string]string{"2026-09-24": "Fête de la citoyenneté"}},
	} {
		rules := HolidayRules{Departement: tt.dept}
		if !rules.Modelled() {
			t.Errorf("%s: not modelled", tt.dept)
		}
		want := append(dates(national(tt.year)...), dates(tt.extra...)...)
		slices.SortFunc(want, func(a, b Date) int { return a.DaysSince(b) })
		var got []Date
		for _, h := range rules.Holidays(tt.year) {
			got = append(got, h.Date)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s %d:\n got %v\nwant %v", tt.dept, tt.year, got, want)
		}
		names := holidayMap(rules, tt.year)
		for day, name := range tt.names {
			if names[d(day)] != name {
				t.Errorf("%s %s: %q, want %q", tt.dept, day, names[d(day)], name)
			}
		}
	}
	// The codes validation accepts but no rule models are refused by the organisation's validation.
	for _, dept := range []string{"984", "985"} {
		if (HolidayRules{Departement: dept}).Modelled() {
			t.Errorf("%s: modelled", dept)
		}
		o := Organisation{Name: "Mairie", TimeZone: "Pacific/Noumea", Holidays: HolidayRules{Departement: dept}}
		var v ValidationError
		if err := o.Validate(); !errors.As(err, &v) || !slices.Equal(v, errs(fe("holidays.departement", CodeDepartementUnsupported))) {
			t.Errorf("%s: %v", dept, err)
		}
	}
	for _, dept := range []string{"75", "2A", "975", "986", "987", "988", ""} {
		o := Organisation{Name: "Mairie", TimeZone: "Pacific/Tahiti", Holidays: HolidayRules{Departement: dept}}
		if err := o.Validate(); err != nil {
			t.Errorf("%q: %v", dept, err)
		}
	}
}
