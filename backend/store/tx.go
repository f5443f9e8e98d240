package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Messages a user may read when the database refuses a write.
var (
	// ErrSlotTaken is the cause of every refused double booking, from the check or from the trigger.
	ErrSlotTaken = errors.New("Ce créneau vient d'être pris.")
	// ErrCollectifFull is the cause of a refused seat in a full collective RDV.
	ErrCollectifFull = errors.New("Cet atelier est complet.")
	errBusy          = errors.New("La base de données est occupée par un autre poste ; réessayez dans un instant.")
)

// newID returns a UUIDv7: time-ordered (good index locality) and creatable offline.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// ms converts an instant to the stored form (unix milliseconds UTC).
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS converts the stored form back to a UTC instant.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func nullMS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func ptrMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dateStr(d agenda.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func parseDate(s string) agenda.Date {
	if s == "" {
		return agenda.Date{}
	}
	d, _ := agenda.ParseDate(s)
	return d
}

func (db *DB) now() time.Time { return db.clock.Now().UTC() }

// write runs fn in one BEGIN IMMEDIATE transaction on the writer connection and maps SQLite's
// refusals to *agenda.Error kinds.
func (db *DB) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapErr(op, err)
	}
	if err := tx.Commit(); err != nil {
		return mapErr(op, err)
	}
	return nil
}

// read runs fn in a read transaction (one consistent snapshot across its queries).
func (db *DB) read(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapErr(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapErr(op, err)
	}
	return nil
}

// mapErr wraps err with op, turning the triggers' RAISE messages and SQLite codes into kinds.
// An *agenda.Error already carrying a kind keeps it.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if ae, ok := err.(*agenda.Error); ok && ae.Op == op {
		return err
	}
	if k := agenda.KindOf(err); k != agenda.Other {
		return agenda.E(op, k, err)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return agenda.E(op, agenda.NotFound, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return agenda.E(op, agenda.Unavailable, err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "creneau_pris"):
		return agenda.E(op, agenda.Conflict, ErrSlotTaken)
	case strings.Contains(msg, "collectif_complet"):
		return agenda.E(op, agenda.Conflict, ErrCollectifFull)
	case strings.Contains(msg, "rdv_agents_incoherent"):
		return agenda.E(op, agenda.Invalid, fmt.Errorf("ligne rdv_agents incohérente avec son rendez-vous : %w", err))
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return agenda.E(op, agenda.Unavailable, errBusy)
		case sqlite3.SQLITE_CONSTRAINT:
			switch se.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
				return agenda.E(op, agenda.Conflict, fmt.Errorf("cet enregistrement existe déjà : %w", err))
			case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
				return agenda.E(op, agenda.Invalid, fmt.Errorf("référence à un élément inexistant : %w", err))
			}
			return agenda.E(op, agenda.Invalid, err)
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return agenda.E(op, agenda.Other, &DamagedError{Detail: se.Error()})
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
			return agenda.E(op, agenda.Unavailable, fmt.Errorf("écriture sur le disque impossible : %w", err))
		}
	}
	return agenda.E(op, agenda.Other, err)
}

// Outbox ops. op names the intent; payload is always the full entity after the change, so the
// central server can apply it as is (a tombstone for deletions).
const (
	OpUpsert  = "upsert"
	OpDelete  = "delete"
	OpBook    = "book"
	OpMove    = "move"
	OpStatus  = "status"
	OpArrived = "arrived"
)

// enqueue writes one outbox op in tx. baseVersion is the entity's version before the change (0 for
// a creation): the central refuses the op if its copy has moved on since.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, orgID, entity, entityID, op string, baseVersion int, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox %s %s : %w", entity, op, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox(op_id, organisation_id, entity, entity_id, op, payload, base_version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newID(), orgID, entity, entityID, op, string(b), baseVersion, ms(db.now()))
	return err
}

// currentVersion returns the stored version of row id in table (0, false when absent), for the
// upserts of the repositories.
func currentVersion(ctx context.Context, tx *sql.Tx, table, id string) (int, bool, error) {
	var v int
	err := tx.QueryRowContext(ctx, "SELECT version FROM "+table+" WHERE id = ?", id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}
