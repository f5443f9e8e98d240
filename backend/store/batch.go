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
	db     *DB
	ctx    context.Context
	tx     *txn
	op     string
	failed error // a write the database refused half-way: the batch cannot commit
}

// Apply runs fn in one write transaction; the batch's saves are committed together when fn
// returns nil, rolled back together otherwise (or when a booking failed half-way, see Book).
func (db *DB) Apply(ctx context.Context, op string, fn func(b *Batch) error) error {
	return db.write(ctx, op, func(tx *txn) error {
		b := &Batch{db: db, ctx: ctx, tx: tx, op: op}
		if err := fn(b); err != nil {
			return err
		}
		return b.failed
	})
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
	return b.db.deleteIn(b.ctx, b.tx, b.op, "plages_ouverture", EntityPlage, "plage d’ouverture", id)
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

// Book is DB.Book inside the batch, the same check and rows. A booking the check refuses writes
// nothing and the batch goes on (the caller sees the refusal); one the database refuses after the
// check passed (a trigger: the check and the guarantee disagree) may have written part of its
// rows, so it fails the whole batch: Apply rolls everything back and returns that error.
func (b *Batch) Book(req BookRequest) (agenda.Rdv, error) {
	const op = "store.Book"
	req, err := booking.Normalize(req)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}
	d, err := b.db.decideBooking(b.ctx, b.tx, req)
	if err != nil {
		return agenda.Rdv{}, mapErr(op, err)
	}
	rdv, err := b.db.writeBooking(b.ctx, b.tx, req, d)
	return rdv, b.fail(op, err)
}

// SetStatus is DB.SetStatus inside the batch. Any error fails the whole batch (see Book).
func (b *Batch) SetStatus(rdvID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	rdv, err := b.db.setStatus(b.ctx, b.tx, rdvID, status, by)
	return rdv, b.fail("store.SetStatus", err)
}

// MarkArrived is DB.MarkArrived inside the batch. Any error fails the whole batch (see Book).
func (b *Batch) MarkArrived(rdvID string, usagerIDs []string, at time.Time) (agenda.Rdv, error) {
	rdv, err := b.db.markArrived(b.ctx, b.tx, rdvID, usagerIDs, at)
	return rdv, b.fail("store.MarkArrived", err)
}

// fail records err (mapped for op), if any, as the batch's failure and returns it.
func (b *Batch) fail(op string, err error) error {
	if err = mapErr(op, err); err != nil && b.failed == nil {
		b.failed = err
	}
	return err
}
