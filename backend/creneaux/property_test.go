package creneaux

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"rdvguichet/backend/agenda"
)

// The property tests draw random agendas (1–4 agents, weekly/monthly/single plages of random motifs,
// channels and lieux, exceptions, absences, RDVs, grid, buffer, now, origine, documents) over the
// whole of 2026, so DST weeks and holidays come up, and check the engine against the rules stated
// directly (an oracle that does not share the engine's subtraction and stepping code).
// Run with -rapid.checks=10000 for a longer search; failures print a seed to replay.

var allWeekdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}

func subset[E any](t *rapid.T, label string, all []E) []E {
	var out []E
	for _, e := range all {
		if rapid.Bool().Draw(t, label) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		out = append(out, rapid.SampledFrom(all).Draw(t, label))
	}
	return out
}

// usually draws one of the common values, else any value in [lo, hi]: rapid favours small values,
// which would make most ranges and plages too short to hold anything.
func usually(t *rapid.T, label string, common []int, lo, hi int) int {
	if rapid.IntRange(0, 3).Draw(t, label+".any") == 0 {
		return rapid.IntRange(lo, hi).Draw(t, label)
	}
	return rapid.SampledFrom(common).Draw(t, label)
}

func clockRange(t *rapid.T, label string) (agenda.ClockTime, agenda.ClockTime) {
	// Away from the 02:00–03:00 hour of the DST switches, which plages may not touch.
	start := usually(t, label+".start", []int{8 * 60, 8*60 + 30, 9 * 60, 10 * 60, 13*60 + 30, 14 * 60}, 6*60, 20*60)
	end := min(start+usually(t, label+".len", []int{60, 120, 180, 210, 240}, 30, 300), 23*60)
	return agenda.ClockTime(start), agenda.ClockTime(end)
}

type scenario struct {
	d    *Data
	r    Request
	loc  *time.Location
	base agenda.Date
}

