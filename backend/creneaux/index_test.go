package creneaux

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// TestIndexBusy: the counting sort gives the same lists as a plain sort, with few or many agents,
// rows in order or not, close together or scattered over centuries.
func TestIndexBusy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := at("2026-01-01 00:00")
	for _, tc := range []struct {
		agents, rows int
		spread       time.Duration
		sorted       bool
	}{
		{1, 0, time.Hour, false}, {1, 1, time.Hour, false}, {3, 200, 90 * 24 * time.Hour, false},
		{20, 3000, 400 * 24 * time.Hour, false}, {4, 1000, 30 * 24 * time.Hour, true},
		{5, 100, 200 * 365 * 24 * time.Hour, false},
	} {
		var rows []Busy
		for range tc.rows {
			s := base.Add(time.Duration(rng.Int64N(int64(tc.spread))))
			rows = append(rows, Busy{AgentID: fmt.Sprintf("agent-%d", rng.IntN(tc.agents)),
				Interval: agenda.Interval{Start: s, End: s.Add(time.Duration(1+rng.IntN(120)) * time.Minute)}})
		}
		rows = append(rows, Busy{AgentID: "empty", Interval: agenda.Interval{Start: base, End: base}}) // ignored
		if tc.sorted {
			slices.SortFunc(rows, func(a, b Busy) int { return a.Start.Compare(b.Start) })
		}
		got := indexBusy(rows)
		want := map[string]*busyList{}
		for _, b := range rows {
			if b.End.After(b.Start) {
				if want[b.AgentID] == nil {
					want[b.AgentID] = &busyList{}
				}
				want[b.AgentID].add(b.Interval)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%+v: %d agents, want %d", tc, len(got), len(want))
		}
		for a, w := range want {
			w.sort()
			g := got[a]
			starts := func(l *busyList) []int64 {
				var out []int64
				for _, sp := range l.spans {
					out = append(out, sp.s)
				}
				return out
			}
			if g == nil || !slices.Equal(starts(g), starts(w)) || !slices.Equal(g.maxEnd, w.maxEnd) || len(g.spans) != len(w.spans) {
				t.Fatalf("%+v: agent %s differs", tc, a)
			}
		}
	}
}

// TestConcurrentUse: a Data is indexed once even when first used by several goroutines (run with
// -race).
func TestConcurrentUse(t *testing.T) {
	d, motifs := franceServices(t)
	r := Request{Motif: motifs[2], From: benchNow, To: benchNow.AddDate(0, 0, 7), Now: benchNow, Origine: agenda.OrigineKiosk, Documents: 1}
	want := mustSearch(t, cold(d), r)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := Search(d, r)
			if err == nil && !slices.Equal(got, want) {
				err = fmt.Errorf("got %d slots, want %d", len(got), len(want))
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
