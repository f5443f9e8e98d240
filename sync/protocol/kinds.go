package protocol

import (
	"cmp"
	"reflect"
	"slices"
)

// OpKind is what an op does. RDV ops name the domain intent, so that the central can re-run the
// office's rule for it (the booking decision for book, a join included, and move, the transitions for
// status) and refuse with a code; the settings, the usagers and the receipts travel as row
// upserts and deletes. See docs/decisions/0004-outbox-ops-and-wire-types.md.
type OpKind string

const (
	OpUpsert OpKind = "upsert" // the row after the change (settings, usagers, receipts)
	OpDelete OpKind = "delete" // a Tombstone
	// OpBook is a booking, re-checked by the central with the booking decision: base version 0
	// creates the RDV; a base version > 0 takes seats in an existing collective session (a join).
	OpBook    OpKind = "book"
	OpMove    OpKind = "move"    // new times, agent or lieu: re-checked like a booking
	OpStatus  OpKind = "status"  // the RDV's or a participation's status changed (cancelling included)
	OpArrived OpKind = "arrived" // an usager checked in (kiosk QR or the agent's button); not a status
)

// Entity is the kind of row an op is about.
type Entity string

const (
	EntityOrganisation Entity = "organisation"
	EntityLieu         Entity = "lieu"
	EntityAgent        Entity = "agent"
	EntityMotif        Entity = "motif"
	EntityPlage        Entity = "plage"
	EntityAbsence      Entity = "absence"
	EntityUsager       Entity = "usager"
	EntityRdv          Entity = "rdv"
	EntityReceipt      Entity = "receipt"
)

// Pair is an (entity, kind) the protocol knows, with one payload type.
type Pair struct {
	Entity Entity
	Kind   OpKind
}

// codec decodes the payload of one pair.
type codec struct {
	typ    reflect.Type
	decode func([]byte) (payload, error)
}

func codecOf[T payload]() codec {
	return codec{reflect.TypeFor[T](), func(b []byte) (payload, error) {
		var v T
		err := strictJSON(b, &v)
		return v, err
	}}
}

// codecs is the protocol, version 1: every (entity, kind) an office may push and its payload type.
// A pair missing here is refused by Decode, DecodePush and Encode alike.
var codecs = map[Pair]codec{
	{EntityOrganisation, OpUpsert}: codecOf[OrganisationV1](),
	{EntityLieu, OpUpsert}:         codecOf[LieuV1](),
	{EntityAgent, OpUpsert}:        codecOf[AgentV1](),
	{EntityMotif, OpUpsert}:        codecOf[MotifV1](),
	{EntityPlage, OpUpsert}:        codecOf[PlageV1](),
	{EntityPlage, OpDelete}:        codecOf[Tombstone](),
	{EntityAbsence, OpUpsert}:      codecOf[AbsenceV1](),
	{EntityAbsence, OpDelete}:      codecOf[Tombstone](),
	{EntityUsager, OpUpsert}:       codecOf[UsagerV1](),
	{EntityRdv, OpBook}:            codecOf[RdvV1](),
	{EntityRdv, OpMove}:            codecOf[RdvV1](),
	{EntityRdv, OpStatus}:          codecOf[RdvV1](),
	{EntityRdv, OpArrived}:         codecOf[RdvV1](),
	{EntityReceipt, OpUpsert}:      codecOf[ReceiptV1](),
}

// Pairs returns every (entity, kind) the protocol knows, sorted.
func Pairs() []Pair {
	out := make([]Pair, 0, len(codecs))
	for p := range codecs {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Pair) int {
		if a.Entity != b.Entity {
			return cmp.Compare(string(a.Entity), string(b.Entity))
		}
		return cmp.Compare(string(a.Kind), string(b.Kind))
	})
	return out
}

// Known reports whether the protocol knows the pair (entity, kind).
func Known(entity Entity, kind OpKind) bool {
	_, ok := codecs[Pair{entity, kind}]
	return ok
}

// PayloadType returns the Go type of the payload of (entity, kind) (nil when unknown).
func PayloadType(entity Entity, kind OpKind) reflect.Type {
	return codecs[Pair{entity, kind}].typ
}

func knownEntity(e Entity) bool {
	for p := range codecs {
		if p.Entity == e {
			return true
		}
	}
	return false
}

// Unreferenced says whether no payload names a row of entity e as a row the office must
// already hold: RDVs, receipts, plages and absences name their organisation's settings and
// usagers, and only a receipt names an RDV (a plain column at the office, no reference). A later
// change of such a row may stand for its earlier ones anywhere in the feed (its compaction,
// pgstore.CompactFeed): an office that applies only the later one has every row it names, as
// the central accepted it only once they existed, and their changes stay. An usager (named by
// RDVs and by the usagers they are responsible for) or a setting is referenced: its earlier
// change may be the one that comes before a row that names it.
func Unreferenced(e Entity) bool {
	switch e {
	case EntityRdv, EntityReceipt, EntityPlage, EntityAbsence:
		return true
	}
	return false
}
