package kiosk

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// issue 10, #12: ten codes not recognised within a minute make the kiosk wait a minute, with its
// own code (a French sentence at the door), whatever is typed next; the wait is in the data file,
// so a restarted kiosk (a new Desk over a reopened file) waits too; after the wait codes are read
// again. On today's code the kiosk reads codes as fast as they come.
func TestCheckInAttemptsAreLimited(t *testing.T) {
	now := time.Date(2026, 3, 10, 8, 45, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "demo.sqlite")
	if _, err := demo.Create(t.Context(), path, now, 7); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: now}
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := db.ListOrganisations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	org := orgs[0]
	loc, _ := org.Location()
	desk := &Desk{DB: db, Clock: clock}
	for i := range 10 {
		if _, err := desk.CheckIn(t.Context(), org, loc, "ZZZZ999"+string(rune('0'+i))); agenda.CodeOf(err) != agenda.CodeKioskUnknownCode {
			t.Fatalf("code %d: %v", i+1, err)
		}
		clock.add(time.Second)
	}
	_, err = desk.CheckIn(t.Context(), org, loc, "ABCD2345")
	if agenda.CodeOf(err) != agenda.CodeKioskTooManyCodes || agenda.ParamsOf(err)["seconds"] != "59" {
		t.Fatalf("eleventh code: %v %v", err, agenda.ParamsOf(err))
	}
	db.Close()
	if db, err = store.Open(path, store.Options{Clock: clock}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	desk = &Desk{DB: db, Clock: clock}
	if _, err := desk.CheckIn(t.Context(), org, loc, "ABCD2345"); agenda.CodeOf(err) != agenda.CodeKioskTooManyCodes {
		t.Fatalf("after a restart: %v", err)
	}
	clock.add(time.Minute)
	if _, err := desk.CheckIn(t.Context(), org, loc, "ABCD2345"); agenda.CodeOf(err) != agenda.CodeKioskUnknownCode {
		t.Fatalf("after the wait: %v", err)
	}
}
