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
)

// ---- Notification outbox (sql/0002_notifications.sql) ----
//
// The booking transactions (Book, Move, SetStatus, SetParticipationStatus, the collective join)
// call enqueueNotifications with the RDV before and after the change, in their own transaction:
// the messages an usager must receive are written with the change or not at all. Whether and
// when they leave is the sender's business (backend/notify), which re-checks everything at send
// time: the rows here are intentions, not promises.

// Notification events, as the CLI and the UI name them.
const (
	EventConfirmation = "confirmation"
	EventModification = "modification"
	EventRappel       = "rappel"
	EventAnnulation   = "annulation"
)

// Notification channels.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Notification states. pending → sending → sent | failed | pending (retry later); pending →
// cancelled (superseded, RDV cancelled, opted out…); sending → uncertain when the sender died
// between claiming and recording: never sent again (at-most-once).
const (
	NotifPending   = "pending"
	NotifSending   = "sending"
	NotifSent      = "sent"
	NotifFailed    = "failed"
	NotifCancelled = "cancelled"
	NotifUncertain = "uncertain"
)

// VariantSameDay marks the optional SMS sent on the RDV's day; manual reminders are "manuel-N".
const VariantSameDay = "jour"

// NotificationSettingsKey is the local setting holding the notification settings as JSON. The
// store reads only the NotificationPolicy fields; backend/notify keeps SMTP and SMS settings in
// the same object.
const NotificationSettingsKey = "notifications"

// NotificationPolicy is what the booking transaction needs to know to write messages: which
// channels are on, when reminders leave, and the quiet hours of SMS.
type NotificationPolicy struct {
	EmailEnabled bool `json:"emailEnabled"`
	SMSEnabled   bool `json:"smsEnabled"`
	// ReminderHours before the RDV the reminder leaves (48 by default, as RDV Service Public).
	ReminderHours int `json:"reminderHours"`
	// MinReminderHours: an RDV booked less than ReminderHours ahead gets its reminder at once,
	// unless it starts within MinReminderHours (then the confirmation is reminder enough).
	MinReminderHours int `json:"minReminderHours"`
	// SameDaySMS adds an SMS SameDayHours before the RDV, on its day.
	SameDaySMS   bool `json:"sameDaySms"`
	SameDayHours int  `json:"sameDayHours"`
	// No SMS leaves between QuietStart and QuietEnd (local time of the organisation): they are
	// delayed to QuietEnd. Equal values disable quiet hours.
	QuietStart agenda.ClockTime `json:"quietStart"`
	QuietEnd   agenda.ClockTime `json:"quietEnd"`
}

// DefaultNotificationPolicy is the policy of a new installation: both channels off until the
// office configures them (an offline desktop has no SMTP server or SMS account by default).
func DefaultNotificationPolicy() NotificationPolicy {
	return NotificationPolicy{ReminderHours: 48, MinReminderHours: 24, SameDayHours: 3,
		QuietStart: agenda.Clk(20, 0), QuietEnd: agenda.Clk(8, 0)}
}

// ParseNotificationPolicy reads the policy out of the settings JSON; missing fields keep their
// default.
func ParseNotificationPolicy(raw string) (NotificationPolicy, error) {
	p := DefaultNotificationPolicy()
	if raw == "" {
		return p, nil
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return DefaultNotificationPolicy(), fmt.Errorf("réglages de notification illisibles : %w", err)
	}
	return p, nil
}

func (p NotificationPolicy) reminder() time.Duration {
	if p.ReminderHours <= 0 {
		return 48 * time.Hour
	}
	return time.Duration(p.ReminderHours) * time.Hour
}

