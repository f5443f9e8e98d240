package agenda

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func genDate(t *rapid.T, label string) Date {
	base := Date{2024, 1, 1}
	return base.AddDays(rapid.IntRange(0, 6*366).Draw(t, label))
}

// genRecurrence draws mostly valid recurrences, with some odd values (interval 0, weekday 9, nth 6) that
// Validate refuses but the expansion must still treat like Occurs does.
func genRecurrence(t *rapid.T, first Date) Recurrence {
	r := Recurrence{Every: rapid.SampledFrom([]Frequency{Once, Weekly, Monthly, "day"}).Draw(t, "every")}
	r.Interval = rapid.IntRange(-1, 6).Draw(t, "interval")
	switch r.Every {
	case Weekly:
		r.Weekdays = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) time.Weekday {
			return time.Weekday(rapid.IntRange(-1, 7).Draw(t, "wd"))
		}), 0, 4).Draw(t, "weekdays")
	case Monthly:
		if rapid.Bool().Draw(t, "explicit nth") {
			r.Nth = rapid.IntRange(-1, 6).Draw(t, "nth")
			r.Weekday = time.Weekday(rapid.IntRange(-1, 7).Draw(t, "weekday"))
		}
	}
	if rapid.Bool().Draw(t, "has until") {
		r.Until = first.AddDays(rapid.IntRange(-30, 800).Draw(t, "until"))
	}
	return r
}

func TestPropertyDatesMatchesOccurs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		first := genDate(t, "first")
		r := genRecurrence(t, first)
		from := first.AddDays(rapid.IntRange(-60, 500).Draw(t, "from"))
		to := from.AddDays(rapid.IntRange(-3, 400).Draw(t, "span"))

		var want []Date
		for day := from; !day.After(to); day = day.AddDays(1) {
			if r.Occurs(first, day) {
				want = append(want, day)
			}
		}
		got := r.Dates(first, from, to)
		if !slices.Equal(got, want) {
			t.Fatalf("Dates(%v, %v, %v) of %+v\n got %v\nwant %v", first, from, to, r, got, want)
		}
		for _, day := range got {
			if day.Before(first) || (!r.Until.IsZero() && day.After(r.Until)) {
				t.Fatalf("%v outside [first %v, until %v]", day, first, r.Until)
			}
		}
		if last, ok := r.LastDay(first); ok && len(got) > 0 && got[len(got)-1].After(last) {
			t.Fatalf("%v after LastDay %v", got[len(got)-1], last)
		}
	})
}

// Expanding a valid plage gives intervals in order, each on its day, lasting End − Start of wall-clock
// time (so 1 h more or less on a DST Sunday), never overlapping.
func TestPropertyPlageOccurrences(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		first := genDate(t, "first")
		start := ClockTime(rapid.IntRange(0, 287).Draw(t, "start") * 5)
		end := ClockTime(rapid.IntRange(int(start)/5+1, 288).Draw(t, "end") * 5)
		p := PlageOuverture{OrganisationID: "o", AgentID: "a", LieuID: "l", Title: "t", MotifIDs: []string{"m"}, Canal: CanalGuichet,
			FirstDay: first, Start: start, End: end,
			Recurrence: Recurrence{Every: Weekly, Interval: rapid.IntRange(1, 3).Draw(t, "interval"), Weekdays: []time.Weekday{first.Weekday()}}}
		if p.Validate() != nil {
			return // the DST hour
		}
		from := first.AddDays(rapid.IntRange(-10, 400).Draw(t, "from"))
		to := from.AddDays(rapid.IntRange(0, 120).Draw(t, "span"))
		got := p.Occurrences(from, to, paris)
		if len(got) != len(p.Recurrence.Dates(first, from, to)) {
			t.Fatalf("%d occurrences for %d dates", len(got), len(p.Recurrence.Dates(first, from, to)))
		}
		for i, iv := range got {
			ls, le := iv.Start.In(paris), iv.End.In(paris)
			if ClockTime(ls.Hour()*60+ls.Minute()) != start {
				t.Fatalf("starts at %v", ls)
			}
			if end < Clk(24, 0) && ClockTime(le.Hour()*60+le.Minute()) != end {
				t.Fatalf("ends at %v", le)
			}
			if dur := iv.Duration(); dur < time.Duration(end-start)*time.Minute-time.Hour || dur > time.Duration(end-start)*time.Minute+time.Hour {
				t.Fatalf("lasts %v", dur)
			}
			if i > 0 && !got[i-1].End.Before(iv.Start) && got[i-1].Overlaps(iv) {
				t.Fatalf("overlap %v %v", got[i-1], iv)
			}
		}
	})
}

