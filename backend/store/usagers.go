package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
	"rdvguichet/sync/protocol"
)

const usagerCols = "u.id, u.organisation_id, u.first_name, u.last_name, u.birth_name, u.birth_date, u.phone, u.email, u.notify_sms, u.notify_email, coalesce(u.responsible_id, ''), u.ants_pre_demande"

func scanUsager(s interface{ Scan(...any) error }) (agenda.Usager, error) {
	var u agenda.Usager
	var birth string
	var sms, mail int
	err := s.Scan(&u.ID, &u.OrganisationID, &u.FirstName, &u.LastName, &u.BirthName, &birth, &u.Phone, &u.Email,
		&sms, &mail, &u.ResponsibleID, &u.AntsPreDemande)
	u.BirthDate, u.NotifySMS, u.NotifyEmail = parseDate(birth), sms == 1, mail == 1
	return u, err
}

// SaveUsager inserts or updates an usager (validated against today's date in the clock's zone).
func (db *DB) SaveUsager(ctx context.Context, u agenda.Usager) (agenda.Usager, error) {
	const op = "store.SaveUsager"
	var out agenda.Usager
	err := db.write(ctx, op, func(tx *txn) error {
		var err error
		out, err = db.saveUsager(ctx, tx, u)
		return err
	})
	return out, err
}

// saveUsager is SaveUsager inside a transaction (Book creates the usager with the RDV). Names are
// saved in NFC (agenda.Usager.Normalized), then validated.
func (db *DB) saveUsager(ctx context.Context, tx *txn, u agenda.Usager) (agenda.Usager, error) {
	u = u.Normalized()
	if err := u.ValidateAt(agenda.DateOf(db.clock.Now())); err != nil {
		return u, agenda.E("store.SaveUsager", agenda.Invalid, err)
	}
	if u.ID == "" {
		u.ID = newID()
	}
	base, err := db.upsert(ctx, tx, "usagers", u.ID,
		[]string{"organisation_id", "first_name", "last_name", "birth_name", "birth_date", "phone", "email", "notify_sms", "notify_email", "responsible_id", "ants_pre_demande"},
		[]any{u.OrganisationID, u.FirstName, u.LastName, u.BirthName, dateStr(u.BirthDate), u.Phone, u.Email, b2i(u.NotifySMS), b2i(u.NotifyEmail), nullStr(u.ResponsibleID), u.AntsPreDemande})
	if err != nil {
		return u, err
	}
	return u, db.enqueue(ctx, tx, u.OrganisationID, EntityUsager, u.ID, OpUpsert, base, u)
}

// GetUsager returns one usager.
func (db *DB) GetUsager(ctx context.Context, id string) (agenda.Usager, error) {
	u, err := scanUsager(db.r.QueryRowContext(ctx, "SELECT "+usagerCols+" FROM usagers u WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("store.GetUsager", "usager", id)
	}
	return u, mapErr("store.GetUsager", err)
}

// SearchUsagers finds usagers by the start of their last name, first name, birth name, e-mail or
// phone number (« dup jea », « hélène », « 06 12 34 », « +33612 », « jean.dupont@ »), best match
// first (last name weighs most). Diacritics and case are ignored. An empty query gives nothing.
func (db *DB) SearchUsagers(ctx context.Context, q string, limit int) ([]agenda.Usager, error) {
	const op = "store.SearchUsagers"
	match := ftsQuery(q)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+usagerCols+` FROM usagers_fts f JOIN usagers u ON u.rowid = f.rowid
		WHERE usagers_fts MATCH ?
		ORDER BY bm25(usagers_fts, 10.0, 5.0, 3.0, 1.0, 1.0), u.last_name, u.first_name, u.id
		LIMIT ?`, match, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, scanUsager)
	return out, mapErr(op, err)
}