// QuietUntil returns the end of the quiet period t falls in (in loc), and whether it does.
func (p NotificationPolicy) QuietUntil(t time.Time, loc *time.Location) (time.Time, bool) {
	if p.QuietStart == p.QuietEnd {
		return t, false
	}
	lt := t.In(loc)
	day := agenda.DateOf(lt)
	m := agenda.ClockTime(lt.Hour()*60 + lt.Minute())
	if p.QuietStart < p.QuietEnd { // e.g. 00:00–07:00
		if m >= p.QuietStart && m < p.QuietEnd {
			return day.At(p.QuietEnd, loc), true
		}
		return t, false
	}
	switch { // e.g. 20:00–08:00, across midnight
	case m >= p.QuietStart:
		return day.AddDays(1).At(p.QuietEnd, loc), true
	case m < p.QuietEnd:
		return day.At(p.QuietEnd, loc), true
	}
	return t, false
}

// loadPolicy reads the policy inside a transaction.
func loadPolicy(ctx context.Context, q querier) (NotificationPolicy, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", NotificationSettingsKey).Scan(&raw)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return NotificationPolicy{}, err
	}
	p, perr := ParseNotificationPolicy(raw)
	if perr != nil {
		// A damaged setting must not block bookings: fall back to « nothing is sent ».
		return DefaultNotificationPolicy(), nil
	}
	return p, nil
}

// Notification is one message to one usager on one channel.
type Notification struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisationId"`
	RdvID          string     `json:"rdvId"`
	UsagerID       string     `json:"usagerId"`
	Event          string     `json:"event"`
	Variant        string     `json:"variant,omitempty"`
	Channel        string     `json:"channel"`
	RdvVersion     int        `json:"rdvVersion"`
	Key            string     `json:"key"`
	Recipient      string     `json:"recipient"`
	StartsAt       time.Time  `json:"startsAt"`
	DueAt          time.Time  `json:"dueAt"`
	BySelf         bool       `json:"bySelf"`
	State          string     `json:"state"`
	Attempts       int        `json:"attempts"`
	AttemptID      string     `json:"attemptId,omitempty"`
	ClaimedAt      *time.Time `json:"claimedAt,omitempty"`
	LastError      string     `json:"lastError,omitempty"`
	DoneAt         *time.Time `json:"doneAt,omitempty"`
	CreatedAt      time.Time  `json:"createdAt"`
}

const notifCols = `id, organisation_id, rdv_id, usager_id, event, variant, channel, rdv_version, idem_key, recipient,
	starts_at, due_at, by_self, state, attempts, attempt_id, claimed_at, last_error, done_at, created_at`

func scanNotification(s interface{ Scan(...any) error }) (Notification, error) {
	var n Notification
	var start, due, created int64
	var self int
	var claimed, done sql.NullInt64
	err := s.Scan(&n.ID, &n.OrganisationID, &n.RdvID, &n.UsagerID, &n.Event, &n.Variant, &n.Channel, &n.RdvVersion, &n.Key,
		&n.Recipient, &start, &due, &self, &n.State, &n.Attempts, &n.AttemptID, &claimed, &n.LastError, &done, &created)
	n.StartsAt, n.DueAt, n.CreatedAt, n.BySelf = fromMS(start), fromMS(due), fromMS(created), self == 1
	n.ClaimedAt, n.DoneAt = ptrMS(claimed), ptrMS(done)
	return n, err
}

// NotificationKey is the idempotency key of a message: the same intention written twice (a
// replayed transaction, a retried hook) is one row.
func NotificationKey(rdvID, usagerID, event, variant, channel string, version int) string {
	ev := event
	if variant != "" {
		ev += "-" + variant
	}
	return fmt.Sprintf("%s/%s/%s/%s/v%d", rdvID, usagerID, ev, channel, version)
}

// contact is where an usager can be reached. A proche without contact details of its own is
// reached through its responsible, whose choices then apply.
type contact struct {
	phone, email string
	sms, mail    bool
}

