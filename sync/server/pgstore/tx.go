package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATEs of the schema's own refusals (sql/0001_init.sql), in a class PostgreSQL does not use.
const (
	stateCollectifFull = "RG001"
	stateCapacityBelow = "RG002"
	stateIncoherent    = "RG003"
)

// maxAttempts bounds the retries of a transaction that PostgreSQL aborted to keep concurrent
// transactions serializable (40001) or to break a deadlock (40P01).
const maxAttempts = 5

// newID returns a UUIDv7: time-ordered and creatable offline, like the offices' ids.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// validID reports whether id can name a row (a uuid). An id that cannot is simply not found.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}

// nullID is id as a nullable uuid parameter ("" is NULL).
func nullID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// dateOf converts a date column (midnight UTC) to a civil date.
func dateOf(t time.Time) agenda.Date { return agenda.DateOf(t.UTC()) }

// dateParam is a civil date as a date parameter; the zero date is NULL.
func dateParam(d agenda.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// write runs fn in one READ COMMITTED transaction and maps PostgreSQL's refusals to codes. A
// transaction aborted by a serialization failure or a deadlock is run again (fn must build its
// results afresh on each run), after a short random pause.
func (s *Store) write(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			break
		}
		pause := time.Duration(attempt) * time.Duration(1+rand.IntN(10)) * time.Millisecond
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return mapErr(op, ctx.Err())
		}
	}
	return mapErr(op, err)
}

// read runs fn in a read-only REPEATABLE READ transaction (one snapshot across its queries).
func (s *Store) read(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
	return mapErr(op, err)
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// mapErr wraps err with op, turning PostgreSQL's refusals into codes. An *agenda.Error already
// carrying a kind keeps it.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if ae, ok := err.(*agenda.Error); ok && ae.Op == op {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23P01": // exclusion_violation: the overlap constraint of rdv_agents
			return agenda.Wrap(op, agenda.CodeSlotTaken, err)
		case pe.Code == stateCollectifFull:
			return agenda.Wrap(op, agenda.CodeCollectifFull, err)
		case pe.Code == stateCapacityBelow:
			return agenda.Wrap(op, agenda.CodeCapacityBelow, err)
		case pe.Code == stateIncoherent:
			return agenda.Wrap(op, agenda.CodeIncoherent, err)
		case pe.Code == "23505": // unique_violation
			return agenda.Wrap(op, agenda.CodeDuplicate, err)
		case pe.Code == "23503": // foreign_key_violation
			return agenda.Wrap(op, agenda.CodeBrokenReference, err)
		case pe.Code == "23514", pe.Code == "23502": // check, not null
			return agenda.Wrap(op, agenda.CodeRuleViolated, err)
		case pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03": // retries exhausted, lock not available
			return agenda.Wrap(op, agenda.CodeDatabaseBusy, err)
		case pe.Code[:2] == "22": // data exception: a value the columns cannot hold (an id that is no uuid…)
			return agenda.Wrap(op, agenda.CodeInvalid, err)
		case pe.Code == "57014": // query_canceled (statement timeout, cancel)
			return agenda.Wrap(op, agenda.CodeInterrupted, err)
		case pe.Code[:2] == "08", pe.Code[:2] == "53", pe.Code[:2] == "57": // connection, resources, shutdown
			return agenda.Wrap(op, agenda.CodeUnavailable, err)
		}
	}
	if k := agenda.KindOf(err); k != agenda.Other {
		return agenda.E(op, k, err)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return agenda.E(op, agenda.NotFound, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return agenda.Wrap(op, agenda.CodeInterrupted, err)
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return agenda.Wrap(op, agenda.CodeUnavailable, err)
	}
	return agenda.E(op, agenda.Other, err)
}

// notFound builds the NotFound refusal of a read.
func notFound(op, what, id string) error {
	return agenda.NotFoundError(op, what, id)
}

// appendChange appends one change to the feed in tx: the row after the change in the protocol's
// wire form (wire is the pair's payload type, from protocol's From… converters; a Tombstone for a
// deletion), encoded by protocol.Encode so that every reader of the feed decodes it with
// protocol.Decode. baseVersion is the row's version before the change (0 for a creation); the
// change's version is the RDV's own for an RDV, baseVersion + 1 otherwise.
func (s *Store) appendChange(ctx context.Context, tx dbtx, orgID string, entity protocol.Entity, entityID string, kind protocol.OpKind, baseVersion int, wire any) error {
	b, err := protocol.Encode(entity, kind, orgID, entityID, wire)
	if err != nil {
		return fmt.Errorf("flux %s %s : %w", entity, kind, err)
	}
	version := baseVersion + 1
	if r, ok := wire.(protocol.RdvV1); ok {
		version = r.Version
	}
	if p, ok := tx.(*pipe); ok {
		p.bulk.addChange(orgID, string(entity), entityID, string(kind), baseVersion, version, string(b), s.now())
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO changes(organisation_id, entity, entity_id, kind, base_version, version, payload, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, orgID, string(entity), entityID, string(kind), baseVersion, version, string(b), s.now())
	return err
}

// Change is one row of the change feed.
type Change struct {
	Cursor         Cursor
	OrganisationID string
	Entity         protocol.Entity
	EntityID       string
	Kind           protocol.OpKind
	BaseVersion    int
	Version        int // the row's version after the change
	Payload        json.RawMessage
	At             time.Time
}

// Cursor is a reader's place in the feed: the writing transaction and the sequence number of
// the last change it read (the zero Cursor is the start). The feed is read in (transaction,
// sequence) order and only up to the oldest transaction still running: a sequence number is
// taken when a change is written but becomes visible at commit, so reading by sequence alone
// would skip a change numbered early and committed late. Past that horizon no change can appear
// any more, so a reader that stores its Cursor misses nothing and reads nothing twice.
type Cursor struct {
	Txid uint64
	Seq  int64
}

// Changes returns up to limit changes of an organisation after cursor, in feed order.
func (s *Store) Changes(ctx context.Context, orgID string, after Cursor, limit int) ([]Change, error) {
	const op = "pgstore.Changes"
	if !validID(orgID) {
		return nil, notFound(op, "organisation", orgID)
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	// The output column is named txid_text: an ORDER BY txid would otherwise sort by the output
	// column (the text, "10001" before "9999") and the cursor would skip or repeat changes. The
	// cursor is a row comparison, which the index changes_feed (organisation_id, txid, seq) starts
	// its scan at; spelt with OR, every page read the organisation's feed from its beginning.
	rows, err := s.pool.Query(ctx, `SELECT c.txid::text AS txid_text, c.seq, c.organisation_id::text, c.entity, c.entity_id::text, c.kind,
			c.base_version, c.version, c.payload, c.at
		FROM changes c
		WHERE c.organisation_id = $1
		  AND (c.txid, c.seq) > ($2::text::xid8, $3)
		  AND c.txid < pg_snapshot_xmin(pg_current_snapshot())
		ORDER BY c.txid, c.seq LIMIT $4`, orgID, strconv.FormatUint(after.Txid, 10), after.Seq, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Change, error) {
		var c Change
		var txid string
		err := r.Scan(&txid, &c.Cursor.Seq, &c.OrganisationID, &c.Entity, &c.EntityID, &c.Kind, &c.BaseVersion, &c.Version, &c.Payload, &c.At)
		if err != nil {
			return c, err
		}
		c.Cursor.Txid, err = strconv.ParseUint(txid, 10, 64)
		c.At = c.At.UTC()
		return c, err
	})
	return out, mapErr(op, err)
}
