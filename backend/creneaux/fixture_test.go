package creneaux

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// benchNow is a Monday morning in Paris, 2 March 2026.
var benchNow = at("2026-03-02 09:13")

// franceServices builds, in memory, the agenda of a busy France Services office: 4 agents, 12 motifs
// of 10 to 60 minutes, weekly plages Monday to Friday 08:30–12:00 and 13:30–17:00 offering six motifs
// each, a part-time agent off on Wednesday afternoons, two weeks of leave, and 20,000 RDVs: the
// coming weeks almost full, fewer and fewer up to six months ahead, and the rest in the past (the
// store only loads the range of a request, but the engine must not slow down with old rows). The
// RDVs are shuffled so that indexing them does real sorting. The generator is seeded: every run
// builds the same agenda.
func franceServices(tb testing.TB) (*Data, []agenda.Motif) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2026, 3))
	durations := []int{15, 20, 30, 45, 60, 30, 20, 15, 30, 45, 20, 10}
	var motifs []agenda.Motif
	for i, dur := range durations {
		motifs = append(motifs, motif(fmt.Sprintf("m%02d", i+1), dur))
	}
	agents := []string{"a1", "a2", "a3", "a4"}
	d := &Data{Org: parisOrg()}
	halves := [][2]string{{"08:30", "12:00"}, {"13:30", "17:00"}}
	for i, a := range agents {
		for h, half := range halves {
			var ids []string
			for k := range 6 {
				ids = append(ids, motifs[(3*i+k+h)%len(motifs)].ID)
			}
			d.Plages = append(d.Plages, plage(fmt.Sprintf("p%d%d", i, h), a, "l1", "2025-01-06", half[0], half[1], ids...))
		}
	}
	d.Absences = []agenda.Absence{
		{ID: "temps-partiel", AgentID: "a4", FirstDay: date("2025-01-08"), Start: clk("13:00"), End: clk("18:00"),
			Recurrence: agenda.Recurrence{Every: agenda.Weekly, Weekdays: []time.Weekday{time.Wednesday}}},
		{ID: "conges", AgentID: "a2", FirstDay: date("2026-04-13"), EndDay: date("2026-04-24"), Start: clk("00:00"), End: clk("23:59")},
	}

	const total = 20000
	today := agenda.DateOf(benchNow.In(paris))
	fill := func(day agenda.Date, density float64) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || len(d.Org.Holidays.Between(day, day)) > 0 {
			return
		}
		for _, a := range agents {
			for _, half := range halves {
				cur, end := day.At(clk(half[0]), paris), day.At(clk(half[1]), paris)
				for len(d.Busy) < total {
					dur := time.Duration([]int{10, 15, 20, 20, 30}[rng.IntN(5)]) * time.Minute
					if cur.Add(dur).After(end) {
						break
					}
					if rng.Float64() < density {
						d.Busy = append(d.Busy, Busy{AgentID: a, Interval: agenda.Interval{Start: cur.UTC(), End: cur.Add(dur).UTC()}})
					}
					cur = cur.Add(dur + time.Duration(rng.IntN(2)*5)*time.Minute)
				}
			}
		}
	}
	const horizon = 183
	for i := range horizon {
		fill(today.AddDays(i), 0.95-0.8*float64(i)/horizon)
	}
	for day := today.AddDays(-1); len(d.Busy) < total; day = day.AddDays(-1) {
		fill(day, 0.9)
	}
	rng.Shuffle(len(d.Busy), func(i, j int) { d.Busy[i], d.Busy[j] = d.Busy[j], d.Busy[i] })
	return d, motifs
}

// cold returns a fresh Data over the same rows, whose index is yet to build: what a request costs
// when the store loads its data anew.
func cold(d *Data) *Data {
	return &Data{Org: d.Org, Plages: d.Plages, Absences: d.Absences, Busy: d.Busy, Collectifs: d.Collectifs}
}

// ranged keeps the RDVs meeting [from − 1 day, to + 1 day), as the store loads them for a request.
func ranged(d *Data, from, to time.Time) *Data {
	c := cold(d)
	c.Busy = nil
	for _, b := range d.Busy {
		if b.End.After(from.Add(-24*time.Hour)) && b.Start.Before(to.Add(24*time.Hour)) {
			c.Busy = append(c.Busy, b)
		}
	}
	return c
}

