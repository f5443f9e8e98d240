// Package protocol is the wire format between an office (the desktop app) and the central server,
// shared by both sides: the push of outbox ops, their payloads (the …V1 types, declared once in
// wire.go) and the per-op results. Every message carries the protocol version; a side refuses a
// version it does not know rather than guess.
//
// The design (ARCHITECTURE.md, « Sync »; docs/decisions/0004): each local mutation writes an op
// (UUIDv7 id, entity, kind, payload, base version) in the same transaction as the business rows;
// the office pushes ops in order; the central applies each in its own transaction and records its
// result under the op id, so a replayed op gets the same answer (idempotency). Order comes from
// the central's sequence, never from the devices' clocks. RDV ops name the domain intent (book,
// move, status, arrived) so that the central re-runs the office's rule and refuses with a
// code; settings, usagers and receipts are row upserts; deletions are tombstones.
//
// Refusals are *agenda.Error values with a stable code (codes_sync.go in backend/agenda); the
// text is chosen at the door from the code. This package does no I/O.
package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
)

// Version is the protocol version this build speaks: the shape of Push, PushReply and of every
// payload type (…V1). A change an older peer cannot read (a renamed or retyped field, a new
// required field, a new pair it would refuse) makes a new Version, with new payload types beside
// the old ones while both are spoken.
const Version = 1

// MaxBatch bounds a push: an office that was offline for weeks sends its backlog in several
// requests, each small enough to apply within the central's timeouts.
const MaxBatch = 500

// Op is one local mutation, as the outbox recorded it.
type Op struct {
	ID             string          `json:"id"` // UUIDv7: the idempotency key
	OrganisationID string          `json:"organisationId"`
	Entity         Entity          `json:"entity"` // rdv, usager, motif, plage, …
	EntityID       string          `json:"entityId"`
	Kind           OpKind          `json:"kind"`    // book, move, upsert, delete, … (Pairs)
	Payload        json.RawMessage `json:"payload"` // the pair's payload type (Decode)
	BaseVersion    int             `json:"baseVersion"`
	// CreatedAt is when the office made the change, by its clock: never used to order; the
	// central's retention reads it as the office's date of an usager's change
	// (agenda.ChangedAt). Zero (not sent) is allowed: the central then uses its own date.
	CreatedAt time.Time `json:"createdAt"`
}

// Push is an office's batch of ops, in its outbox order.
type Push struct {
	Version int    `json:"version"`
	Office  string `json:"office"`
	Ops     []Op   `json:"ops"`
}

// Result is the central's answer to one op. A rejected op goes to the office's « à traiter »
// list, where the office's app shows the text of Code (backend/messages) with Params.
type Result struct {
	OpID       string            `json:"opId"`
	Accepted   bool              `json:"accepted"`
	NewVersion int               `json:"newVersion,omitempty"`
	Code       agenda.Code       `json:"code,omitempty"`   // why it was rejected: slot_taken, conflict, …
	Params     map[string]string `json:"params,omitempty"` // the values the code's text needs
}

// Rejected returns the result of an op refused with err: its code and params travel, its text
// does not.
func Rejected(opID string, err error) Result {
	return Result{OpID: opID, Code: agenda.CodeOf(err), Params: agenda.ParamsOf(err)}
}

