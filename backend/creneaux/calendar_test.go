package creneaux

import (
	"fmt"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// TestDST: a weekly 09:00–12:00 plage stays at 09:00 local time through both switches of 2026
// (last Sunday of March: 29 March, UTC+1 → UTC+2; last Sunday of October: 25 October, back to UTC+1).
func TestDST(t *testing.T) {
	every := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	p := agenda.PlageOuverture{ID: "p", AgentID: "a1", LieuID: "l1", MotifIDs: []string{"m"}, FirstDay: date("2026-01-05"),
		Start: clk("09:00"), End: clk("12:00"), Canal: agenda.CanalGuichet,
		Recurrence: agenda.Recurrence{Every: agenda.Weekly, Weekdays: every}}
	org := parisOrg()
	org.Holidays.LundiPentecoteTravaille = true
	d := &Data{Org: org, Plages: []agenda.PlageOuverture{p}}
	weeks := []struct {
		from, switchDay string
		before, after   int // UTC offset in hours
	}{
		{"2026-03-23", "2026-03-29", 1, 2},
		{"2026-10-19", "2026-10-25", 2, 1},
	}
	for _, w := range weeks {
		from := date(w.from)
		r := Request{Motif: motif("m", 60), From: from.At(0, paris), To: from.AddDays(7).At(0, paris),
			Now: at("2026-01-01 00:00"), Origine: agenda.OrigineGuichet, Documents: 1}
		cs := mustSearch(t, d, r)
		if len(cs) != 7*3 {
			t.Fatalf("week of %s: %d slots, want 21: %v", w.from, len(cs), stamps(cs))
		}
		for i := 0; i < 7; i++ {
			day := from.AddDays(i)
			first := cs[3*i]
			local := first.Start.In(paris)
			if agenda.DateOf(local) != day || local.Format("15:04") != "09:00" {
				t.Errorf("%s: first slot at %s", day, local)
			}
			_, off := local.Zone()
			want := w.before
			if !day.Before(date(w.switchDay)) {
				want = w.after
			}
			if off != want*3600 {
				t.Errorf("%s: offset %+d s, want %+d h", day, off, want)
			}
			if utcHour := first.Start.UTC().Hour(); utcHour != 9-want {
				t.Errorf("%s: 09:00 local is %02d:00 UTC, want %02d:00", day, utcHour, 9-want)
			}
			for j, c := range cs[3*i : 3*i+3] {
				if got, wantHM := c.Start.In(paris).Format("15:04"), fmt.Sprintf("%02d:00", 9+j); got != wantHM || c.End.Sub(c.Start) != time.Hour {
					t.Errorf("%s: slot %d at %s lasting %v", day, j, got, c.End.Sub(c.Start))
				}
			}
		}
	}
}

// TestHolidays: jours fériés are whole local days without slots; Vendredi saint only in
// Alsace-Moselle.
func TestHolidays(t *testing.T) {
	tests := []struct {
		dept, day string
		open      bool
	}{
		{"75", "2026-04-06", false}, // lundi de Pâques
		{"57", "2026-04-06", false},
		{"75", "2026-07-14", false}, // fête nationale, a Tuesday
		{"75", "2026-04-03", true},  // Vendredi saint: a working day in Paris…
		{"57", "2026-04-03", false}, // …but not in Moselle
		{"57", "2026-12-26", true},  // Saint-Étienne is a Saturday in 2026: no plage anyway
		{"75", "2026-04-07", true},
		{"974", "2026-04-06", false},
	}
	for _, tc := range tests {
		org := parisOrg()
		org.Holidays.Departement = tc.dept
		d := &Data{Org: org, Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", "2026-01-05", "09:00", "12:00", "m")}}
		day := date(tc.day)
		r := Request{Motif: motif("m", 30), From: day.At(0, paris), To: day.AddDays(1).At(0, paris),
			Now: at("2026-01-01 00:00"), Origine: agenda.OrigineGuichet, Documents: 1}
		cs := mustSearch(t, d, r)
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		if open := len(cs) > 0; open != (tc.open && !weekend) {
			t.Errorf("%s in %s: %d slots", tc.day, tc.dept, len(cs))
		}
		// Next over a longer range skips the holiday.
		r.To = day.AddDays(10).At(0, paris)
		if c, ok, _ := Next(d, r); !ok || (agenda.DateOf(c.Start.In(paris)) == day) != (tc.open && !weekend) {
			t.Errorf("%s in %s: Next = %v", tc.day, tc.dept, c.Start.In(paris))
		}
		_, err := Available(d, r, day.At(clk("09:00"), paris))
		if tc.open && !weekend {
			if err != nil {
				t.Errorf("%s in %s: %v", tc.day, tc.dept, err)
			}
		} else if !weekend {
			wantKind(t, err, agenda.Invalid, ErrHoliday)
		}
	}
}

// TestOverseasZone: an organisation in La Réunion (UTC+4, no DST) gets its plages in its own zone.
func TestOverseasZone(t *testing.T) {
	org := agenda.Organisation{ID: "org", TimeZone: "Indian/Reunion", Holidays: agenda.HolidayRules{Departement: "974"}}
	d := &Data{Org: org, Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", "2026-01-05", "08:00", "09:00", "m")}}
	r := Request{Motif: motif("m", 60), From: at("2026-06-01 00:00"), To: at("2026-06-02 00:00"),
		Now: at("2026-01-01 00:00"), Origine: agenda.OrigineGuichet, Documents: 1}
	cs := mustSearch(t, d, r)
	if len(cs) != 1 || !cs[0].Start.Equal(time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)) {
		t.Fatalf("Réunion: %v", cs)
	}
}
