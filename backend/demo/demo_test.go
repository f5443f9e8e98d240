package demo

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"

	_ "modernc.org/sqlite"
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

// The demo is all or nothing: a first start cut short (here the database refuses the 101st RDV)
// leaves the file as empty as it was, never half an agenda, and the demo can then be written.
func TestCreateAllOrNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.sqlite")
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	db, err := store.Open(path, store.Options{Clock: fixed{now}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER test_refuse BEFORE INSERT ON rdvs WHEN (SELECT count(*) FROM rdvs) >= 100
		BEGIN SELECT RAISE(ABORT, 'test_refuse'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(context.Background(), path, now, 45); err == nil || !strings.Contains(err.Error(), "test_refuse") {
		t.Fatalf("Create with the 101st RDV refused: %v", err)
	}
	// settings: what the demo wrote; a new file's own (its agenda cards are complete) stays.
	for _, table := range []string{"organisations", "agents", "usagers", "rdvs", "rdv_status_history", "outbox", "settings WHERE key <> 'agenda_cards_built'"} {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("after a failed demo, %s holds %d rows", table, n)
		}
	}
	if _, err := raw.Exec("DROP TRIGGER test_refuse"); err != nil {
		t.Fatal(err)
	}
	if sum, err := Create(context.Background(), path, now, 45); err != nil || sum.Rdvs < 400 {
		t.Fatalf("demo after a failed one: %+v, %v", sum, err)
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