// PushReply answers a Push with one result per op, in the same order.
type PushReply struct {
	Version int      `json:"version"`
	Results []Result `json:"results"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

const opName = "protocol.DecodePush"

// DecodePush reads and checks a Push: known version, bounded batch, well-formed ops whose payload
// decodes strictly (Decode), one office's organisation. A malformed message is refused whole with
// a coded error (sync_…): nothing is applied.
func DecodePush(data []byte) (Push, error) {
	p, _, err := DecodePushValues(data)
	return p, err
}

// DecodePushValues is DecodePush that also returns each op's decoded payload (Decode's value),
// so that the central does not decode every payload a second time.
func DecodePushValues(data []byte) (Push, []any, error) {
	var p Push
	if err := strictJSON(data, &p); err != nil {
		return Push{}, nil, agenda.Wrap(opName, agenda.CodeSyncUnreadable, err)
	}
	if p.Version != Version {
		return Push{}, nil, agenda.Fail(opName, agenda.CodeSyncVersion, "version", strconv.Itoa(p.Version), "supported", strconv.Itoa(Version))
	}
	if len(p.Ops) > MaxBatch {
		return Push{}, nil, agenda.Fail(opName, agenda.CodeSyncBatchTooLarge, "count", strconv.Itoa(len(p.Ops)), "max", strconv.Itoa(MaxBatch))
	}
	seen := make(map[string]bool, len(p.Ops))
	values := make([]any, len(p.Ops))
	for i, op := range p.Ops {
		n := strconv.Itoa(i + 1)
		v, err := decode(op, n)
		if err != nil {
			return Push{}, nil, err
		}
		values[i] = v
		if seen[op.ID] {
			return Push{}, nil, agenda.Fail(opName, agenda.CodeSyncOpDuplicate, "op", n, "id", op.ID)
		}
		seen[op.ID] = true
		if op.OrganisationID != p.Ops[0].OrganisationID {
			return Push{}, nil, agenda.Fail(opName, agenda.CodeSyncMixedOrgs, "op", n)
		}
	}
	return p, values, nil
}

// Decode checks op (ids, base version, a known (entity, kind) pair) and decodes its payload into
// the pair's type (a value: RdvV1, UsagerV1, Tombstone, …), strictly: every field present under
// its exact name and no other, no trailing data, instants in UTC, well-formed days and times, and
// the row and organisation the op names; anything else is refused with a coded error.
func Decode(op Op) (any, error) { return decode(op, "1") }

func decode(op Op, n string) (any, error) {
	fail := func(c agenda.Code, params ...string) error {
		return agenda.Fail(opName, c, append([]string{"op", n}, params...)...)
	}
	switch {
	case !uuidRE.MatchString(op.ID):
		return nil, fail(agenda.CodeSyncOpID)
	case !uuidRE.MatchString(op.OrganisationID):
		return nil, fail(agenda.CodeSyncOrganisation)
	case !knownEntity(op.Entity):
		return nil, fail(agenda.CodeSyncEntityUnknown, "entity", string(op.Entity))
	case op.EntityID == "":
		return nil, fail(agenda.CodeSyncEntityID)
	case op.BaseVersion < 0:
		return nil, fail(agenda.CodeSyncBaseVersion)
	}
	c, ok := codecs[Pair{op.Entity, op.Kind}]
	if !ok {
		return nil, fail(agenda.CodeSyncKindUnknown, "entity", string(op.Entity), "kind", string(op.Kind))
	}
	if len(op.Payload) == 0 || op.Payload[0] != '{' {
		return nil, payloadErr(n, errors.New("payload is not a JSON object"))
	}
	v, err := c.decode(op.Payload)
	if err != nil {
		return nil, payloadErr(n, err)
	}
	if err := v.valid(); err != nil {
		return nil, payloadErr(n, err)
	}
	if err := canonical(op.Payload, v); err != nil {
		return nil, payloadErr(n, err)
	}
	// A book on an existing RDV (base version > 0) can only take seats in a collective session.
	if r, ok := v.(RdvV1); ok && op.Kind == OpBook && op.BaseVersion > 0 && !r.Collectif {
		return nil, fail(agenda.CodeSyncBaseVersion)
	}
	if id, org := v.rowIDs(); id != op.EntityID || (org != "" && org != op.OrganisationID) {
		return nil, fail(agenda.CodeSyncPayloadMismatch)
	}
	return v, nil
}

func payloadErr(n string, cause error) error {
	return &agenda.Error{Op: opName, Kind: agenda.CodeSyncPayloadInvalid.Kind(), Code: agenda.CodeSyncPayloadInvalid,
		Params: map[string]string{"op": n}, Err: cause}
}

// Encode returns the payload of an op (entity, kind) about row entityID in organisation orgID:
// v must be the pair's payload type (use the From… converters) naming that row. The office's
// outbox writes only what Encode returns.
func Encode(entity Entity, kind OpKind, orgID, entityID string, v any) (json.RawMessage, error) {
	const op = "protocol.Encode"
	c, ok := codecs[Pair{entity, kind}]
	if !ok {
		return nil, agenda.Fail(op, agenda.CodeSyncKindUnknown, "op", "1", "entity", string(entity), "kind", string(kind))
	}
	p, ok := v.(payload)
	if !ok || c.typ != reflect.TypeOf(v) {
		return nil, agenda.Errorf(op, agenda.Invalid, "payload %T for %s %s: want %v", v, entity, kind, c.typ)
	}
	if id, org := p.rowIDs(); id != entityID || (org != "" && org != orgID) {
		return nil, agenda.Errorf(op, agenda.Invalid, "payload %T names %s (organisation %s), op names %s (organisation %s)", v, id, org, entityID, orgID)
	}
	if err := p.valid(); err != nil {
		return nil, agenda.E(op, agenda.Invalid, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	return b, nil
}

// strictJSON decodes exactly one JSON value into v, refusing unknown fields and trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if len(bytes.Trim(data[dec.InputOffset():], " \t\r\n")) != 0 {
		return errors.New("data after the message")
	}
	return nil
}

// canonical checks that data says exactly what v (decoded from it) says: encoding/json matches
// field names regardless of case and leaves absent fields at zero, so a payload is held to the
// encoding of its own decoded value, which has every field, each in its exact name.
func canonical(data []byte, v any) error {
	enc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if bytes.Equal(enc, data) { // what an office's encoder sends: no need to compare the trees
		return nil
	}
	var got, want any
	if err := json.Unmarshal(data, &got); err != nil {
		return err
	}
	if err := json.Unmarshal(enc, &want); err != nil {
		return err
	}
	if !reflect.DeepEqual(got, want) {
		return errors.New("payload is not in the protocol's form (field names, missing fields or values)")
	}
	return nil
}