func contactOf(ctx context.Context, q querier, usagerID string) (contact, error) {
	for range 3 { // usager, responsible, responsible's responsible at most
		var c contact
		var sms, mail int
		var resp string
		err := q.QueryRowContext(ctx, "SELECT phone, email, notify_sms, notify_email, coalesce(responsible_id, '') FROM usagers WHERE id = ?", usagerID).
			Scan(&c.phone, &c.email, &sms, &mail, &resp)
		if errors.Is(err, sql.ErrNoRows) {
			return contact{}, nil
		}
		if err != nil {
			return contact{}, err
		}
		c.sms, c.mail = sms == 1, mail == 1
		if c.phone == "" && c.email == "" && resp != "" {
			usagerID = resp
			continue
		}
		return c, nil
	}
	return contact{}, nil
}

// recipient returns the address of channel for c, "" when the usager cannot or does not want to
// be reached there. SMS go to mobiles only (metropolitan and overseas French plans).
func (c contact) recipient(channel string) string {
	switch channel {
	case ChannelSMS:
		if c.sms && agenda.IsFrenchMobile(c.phone) {
			return c.phone
		}
	case ChannelEmail:
		if c.mail && strings.Contains(c.email, "@") {
			return c.email
		}
	}
	return ""
}

// ContactFor resolves the current address of an usager on a channel ("" = none or opted out):
// the sender re-checks it at send time, as the usager may have opted out since.
func (db *DB) ContactFor(ctx context.Context, usagerID, channel string) (string, error) {
	c, err := contactOf(ctx, db.r, usagerID)
	if err != nil {
		return "", mapErr("store.ContactFor", err)
	}
	return c.recipient(channel), nil
}

func (p NotificationPolicy) channels() []string {
	var out []string
	if p.EmailEnabled {
		out = append(out, ChannelEmail)
	}
	if p.SMSEnabled {
		out = append(out, ChannelSMS)
	}
	return out
}

// notifier writes the messages of one change inside its transaction.
type notifier struct {
	db     *DB
	tx     *txn
	policy NotificationPolicy
	loc    *time.Location
	rdv    agenda.Rdv
	now    time.Time
	self   bool
}

