package store

import (
	"context"
	"fmt"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

// The outbox speaks the sync protocol: entity names, op kinds and payloads are sync/protocol's
// wire types (docs/decisions/0004), never the agenda's domain structs, so renaming a domain field
// does not change what an office pushes.

// Entity names of the outbox: the protocol's.
const (
	EntityOrganisation = string(protocol.EntityOrganisation)
	EntityLieu         = string(protocol.EntityLieu)
	EntityAgent        = string(protocol.EntityAgent)
	EntityMotif        = string(protocol.EntityMotif)
	EntityPlage        = string(protocol.EntityPlage)
	EntityAbsence      = string(protocol.EntityAbsence)
	EntityUsager       = string(protocol.EntityUsager)
	EntityRdv          = string(protocol.EntityRdv)
	EntityReceipt      = string(protocol.EntityReceipt)
)

// Op kinds of the outbox: the protocol's. RDV ops name the intent (the central re-runs its rule);
// the other entities are row upserts and tombstones.
const (
	OpUpsert  = string(protocol.OpUpsert)
	OpDelete  = string(protocol.OpDelete)
	OpBook    = string(protocol.OpBook)
	OpMove    = string(protocol.OpMove)
	OpStatus  = string(protocol.OpStatus)
	OpArrived = string(protocol.OpArrived)
)

// enqueue writes one outbox op in tx. baseVersion is the entity's version before the change (0 for
// a creation): the central refuses the op if its copy has moved on since. payload is the domain
// value after the change (agenda.Rdv, agenda.Usager, Receipt, …) or, for a delete, a
// protocol.Tombstone (nil is taken as the tombstone of entityID): enqueue converts it to the
// protocol's wire type for (entity, op) and refuses a pair or a payload the protocol does not know.
func (db *DB) enqueue(ctx context.Context, tx *txn, orgID, entity, entityID, op string, baseVersion int, payload any) error {
	_, err := db.enqueueOp(ctx, tx, orgID, entity, entityID, op, baseVersion, payload)
	return err
}

// enqueueOp is enqueue, returning the op's id (a plage en transfert waits for its answer).
func (db *DB) enqueueOp(ctx context.Context, tx *txn, orgID, entity, entityID, op string, baseVersion int, payload any) (string, error) {
	ent, kind := protocol.Entity(entity), protocol.OpKind(op)
	w, err := wirePayload(kind, entityID, payload)
	if err != nil {
		return "", agenda.Errorf("store.outbox", agenda.Other, "outbox %s %s : %v", entity, op, err)
	}
	b, err := protocol.Encode(ent, kind, orgID, entityID, w)
	if err != nil {
		return "", agenda.E("store.outbox", agenda.Other, err)
	}
	id := newID()
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox(op_id, organisation_id, entity, entity_id, op, payload, base_version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, orgID, entity, entityID, string(kind), string(b), baseVersion, ms(db.now()))
	return id, err
}

// wirePayload converts a domain value to its wire type with protocol's converters.
func wirePayload(kind protocol.OpKind, entityID string, payload any) (any, error) {
	if kind == protocol.OpDelete && payload == nil {
		return protocol.Tombstone{ID: entityID}, nil
	}
	switch p := payload.(type) {
	case agenda.Organisation:
		return protocol.FromOrganisation(p), nil
	case agenda.Lieu:
		return protocol.FromLieu(p), nil
	case agenda.Agent:
		return protocol.FromAgent(p), nil
	case agenda.Motif:
		return protocol.FromMotif(p), nil
	case agenda.PlageOuverture:
		return protocol.FromPlage(p), nil
	case agenda.Absence:
		return protocol.FromAbsence(p), nil
	case agenda.Usager:
		return protocol.FromUsager(p), nil
	case agenda.Rdv:
		return protocol.FromRdv(p), nil
	case *agenda.Rdv:
		return protocol.FromRdv(*p), nil
	case Receipt:
		return protocol.FromReceipt(p), nil
	case protocol.Tombstone:
		return p, nil
	}
	return nil, fmt.Errorf("no wire type for a payload of type %T", payload)
}