func genScenario(t *rapid.T) scenario {
	base := date("2026-01-05").AddDays(7 * rapid.IntRange(0, 51).Draw(t, "week")) // a Monday of 2026
	zone := rapid.SampledFrom([]string{"Europe/Paris", "Europe/Paris", "Europe/Paris", "Indian/Reunion"}).Draw(t, "zone")
	loc := mustLoc(zone)
	agents := []string{"a1", "a2", "a3", "a4"}[:rapid.IntRange(1, 4).Draw(t, "agents")]
	lieux := []string{"l1", "l2"}
	motifs := []string{"m1", "m2", "m3"}
	day := func(label string, lo, hi int) agenda.Date { return base.AddDays(rapid.IntRange(lo, hi).Draw(t, label)) }

	org := agenda.Organisation{ID: "org", TimeZone: zone,
		Holidays: agenda.HolidayRules{
			Departement:             rapid.SampledFrom([]string{"75", "57", "974"}).Draw(t, "dept"),
			LundiPentecoteTravaille: rapid.Bool().Draw(t, "pentecote"),
		},
		SlotGridMinutes: rapid.SampledFrom([]int{0, 0, 0, 5, 10, 15, 30}).Draw(t, "grid"),
		BufferMinutes:   rapid.SampledFrom([]int{0, 0, 5, 10, 15}).Draw(t, "buffer"),
	}
	d := &Data{Org: org}
	m := agenda.Motif{ID: rapid.SampledFrom(motifs).Draw(t, "motif"), Name: "motif",
		DurationMin:    rapid.SampledFrom([]int{5, 10, 15, 20, 25, 30, 45, 60, 90}).Draw(t, "duration"),
		MinPublicDelay: rapid.SampledFrom([]time.Duration{0, 30 * time.Minute, 2 * time.Hour, 48 * time.Hour}).Draw(t, "min"),
		MaxPublicDelay: rapid.SampledFrom([]time.Duration{0, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}).Draw(t, "max"),
		BookableKiosk:  true, BookableOnline: true,
	}
	origine := rapid.SampledFrom([]agenda.Origine{agenda.OrigineGuichet, agenda.OrigineKiosk, agenda.OrigineEnLigne, agenda.OrigineImport}).Draw(t, "origine")
	for i := range rapid.IntRange(2, 6).Draw(t, "plages") {
		p := agenda.PlageOuverture{ID: fmt.Sprintf("p%d", i),
			AgentID:  rapid.SampledFrom(agents).Draw(t, "agent"),
			LieuID:   rapid.SampledFrom(lieux).Draw(t, "lieu"),
			MotifIDs: subset(t, "motifs", motifs),
			Canal:    rapid.SampledFrom([]agenda.Canal{agenda.CanalGuichet, agenda.CanalEnLigne}).Draw(t, "canal"),
		}
		p.Start, p.End = clockRange(t, "plage")
		switch rapid.IntRange(0, 2).Draw(t, "recurrence") {
		case 0:
			p.FirstDay = day("first", -1, 14)
		case 1:
			p.FirstDay = day("first", -40, 10)
			p.Recurrence = agenda.Recurrence{Every: agenda.Weekly, Weekdays: subset(t, "weekdays", allWeekdays),
				Interval: rapid.IntRange(0, 2).Draw(t, "interval")}
		case 2:
			p.FirstDay = day("first", -80, 10)
			p.Recurrence = agenda.Recurrence{Every: agenda.Monthly}
			if rapid.Bool().Draw(t, "nth") {
				p.Recurrence.Nth = rapid.IntRange(1, 4).Draw(t, "nth")
				p.Recurrence.Weekday = rapid.SampledFrom(allWeekdays).Draw(t, "weekday")
			}
		}
		if p.Recurrence.Every != agenda.Once && rapid.Bool().Draw(t, "until") {
			p.Recurrence.Until = day("until", 0, 20)
		}
		for range rapid.IntRange(0, 2).Draw(t, "exceptions") {
			e := agenda.Exception{Date: day("exception", 0, 14), Cancelled: rapid.Bool().Draw(t, "cancelled")}
			if !e.Cancelled {
				e.Start, e.End = clockRange(t, "exception")
			}
			p.Exceptions = append(p.Exceptions, e)
		}
		if i == 0 && rapid.IntRange(0, 5).Draw(t, "useful") > 0 {
			// Most agendas have a plage that can answer the request, else few cases would have slots.
			if !slices.Contains(p.MotifIDs, m.ID) {
				p.MotifIDs = append(p.MotifIDs, m.ID)
			}
			p.Canal = canalOf(origine)
			p.FirstDay = day("first", -30, 0)
			p.Recurrence = agenda.Recurrence{Every: agenda.Weekly, Weekdays: subset(t, "weekdays", allWeekdays), Until: p.Recurrence.Until}
		}
		d.Plages = append(d.Plages, p)
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "absences") {
		a := agenda.Absence{ID: fmt.Sprintf("abs%d", i), AgentID: rapid.SampledFrom(agents).Draw(t, "agent"), FirstDay: day("first", -3, 14)}
		a.Start, a.End = clockRange(t, "absence")
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 1: // several days: from Start on FirstDay to End on EndDay, any times
			a.EndDay = a.FirstDay.AddDays(rapid.IntRange(1, 3).Draw(t, "days"))
			a.End = agenda.ClockTime(rapid.IntRange(6*60, 22*60).Draw(t, "end"))
		case 2:
			a.Recurrence = agenda.Recurrence{Every: agenda.Weekly, Weekdays: subset(t, "weekdays", allWeekdays)}
		}
		d.Absences = append(d.Absences, a)
	}
	for range rapid.IntRange(0, 25).Draw(t, "rdvs") {
		s := day("rdv", -1, 15).At(agenda.ClockTime(usually(t, "at", []int{9 * 60, 9*60 + 20, 10*60 + 40, 14 * 60}, 6*60, 21*60)), loc).UTC()
		d.Busy = append(d.Busy, Busy{AgentID: rapid.SampledFrom(agents).Draw(t, "agent"),
			Interval: agenda.Interval{Start: s, End: s.Add(time.Duration(rapid.IntRange(5, 120).Draw(t, "len")) * time.Minute)}})
	}

	from := base.AddDays(rapid.IntRange(-1, 3).Draw(t, "from")).At(0, loc)
	if rapid.Bool().Draw(t, "from.mid") {
		from = from.Add(time.Duration(rapid.IntRange(0, 24*60-1).Draw(t, "from.min")) * time.Minute)
	}
	r := Request{Motif: m,
		LieuID:    rapid.SampledFrom([]string{"", "", "l1"}).Draw(t, "lieu"),
		From:      from.UTC(),
		To:        from.Add(time.Duration(usually(t, "hours", []int{24, 3 * 24, 7 * 24, 14 * 24}, 1, 14*24)) * time.Hour).UTC(),
		Now:       base.At(0, loc).Add(time.Duration(usually(t, "now", []int{-24 * 3600, 0, 9*3600 + 7*60 + 13, 2*24*3600 + 11*3600}, -2*24*3600, 10*24*3600)) * time.Second).UTC(),
		Origine:   origine,
		Documents: rapid.IntRange(1, 3).Draw(t, "documents"),
	}
	return scenario{d: d, r: r, loc: loc, base: base}
}

