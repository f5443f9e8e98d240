package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
)

// ---- Notification outbox (sql/0002_notifications.sql) ----
//
// The booking transactions (Book, Move, SetStatus, SetParticipationStatus, the collective join)
// call enqueueNotifications with the RDV before and after the change, in their own transaction:
// the messages an usager must receive are written with the change or not at all. Which messages
// a change owes is backend/reminders' business (pure rules, shared with the central server):
// the store loads the facts, calls the planner and writes its Plan. Whether and when they leave
// is the sender's business (backend/notify), which re-checks everything at send time: the rows
// here are intentions, not promises.

// NotificationSettingsKey is the local setting holding the notification settings as JSON. The
// store reads only the reminders.Policy fields; backend/notify keeps SMTP and SMS settings in
// the same object.
const NotificationSettingsKey = reminders.SettingsKey

// loadPolicy reads the policy inside a transaction.
func loadPolicy(ctx context.Context, q querier) (reminders.Policy, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", NotificationSettingsKey).Scan(&raw)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return reminders.Policy{}, err
	}
	p, perr := reminders.ParsePolicy(raw)
	if perr != nil {
		// A damaged setting must not block bookings: fall back to « nothing is sent ».
		return reminders.DefaultPolicy(), nil
	}
	return p, nil
}

const notifCols = `id, organisation_id, rdv_id, usager_id, event, variant, channel, rdv_version, idem_key, recipient,
	starts_at, due_at, by_self, state, attempts, attempt_id, claimed_at, last_error, done_at, created_at`

func scanNotification(s interface{ Scan(...any) error }) (reminders.Notification, error) {
	var n reminders.Notification
	var start, due, created int64
	var self int
	var claimed, done sql.NullInt64
	err := s.Scan(&n.ID, &n.OrganisationID, &n.RdvID, &n.UsagerID, &n.Event, &n.Variant, &n.Channel, &n.RdvVersion, &n.Key,
		&n.Recipient, &start, &due, &self, &n.State, &n.Attempts, &n.AttemptID, &claimed, &n.LastError, &done, &created)
	n.StartsAt, n.DueAt, n.CreatedAt, n.BySelf = fromMS(start), fromMS(due), fromMS(created), self == 1
	n.ClaimedAt, n.DoneAt = ptrMS(claimed), ptrMS(done)
	return n, err
}

// contactOf reads where an usager can be reached. A proche without contact details of its own is
// reached through its responsible (up to two levels), whose choices then apply.
func contactOf(ctx context.Context, q querier, usagerID string) (reminders.Contact, error) {
	for range 3 { // usager, responsible, responsible's responsible at most
		var c reminders.Contact
		var sms, mail int
		var resp string
		err := q.QueryRowContext(ctx, "SELECT phone, email, notify_sms, notify_email, coalesce(responsible_id, '') FROM usagers WHERE id = ?", usagerID).
			Scan(&c.Phone, &c.Email, &sms, &mail, &resp)
		if errors.Is(err, sql.ErrNoRows) {
			return reminders.Contact{}, nil
		}
		if err != nil {
			return reminders.Contact{}, err
		}
		c.SMS, c.Mail = sms == 1, mail == 1
		if c.Phone == "" && c.Email == "" && resp != "" {
			usagerID = resp
			continue
		}
		return c, nil
	}
	return reminders.Contact{}, nil
}

// ContactFor resolves the current address of an usager on a channel ("" = none or opted out):
// the sender re-checks it at send time, as the usager may have opted out since.
func (db *DB) ContactFor(ctx context.Context, usagerID string, channel reminders.Channel) (string, error) {
	c, err := contactOf(ctx, db.r, usagerID)
	if err != nil {
		return "", mapErr("store.ContactFor", err)
	}
	return c.Recipient(channel), nil
}

