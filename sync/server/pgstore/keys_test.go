package pgstore

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// settableClock is a clock the test moves.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settableClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// A rotation gives the organisation a new current key and keeps the former one while an RDV it
// may have signed has not ended; --now drops every former key; at most seven are kept.
func TestRotateKey(t *testing.T) {
	clk := &settableClock{t: clock.Now()}
	s, _ := openFresh(t, clk)
	ctx := context.Background()
	d := newDesk(t, s, 1)
	rdv, err := s.Book(ctx, d.request(at(9, 0), 0)) // Tuesday 9:00–9:30, booked on Monday
	if err != nil {
		t.Fatal(err)
	}
	office, _, err := s.AddOffice(ctx, d.org.ID, "Mairie")
	if err != nil {
		t.Fatal(err)
	}
	keys := func() [][]byte {
		t.Helper()
		k, err := s.OrganisationKeys(ctx, d.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	first := keys()
	if len(first) != 1 {
		t.Fatalf("before any rotation: %d keys", len(first))
	}
	if _, err := s.RevokeOffice(ctx, office.ID); err != nil { // the PC was lost: revoke, then rotate
		t.Fatal(err)
	}
	r, err := s.RotateKey(ctx, office.ID, false)
	if err != nil || r.Kept != 1 || r.Dropped != 0 || r.Office.OrganisationID != d.org.ID {
		t.Fatalf("rotation: %+v %v", r, err)
	}
	after := keys()
	if len(after) != 2 || bytes.Equal(after[0], first[0]) || !bytes.Equal(after[1], first[0]) {
		t.Fatalf("after the rotation, the new key then the former: %d keys", len(after))
	}
	clk.Set(clk.Now().Add(3 * time.Hour)) // the offices have the new key; the RDV is still ahead
	if k := keys(); len(k) != 2 {
		t.Errorf("while the RDV signed with the former key is ahead: %d keys", len(k))
	}
	clk.Set(rdv.EndsAt)
	if k := keys(); len(k) != 1 || !bytes.Equal(k[0], after[0]) {
		t.Errorf("once the RDV has ended: %d keys", len(k))
	}
	r, err = s.RotateKey(ctx, office.ID, false)
	if err != nil || r.Dropped != 1 || r.Kept != 1 {
		t.Errorf("the next rotation deletes the expired key: %+v %v", r, err)
	}
	if r, err = s.RotateKey(ctx, office.ID, true); err != nil || r.Dropped != 2 || r.Kept != 0 || len(keys()) != 1 {
		t.Errorf("--now: %+v %v, %d keys", r, err, len(keys()))
	}
	for range 9 {
		clk.Set(clk.Now().Add(time.Minute))
		if _, err := s.RotateKey(ctx, office.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	if k := keys(); len(k) != 1+maxOldKeys {
		t.Errorf("nine rotations within the hour: %d keys, %d expected", len(k), 1+maxOldKeys)
	}
	if _, err := s.RotateKey(ctx, "0190a0c5-0000-7000-8000-000000000000", false); agenda.KindOf(err) != agenda.NotFound {
		t.Errorf("unknown office: %v", err)
	}
}