func isPublic(o agenda.Origine) bool { return o == agenda.OrigineKiosk || o == agenda.OrigineEnLigne }

func canalOf(o agenda.Origine) agenda.Canal {
	if o == agenda.OrigineEnLigne {
		return agenda.CanalEnLigne
	}
	return agenda.CanalGuichet
}

// oracle answers the rules directly from the Data, slowly and plainly.
type oracle struct {
	d   *Data
	r   Request
	loc *time.Location
	dur time.Duration
	buf time.Duration
}

func newOracle(s scenario) oracle {
	return oracle{d: s.d, r: s.r, loc: s.loc, dur: time.Duration(s.r.Documents) * s.r.Motif.Duration(),
		buf: time.Duration(s.d.Org.BufferMinutes) * time.Minute}
}

// plageHolds reports whether a plage of the motif, channel and lieu, of agent, has an occurrence
// containing [s, e).
func (o oracle) plageHolds(agent, lieu string, s, e time.Time) bool {
	day := agenda.DateOf(s.In(o.loc))
	for _, p := range o.d.Plages {
		if p.AgentID != agent || p.LieuID != lieu || !slices.Contains(p.MotifIDs, o.r.Motif.ID) || p.Canal != canalOf(o.r.Origine) {
			continue
		}
		for _, iv := range p.Occurrences(day, day, o.loc) {
			if !s.Before(iv.Start) && !e.After(iv.End) {
				return true
			}
		}
	}
	return false
}

// free reports whether agent has no RDV (with the buffer on both sides), absence or holiday
// meeting [s, e).
func (o oracle) free(agent string, s, e time.Time) bool {
	day := agenda.DateOf(s.In(o.loc))
	if len(o.d.Org.Holidays.Between(day, day)) > 0 {
		return false
	}
	for _, b := range o.d.Busy {
		if b.AgentID == agent && s.Before(b.End.Add(o.buf)) && b.Start.Before(e.Add(o.buf)) {
			return false
		}
	}
	for _, a := range o.d.Absences {
		if a.AgentID != agent {
			continue
		}
		for _, iv := range a.Intervals(day.AddDays(-5), day.AddDays(5), o.loc) {
			if iv.Overlaps(agenda.Interval{Start: s, End: e}) {
				return false
			}
		}
	}
	return true
}

func (o oracle) agents() []string {
	var out []string
	for _, p := range o.d.Plages {
		if !slices.Contains(out, p.AgentID) {
			out = append(out, p.AgentID)
		}
	}
	slices.Sort(out)
	return out
}

