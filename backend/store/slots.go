package store

import (
	"context"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/creneaux"
)

// SlotQuery asks for the next free slots of a motif, as the agent's « Trouver un créneau » does.
type SlotQuery struct {
	MotifID string
	LieuID  string // "" = every lieu
	AgentID string // "" = every agent or guichet
	From    time.Time
	// Documents is the number of ANTS titles: the engine looks for one block of Documents × the
	// motif's duration, not for separate slots. 0 means 1.
	Documents int
	N         int // how many slots; 0 means 5
	Origine   agenda.Origine
}

// FindFree returns up to q.N free slots from q.From on (the « prochains créneaux » the agent's
// search and a Conflict propose). It searches two weeks at a time up to the motif's public horizon
// (public origins) or 26 weeks (agents), reading only each window's rows, and stops as soon as it
// has enough: the first window nearly always does.
func (db *DB) FindFree(ctx context.Context, q SlotQuery) ([]creneaux.Creneau, error) {
	const op = "store.FindFree"
	if q.N <= 0 {
		q.N = 5
	}
	if q.Documents <= 0 {
		q.Documents = 1
	}
	if q.Origine == "" {
		q.Origine = agenda.OrigineGuichet
	}
	motif, err := db.GetMotif(ctx, q.MotifID)
	if err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	now := db.now()
	from := q.From
	if from.Before(now) {
		from = now
	}
	horizon := booking.Horizon(motif, q.Origine, from, now)
	const window = booking.SearchWindow
	var out []creneaux.Creneau
	for lo := from; lo.Before(horizon) && len(out) < q.N; lo = lo.Add(window) {
		hi := lo.Add(window)
		if hi.After(horizon) {
			hi = horizon
		}
		d, err := db.LoadCreneauxData(ctx, q.MotifID, q.LieuID, lo, hi)
		if err != nil {
			return nil, agenda.E(op, agenda.Other, err)
		}
		cs, err := creneaux.Search(d, creneaux.Request{Motif: motif, LieuID: q.LieuID, AgentID: q.AgentID, From: lo, To: hi,
			Now: now, Origine: q.Origine, Documents: q.Documents})
		if err != nil {
			return nil, agenda.E(op, agenda.Other, err)
		}
		out = append(out, cs...)
	}
	if len(out) > q.N {
		out = out[:q.N]
	}
	return out, nil
}
