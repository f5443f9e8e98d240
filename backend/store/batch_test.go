package store

import (
	"context"
	"database/sql"
	"testing"

	"rdvguichet/backend/agenda"
)

// A batch books through the same check as Book: a slot the check refuses writes nothing and the
// batch goes on; a booking the database refuses after the check passed fails the whole batch,
// even when the caller goes on as if nothing happened.
func TestBatchBooking(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	req := func(h int) BookRequest {
		return BookRequest{MotifID: f.motif.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(0, h, 0),
			Usagers: []string{f.usager.ID}, By: agenda.ByAgent(f.agents[0].ID)}
	}
	err := f.db.Apply(ctx, "test", func(b *Batch) error {
		if _, err := b.Book(req(9)); err != nil {
			return err
		}
		_, err := b.Book(req(9))
		wantConflict(t, err)
		_, err = b.Book(req(10))
		return err
	})
	if err != nil {
		t.Fatalf("batch with a refused slot: %v", err)
	}
	raw, err := sql.Open("sqlite", f.path) // the writer's connection is the store's
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rdvs := func() int {
		var n int
		if err := raw.QueryRowContext(ctx, "SELECT count(*) FROM rdvs").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rdvs(); n != 2 {
		t.Fatalf("%d RDVs after the batch, want 2 (9:00 and 10:00)", n)
	}

	// The check passes, the database refuses the participation (the RDV's row is already written).
	if _, err := raw.ExecContext(ctx, `CREATE TRIGGER test_refuse BEFORE INSERT ON participations
		BEGIN SELECT RAISE(ABORT, 'test_refuse'); END`); err != nil {
		t.Fatal(err)
	}
	err = f.db.Apply(ctx, "test", func(b *Batch) error {
		if _, err := b.Book(req(11)); err == nil {
			t.Error("booking refused by the database: no error")
		}
		return nil
	})
	if err == nil {
		t.Fatal("a batch whose booking failed half-way committed")
	}
	if n := rdvs(); n != 2 {
		t.Fatalf("%d RDVs after the failed batch, want 2: half a booking was kept", n)
	}
}