// plannerInput loads, in tx, what the planner needs to know of rdv: the policy, the
// organisation's zone, the contacts of usagers (through their responsibles) and the messages
// already written for the RDV.
func plannerInput(ctx context.Context, tx *txn, rdv agenda.Rdv, usagers []string, now time.Time) (reminders.Input, error) {
	in := reminders.Input{After: rdv, Now: now, Contacts: make(map[string]reminders.Contact, len(usagers))}
	var err error
	if in.Policy, err = loadPolicy(ctx, tx); err != nil {
		return in, err
	}
	if in.Location, err = rdvLocation(ctx, tx, rdv); err != nil {
		return in, err
	}
	for _, u := range usagers {
		if in.Contacts[u], err = contactOf(ctx, tx, u); err != nil {
			return in, err
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT usager_id, event, variant, channel, state FROM notifications WHERE rdv_id = ?", rdv.ID)
	if err != nil {
		return in, err
	}
	in.Existing, err = collect(rows, func(s interface{ Scan(...any) error }) (reminders.Existing, error) {
		var e reminders.Existing
		err := s.Scan(&e.UsagerID, &e.Event, &e.Variant, &e.Channel, &e.State)
		return e, err
	})
	return in, err
}

func participants(rdv agenda.Rdv) []string {
	out := make([]string, len(rdv.Participations))
	for i, p := range rdv.Participations {
		out[i] = p.UsagerID
	}
	return out
}

// writePlan writes plan for rdv in tx: its cancellations, then its messages (no-op for a key
// that exists). It returns how many messages were written.
func writePlan(ctx context.Context, tx *txn, rdv agenda.Rdv, plan reminders.Plan, now time.Time) (int, error) {
	for _, c := range plan.Cancellations {
		ev, _ := json.Marshal(c.Events)
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET state = 'cancelled', last_error = ?, done_at = ?
			WHERE rdv_id = ? AND usager_id = ? AND state = 'pending' AND (? = '' OR channel = ?)
			  AND event IN (SELECT value FROM json_each(?))`, c.Text, ms(now), rdv.ID, c.UsagerID, c.Channel, c.Channel, string(ev))
		if err != nil {
			return 0, err
		}
	}
	written := 0
	for _, m := range plan.Messages {
		res, err := tx.ExecContext(ctx, `INSERT INTO notifications(id, organisation_id, rdv_id, usager_id, event, variant, channel,
			rdv_version, idem_key, recipient, starts_at, due_at, by_self, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(idem_key) DO NOTHING`,
			newID(), rdv.OrganisationID, rdv.ID, m.UsagerID, m.Event, m.Variant, m.Channel, m.RdvVersion,
			m.Key, m.Recipient, ms(m.StartsAt), ms(m.DueAt), b2i(m.BySelf), ms(now))
		if err != nil {
			return written, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			written++
		}
	}
	return written, nil
}

// enqueueNotifications writes, in tx, the messages that the change from before (nil for a new
// RDV) to after owes each usager, and cancels those it makes obsolete: the messages are written
// with the change or not at all. The rules are reminders.ForChange's. An online booking's
// messages leave from the central, not from here (reminders.SiteOf).
func (db *DB) enqueueNotifications(ctx context.Context, tx *txn, before *agenda.Rdv, after agenda.Rdv, by agenda.Actor, now time.Time) error {
	concerned := reminders.Concerned(before, after)
	if len(concerned) == 0 || reminders.SiteOf(after) != reminders.SiteOffice {
		return nil
	}
	in, err := plannerInput(ctx, tx, after, concerned, now)
	if err != nil {
		return err
	}
	in.Before, in.By = before, by
	_, err = writePlan(ctx, tx, after, reminders.ForChange(in), now)
	return err
}

// ResendReminder is the agent's « Renvoyer le rappel »: one more reminder, due now (SMS after the
// quiet hours), for each usager of the RDV on each channel they can be reached on. It returns how
// many messages were written. A reminder already waiting to leave is not doubled. The rules and
// refusals are reminders.ForResend's.
func (db *DB) ResendReminder(ctx context.Context, rdvID string, by agenda.Actor) (int, error) {
	const op = "store.ResendReminder"
	var written int
	err := db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		rdv, err := getRdv(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		in, err := plannerInput(ctx, tx, rdv, participants(rdv), now)
		if err != nil {
			return err
		}
		in.By = by
		plan, err := reminders.ForResend(in)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		if written, err = writePlan(ctx, tx, rdv, plan, now); err != nil {
			return err
		}
		if written == 0 {
			return agenda.Fail(op, agenda.CodeNothingToRemind)
		}
		return nil
	})
	return written, err
}

// ---- The sender's side ----

// DueNotifications returns up to limit pending messages due at or before at whose RDV had not
// started at that instant, oldest due first.
func (db *DB) DueNotifications(ctx context.Context, at time.Time, limit int) ([]reminders.Notification, error) {
	const op = "store.DueNotifications"
	if limit <= 0 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, "SELECT "+notifCols+` FROM notifications
		WHERE state = 'pending' AND due_at <= ? AND starts_at > ? ORDER BY due_at, id LIMIT ?`, ms(at), ms(at), limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, scanNotification)
	return out, mapErr(op, err)
}

// PendingNotifications returns every pending message, due or not (what the sender will send
// later), oldest due first.
func (db *DB) PendingNotifications(ctx context.Context, limit int) ([]reminders.Notification, error) {
	const op = "store.PendingNotifications"
	if limit <= 0 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, "SELECT "+notifCols+" FROM notifications WHERE state = 'pending' ORDER BY due_at, id LIMIT ?", limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, scanNotification)
	return out, mapErr(op, err)
}

// RdvNotifications returns the messages of an RDV, in the order they were written.
func (db *DB) RdvNotifications(ctx context.Context, rdvID string) ([]reminders.Notification, error) {
	const op = "store.RdvNotifications"
	rows, err := db.r.QueryContext(ctx, "SELECT "+notifCols+" FROM notifications WHERE rdv_id = ? ORDER BY created_at, due_at, id", rdvID)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, scanNotification)
	return out, mapErr(op, err)
}

// ClaimNotification marks a pending, due message as being sent by attemptID, and commits, before
// anything leaves: of two senders (two processes on one file), one wins; a sender that dies
// after this point leaves a trace (state sending) that RecoverStaleNotifications resolves without
// sending again. ok is false when the message is no longer pending or not due.
func (db *DB) ClaimNotification(ctx context.Context, id, attemptID string) (n reminders.Notification, ok bool, err error) {
	const op = "store.ClaimNotification"
	err = db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET state = 'sending', attempt_id = ?, claimed_at = ?, attempts = attempts + 1
			WHERE id = ? AND state = 'pending' AND due_at <= ?`, attemptID, ms(now), id, ms(now))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		ok = true
		n, err = scanNotification(tx.QueryRowContext(ctx, "SELECT "+notifCols+" FROM notifications WHERE id = ?", id))
		return err
	})
	return n, ok, err
}

// ExpireNotifications cancels the pending messages whose RDV started before at (they were due
// while no sender ran): they will never leave, and the RDV's message list should say why.
func (db *DB) ExpireNotifications(ctx context.Context, at time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "store.ExpireNotifications", func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET state = 'cancelled', last_error = ?, done_at = ?
			WHERE state = 'pending' AND starts_at <= ?`, reminders.ReasonExpired.Text(), ms(db.now()), ms(at))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// DeferNotification moves a pending message to a later due time (quiet hours), without counting
// an attempt.
func (db *DB) DeferNotification(ctx context.Context, id string, until time.Time) error {
	return db.write(ctx, "store.DeferNotification", func(tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE notifications SET due_at = ? WHERE id = ? AND state = 'pending'", ms(until), id)
		return err
	})
}

// Outcome is how an attempt ended (reminders.Outcome).
type Outcome = reminders.Outcome

// ErrAttemptLost is the cause of FinishNotification's Conflict when the attempt no longer owns the
// message.
var ErrAttemptLost = reminders.ErrAttemptLost

// FinishNotification records the outcome of attemptID and its receipt in one transaction.
func (db *DB) FinishNotification(ctx context.Context, id, attemptID string, o Outcome) error {
	const op = "store.FinishNotification"
	switch o.State {
	case reminders.StateSent, reminders.StateFailed, reminders.StateCancelled, reminders.StateUncertain, reminders.StatePending:
	default:
		return agenda.Errorf(op, agenda.Invalid, "état %q inconnu", o.State)
	}
	return db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		var done any = ms(now)
		due := sql.NullInt64{}
		if o.State == reminders.StatePending {
			done, due = nil, sql.NullInt64{Int64: ms(o.RetryAt), Valid: true}
		}
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET state = ?, last_error = ?, done_at = ?,
			due_at = coalesce(?, due_at), recipient = CASE WHEN ? = '' THEN recipient ELSE ? END
			WHERE id = ? AND attempt_id = ? AND state = 'sending'`,
			o.State, o.Error, done, due, o.Recipient, o.Recipient, id, attemptID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return agenda.E(op, agenda.Conflict, ErrAttemptLost)
		}
		if o.Receipt != nil {
			return db.insertReceipt(ctx, tx, *o.Receipt, now)
		}
		return nil
	})
}

