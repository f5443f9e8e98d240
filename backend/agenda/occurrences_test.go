package agenda

import (
	"slices"
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func dates(ss ...string) []Date {
	out := make([]Date, len(ss))
	for i, s := range ss {
		out[i] = d(s)
	}
	return out
}

func TestRecurrenceDates(t *testing.T) {
	tests := []struct {
		name     string
		r        Recurrence
		first    string
		from, to string
		want     []Date
	}{
		{"once in range", Recurrence{}, "2026-05-06", "2026-05-01", "2026-05-31", dates("2026-05-06")},
		{"once out of range", Recurrence{}, "2026-05-06", "2026-05-07", "2026-05-31", nil},
		{"weekly default weekday", Recurrence{Every: Weekly}, "2026-05-06", "2026-05-01", "2026-05-31",
			dates("2026-05-06", "2026-05-13", "2026-05-20", "2026-05-27")},
		{"every 2 weeks mon+thu", Recurrence{Every: Weekly, Interval: 2, Weekdays: []time.Weekday{time.Monday, time.Thursday}},
			"2026-05-04", "2026-05-01", "2026-06-07",
			dates("2026-05-04", "2026-05-07", "2026-05-18", "2026-05-21", "2026-06-01", "2026-06-04")},
		{"every 2 weeks, from mid-cycle", Recurrence{Every: Weekly, Interval: 2, Weekdays: []time.Weekday{time.Monday, time.Thursday}},
			"2026-05-04", "2026-05-12", "2026-05-31", dates("2026-05-18", "2026-05-21")},
		{"every 2 weeks, first day a Thursday: same week's Monday excluded", Recurrence{Every: Weekly, Interval: 2, Weekdays: []time.Weekday{time.Monday, time.Thursday}},
			"2026-05-07", "2026-05-01", "2026-05-31", dates("2026-05-07", "2026-05-18", "2026-05-21")},
		{"weekly until", Recurrence{Every: Weekly, Until: d("2026-05-20")}, "2026-05-06", "2026-05-01", "2026-12-31",
			dates("2026-05-06", "2026-05-13", "2026-05-20")},
		{"monthly 2nd Wednesday", Recurrence{Every: Monthly, Nth: 2, Weekday: time.Wednesday}, "2026-01-14", "2026-01-01", "2026-06-30",
			dates("2026-01-14", "2026-02-11", "2026-03-11", "2026-04-08", "2026-05-13", "2026-06-10")},
		{"monthly derived from first day", Recurrence{Every: Monthly}, "2026-01-14", "2026-03-01", "2026-04-30",
			dates("2026-03-11", "2026-04-08")},
		{"monthly 5th Friday skips months without one", Recurrence{Every: Monthly, Interval: 1, Nth: 5, Weekday: time.Friday},
			"2026-01-30", "2026-01-01", "2026-12-31", dates("2026-01-30", "2026-05-29", "2026-07-31", "2026-10-30")},
		{"monthly every 3 months until", Recurrence{Every: Monthly, Interval: 3, Until: d("2026-10-14")}, "2026-01-14", "2026-01-01", "2027-12-31",
			dates("2026-01-14", "2026-04-08", "2026-07-08", "2026-10-14")},
		{"monthly across year end", Recurrence{Every: Monthly, Interval: 5}, "2026-11-02", "2026-01-01", "2027-12-31",
			dates("2026-11-02", "2027-04-05", "2027-09-06")},
		{"range before first", Recurrence{Every: Weekly}, "2026-05-06", "2026-01-01", "2026-05-05", nil},
		{"empty range", Recurrence{Every: Weekly}, "2026-05-06", "2026-06-01", "2026-05-01", nil},
	}
	for _, tt := range tests {
		first, from, to := d(tt.first), d(tt.from), d(tt.to)
		got := tt.r.Dates(first, from, to)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Dates = %v, want %v", tt.name, got, tt.want)
		}
		var viaSeq []Date
		for day := range tt.r.Days(first, from, to) {
			viaSeq = append(viaSeq, day)
		}
		if !slices.Equal(viaSeq, tt.want) {
			t.Errorf("%s: Days = %v, want %v", tt.name, viaSeq, tt.want)
		}
		for _, day := range tt.want {
			if !tt.r.Occurs(first, day) {
				t.Errorf("%s: Occurs(%s) = false", tt.name, day)
			}
		}
	}
}