// ftsQuery turns what an agent types into an FTS5 query: a phone-looking input (digits, spaces,
// dots, dashes, a leading +) becomes one digit prefix on the phone column, which holds both the
// international and the national form; anything else becomes one prefix term per word, all
// required. Terms are quoted, so FTS5 operators typed by the user are plain text.
func ftsQuery(q string) string {
	// NFC first: an accent typed as a combining mark (« He\u0301lène ») finds « Hélène ».
	q = strings.TrimSpace(norm.NFC.String(q))
	if q == "" {
		return ""
	}
	phoneLike, digits := true, 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '.' || r == '-' || r == '+' || r == '(' || r == ')':
		default:
			phoneLike = false
		}
	}
	if phoneLike && digits > 0 {
		var b strings.Builder
		for _, r := range q {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return `phone : "` + b.String() + `" *`
	}
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	parts := make([]string, 0, len(words))
	for _, w := range words {
		parts = append(parts, `"`+w+`" *`)
	}
	return strings.Join(parts, " AND ")
}

// ---- Receipts (notification log) ----

// Receipt is one notification sent (or tried) about an RDV (reminders.Receipt, shared with the
// central's store).
type Receipt = reminders.Receipt

// AddReceipt logs a notification. CreatedAt defaults to now.
func (db *DB) AddReceipt(ctx context.Context, r Receipt) (Receipt, error) {
	const op = "store.AddReceipt"
	if r.ID == "" {
		r.ID = newID()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = db.now()
	}
	if r.OrganisationID == "" || r.Event == "" {
		return r, agenda.Errorf(op, agenda.Invalid, "organisation et événement obligatoires")
	}
	err := db.write(ctx, op, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO receipts(id, organisation_id, rdv_id, usager_id, event, channel, result, error, provider, count, content, recipient, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.OrganisationID, r.RdvID, r.UsagerID, r.Event, r.Channel, r.Result,
			r.Error, r.Provider, r.Count, r.Content, r.Recipient, ms(r.CreatedAt))
		if err != nil {
			return err
		}
		return db.enqueue(ctx, tx, r.OrganisationID, EntityReceipt, r.ID, OpUpsert, 0, r)
	})
	return r, err
}

// ListReceipts returns the receipts of an RDV, oldest first.
func (db *DB) ListReceipts(ctx context.Context, rdvID string) ([]Receipt, error) {
	const op = "store.ListReceipts"
	rows, err := db.r.QueryContext(ctx, `SELECT id, organisation_id, rdv_id, usager_id, event, channel, result, error, provider, count, content, recipient, created_at
		FROM receipts WHERE rdv_id = ? ORDER BY created_at, id`, rdvID)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, func(s interface{ Scan(...any) error }) (Receipt, error) {
		var r Receipt
		var at int64
		err := s.Scan(&r.ID, &r.OrganisationID, &r.RdvID, &r.UsagerID, &r.Event, &r.Channel, &r.Result, &r.Error, &r.Provider, &r.Count, &r.Content, &r.Recipient, &at)
		r.CreatedAt = fromMS(at)
		return r, err
	})
	return out, mapErr(op, err)
}

// ---- Outbox ----