// enqueueNotifications writes, in tx, the messages that the change from before (nil for a new
// RDV) to after owes each usager, and cancels those it makes obsolete:
//
//   - a participation becoming active (booking, joining a session, back from cancelled):
//     confirmation, plus the reminder(s);
//   - an active participation whose RDV moved (start or lieu): modification (or a fresh
//     confirmation when the first one has not left yet), and the reminders recomputed;
//   - a participation cancelled (excused or revoked): pending messages cancelled, and an
//     annulation on each channel where something had already been sent (nothing when the
//     usager never heard of the RDV); by SMS only when the service cancelled;
//   - seen / noshow: pending reminders cancelled.
//
// Nothing is written for an RDV that has started.
func (db *DB) enqueueNotifications(ctx context.Context, tx *txn, before *agenda.Rdv, after agenda.Rdv, by agenda.Actor, now time.Time) error {
	p, err := loadPolicy(ctx, tx)
	if err != nil {
		return err
	}
	loc, err := rdvLocation(ctx, tx, after)
	if err != nil {
		return err
	}
	n := &notifier{db: db, tx: tx, policy: p, loc: loc, rdv: after, now: now, self: by.SelfService()}
	for _, part := range after.Participations {
		isActive := !after.Status.Cancelled() && !part.Status.Cancelled()
		wasActive := false
		var old agenda.Participation
		if before != nil {
			for _, q := range before.Participations {
				if q.UsagerID == part.UsagerID {
					old, wasActive = q, !before.Status.Cancelled() && !q.Status.Cancelled()
				}
			}
		}
		switch {
		case !wasActive && isActive:
			err = n.activated(ctx, part)
		case wasActive && isActive && (!before.StartsAt.Equal(after.StartsAt) || before.LieuID != after.LieuID):
			err = n.moved(ctx, part)
		case wasActive && !isActive:
			err = n.cancelled(ctx, part)
		case isActive && part.Status != agenda.StatusUnknown && old.Status == agenda.StatusUnknown:
			err = n.cancelPending(ctx, part.UsagerID, "", "rendez-vous renseigné", EventRappel)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (n *notifier) future() bool {
	return n.now.Before(n.rdv.StartsAt) && n.rdv.Status == agenda.StatusUnknown
}

func (n *notifier) activated(ctx context.Context, part agenda.Participation) error {
	if !n.future() || part.Status != agenda.StatusUnknown {
		return nil
	}
	c, err := contactOf(ctx, n.tx, part.UsagerID)
	if err != nil {
		return err
	}
	for _, ch := range n.policy.channels() {
		to := c.recipient(ch)
		if to == "" {
			continue
		}
		if err := n.add(ctx, part.UsagerID, EventConfirmation, "", ch, to, n.now); err != nil {
			return err
		}
		if err := n.reminders(ctx, part.UsagerID, ch, to); err != nil {
			return err
		}
	}
	return nil
}

func (n *notifier) moved(ctx context.Context, part agenda.Participation) error {
	c, err := contactOf(ctx, n.tx, part.UsagerID)
	if err != nil {
		return err
	}
	for _, ch := range []string{ChannelEmail, ChannelSMS} {
		confPending, err := n.count(ctx, part.UsagerID, ch, "event = 'confirmation' AND state = 'pending'")
		if err != nil {
			return err
		}
		reason := fmt.Sprintf("remplacé : rendez-vous déplacé (version %d)", n.rdv.Version)
		if err := n.cancelPending(ctx, part.UsagerID, ch, reason, EventConfirmation, EventModification, EventRappel); err != nil {
			return err
		}
		to := c.recipient(ch)
		if to == "" || !n.future() || !n.enabled(ch) {
			continue
		}
		ev := EventModification
		if confPending > 0 {
			ev = EventConfirmation // the usager has not heard of the old time: confirm the new one
		}
		if err := n.add(ctx, part.UsagerID, ev, "", ch, to, n.now); err != nil {
			return err
		}
		if err := n.reminders(ctx, part.UsagerID, ch, to); err != nil {
			return err
		}
	}
	return nil
}

func (n *notifier) cancelled(ctx context.Context, part agenda.Participation) error {
	c, err := contactOf(ctx, n.tx, part.UsagerID)
	if err != nil {
		return err
	}
	for _, ch := range []string{ChannelEmail, ChannelSMS} {
		if err := n.cancelPending(ctx, part.UsagerID, ch, "rendez-vous annulé", EventConfirmation, EventModification, EventRappel); err != nil {
			return err
		}
		sent, err := n.count(ctx, part.UsagerID, ch, "event <> 'annulation' AND state IN ('sent', 'sending', 'uncertain')")
		if err != nil {
			return err
		}
		to := c.recipient(ch)
		if sent == 0 || to == "" || !n.enabled(ch) || !n.now.Before(n.rdv.StartsAt) || (ch == ChannelSMS && n.self) {
			continue
		}
		if err := n.add(ctx, part.UsagerID, EventAnnulation, "", ch, to, n.now); err != nil {
			return err
		}
	}
	return nil
}

// eachRecipient calls fn for every participation that keep accepts and every enabled channel on
// which its usager (or their responsible) can be reached.
func (n *notifier) eachRecipient(ctx context.Context, keep func(agenda.Participation) bool, fn func(usagerID, ch, to string) error) error {
	for _, part := range n.rdv.Participations {
		if !keep(part) {
			continue
		}
		c, err := contactOf(ctx, n.tx, part.UsagerID)
		if err != nil {
			return err
		}
		for _, ch := range n.policy.channels() {
			if to := c.recipient(ch); to != "" {
				if err := fn(part.UsagerID, ch, to); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (n *notifier) enabled(ch string) bool {
	return (ch == ChannelEmail && n.policy.EmailEnabled) || (ch == ChannelSMS && n.policy.SMSEnabled)
}

// reminders writes the reminder of one usager on one channel, and the same-day SMS.
func (n *notifier) reminders(ctx context.Context, usagerID, ch, to string) error {
	start := n.rdv.StartsAt
	due := start.Add(-n.policy.reminder())
	if due.Before(n.now) {
		// Booked inside the delay: remind at once, unless the RDV is too close for it to matter.
		if start.Sub(n.now) < time.Duration(n.policy.MinReminderHours)*time.Hour {
			due = time.Time{}
		} else {
			due = n.now
		}
	}
	if !due.IsZero() {
		if err := n.add(ctx, usagerID, EventRappel, "", ch, to, due); err != nil {
			return err
		}
	}
	if ch == ChannelSMS && n.policy.SameDaySMS {
		d := start.Add(-time.Duration(max(n.policy.SameDayHours, 0)) * time.Hour)
		if !d.Before(n.now) && agenda.DateOf(d.In(n.loc)) == agenda.DateOf(start.In(n.loc)) {
			return n.add(ctx, usagerID, EventRappel, VariantSameDay, ch, to, d)
		}
	}
	return nil
}

// add writes one message (no-op when its idempotency key exists). SMS due in the quiet hours are
// delayed to their end; a message that could then only leave after the RDV's start is dropped.
func (n *notifier) add(ctx context.Context, usagerID, event, variant, ch, to string, due time.Time) error {
	_, err := n.insert(ctx, usagerID, event, variant, ch, to, due)
	return err
}

// insert is add, telling whether a row was written.
func (n *notifier) insert(ctx context.Context, usagerID, event, variant, ch, to string, due time.Time) (bool, error) {
	if ch == ChannelSMS {
		if end, quiet := n.policy.QuietUntil(due, n.loc); quiet {
			due = end
		}
	}
	if !due.Before(n.rdv.StartsAt) {
		return false, nil
	}
	res, err := n.tx.ExecContext(ctx, `INSERT INTO notifications(id, organisation_id, rdv_id, usager_id, event, variant, channel,
		rdv_version, idem_key, recipient, starts_at, due_at, by_self, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(idem_key) DO NOTHING`,
		newID(), n.rdv.OrganisationID, n.rdv.ID, usagerID, event, variant, ch, n.rdv.Version,
		NotificationKey(n.rdv.ID, usagerID, event, variant, ch, n.rdv.Version), to, ms(n.rdv.StartsAt), ms(due), b2i(n.self), ms(n.now))
	if err != nil {
		return false, err
	}
	k, _ := res.RowsAffected()
	return k > 0, nil
}

func (n *notifier) count(ctx context.Context, usagerID, ch, where string) (int, error) {
	var c int
	err := n.tx.QueryRowContext(ctx, "SELECT count(*) FROM notifications WHERE rdv_id = ? AND usager_id = ? AND channel = ? AND "+where,
		n.rdv.ID, usagerID, ch).Scan(&c)
	return c, err
}

// cancelPending cancels the pending messages of these events (ch "" = every channel).
func (n *notifier) cancelPending(ctx context.Context, usagerID, ch, reason string, events ...string) error {
	ev, _ := json.Marshal(events)
	_, err := n.tx.ExecContext(ctx, `UPDATE notifications SET state = 'cancelled', last_error = ?, done_at = ?
		WHERE rdv_id = ? AND usager_id = ? AND state = 'pending' AND (? = '' OR channel = ?)
		  AND event IN (SELECT value FROM json_each(?))`, reason, ms(n.now), n.rdv.ID, usagerID, ch, ch, string(ev))
	return err
}

// ResendReminder is the agent's « Renvoyer le rappel »: one more reminder, due now (SMS after the
// quiet hours), for each usager of the RDV on each channel they can be reached on. It returns how
// many messages were written. A reminder already waiting to leave is not doubled.
func (db *DB) ResendReminder(ctx context.Context, rdvID string, by agenda.Actor) (int, error) {
	const op = "store.ResendReminder"
	var written int
	err := db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		rdv, err := getRdv(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		if rdv.Status.Cancelled() {
			return agenda.Fail(op, agenda.CodeRdvCancelled)
		}
		if rdv.Started(now) {
			return agenda.Fail(op, agenda.CodeReminderTooLate)
		}
		p, err := loadPolicy(ctx, tx)
		if err != nil {
			return err
		}
		if len(p.channels()) == 0 {
			return agenda.Fail(op, agenda.CodeNoChannel)
		}
		loc, err := rdvLocation(ctx, tx, rdv)
		if err != nil {
			return err
		}
		n := &notifier{db: db, tx: tx, policy: p, loc: loc, rdv: rdv, now: now, self: by.SelfService()}
		active := func(part agenda.Participation) bool { return !part.Status.Cancelled() }
		err = n.eachRecipient(ctx, active, func(usagerID, ch, to string) error {
			waiting, err := n.count(ctx, usagerID, ch, "event = 'rappel' AND variant LIKE 'manuel-%' AND state IN ('pending', 'sending')")
			if err != nil || waiting > 0 {
				return err
			}
			k, err := n.count(ctx, usagerID, ch, "event = 'rappel' AND variant LIKE 'manuel-%'")
			if err != nil {
				return err
			}
			ok, err := n.insert(ctx, usagerID, EventRappel, fmt.Sprintf("manuel-%d", k+1), ch, to, now)
			if ok {
				written++
			}
			return err
		})
		if err != nil {
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
func (db *DB) DueNotifications(ctx context.Context, at time.Time, limit int) ([]Notification, error) {
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
func (db *DB) PendingNotifications(ctx context.Context, limit int) ([]Notification, error) {
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
func (db *DB) RdvNotifications(ctx context.Context, rdvID string) ([]Notification, error) {
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
func (db *DB) ClaimNotification(ctx context.Context, id, attemptID string) (n Notification, ok bool, err error) {
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
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET state = 'cancelled', last_error = 'rendez-vous commencé avant l''envoi', done_at = ?
			WHERE state = 'pending' AND starts_at <= ?`, ms(db.now()), ms(at))
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

// Outcome is how an attempt ended.
type Outcome struct {
	State   string    // sent, failed, cancelled, uncertain, or pending (retry at RetryAt)
	Error   string    // why (French, shown in the RDV's message list)
	RetryAt time.Time // for State pending
	// Recipient, when not empty, replaces the stored one (the usager changed their number).
	Recipient string
	// Receipt, when not nil, is logged with the outcome, in the same transaction.
	Receipt *Receipt
}

// ErrAttemptLost is the cause of FinishNotification's Conflict when the attempt no longer owns the
// message (it was resolved as uncertain meanwhile, after a pause longer than the stale delay).
var ErrAttemptLost = errors.New("cet envoi a été repris par un autre poste ou déclaré incertain")

// FinishNotification records the outcome of attemptID and its receipt in one transaction.
func (db *DB) FinishNotification(ctx context.Context, id, attemptID string, o Outcome) error {
	const op = "store.FinishNotification"
	switch o.State {
	case NotifSent, NotifFailed, NotifCancelled, NotifUncertain, NotifPending:
	default:
		return agenda.Errorf(op, agenda.Invalid, "état %q inconnu", o.State)
	}
	return db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		var done any = ms(now)
		due := sql.NullInt64{}
		if o.State == NotifPending {
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
		const msg = "envoi interrompu (arrêt du poste pendant l'envoi) : résultat inconnu, non renvoyé"
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
				Event: ReceiptEvent(s.Event), Channel: ReceiptChannel(s.Channel), Result: "processed", Error: msg, Provider: prov,
				Recipient: s.Recipient}, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// ReceiptEvent maps a notification event to RDV Service Public's receipt event names.
func ReceiptEvent(event string) string {
	switch event {
	case EventConfirmation:
		return "rdv_created"
	case EventModification:
		return "rdv_updated"
	case EventRappel:
		return "rdv_upcoming_reminder"
	case EventAnnulation:
		return "rdv_cancelled"
	}
	return event
}

// ReceiptChannel maps a notification channel to the receipts' channel names (email is "mail").
func ReceiptChannel(ch string) string {
	if ch == ChannelEmail {
		return "mail"
	}
	return ch
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