func TestDaysStopsEarly(t *testing.T) {
	r := Recurrence{Every: Weekly}
	n := 0
	for range r.Days(d("2026-01-05"), d("2026-01-01"), d("2030-01-01")) {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatal(n)
	}
}

func TestPlageOccurrencesDST(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	p := PlageOuverture{FirstDay: d("2026-03-02"), Start: Clk(9, 0), End: Clk(12, 0), Recurrence: Recurrence{Every: Weekly, Weekdays: []time.Weekday{time.Friday, time.Monday}}}
	tests := []struct {
		from, to string
		want     []string // UTC starts
	}{
		// 2026-03-29: 02:00 CET → 03:00 CEST.
		{"2026-03-23", "2026-04-05", []string{"2026-03-23T08:00:00Z", "2026-03-27T08:00:00Z", "2026-03-30T07:00:00Z", "2026-04-03T07:00:00Z"}},
		// 2026-10-25: 03:00 CEST → 02:00 CET.
		{"2026-10-19", "2026-11-01", []string{"2026-10-19T07:00:00Z", "2026-10-23T07:00:00Z", "2026-10-26T08:00:00Z", "2026-10-30T08:00:00Z"}},
	}
	for _, tt := range tests {
		got := p.Occurrences(d(tt.from), d(tt.to), paris)
		if len(got) != len(tt.want) {
			t.Fatalf("%s..%s: %v", tt.from, tt.to, got)
		}
		for i, iv := range got {
			if s := iv.Start.Format(time.RFC3339); s != tt.want[i] {
				t.Errorf("occurrence %d starts %s, want %s", i, s, tt.want[i])
			}
			if iv.Duration() != 3*time.Hour {
				t.Errorf("occurrence %d lasts %v", i, iv.Duration())
			}
			if iv.Start.Location() != time.UTC {
				t.Errorf("occurrence %d not in UTC", i)
			}
			if local := iv.Start.In(paris); local.Hour() != 9 || local.Minute() != 0 {
				t.Errorf("occurrence %d starts at %v local", i, local)
			}
		}
	}
	// A plage held on the switch Sunday itself, spanning the missing/doubled hour.
	sunday := PlageOuverture{FirstDay: d("2026-03-29"), Start: Clk(1, 0), End: Clk(4, 0)}
	if got := sunday.Occurrences(d("2026-03-29"), d("2026-03-29"), paris); len(got) != 1 || got[0].Duration() != 2*time.Hour {
		t.Errorf("March switch day: %v", got)
	}
	sunday.FirstDay = d("2026-10-25")
	if got := sunday.Occurrences(d("2026-10-25"), d("2026-10-25"), paris); len(got) != 1 || got[0].Duration() != 4*time.Hour {
		t.Errorf("October switch day: %v", got)
	}
}