// OutboxOp is one local change waiting to be (or already) pushed to the central server.
type OutboxOp struct {
	Seq            int64           `json:"seq"`
	OpID           string          `json:"opId"`
	OrganisationID string          `json:"organisationId"`
	Entity         string          `json:"entity"`
	EntityID       string          `json:"entityId"`
	Op             string          `json:"op"`
	Payload        json.RawMessage `json:"payload"`
	BaseVersion    int             `json:"baseVersion"`
	CreatedAt      time.Time       `json:"createdAt"`
	State          string          `json:"state"`  // pending, acked, rejected
	Result         string          `json:"result"` // the central's answer in short: the new version, or the refusal's code
	// NewVersion is the row's version at the central after an accepted op.
	NewVersion int `json:"newVersion,omitempty"`
	// Code and Params say why the central refused the op: the « à traiter » list shows the text
	// of Code (backend/messages) with Params.
	Code   agenda.Code       `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	DoneAt *time.Time        `json:"doneAt,omitempty"`
}

const outboxCols = "seq, op_id, organisation_id, entity, entity_id, op, payload, base_version, created_at, state, result, new_version, code, params, done_at"

func scanOutbox(s interface{ Scan(...any) error }) (OutboxOp, error) {
	var o OutboxOp
	var payload, params string
	var at int64
	var done sql.NullInt64
	err := s.Scan(&o.Seq, &o.OpID, &o.OrganisationID, &o.Entity, &o.EntityID, &o.Op, &payload, &o.BaseVersion, &at, &o.State, &o.Result,
		&o.NewVersion, &o.Code, &params, &done)
	o.Payload, o.CreatedAt, o.DoneAt = json.RawMessage(payload), fromMS(at), ptrMS(done)
	if err == nil && params != "" && params != "{}" {
		if jerr := json.Unmarshal([]byte(params), &o.Params); jerr != nil {
			return o, fmt.Errorf("op %s : paramètres illisibles : %w", o.OpID, jerr)
		}
	}
	return o, err
}

// PendingOutbox returns up to limit pending ops in the order they were written (the push order).
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]OutboxOp, error) {
	return db.PendingOutboxAfter(ctx, 0, limit)
}

// PendingOutboxAfter is PendingOutbox from the op after seq on: the sync client reads its next
// batch while the answers to the previous ones are still being recorded (those ops are pending
// until then). Ops are numbered in the order their transactions commit, so the ops after seq are
// every pending op not read yet.
func (db *DB) PendingOutboxAfter(ctx context.Context, seq int64, limit int) ([]OutboxOp, error) {
	return db.listOutbox(ctx, "store.PendingOutbox", "pending", limit, "AND seq > ?", seq)
}

// RejectedOutbox returns the ops the central refused that no agent has marked treated, oldest
// first, each with its code and params: the « à traiter » list.
func (db *DB) RejectedOutbox(ctx context.Context, limit int) ([]OutboxOp, error) {
	return db.listOutbox(ctx, "store.RejectedOutbox", "rejected", limit, "AND treated_at IS NULL")
}

// DismissRejectedOutbox marks a refused op treated (twice is harmless): it leaves « À traiter »
// and stays in the outbox (nothing the central refused is ever dropped).
func (db *DB) DismissRejectedOutbox(ctx context.Context, opID string) error {
	const op = "store.DismissRejectedOutbox"
	return db.write(ctx, op, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, "UPDATE outbox SET treated_at = coalesce(treated_at, ?) WHERE op_id = ? AND state = 'rejected'", ms(db.now()), opID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return agenda.NotFoundError(op, "op", opID)
		}
		return nil
	})
}

// listOutbox lists the ops in state, oldest first; and narrows it further (a fixed SQL condition
// with its arguments, or "").
func (db *DB) listOutbox(ctx context.Context, op, state string, limit int, and string, args ...any) ([]OutboxOp, error) {
	if limit <= 0 {
		limit = 1000
	}
	args = append(append([]any{state}, args...), limit)
	rows, err := db.r.QueryContext(ctx, "SELECT "+outboxCols+" FROM outbox WHERE state = ? "+and+" ORDER BY seq LIMIT ?", args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, scanOutbox)
	return out, mapErr(op, err)
}

// PendingOutboxCount returns the number of ops not yet acknowledged (the sync badge).
func (db *DB) PendingOutboxCount(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE state = 'pending'").Scan(&n)
	return n, mapErr("store.PendingOutboxCount", err)
}

// HasPendingOps reports whether an entity has local ops not yet acknowledged: the sync client
// must not overwrite such a row with a pulled version (it rebases after the ack).
func (db *DB) HasPendingOps(ctx context.Context, entity, id string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE entity = ? AND entity_id = ? AND state = 'pending'", entity, id).Scan(&n)
	return n > 0, mapErr("store.HasPendingOps", err)
}

// AckOutbox marks an op accepted by the central, which gave the row newVersion. Only a pending
// op changes: acknowledging it again (a replayed push) is harmless. The row itself is not
// touched: the next pull brings the central's version (store/sync.go).
func (db *DB) AckOutbox(ctx context.Context, opID string, newVersion int) error {
	return db.RecordPushResults(ctx, []protocol.Result{{OpID: opID, Accepted: true, NewVersion: newVersion}})
}

// RejectOutbox marks an op refused by the central with its code and params, for the « à traiter »
// list (RejectedOutbox). The op is kept, never dropped.
func (db *DB) RejectOutbox(ctx context.Context, opID string, code agenda.Code, params map[string]string) error {
	return db.RecordPushResults(ctx, []protocol.Result{{OpID: opID, Code: code, Params: params}})
}