// SkipNotification cancels a pending message that will not be sent (channel switched off, …).
func (db *DB) SkipNotification(ctx context.Context, id, reason string) error {
	return db.write(ctx, "store.SkipNotification", func(tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE notifications SET state = 'cancelled', last_error = ?, done_at = ? WHERE id = ? AND state = 'pending'",
			reason, ms(db.now()), id)
		return err
	})
}

// RecoverStaleNotifications resolves the messages claimed before staleBefore and never recorded
// (the sender died, or the machine stopped, between claiming and recording): they become
// uncertain, with a receipt saying so, and are NOT sent again. The provider may or may not have
// received them; sending twice a « RDV confirmé » costs the usager's trust and the office money,
// losing one costs a reminder: at-most-once is the lesser evil. It returns how many rows it
// resolved.
func (db *DB) RecoverStaleNotifications(ctx context.Context, staleBefore time.Time, provider func(channel string) string) (int, error) {
	const op = "store.RecoverStaleNotifications"
	var n int
	err := db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		rows, err := tx.QueryContext(ctx, "SELECT "+notifCols+" FROM notifications WHERE state = 'sending' AND claimed_at < ?", ms(staleBefore))
		if err != nil {
			return err
		}
		stale, err := collect(rows, scanNotification)
		if err != nil {
			return err
		}
		msg := reminders.ReasonInterrupted.Text()
		for _, s := range stale {
			if _, err := tx.ExecContext(ctx, "UPDATE notifications SET state = 'uncertain', last_error = ?, done_at = ? WHERE id = ? AND state = 'sending'",
				msg, ms(now), s.ID); err != nil {
				return err
			}
			prov := ""
			if provider != nil {
				prov = provider(s.Channel)
			}
			if err := db.insertReceipt(ctx, tx, Receipt{OrganisationID: s.OrganisationID, RdvID: s.RdvID, UsagerID: s.UsagerID,
				Event: reminders.ReceiptEvent(s.Event), Channel: reminders.ReceiptChannel(s.Channel), Result: "processed", Error: msg, Provider: prov,
				Recipient: s.Recipient}, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// insertReceipt is AddReceipt inside a transaction (with its outbox op).
func (db *DB) insertReceipt(ctx context.Context, tx *txn, r Receipt, now time.Time) error {
	if r.ID == "" {
		r.ID = newID()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO receipts(id, organisation_id, rdv_id, usager_id, event, channel, result, error, provider, count, content, recipient, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.OrganisationID, r.RdvID, r.UsagerID, r.Event, r.Channel, r.Result,
		r.Error, r.Provider, r.Count, r.Content, r.Recipient, ms(r.CreatedAt))
	if err != nil {
		return err
	}
	return db.enqueue(ctx, tx, r.OrganisationID, EntityReceipt, r.ID, OpUpsert, 0, r)
}