// Whatever the participations, the derived RDV status is one the RDV may have, and the cancelled_at
// rule holds after any sequence of changes.
func TestPropertyCascade(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		collectif := rapid.Bool().Draw(t, "collectif")
		n := rapid.IntRange(1, 4).Draw(t, "n")
		r := Rdv{Collectif: collectif, Status: StatusUnknown, StartsAt: time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)}
		for i := range n {
			r.Participations = append(r.Participations, Participation{UsagerID: string(rune('a' + i)), Status: StatusUnknown})
		}
		now := r.StartsAt.Add(-2 * time.Hour)
		for range rapid.IntRange(1, 12).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(0, 90).Draw(t, "minutes")) * time.Minute)
			s := rapid.SampledFrom(Statuses).Draw(t, "status")
			if rapid.Bool().Draw(t, "whole rdv") {
				if CanTransition(r.Status, s, TemporalOf(r.StartsAt, now, time.UTC), r.Started(now), collectif) != nil {
					continue
				}
				r.SetStatus(s, now)
				for _, p := range r.Participations {
					if s == StatusUnknown && p.Status != StatusUnknown {
						t.Fatalf("reset left %v", p.Status)
					}
				}
			} else {
				u := string(rune('a' + rapid.IntRange(0, n-1).Draw(t, "who")))
				if err := r.SetParticipationStatus(u, s, now); err != nil {
					t.Fatal(err)
				}
				if collectif && !r.Status.AllowedForCollectif() {
					t.Fatalf("collective RDV derived %v", r.Status)
				}
			}
			if (r.CancelledAt != nil) != r.Status.SetsCancelledAt() {
				t.Fatalf("status %v with cancelledAt %v", r.Status, r.CancelledAt)
			}
			if slices.ContainsFunc(r.Participations, func(p Participation) bool { return p.Status == StatusSeen }) &&
				r.Status != StatusSeen && !r.Status.Cancelled() && r.Status != StatusUnknown {
				t.Fatalf("seen participation under %v", r.Status)
			}
		}
	})
}

func TestPropertyNormalizePhoneIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.StringMatching(`0[1-9][0-9]{8}`).Draw(t, "national")
		got, err := NormalizePhone(digits, "FR")
		if err != nil {
			t.Fatal(err)
		}
		again, err := NormalizePhone(got, "FR")
		if err != nil || again != got {
			t.Fatalf("%q → %q → %q, %v", digits, got, again, err)
		}
		if !e164Re.MatchString(got) {
			t.Fatalf("%q not E.164", got)
		}
	})
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "24:00", "24:01", "23:59", " 9:05", "+9:05", "-0:05", "09: 5", "9:05", "12:60", "ab:cd", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClock(s)
		if err != nil {
			return
		}
		if !c.Valid() {
			t.Fatalf("%q parsed to invalid %d", s, c)
		}
		if c.String() != s {
			t.Fatalf("%q round-trips to %q", s, c.String())
		}
	})
}

func TestParseClockStrict(t *testing.T) {
	for _, s := range []string{" 9:05", "+9:05", "-0:05", "09: 5", "9:05", "12:60", "24:01", "25:00", "0900", "09:000"} {
		if c, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) = %v", s, c)
		}
	}
	for s, want := range map[string]ClockTime{"00:00": 0, "09:05": Clk(9, 5), "24:00": Clk(24, 0), "23:59": Clk(23, 59)} {
		if c, err := ParseClock(s); err != nil || c != want {
			t.Errorf("ParseClock(%q) = %v, %v", s, c, err)
		}
	}
}

func FuzzRecurrence(f *testing.F) {
	f.Add(int64(0), 3, 1, 2, uint8(0b0010010), 0, 0, 120)
	f.Add(int64(100), 2, 2, 0, uint8(0), 2, 3, 400)
	f.Fuzz(func(t *testing.T, firstOff int64, every, interval, fromOff int, mask uint8, nth, wd, span int) {
		if firstOff < 0 || firstOff > 5000 || fromOff < -100 || fromOff > 1000 || span < -5 || span > 400 {
			return
		}
		first := Date{2024, 1, 1}.AddDays(int(firstOff))
		r := Recurrence{Every: []Frequency{Once, Weekly, Monthly, "x"}[((every%4)+4)%4], Interval: interval % 60, Nth: nth % 8, Weekday: time.Weekday(wd % 9)}
		for w := range 8 {
			if mask&(1<<w) != 0 {
				r.Weekdays = append(r.Weekdays, time.Weekday(w))
			}
		}
		from := first.AddDays(fromOff)
		to := from.AddDays(span)
		var want []Date
		for day := from; !day.After(to); day = day.AddDays(1) {
			if r.Occurs(first, day) {
				want = append(want, day)
			}
		}
		if got := r.Dates(first, from, to); !slices.Equal(got, want) {
			t.Fatalf("%+v first %v [%v, %v]: got %v want %v", r, first, from, to, got, want)
		}
	})
}
