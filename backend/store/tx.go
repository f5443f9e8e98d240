package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The database's refusals of a booking, whether the check or the trigger saw them first.
var (
	// ErrSlotTaken is the cause of every refused double booking (code slot_taken).
	ErrSlotTaken = agenda.Fail("store", agenda.CodeSlotTaken)
	// ErrCollectifFull is the cause of a refused seat in a full collective RDV (code collectif_full).
	ErrCollectifFull = agenda.Fail("store", agenda.CodeCollectifFull)
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

// session is a connection held for good, with its prepared statements. Preparing is most of the
// cost of a small statement in SQLite, and far more for the statements that fire the booking
// triggers (SQLite compiles the trigger programs into each statement that fires them).
type session struct {
	db    *sql.DB
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

func (s *session) connect(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	s.conn, s.stmts = c, map[string]*sql.Stmt{}
	return nil
}

// reset drops the connection (dead, or at Close); the next use reconnects.
func (s *session) reset() {
	for _, st := range s.stmts {
		st.Close()
	}
	if s.conn != nil {
		s.conn.Close()
	}
	s.conn, s.stmts = nil, nil
}

func (s *session) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts[query] = st
	return st, nil
}

func deadConn(err error) bool {
	return errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn)
}

// run executes fn between begin and COMMIT (ROLLBACK on error) on the session's connection.
func (s *session) run(ctx context.Context, begin string, fn func(tx *txn) error) error {
	if err := s.connect(ctx); err != nil {
		return err
	}
	if _, err := s.conn.ExecContext(ctx, begin); err != nil {
		if deadConn(err) {
			s.reset()
		}
		return err
	}
	defer func() {
		// A panic in fn must not leave the single writer inside BEGIN IMMEDIATE, holding the
		// file's write lock for every other process: roll back, then let the panic go on.
		if p := recover(); p != nil {
			if _, rerr := s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				s.reset()
			}
			panic(p)
		}
	}()
	err := fn(&txn{s: s})
	if err == nil {
		// Not cancellable: a commit is not interrupted half-way because a caller gave up.
		_, err = s.conn.ExecContext(context.WithoutCancel(ctx), "COMMIT")
	}
	if err != nil {
		// SQLite may have rolled back already (interrupt, disk full): that error is ignored.
		if _, rerr := s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil && deadConn(rerr) {
			s.reset()
		}
		return err
	}
	return nil
}

// pool hands out sessions, waiting (as long as the context allows) when all are in use. The
// writer is a pool of one: SQLite has a single writer anyway, and queueing here is cheaper than
// spinning on SQLITE_BUSY. Other processes on the same file are kept out by BEGIN IMMEDIATE,
// waiting up to busy_timeout.
type pool struct{ ch chan *session }

func newPool(db *sql.DB, n int) *pool {
	p := &pool{ch: make(chan *session, n)}
	for range n {
		p.ch <- &session{db: db}
	}
	return p
}

func (p *pool) get(ctx context.Context) (*session, error) {
	select {
	case s := <-p.ch:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pool) put(s *session) { p.ch <- s }

// close drops every session's connection, waiting for those in use.
func (p *pool) close() {
	for range cap(p.ch) {
		s := <-p.ch
		s.reset()
		defer p.put(s)
	}
}

// write runs fn in one BEGIN IMMEDIATE transaction on the writer connection and maps SQLite's
// refusals to *agenda.Error kinds. A poste's call under an idempotency key (WithCall) is recorded
// in the same commit.
func (db *DB) write(ctx context.Context, op string, fn func(tx *txn) error) error {
	s, err := db.wr.get(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	defer db.wr.put(s)
	return mapErr(op, s.run(ctx, "BEGIN IMMEDIATE", func(tx *txn) error {
		if err := fn(tx); err != nil {
			return err
		}
		return db.markCall(ctx, tx)
	}))
}

// read runs fn in a read transaction (one consistent snapshot across its queries).
func (db *DB) read(ctx context.Context, op string, fn func(tx *txn) error) error {
	s, err := db.rd.get(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	defer db.rd.put(s)
	return mapErr(op, s.run(ctx, "BEGIN", fn))
}

// txn is a transaction on a session: its statements are prepared once per connection.
type txn struct{ s *session }

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.s.stmt(ctx, query)
	if err != nil {
		// An invalid query: let database/sql report it through the Row.
		return t.s.conn.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
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
		return agenda.Wrap(op, agenda.CodeInterrupted, err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "creneau_pris"):
		return agenda.E(op, agenda.Conflict, &causeError{ErrSlotTaken, err})
	case strings.Contains(msg, "collectif_complet"):
		return agenda.E(op, agenda.Conflict, &causeError{ErrCollectifFull, err})
	case strings.Contains(msg, "capacite_insuffisante"):
		return agenda.Wrap(op, agenda.CodeCapacityBelow, err)
	case strings.Contains(msg, "rdv_agents_incoherent"), strings.Contains(msg, "rdv_identite_figee"):
		return agenda.Wrap(op, agenda.CodeIncoherent, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return agenda.Wrap(op, agenda.CodeDatabaseBusy, err)
		case sqlite3.SQLITE_CONSTRAINT:
			switch se.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
				return agenda.Wrap(op, agenda.CodeDuplicate, err)
			case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
				return agenda.Wrap(op, agenda.CodeBrokenReference, err)
			}
			return agenda.Wrap(op, agenda.CodeRuleViolated, err)
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return agenda.Wrap(op, agenda.CodeDatabaseDamaged, &DamagedError{Detail: se.Error()})
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
			return agenda.Wrap(op, agenda.CodeDiskError, err)
		case sqlite3.SQLITE_READONLY:
			// The file became read-only while the app had it open (a share, a full disk's remount).
			return agenda.Wrap(op, agenda.CodeDatabaseReadOnly, err)
		}
	}
	return agenda.E(op, agenda.Other, err)
}

// causeError is a refusal (its code) over the driver's error that revealed it: the driver's
// English text stays in the chain for logs and errors.Is, never on a screen.
type causeError struct{ refusal, cause error }

func (e *causeError) Error() string   { return e.refusal.Error() + " (" + e.cause.Error() + ")" }
func (e *causeError) Unwrap() []error { return []error{e.refusal, e.cause} }

// currentVersion returns the stored version of row id in table (0, false when absent), for the
// upserts of the repositories.
func currentVersion(ctx context.Context, tx *txn, table, id string) (int, bool, error) {
	var v int
	err := tx.QueryRowContext(ctx, "SELECT version FROM "+table+" WHERE id = ?", id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}