// checkSlot checks one returned slot against every rule.
func (o oracle) checkSlot(t *rapid.T, c Creneau) {
	r := o.r
	if c.Start.Before(r.From) || !c.Start.Before(r.To) || c.Start.Before(r.Now) {
		t.Fatalf("slot %v outside [%v, %v) or before now %v", c.Start, r.From, r.To, r.Now)
	}
	if lo := time.Unix(0, roundUp5(r.Now.UnixNano())); c.Start.Before(lo) || c.Start.Second() != 0 || c.Start.Nanosecond() != 0 {
		// The generator's plages, absences and RDVs are on whole minutes, so slots are too.
		t.Fatalf("slot %v before now rounded up to 5 minutes (%v) or not on a whole minute", c.Start, lo)
	}
	if c.End.Sub(c.Start) != o.dur {
		t.Fatalf("slot %v lasts %v, want %v", c.Start, c.End.Sub(c.Start), o.dur)
	}
	if r.LieuID != "" && c.LieuID != r.LieuID {
		t.Fatalf("slot %v at lieu %q, asked %q", c.Start, c.LieuID, r.LieuID)
	}
	if isPublic(r.Origine) {
		m := r.Motif
		if c.AgentID != "" || c.Start.Before(r.Now.Add(m.MinPublicDelay)) || (m.MaxPublicDelay > 0 && !c.Start.Before(r.Now.Add(m.MaxPublicDelay))) {
			t.Fatalf("public slot %+v: agent shown or outside the window (now %v)", c, r.Now)
		}
	}
	if g := o.d.Org.SlotGridMinutes; g > 0 {
		l := c.Start.In(o.loc)
		if (l.Hour()*60+l.Minute())%g != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
			t.Fatalf("slot %v off the %d-minute grid", l, g)
		}
	}
	candidates := []string{c.AgentID}
	if c.AgentID == "" {
		candidates = o.agents()
	}
	ok := false
	for _, a := range candidates {
		if o.plageHolds(a, c.LieuID, c.Start, c.End) && o.free(a, c.Start, c.End) {
			ok = true
		}
	}
	if !ok {
		t.Fatalf("slot %+v: no agent among %v has a plage holding it and is free", c, candidates)
	}
}

func sameList(a, b []Creneau) bool { return slices.Equal(a, b) }

func TestProperties(tt *testing.T) {
	cases, withSlots, slots := 0, 0, 0
	defer func() {
		tt.Logf("%d cases, %d with slots, %d slots", cases, withSlots, slots)
		// Guard against a generator that drifts into empty agendas and proves nothing.
		if cases >= 100 && withSlots*6 < cases {
			tt.Errorf("only %d of %d cases have slots", withSlots, cases)
		}
	}()
	rapid.Check(tt, func(t *rapid.T) {
		s := genScenario(t)
		d, r := s.d, s.r
		o := newOracle(s)
		cs, err := Search(d, r)
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		public := isPublic(r.Origine)
		cases++
		if len(cs) > 0 {
			withSlots++
			slots += len(cs)
		}

		// Order and deduplication.
		for i := 1; i < len(cs); i++ {
			a, b := cs[i-1], cs[i]
			c := a.Start.Compare(b.Start)
			if c > 0 || (c == 0 && public && a.LieuID >= b.LieuID) ||
				(c == 0 && !public && (a.AgentID > b.AgentID || (a.AgentID == b.AgentID))) {
				t.Fatalf("not sorted or duplicated: %+v then %+v", a, b)
			}
		}
		for _, c := range cs {
			o.checkSlot(t, c)
			rc := r
			rc.LieuID, rc.AgentID = c.LieuID, c.AgentID
			got, err := Available(d, rc, c.Start)
			if err != nil {
				t.Fatalf("Available refuses a returned slot %+v: %v", c, err)
			}
			if !got.End.Equal(c.End) || got.LieuID != c.LieuID || (c.AgentID != "" && got.AgentID != c.AgentID) || got.AgentID == "" {
				t.Fatalf("Available(%+v) = %+v", c, got)
			}
		}

		// Next is the first element of Search, over the whole range and over a later start.
		next, ok, err := Next(d, r)
		if err != nil || ok != (len(cs) > 0) || (ok && next != cs[0]) {
			t.Fatalf("Next = %+v %v %v; Search starts with %v", next, ok, err, cs[:min(1, len(cs))])
		}
		span := r.To.Sub(r.From)
		r2 := r
		r2.From = r.From.Add(time.Duration(rapid.Int64Range(0, int64(span)).Draw(t, "from2")))
		var suffix []Creneau
		for _, c := range cs {
			if !c.Start.Before(r2.From) {
				suffix = append(suffix, c)
			}
		}
		cs2, _ := Search(d, r2)
		if !sameList(cs2, suffix) {
			t.Fatalf("a later From is not a filter:\n%v\nwant\n%v", stamps(cs2), stamps(suffix))
		}
		next, ok, _ = Next(d, r2)
		if ok != (len(suffix) > 0) || (ok && next != suffix[0]) {
			t.Fatalf("Next from %v = %+v %v, want %v", r2.From, next, ok, suffix[:min(1, len(suffix))])
		}

		// Completeness in the agent view without a grid: every free span of the motif's length in an
		// occurrence (after now, within the range) meets a returned slot of that agent.
		if !public && d.Org.SlotGridMinutes == 0 {
			o.checkComplete(t, cs)
		}

		// Booking a slot takes it.
		if len(cs) == 0 {
			return
		}
		c := cs[rapid.IntRange(0, len(cs)-1).Draw(t, "book")]
		rc := r
		rc.LieuID, rc.AgentID = c.LieuID, c.AgentID
		booked, err := Available(d, rc, c.Start)
		if err != nil {
			t.Fatalf("Available: %v", err)
		}
		d2 := &Data{Org: d.Org, Plages: d.Plages, Absences: d.Absences,
			Busy: append(slices.Clone(d.Busy), Busy{AgentID: booked.AgentID, Interval: agenda.Interval{Start: booked.Start, End: booked.End}})}
		rc.AgentID = booked.AgentID
		_, err = Available(d2, rc, c.Start)
		if agenda.KindOf(err) != agenda.Conflict || !errors.Is(err, ErrTaken) {
			t.Fatalf("Available after booking %+v: %v, want ErrTaken", booked, err)
		}
		cs3, _ := Search(d2, r)
		for _, c3 := range cs3 {
			o2 := o
			o2.d = d2
			o2.checkSlot(t, c3)
			if !public && c3.AgentID == booked.AgentID && c3.Start.Before(booked.End.Add(o.buf)) && booked.Start.Before(c3.End.Add(o.buf)) {
				t.Fatalf("booked %+v still offered as %+v", booked, c3)
			}
			if public && c3.Start.Equal(c.Start) && c3.LieuID == c.LieuID {
				// Another agent may still be free then; it must be another agent.
				rp := r
				rp.LieuID = c.LieuID
				other, err := Available(d2, rp, c.Start)
				if err != nil || other.AgentID == booked.AgentID {
					t.Fatalf("public slot %+v still offered after booking %+v: %+v %v", c3, booked, other, err)
				}
			}
		}
	})
}