// benchViews runs f on the three ways a Data meets the engine: warm (indexed by an earlier call),
// cold (indexed by this call, all 20,000 RDVs) and loaded (indexed by this call, only the RDVs of
// the range, which is what the store loads).
func benchViews(b *testing.B, d *Data, r Request, f func(*Data)) {
	b.Run("warm", func(b *testing.B) {
		f(d)
		for b.Loop() {
			f(d)
		}
	})
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			f(cold(d))
		}
	})
	loaded := ranged(d, r.Now, r.To)
	b.Run("loaded", func(b *testing.B) {
		for b.Loop() {
			f(cold(loaded))
		}
		b.ReportMetric(float64(len(loaded.Busy)), "rdvs")
	})
}

func TestFixture(t *testing.T) {
	d, motifs := franceServices(t)
	if len(d.Busy) != 20000 {
		t.Fatalf("%d RDVs", len(d.Busy))
	}
	future := 0
	for _, b := range d.Busy {
		if b.Start.After(benchNow) {
			future++
		}
	}
	r := Request{Motif: motifs[2], From: benchNow, To: benchNow.AddDate(0, 0, 28), Now: benchNow, Origine: agenda.OrigineKiosk, Documents: 1}
	cs := mustSearch(t, d, r)
	next, ok, err := Next(d, r)
	if err != nil || !ok || next != cs[0] {
		t.Fatalf("Next %+v %v %v, Search starts with %+v", next, ok, err, cs[0])
	}
	r.Origine = agenda.OrigineGuichet
	agentView := mustSearch(t, d, r)
	t.Logf("%d future RDVs; 4 weeks of %s: %d public slots, %d agent slots; next %s",
		future, motifs[2].ID, len(cs), len(agentView), next.Start.In(paris).Format("2006-01-02 15:04"))
}

func BenchmarkNext(b *testing.B) {
	d, motifs := franceServices(b)
	for _, tc := range []struct {
		name    string
		origine agenda.Origine
		motif   agenda.Motif
		docs    int
	}{
		{"kiosk-30min", agenda.OrigineKiosk, motifs[2], 1},
		{"agent-30min", agenda.OrigineGuichet, motifs[2], 1},
		{"kiosk-60min-x3", agenda.OrigineKiosk, motifs[4], 3}, // a long RDV waits for an emptier week
	} {
		r := Request{Motif: tc.motif, From: benchNow, To: benchNow.AddDate(0, 6, 0), Now: benchNow, Origine: tc.origine, Documents: tc.docs}
		if _, ok, err := Next(d, r); !ok || err != nil {
			b.Fatalf("%s: no slot: %v", tc.name, err)
		}
		b.Run(tc.name, func(b *testing.B) { benchViews(b, d, r, func(d *Data) { Next(d, r) }) })
	}
}

func BenchmarkSearch4Weeks(b *testing.B) {
	d, motifs := franceServices(b)
	for _, o := range []agenda.Origine{agenda.OrigineKiosk, agenda.OrigineGuichet} {
		r := Request{Motif: motifs[2], From: benchNow, To: benchNow.AddDate(0, 0, 28), Now: benchNow, Origine: o, Documents: 1}
		b.Run(string(o), func(b *testing.B) { benchViews(b, d, r, func(d *Data) { Search(d, r) }) })
	}
}

// BenchmarkAvailable is the booking re-check, done in the booking transaction.
func BenchmarkAvailable(b *testing.B) {
	d, motifs := franceServices(b)
	r := Request{Motif: motifs[2], Now: benchNow, Origine: agenda.OrigineKiosk, Documents: 1}
	c, ok, _ := Next(d, Request{Motif: motifs[2], From: benchNow, To: benchNow.AddDate(0, 6, 0), Now: benchNow, Origine: agenda.OrigineKiosk, Documents: 1})
	if !ok {
		b.Fatal("no slot")
	}
	for b.Loop() {
		if _, err := Available(d, r, c.Start); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex is the cost of indexing the 20,000 RDVs, shuffled or in start order (ORDER BY).
func BenchmarkIndex(b *testing.B) {
	d, _ := franceServices(b)
	b.Run("shuffled", func(b *testing.B) {
		for b.Loop() {
			indexBusy(d.Busy)
		}
	})
	sorted := slices.Clone(d.Busy)
	slices.SortFunc(sorted, func(a, b Busy) int { return a.Start.Compare(b.Start) })
	b.Run("sorted", func(b *testing.B) {
		for b.Loop() {
			indexBusy(sorted)
		}
	})
}