func TestPlageOccurrencesExceptions(t *testing.T) {
	utc := time.UTC
	p := PlageOuverture{
		FirstDay: d("2026-05-04"), Start: Clk(9, 0), End: Clk(12, 0),
		Recurrence: Recurrence{Every: Weekly, Until: d("2026-05-25")},
		Exceptions: []Exception{
			{Date: d("2026-05-11"), Cancelled: true},
			{Date: d("2026-05-18"), Start: Clk(14, 0), End: Clk(16, 30)},
			{Date: d("2026-05-19"), Start: Clk(14, 0), End: Clk(16, 30)}, // not an occurrence: ignored
		},
	}
	got := p.Occurrences(d("2026-05-01"), d("2026-06-30"), utc)
	want := []Interval{
		{time.Date(2026, 5, 4, 9, 0, 0, 0, utc), time.Date(2026, 5, 4, 12, 0, 0, 0, utc)},
		{time.Date(2026, 5, 18, 14, 0, 0, 0, utc), time.Date(2026, 5, 18, 16, 30, 0, 0, utc)},
		{time.Date(2026, 5, 25, 9, 0, 0, 0, utc), time.Date(2026, 5, 25, 12, 0, 0, 0, utc)},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Occurrences = %v\nwant %v", got, want)
	}
	// 24:00 ends at the next midnight.
	late := PlageOuverture{FirstDay: d("2026-05-04"), Start: Clk(20, 0), End: Clk(24, 0)}
	if got := late.Occurrences(d("2026-05-04"), d("2026-05-04"), utc); len(got) != 1 || !got[0].End.Equal(time.Date(2026, 5, 5, 0, 0, 0, 0, utc)) {
		t.Errorf("24:00: %v", got)
	}
	if last, ok := p.LastDay(); !ok || last != d("2026-05-25") {
		t.Errorf("LastDay = %v %v", last, ok)
	}
}

