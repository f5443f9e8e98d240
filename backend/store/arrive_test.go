package store

import (
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// A family checks in at once: every participant arrived, one transaction, one outbox op; a
// second check-in keeps the first time and writes nothing.
func TestFamilyArrivesInOneOp(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	child := f.newUsager(t, "Léo", "Dupont")
	r, err := f.db.Book(ctx, BookRequest{MotifID: f.motif.ID, AgentID: f.agents[0].ID, Start: at(1, 9, 0),
		Usagers: []string{f.usager.ID, child.ID}, By: agenda.ByAgent(f.agents[0].ID)})
	if err != nil {
		t.Fatal(err)
	}
	arrivedOps := func() int {
		var n int
		if err := f.db.r.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE entity_id = ? AND op = ?", r.ID, OpArrived).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.clock.Set(at(1, 8, 50))
	got, err := f.db.MarkArrived(ctx, r.ID, nil, time.Time{})
	if err != nil || got.Version != r.Version+1 {
		t.Fatalf("arrive: %+v %v", got, err)
	}
	for _, p := range got.Participations {
		if p.ArrivedAt == nil || !p.ArrivedAt.Equal(at(1, 8, 50)) {
			t.Fatalf("participation %+v", p)
		}
	}
	if n := arrivedOps(); n != 1 {
		t.Fatalf("%d arrived ops, want 1", n)
	}
	f.clock.Set(at(1, 8, 55))
	again, err := f.db.MarkArrived(ctx, r.ID, nil, time.Time{})
	if err != nil || again.Version != got.Version || !again.Participations[0].ArrivedAt.Equal(at(1, 8, 50)) || arrivedOps() != 1 {
		t.Fatalf("second check-in: %+v %v, %d ops", again, err, arrivedOps())
	}
	if _, err := f.db.MarkArrived(ctx, r.ID, []string{"nobody"}, time.Time{}); agenda.CodeOf(err) != agenda.CodeNotParticipant {
		t.Fatalf("stranger: %v", err)
	}
	if _, err := f.db.Cancel(ctx, r.ID, agenda.ByAgent(f.agents[0].ID), true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.MarkArrived(ctx, r.ID, nil, time.Time{}); agenda.CodeOf(err) != agenda.CodeRdvCancelled {
		t.Fatalf("cancelled: %v", err)
	}
}
