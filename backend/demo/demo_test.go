package demo

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
)

// The demo is created at the first start, whatever the day: it must succeed on any date,
// including the weeks around both DST switches and around New Year.
func TestCreateOnAnyDay(t *testing.T) {
	days := []time.Time{
		time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC),   // DST switch inside the range
		time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC),  // the October switch
		time.Date(2026, 12, 28, 16, 0, 0, 0, time.UTC), // New Year and holidays
		time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC),
	}
	for _, now := range days {
		path := filepath.Join(t.TempDir(), "demo.sqlite")
		sum, err := Create(context.Background(), path, now, 45)
		if err != nil {
			t.Fatalf("demo at %v: %v", now, err)
		}
		if sum.Rdvs < 400 || sum.Lieux != 2 || sum.Agents != 3 || sum.Motifs < 8 {
			t.Errorf("demo at %v: %+v", now, sum)
		}
		checkVariety(t, path, now)
	}
}

// checkVariety asserts what the demo promises: past RDVs with every status, some still to fill
// in, and a check-in today.
func checkVariety(t *testing.T, path string, now time.Time) {
	t.Helper()
	db, err := store.Open(path, store.Options{Clock: fixed{now}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rdvs, err := db.ListRdvsBetween(context.Background(), now.AddDate(0, 0, -46), now, store.RdvFilter{IncludeCancelled: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[agenda.Status]int{}
	for _, r := range rdvs {
		seen[r.Status]++
	}
	for _, s := range agenda.Statuses {
		if seen[s] == 0 {
			t.Errorf("demo at %v: no past RDV with status %s (%v)", now, s, seen)
		}
	}
}

type fixed struct{ t time.Time }

func (f fixed) Now() time.Time { return f.t }

// BenchmarkCreate is the demo written on the first start (issue 16, #2: under 300 ms).
func BenchmarkCreate(b *testing.B) {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "demo.sqlite")
		sum, err := Create(context.Background(), path, now, 45)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Rdvs), "rdvs")
	}
}

// The shipped hash of the demo's password matches it, with the parameters store hashes with
// today (a hash with older ones would still match, but would not be what HashPassword writes).
func TestPasswordHash(t *testing.T) {
	if !store.CheckPassword(passwordHash, Password) {
		t.Fatal("passwordHash does not match Password")
	}
	fresh, err := store.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	params := func(h string) string { return h[:strings.LastIndex(h[:strings.LastIndex(h, "$")], "$")] }
	if params(fresh) != params(passwordHash) {
		t.Fatalf("store hashes with %s now: hash Password again", params(fresh))
	}
}