// checkComplete: for each candidate occurrence fully inside [From, To) and each minute t from
// max(start, now rounded up to 5 min), if the agent is free on [t, t+duration), a returned slot of
// that agent meets it. (Block stepping leaves only remainders shorter than the duration.)
func (o oracle) checkComplete(t *rapid.T, cs []Creneau) {
	r := o.r
	lo := time.Unix(0, roundUp5(r.Now.UnixNano())).UTC()
	first, last := agenda.DateOf(r.From.In(o.loc)), agenda.DateOf(r.To.In(o.loc))
	for _, p := range o.d.Plages {
		if !slices.Contains(p.MotifIDs, r.Motif.ID) || p.Canal != canalOf(r.Origine) || (r.LieuID != "" && p.LieuID != r.LieuID) {
			continue
		}
		for _, iv := range p.Occurrences(first, last, o.loc) {
			if iv.Start.Before(r.From) || iv.End.After(r.To) {
				continue
			}
			start := iv.Start
			if start.Before(lo) {
				start = lo
			}
			for tt := start; !tt.Add(o.dur).After(iv.End); tt = tt.Add(time.Minute) {
				if !o.free(p.AgentID, tt, tt.Add(o.dur)) {
					continue
				}
				met := false
				for _, c := range cs {
					if c.AgentID == p.AgentID && c.Start.Before(tt.Add(o.dur)) && tt.Before(c.End) {
						met = true
						break
					}
				}
				if !met {
					t.Fatalf("agent %s is free on [%v, +%v) in plage %s but no slot meets it; slots %v",
						p.AgentID, tt.In(o.loc), o.dur, p.ID, stamps(cs))
				}
			}
		}
	}
}

// TestPropertyAgentFilter: restricting to one agent gives exactly that agent's slots of the full
// agent view.
func TestPropertyAgentFilter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario(t)
		r := s.r
		r.Origine = agenda.OrigineGuichet
		all, err := Search(s.d, r)
		if err != nil {
			t.Fatal(err)
		}
		r.AgentID = rapid.SampledFrom([]string{"a1", "a2", "a3", "a4"}).Draw(t, "agent")
		one, _ := Search(s.d, r)
		var want []Creneau
		for _, c := range all {
			if c.AgentID == r.AgentID {
				want = append(want, c)
			}
		}
		if !sameList(one, want) {
			t.Fatalf("agent %s: %v, want %v", r.AgentID, stamps(one), stamps(want))
		}
	})
}
