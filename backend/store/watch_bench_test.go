package store

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCommitToChange measures how long after a commit by another handle (the kiosk's
// process) WatchChanges calls changed, at two poll periods (the hub's is 200 ms). Each commit
// waits a random fraction of the period first, so that commits do not run in step with the polls.
// Reported: the median and the 99th percentile, in ms. Run with -benchtime=200x.
func BenchmarkCommitToChange(b *testing.B) {
	for _, every := range []time.Duration{50 * time.Millisecond, 200 * time.Millisecond} {
		b.Run(every.String(), func(b *testing.B) {
			f := newFixture(b, 1)
			other, err := Open(f.path, Options{Clock: f.clock})
			if err != nil {
				b.Fatal(err)
			}
			defer other.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			seen := make(chan time.Time, 1)
			go f.db.WatchChanges(ctx, every, func() { seen <- time.Now() })
			time.Sleep(3 * every)
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				time.Sleep(rand.N(every))
				if err := other.SetSetting(ctx, "bench", strconv.Itoa(i)); err != nil {
					b.Fatal(err)
				}
				committed := time.Now()
				lat = append(lat, (<-seen).Sub(committed))
			}
			b.StopTimer()
			slices.Sort(lat)
			ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
			b.ReportMetric(ms(0.5), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(ms(1), "max-ms")
		})
	}
}

// BenchmarkDataVersionPoll is the cost of one poll of the watcher: what the hub spends five times
// a second while nothing happens.
func BenchmarkDataVersionPoll(b *testing.B) {
	f := newFixture(b, 1)
	ctx := context.Background()
	conn, closeConn, err := f.db.watchConn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer closeConn()
	b.ResetTimer()
	for b.Loop() {
		if _, err := dataVersion(ctx, conn); err != nil {
			b.Fatal(err)
		}
	}
}