func TestAbsenceIntervals(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	// Holidays across the March switch: from Friday 27 at 14:00 CET to Tuesday 31 at 12:00 CEST.
	multi := Absence{FirstDay: d("2026-03-27"), EndDay: d("2026-03-31"), Start: Clk(14, 0), End: Clk(12, 0)}
	tests := []struct {
		name     string
		a        Absence
		from, to string
		want     []Interval
	}{
		{"multi-day whole", multi, "2026-03-23", "2026-04-05", []Interval{{at("2026-03-27T13:00:00Z"), at("2026-03-31T10:00:00Z")}}},
		{"multi-day clipped", multi, "2026-03-29", "2026-03-30", []Interval{{at("2026-03-28T23:00:00Z"), at("2026-03-30T22:00:00Z")}}},
		{"multi-day outside", multi, "2026-04-01", "2026-04-05", nil},
		{"multi-day before", multi, "2026-03-01", "2026-03-26", nil},
		{"one day", Absence{FirstDay: d("2026-10-25"), Start: Clk(0, 0), End: Clk(24, 0)}, "2026-10-25", "2026-10-25",
			[]Interval{{at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z")}}}, // a 25-hour day
		{"recurring across the October switch", Absence{FirstDay: d("2026-10-20"), Start: Clk(12, 0), End: Clk(14, 0), Recurrence: Recurrence{Every: Weekly}},
			"2026-10-19", "2026-11-01", []Interval{{at("2026-10-20T10:00:00Z"), at("2026-10-20T12:00:00Z")}, {at("2026-10-27T11:00:00Z"), at("2026-10-27T13:00:00Z")}}},
		{"empty times", Absence{FirstDay: d("2026-10-20"), Start: Clk(14, 0), End: Clk(14, 0)}, "2026-10-19", "2026-11-01", nil},
	}
	for _, tt := range tests {
		got := tt.a.Intervals(d(tt.from), d(tt.to), paris)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v\nwant %v", tt.name, got, tt.want)
		}
	}
	if !multi.MultiDay() || (Absence{FirstDay: d("2026-03-27")}).MultiDay() {
		t.Error("MultiDay")
	}
	if last, ok := multi.LastDay(); !ok || last != d("2026-03-31") {
		t.Errorf("LastDay = %v %v", last, ok)
	}
}

func BenchmarkPlageOccurrencesYear(b *testing.B) {
	paris := mustLoc(b, "Europe/Paris")
	p := PlageOuverture{FirstDay: d("2026-01-05"), Start: Clk(9, 0), End: Clk(12, 0),
		Recurrence: Recurrence{Every: Weekly, Weekdays: []time.Weekday{1, 2, 3, 4, 5}},
		Exceptions: []Exception{{Date: d("2026-05-04"), Cancelled: true}}}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Occurrences(d("2026-01-01"), d("2026-12-31"), paris)
	}
}

func TestAppendReusesBuffer(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	p := PlageOuverture{FirstDay: d("2026-01-05"), Start: Clk(9, 0), End: Clk(12, 0), Recurrence: Recurrence{Every: Weekly}}
	a := Absence{FirstDay: d("2026-01-06"), Start: Clk(9, 0), End: Clk(10, 0), Recurrence: Recurrence{Every: Weekly}}
	buf := make([]Interval, 0, 64)
	allocs := testing.AllocsPerRun(50, func() {
		buf = p.AppendOccurrences(buf[:0], d("2026-01-01"), d("2026-03-31"), paris)
		buf = a.AppendIntervals(buf, d("2026-01-01"), d("2026-03-31"), paris)
	})
	if allocs != 0 || len(buf) != 26 {
		t.Errorf("%v allocations, %d intervals", allocs, len(buf))
	}
	if got := p.Occurrences(d("2026-01-06"), d("2026-01-11"), paris); got != nil {
		t.Errorf("no occurrence should give nil, got %v", got)
	}
}

// A counter plage takes from an online one only the hours that online gave up by an exception,
// on a day the online plage is really held, for the same agent.
func TestTakesFromOnline(t *testing.T) {
	tue := Date{Year: 2026, Month: time.March, Day: 3}
	weekdays := Recurrence{Every: Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	online := PlageOuverture{ID: "online", AgentID: "a", FirstDay: tue.AddDays(-1), Start: Clk(9, 0), End: Clk(12, 0), Recurrence: weekdays,
		Canal: CanalEnLigne, Exceptions: []Exception{{Date: tue, Cancelled: true}, {Date: tue.AddDays(1), Start: Clk(14, 0), End: Clk(15, 0)}}}
	counter := func(day Date, start, end ClockTime) PlageOuverture {
		return PlageOuverture{ID: "counter", AgentID: "a", FirstDay: day, Start: start, End: end, Canal: CanalGuichet}
	}
	for _, c := range []struct {
		name    string
		p, from PlageOuverture
		want    bool
	}{
		{"the cancelled occurrence's hours", counter(tue, Clk(10, 0), Clk(11, 0)), online, true},
		{"the moved occurrence's former hours", counter(tue.AddDays(1), Clk(11, 30), Clk(12, 30)), online, true},
		{"other hours that day", counter(tue, Clk(12, 0), Clk(13, 0)), online, false},
		{"a day the online plage keeps", counter(tue.AddDays(2), Clk(9, 0), Clk(12, 0)), online, false},
		{"an exception on a day the online plage is not held", counter(tue.AddDays(4), Clk(9, 0), Clk(12, 0)),
			func() PlageOuverture {
				o := online
				o.Exceptions = []Exception{{Date: tue.AddDays(4), Cancelled: true}}
				return o
			}(), false},
		{"another agent", func() PlageOuverture { p := counter(tue, Clk(9, 0), Clk(12, 0)); p.AgentID = "b"; return p }(), online, false},
		{"an online plage takes nothing", func() PlageOuverture { p := counter(tue, Clk(9, 0), Clk(12, 0)); p.Canal = CanalEnLigne; return p }(), online, false},
		{"from a counter plage", counter(tue, Clk(9, 0), Clk(12, 0)), func() PlageOuverture { o := online; o.Canal = CanalGuichet; return o }(), false},
		{"an unset canal is the counter's", func() PlageOuverture { p := counter(tue, Clk(9, 0), Clk(12, 0)); p.Canal = ""; return p }(), online, true},
	} {
		if got := c.p.TakesFromOnline(c.from); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestExceptionsChanged(t *testing.T) {
	d := Date{Year: 2026, Month: time.March, Day: 3}
	kept := Exception{Date: d, Cancelled: true}
	moved := Exception{Date: d.AddDays(1), Start: Clk(14, 0), End: Clk(15, 0)}
	later := moved
	later.End = Clk(16, 0)
	added := Exception{Date: d.AddDays(2), Cancelled: true}
	got := ExceptionsChanged([]Exception{kept, moved, {Date: d.AddDays(7), Cancelled: true}}, []Exception{kept, later, added})
	if !slices.Equal(got, []Exception{later, added}) {
		t.Errorf("changed: %+v, want the moved day's new hours and the new day", got)
	}
}
