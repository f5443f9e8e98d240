package store

import (
	"context"

	"rdvguichet/backend/agenda"
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
// (backend/install) is all written or not at all, so that a step left half-way leaves nothing.
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
	return b.db.deleteIn(b.ctx, b.tx, b.op, "plages_ouverture", EntityPlage, "plage d’ouverture", id)
}

// SetAgentPasswordHash is DB.SetAgentPasswordHash inside the batch.
func (b *Batch) SetAgentPasswordHash(agentID, hash string) error {
	return setPasswordHash(b.ctx, b.tx, agentID, hash)
}

// SetSetting is DB.SetSetting inside the batch.
func (b *Batch) SetSetting(key, value string) error { return setSetting(b.ctx, b.tx, key, value) }
