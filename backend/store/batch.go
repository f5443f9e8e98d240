package store

import (
	"context"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/creneaux"
)

// writeOne checks v (prep: normalise, validate, give an id) and writes it (put) in a write
// transaction of its own: the Save methods of the organisation, lieux, agents, motifs and plages.
func writeOne[T any](ctx context.Context, db *DB, op string, v T, prep func(string, T) (T, error), put func(context.Context, *txn, T) (T, error)) (T, error) {
	v, err := prep(op, v)
	if err != nil {
		return v, err
	}
	err = db.write(ctx, op, func(tx *txn) error {
		v, err = put(ctx, tx, v)
		return err
	})
	return v, err
}

// Batch writes several entities in one transaction (Apply): a step of the first set-up
// (backend/install) is all written or not at all, so that a step left half-way leaves nothing;
// the demo (backend/demo) is written whole in one.
type Batch struct {
	db  *DB
	ctx context.Context
	tx  *txn
	op  string
}

// Apply runs fn in one write transaction; the batch's saves are committed together when fn
// returns nil, rolled back together otherwise.
func (db *DB) Apply(ctx context.Context, op string, fn func(b *Batch) error) error {
	return db.write(ctx, op, func(tx *txn) error { return fn(&Batch{db: db, ctx: ctx, tx: tx, op: op}) })
}

func inBatch[T any](b *Batch, v T, prep func(string, T) (T, error), put func(context.Context, *txn, T) (T, error)) (T, error) {
	v, err := prep(b.op, v)
	if err != nil {
		return v, err
	}
	return put(b.ctx, b.tx, v)
}

// SaveOrganisation is DB.SaveOrganisation inside the batch.
func (b *Batch) SaveOrganisation(o agenda.Organisation) (agenda.Organisation, error) {
	return inBatch(b, o, prepOrganisation, b.db.putOrganisation)
}

// SaveLieu is DB.SaveLieu inside the batch.
func (b *Batch) SaveLieu(l agenda.Lieu) (agenda.Lieu, error) {
	return inBatch(b, l, prepLieu, b.db.putLieu)
}

// SaveAgent is DB.SaveAgent inside the batch.
func (b *Batch) SaveAgent(a agenda.Agent) (agenda.Agent, error) {
	return inBatch(b, a, prepAgent, b.db.putAgent)
}

// SaveMotif is DB.SaveMotif inside the batch.
func (b *Batch) SaveMotif(m agenda.Motif) (agenda.Motif, error) {
	return inBatch(b, m, prepMotif, b.db.putMotif)
}

// SavePlage is DB.SavePlage inside the batch.
func (b *Batch) SavePlage(p agenda.PlageOuverture) (agenda.PlageOuverture, error) {
	return inBatch(b, p, prepPlage, b.db.putPlage)
}

// DeletePlage is DB.DeletePlage inside the batch.
func (b *Batch) DeletePlage(id string) error {
	return b.db.deleteIn(b.ctx, b.tx, b.op, "plages_ouverture", EntityPlage, "plage d'ouverture", id)
}

// SetAgentPasswordHash is DB.SetAgentPasswordHash inside the batch.
func (b *Batch) SetAgentPasswordHash(agentID, hash string) error {
	return setPasswordHash(b.ctx, b.tx, agentID, hash)
}

// SetSetting is DB.SetSetting inside the batch.
func (b *Batch) SetSetting(key, value string) error { return setSetting(b.ctx, b.tx, key, value) }

// SaveAbsence is DB.SaveAbsence inside the batch.
func (b *Batch) SaveAbsence(a agenda.Absence) (agenda.Absence, error) {
	return inBatch(b, a, prepAbsence, b.db.putAbsence)
}

// SaveUsager is DB.SaveUsager inside the batch.
func (b *Batch) SaveUsager(u agenda.Usager) (agenda.Usager, error) {
	return b.db.saveUsager(b.ctx, b.tx, u)
}

// LoadCreneauxData is DB.LoadCreneauxData read in the batch's transaction: it sees the batch's
// own writes.
func (b *Batch) LoadCreneauxData(motifID, lieuID string, from, to time.Time) (*creneaux.Data, error) {
	motif, org, loc, err := motifScope(b.ctx, b.tx, b.op, motifID)
	if err != nil {
		return nil, err
	}
	return loadData(b.ctx, b.tx, motif, org, loc, lieuID, from, to, "")
}

// Book is DB.Book inside the batch, the same check and rows. A refused booking leaves nothing
// (a savepoint of its own) and the batch goes on.
func (b *Batch) Book(req BookRequest) (agenda.Rdv, error) {
	const op = "store.Book"
	req, err := booking.Normalize(req)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}
	var out agenda.Rdv
	err = b.savepoint(func() (err error) {
		out, _, err = b.db.book(b.ctx, b.tx, req)
		return err
	})
	return out, mapErr(op, err)
}

// SetStatus is DB.SetStatus inside the batch.
func (b *Batch) SetStatus(rdvID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	rdv, err := b.db.setStatus(b.ctx, b.tx, rdvID, status, by)
	return rdv, mapErr("store.SetStatus", err)
}

// MarkArrived is DB.MarkArrived inside the batch.
func (b *Batch) MarkArrived(rdvID string, usagerIDs []string, at time.Time) (agenda.Rdv, error) {
	rdv, err := b.db.markArrived(b.ctx, b.tx, rdvID, usagerIDs, at)
	return rdv, mapErr("store.MarkArrived", err)
}

// savepoint runs fn so that its writes are undone when it fails, the batch's transaction going on.
func (b *Batch) savepoint(fn func() error) error {
	if _, err := b.tx.ExecContext(b.ctx, "SAVEPOINT batch_step"); err != nil {
		return err
	}
	err := fn()
	if err != nil {
		if _, rerr := b.tx.ExecContext(context.WithoutCancel(b.ctx), "ROLLBACK TO batch_step"); rerr != nil {
			return rerr
		}
	}
	if _, rerr := b.tx.ExecContext(context.WithoutCancel(b.ctx), "RELEASE batch_step"); rerr != nil && err == nil {
		return rerr
	}
	return err
}
