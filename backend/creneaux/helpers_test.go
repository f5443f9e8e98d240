package creneaux

import (
	"errors"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at reads "2006-01-02 15:04" (or with seconds) as Paris wall-clock time and returns the instant.
func at(s string) time.Time {
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout = "2006-01-02 15:04:05.999999999"
	}
	t, err := time.ParseInLocation(layout, s, paris)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func date(s string) agenda.Date {
	d, err := agenda.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func clk(s string) agenda.ClockTime {
	c, err := agenda.ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

func parisOrg() agenda.Organisation {
	return agenda.Organisation{ID: "org", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}}
}

func motif(id string, minutes int) agenda.Motif {
	return agenda.Motif{ID: id, Name: id, DurationMin: minutes, BookableKiosk: true, BookableOnline: true}
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// plage is a Monday-to-Friday weekly plage of canal guichet from first on.
func plage(id, agent, lieu, first, start, end string, motifs ...string) agenda.PlageOuverture {
	return agenda.PlageOuverture{
		ID: id, AgentID: agent, LieuID: lieu, MotifIDs: motifs, FirstDay: date(first),
		Start: clk(start), End: clk(end), Canal: agenda.CanalGuichet,
		Recurrence: agenda.Recurrence{Every: agenda.Weekly, Weekdays: weekdays},
	}
}

func busy(agent, from, to string) Busy {
	return Busy{AgentID: agent, Interval: agenda.Interval{Start: at(from), End: at(to)}}
}

// hhmm lists the Paris wall-clock starts of slots, to compare with expectations at a glance.
func hhmm(cs []Creneau) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Start.In(paris).Format("15:04")
	}
	return out
}

func stamps(cs []Creneau) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Start.In(paris).Format("2006-01-02 15:04") + " " + c.AgentID + "@" + c.LieuID
	}
	return out
}

func mustSearch(t testing.TB, d *Data, r Request) []Creneau {
	t.Helper()
	cs, err := Search(d, r)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	return cs
}

func wantKind(t testing.TB, err error, kind agenda.Kind, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error of kind %v, got nil", kind)
	}
	if k := agenda.KindOf(err); k != kind {
		t.Fatalf("error %q: kind %v, want %v", err, k, kind)
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("error %q: want %q", err, target)
	}
}
