package store

import (
	"testing"

	"rdvguichet/backend/agenda"
)

// A move is part of the RDV's story: who moved it, when, from where to where.
func TestMoveIsRecordedInTheHistory(t *testing.T) {
	f := newFixture(t, 2)
	ctx := t.Context()
	r, err := f.book(at(1, 9, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Move(ctx, r.ID, at(1, 10, 0), f.agents[1].ID, agenda.ByAgent(f.agents[0].ID), false); err != nil {
		t.Fatal(err)
	}
	h, err := f.db.RdvHistory(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := h[len(h)-1]
	if last.Move == nil || !last.Move.FromStart.Equal(at(1, 9, 0)) || !last.Move.ToStart.Equal(at(1, 10, 0)) ||
		last.Move.FromAgent != f.agents[0].ID || last.Move.ToAgent != f.agents[1].ID || last.By != f.agents[0].ID {
		t.Fatalf("last history row %+v (move %+v)", last, last.Move)
	}
	if h[0].Move != nil {
		t.Errorf("the creation row is not a move: %+v", h[0])
	}
}
