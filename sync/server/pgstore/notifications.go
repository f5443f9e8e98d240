package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
	"rdvguichet/sync/protocol"

	"github.com/jackc/pgx/v5"
)

// The central's notification outbox (sql/0004): the messages of the RDVs whose messages leave
// from the central (reminders.SiteOf: online bookings), planned by the office's planner
// (reminders.ForChange) in the transaction of the change that owes them, and sent by the
// office's sender (backend/notify) through Outbox, one organisation at a time, with the
// organisation's settings.

// planMessages writes, in tx, the messages the change from before (nil for a new RDV) to after
// owes, when after's messages leave from the central. Every change of an online RDV passes here:
// its booking and cancellation online, and the office's moves and status changes (ADR 0007).
func (s *Store) planMessages(ctx context.Context, tx dbtx, before *agenda.Rdv, after agenda.Rdv, by agenda.Actor) error {
	if reminders.SiteOf(after) != reminders.SiteCentral {
		return nil
	}
	concerned := reminders.Concerned(before, after)
	if len(concerned) == 0 {
		return nil
	}
	now := s.now()
	in, err := s.plannerInput(ctx, tx, after, concerned, now)
	if err != nil {
		return err
	}
	in.Before, in.By = before, by
	return writePlan(ctx, tx, after, reminders.ForChange(in), now)
}

// plannerInput loads what the planner needs to know of rdv: the organisation's policy and zone,
// the usagers' contacts and the messages already written for the RDV.
func (s *Store) plannerInput(ctx context.Context, q querier, rdv agenda.Rdv, usagers []string, now time.Time) (reminders.Input, error) {
	in := reminders.Input{After: rdv, Now: now, Contacts: make(map[string]reminders.Contact, len(usagers))}
	raw, err := notificationSettings(ctx, q, rdv.OrganisationID)
	if err != nil {
		return in, err
	}
	if in.Policy, err = reminders.ParsePolicy(raw); err != nil {
		in.Policy = reminders.DefaultPolicy() // a damaged setting must not block bookings: nothing is sent
	}
	org, err := getOrg(ctx, q, rdv.OrganisationID)
	if err != nil {
		return in, err
	}
	if in.Location, err = org.Location(); err != nil {
		return in, err
	}
	for _, u := range usagers {
		if in.Contacts[u], err = contactOf(ctx, q, rdv.OrganisationID, u); err != nil {
			return in, err
		}
	}
	rows, err := q.Query(ctx, `SELECT usager_id::text, event, variant, channel, state FROM notifications
		WHERE organisation_id = $1 AND rdv_id = $2`, rdv.OrganisationID, rdv.ID)
	if err != nil {
		return in, err
	}
	in.Existing, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (reminders.Existing, error) {
		var e reminders.Existing
		err := r.Scan(&e.UsagerID, &e.Event, &e.Variant, &e.Channel, &e.State)
		return e, err
	})
	return in, err
}

// writePlan writes plan for rdv in tx: its cancellations, then its messages (a key that exists
// is not written again).
func writePlan(ctx context.Context, tx dbtx, rdv agenda.Rdv, plan reminders.Plan, now time.Time) error {
	for _, c := range plan.Cancellations {
		if _, err := tx.Exec(ctx, `UPDATE notifications SET state = 'cancelled', last_error = $4, done_at = $5
			WHERE organisation_id = $1 AND rdv_id = $2 AND usager_id = $3 AND state = 'pending'
			  AND ($6 = '' OR channel = $6) AND event = ANY($7::text[])`,
			rdv.OrganisationID, rdv.ID, c.UsagerID, c.Text, now, c.Channel, c.Events); err != nil {
			return err
		}
	}
	for _, m := range plan.Messages {
		if _, err := tx.Exec(ctx, `INSERT INTO notifications(organisation_id, id, rdv_id, usager_id, event, variant, channel,
			rdv_version, idem_key, recipient, starts_at, due_at, by_self, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (organisation_id, idem_key) DO NOTHING`,
			rdv.OrganisationID, newID(), rdv.ID, m.UsagerID, m.Event, m.Variant, m.Channel, m.RdvVersion,
			m.Key, m.Recipient, m.StartsAt, m.DueAt, m.BySelf, now); err != nil {
			return err
		}
	}
	return nil
}

// contactOf reads where an usager can be reached; a proche without contact details of its own
// is reached through its responsible (up to two levels), as at the office.
func contactOf(ctx context.Context, q querier, org, usagerID string) (reminders.Contact, error) {
	for range 3 {
		var c reminders.Contact
		var resp string
		err := q.QueryRow(ctx, `SELECT phone, email, notify_sms, notify_email, coalesce(responsible_id::text, '') FROM usagers
			WHERE organisation_id = $1 AND id = $2`, org, usagerID).Scan(&c.Phone, &c.Email, &c.SMS, &c.Mail, &resp)
		if errors.Is(err, pgx.ErrNoRows) {
			return reminders.Contact{}, nil
		}
		if err != nil {
			return reminders.Contact{}, err
		}
		if c.Phone == "" && c.Email == "" && resp != "" {
			usagerID = resp
			continue
		}
		return c, nil
	}
	return reminders.Contact{}, nil
}

// ---- Settings ----

// notificationSettings reads an organisation's notification settings as stored (notify.Settings
// as JSON; "" when it has none: nothing is sent).
func notificationSettings(ctx context.Context, q querier, orgID string) (string, error) {
	var raw []byte
	err := q.QueryRow(ctx, "SELECT notifications FROM organisation_settings WHERE organisation_id = $1", orgID).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) || string(raw) == "{}" {
		return "", nil
	}
	return string(raw), err
}

// NotificationSettings returns organisation orgID's notification settings as stored (JSON, ""
// when none). They hold secrets: callers never print or log them.
func (s *Store) NotificationSettings(ctx context.Context, orgID string) (string, error) {
	const op = "pgstore.NotificationSettings"
	if !validID(orgID) {
		return "", notFound(op, "organisation", orgID)
	}
	raw, err := notificationSettings(ctx, s.pool, orgID)
	return raw, mapErr(op, err)
}

// SetNotificationSettings stores organisation orgID's notification settings (JSON, validated by
// the caller: backend/notify.Settings.Validate).
func (s *Store) SetNotificationSettings(ctx context.Context, orgID string, settings json.RawMessage) error {
	const op = "pgstore.SetNotificationSettings"
	if !validID(orgID) {
		return notFound(op, "organisation", orgID)
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := getOrg(ctx, tx, orgID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO organisation_settings(organisation_id, notifications, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (organisation_id) DO UPDATE SET notifications = EXCLUDED.notifications, updated_at = EXCLUDED.updated_at`,
			orgID, string(settings), s.now())
		return err
	})
}

// ScheduleMissingReminders gives every upcoming online RDV of organisation orgID the reminders
// of the channels now on that it has none of (reminders.ForMissing), as the office does when a
// channel is switched on: the bookings made while it was off wrote no message for it. It returns
// how many RDVs got reminders.
func (s *Store) ScheduleMissingReminders(ctx context.Context, orgID string) (int, error) {
	const op = "pgstore.ScheduleMissingReminders"
	if !validID(orgID) {
		return 0, notFound(op, "organisation", orgID)
	}
	n := 0
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		n = 0
		now := s.now()
		rdvs, err := loadRdvs(ctx, tx, orgID, "SELECT "+rdvCols+` FROM rdvs r
			WHERE r.organisation_id = $1 AND r.origine = $2 AND r.starts_at > $3 AND r.status = 'unknown' ORDER BY r.starts_at`,
			orgID, string(agenda.OrigineEnLigne), now)
		if err != nil {
			return err
		}
		for _, rdv := range rdvs {
			usagers := make([]string, len(rdv.Participations))
			for i, p := range rdv.Participations {
				usagers[i] = p.UsagerID
			}
			in, err := s.plannerInput(ctx, tx, rdv, usagers, now)
			if err != nil {
				return err
			}
			plan := reminders.ForMissing(in)
			if len(plan.Messages) == 0 {
				continue
			}
			if err := writePlan(ctx, tx, rdv, plan, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// OrganisationSettings is an organisation with notification settings.
type OrganisationSettings struct {
	OrganisationID string
	Notifications  string // JSON, secrets included
}

// NotifyingOrganisations returns the organisations that have notification settings: those the
// sender visits.
func (s *Store) NotifyingOrganisations(ctx context.Context) ([]OrganisationSettings, error) {
	const op = "pgstore.NotifyingOrganisations"
	rows, err := s.pool.Query(ctx, `SELECT organisation_id::text, notifications::text FROM organisation_settings
		WHERE notifications <> '{}'::jsonb ORDER BY organisation_id`)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[OrganisationSettings])
	return out, mapErr(op, err)
}

// ---- The sender's side: Outbox ----

// Outbox is the notification outbox of one organisation, as backend/notify's sender reads and
// writes it (notify.Store). Claims are row locks taken with SKIP LOCKED and committed before
// anything leaves: of two rdv-central processes, one sends a message, the other skips it; a
// process that dies between the claim and the record leaves the row « sending », resolved as
// uncertain and never sent again (ADR 0003).
type Outbox struct {
	s   *Store
	org string
}

// CancelLink is the token of the usager's cancel link of an online booking (/r/<token>), for the
// messages (notify.CancelLinks); NotFound for a seat without a link of its own.
func (o *Outbox) CancelLink(ctx context.Context, rdvID, usagerID string) (string, error) {
	return o.s.CancelLinkToken(ctx, o.org, rdvID, usagerID)
}

// Outbox returns organisation orgID's notification outbox.
func (s *Store) Outbox(orgID string) *Outbox { return &Outbox{s: s, org: orgID} }

const notifCols = `organisation_id::text, id::text, rdv_id::text, usager_id::text, event, variant, channel, rdv_version, idem_key,
	recipient, starts_at, due_at, by_self, state, attempts, attempt_id, claimed_at, last_error, done_at, created_at`

func scanNotification(r pgx.CollectableRow) (reminders.Notification, error) {
	var n reminders.Notification
	err := r.Scan(&n.OrganisationID, &n.ID, &n.RdvID, &n.UsagerID, &n.Event, &n.Variant, &n.Channel, &n.RdvVersion, &n.Key,
		&n.Recipient, &n.StartsAt, &n.DueAt, &n.BySelf, &n.State, &n.Attempts, &n.AttemptID, &n.ClaimedAt, &n.LastError, &n.DoneAt, &n.CreatedAt)
	n.StartsAt, n.DueAt, n.CreatedAt = n.StartsAt.UTC(), n.DueAt.UTC(), n.CreatedAt.UTC()
	n.ClaimedAt, n.DoneAt = utcPtr(n.ClaimedAt), utcPtr(n.DoneAt)
	return n, err
}

func (o *Outbox) list(ctx context.Context, op, where string, args ...any) ([]reminders.Notification, error) {
	rows, err := o.s.pool.Query(ctx, "SELECT "+notifCols+" FROM notifications WHERE organisation_id = $1 AND "+where, append([]any{o.org}, args...)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	return out, mapErr(op, err)
}

// DueNotifications returns up to limit pending messages due at or before at whose RDV had not
// started then, oldest due first.
func (o *Outbox) DueNotifications(ctx context.Context, at time.Time, limit int) ([]reminders.Notification, error) {
	return o.list(ctx, "pgstore.DueNotifications", "state = 'pending' AND due_at <= $2 AND starts_at > $2 ORDER BY due_at, id LIMIT $3", at, limit)
}

// RdvNotifications returns the messages of an RDV, in the order they were written.
func (o *Outbox) RdvNotifications(ctx context.Context, rdvID string) ([]reminders.Notification, error) {
	if !validID(rdvID) {
		return nil, nil
	}
	return o.list(ctx, "pgstore.RdvNotifications", "rdv_id = $2 ORDER BY created_at, due_at, id", rdvID)
}

// ClaimNotification marks a pending, due message as being sent by attemptID and commits, before
// anything leaves. A row another process has locked is skipped (ok false), not waited for.
func (o *Outbox) ClaimNotification(ctx context.Context, id, attemptID string) (n reminders.Notification, ok bool, err error) {
	const op = "pgstore.ClaimNotification"
	err = o.s.write(ctx, op, func(tx pgx.Tx) error {
		now := o.s.now()
		rows, err := tx.Query(ctx, `UPDATE notifications SET state = 'sending', attempt_id = $3, claimed_at = $4, attempts = attempts + 1
			WHERE organisation_id = $1 AND id = (SELECT id FROM notifications
				WHERE organisation_id = $1 AND id = $2 AND state = 'pending' AND due_at <= $4 FOR UPDATE SKIP LOCKED)
			RETURNING `+notifCols, o.org, id, attemptID, now)
		if err != nil {
			return err
		}
		claimed, err := pgx.CollectRows(rows, scanNotification)
		if ok = len(claimed) == 1; ok {
			n = claimed[0]
		}
		return err
	})
	return n, ok, err
}

// FinishNotification records the outcome of attemptID and its receipt in one transaction; the
// receipt goes to the feed, so that the office shows it in the RDV's messages.
func (o *Outbox) FinishNotification(ctx context.Context, id, attemptID string, out reminders.Outcome) error {
	const op = "pgstore.FinishNotification"
	return o.s.write(ctx, op, func(tx pgx.Tx) error {
		now := o.s.now()
		var done, due *time.Time
		if out.State == reminders.StatePending {
			due = &out.RetryAt
		} else {
			done = &now
		}
		tag, err := tx.Exec(ctx, `UPDATE notifications SET state = $4, last_error = $5, done_at = $6, due_at = coalesce($7, due_at),
				recipient = CASE WHEN $8 = '' THEN recipient ELSE $8 END
			WHERE organisation_id = $1 AND id = $2 AND attempt_id = $3 AND state = 'sending'`,
			o.org, id, attemptID, out.State, out.Error, done, due, out.Recipient)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return agenda.E(op, agenda.Conflict, reminders.ErrAttemptLost)
		}
		if out.Receipt != nil {
			return o.s.insertReceipt(ctx, tx, *out.Receipt, now)
		}
		return nil
	})
}

// insertReceipt logs a receipt of the central's sender, and puts it in the feed.
func (s *Store) insertReceipt(ctx context.Context, tx pgx.Tx, r reminders.Receipt, now time.Time) error {
	if r.ID == "" {
		r.ID = newID()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	w := protocol.FromReceipt(r)
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO receipts(organisation_id, id, rdv_id, payload, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5)`,
		r.OrganisationID, r.ID, nullID(r.RdvID), string(b), now); err != nil {
		return err
	}
	return s.appendChange(ctx, tx, r.OrganisationID, protocol.EntityReceipt, r.ID, protocol.OpUpsert, 0, w)
}

// SkipNotification cancels a pending message that will not be sent.
func (o *Outbox) SkipNotification(ctx context.Context, id, reason string) error {
	return o.exec(ctx, "pgstore.SkipNotification", `UPDATE notifications SET state = 'cancelled', last_error = $3, done_at = $4
		WHERE organisation_id = $1 AND id = $2 AND state = 'pending'`, id, reason, o.s.now())
}

// DeferNotification moves a pending message to a later due time (quiet hours).
func (o *Outbox) DeferNotification(ctx context.Context, id string, until time.Time) error {
	return o.exec(ctx, "pgstore.DeferNotification", `UPDATE notifications SET due_at = $3
		WHERE organisation_id = $1 AND id = $2 AND state = 'pending'`, id, until)
}

func (o *Outbox) exec(ctx context.Context, op, q string, args ...any) error {
	_, err := o.s.pool.Exec(ctx, q, append([]any{o.org}, args...)...)
	return mapErr(op, err)
}

// ExpireNotifications cancels the pending messages whose RDV started before at.
func (o *Outbox) ExpireNotifications(ctx context.Context, at time.Time) (int, error) {
	tag, err := o.s.pool.Exec(ctx, `UPDATE notifications SET state = 'cancelled', last_error = $2, done_at = $3
		WHERE organisation_id = $1 AND state = 'pending' AND starts_at <= $4`, o.org, reminders.ReasonExpired.Text(), o.s.now(), at)
	return int(tag.RowsAffected()), mapErr("pgstore.ExpireNotifications", err)
}

// RecoverStaleNotifications resolves the messages claimed before staleBefore and never recorded
// as uncertain, with a receipt, and does NOT send them again (ADR 0003).
func (o *Outbox) RecoverStaleNotifications(ctx context.Context, staleBefore time.Time, provider func(channel string) string) (int, error) {
	const op = "pgstore.RecoverStaleNotifications"
	n := 0
	err := o.s.write(ctx, op, func(tx pgx.Tx) error {
		now := o.s.now()
		rows, err := tx.Query(ctx, `UPDATE notifications SET state = 'uncertain', last_error = $3, done_at = $4
			WHERE organisation_id = $1 AND state = 'sending' AND claimed_at < $2 RETURNING `+notifCols,
			o.org, staleBefore, reminders.ReasonInterrupted.Text(), now)
		if err != nil {
			return err
		}
		stale, err := pgx.CollectRows(rows, scanNotification)
		if err != nil {
			return err
		}
		n = len(stale)
		for _, s := range stale {
			r := reminders.Receipt{OrganisationID: s.OrganisationID, RdvID: s.RdvID, UsagerID: s.UsagerID,
				Event: reminders.ReceiptEvent(s.Event), Channel: reminders.ReceiptChannel(s.Channel), Result: "processed",
				Error: reminders.ReasonInterrupted.Text(), Provider: provider(s.Channel), Recipient: s.Recipient}
			if err := o.s.insertReceipt(ctx, tx, r, now); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// ContactFor resolves the current address of an usager on a channel ("" = none or opted out).
func (o *Outbox) ContactFor(ctx context.Context, usagerID string, channel reminders.Channel) (string, error) {
	if !validID(usagerID) {
		return "", nil
	}
	c, err := contactOf(ctx, o.s.pool, o.org, usagerID)
	return c.Recipient(channel), mapErr("pgstore.ContactFor", err)
}

// GetRdv, GetOrganisation, GetMotif, GetUsager and GetLieu read the facts a message names.
func (o *Outbox) GetRdv(ctx context.Context, id string) (agenda.Rdv, error) {
	return o.s.GetRdv(ctx, id)
}

func (o *Outbox) GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error) {
	return o.s.GetOrganisation(ctx, id)
}

func (o *Outbox) GetMotif(ctx context.Context, id string) (agenda.Motif, error) {
	m, err := getMotif(ctx, o.s.pool, id)
	return m, mapErr("pgstore.GetMotif", err)
}

func (o *Outbox) GetUsager(ctx context.Context, id string) (agenda.Usager, error) {
	u, err := getUsager(ctx, o.s.pool, o.org, id)
	return u, mapErr("pgstore.GetUsager", err)
}

func (o *Outbox) GetLieu(ctx context.Context, id string) (agenda.Lieu, error) {
	l, err := getLieu(ctx, o.s.pool, o.org, id)
	return l, mapErr("pgstore.GetLieu", err)
}

func getUsager(ctx context.Context, q querier, org, id string) (agenda.Usager, error) {
	u := agenda.Usager{OrganisationID: org}
	if !validID(id) {
		return u, notFound("pgstore.GetUsager", "usager", id)
	}
	var birth *time.Time
	err := q.QueryRow(ctx, `SELECT id::text, first_name, last_name, birth_name, birth_date, phone, email, notify_sms, notify_email,
		coalesce(responsible_id::text, ''), ants_pre_demande FROM usagers WHERE organisation_id = $1 AND id = $2`, org, id).Scan(
		&u.ID, &u.FirstName, &u.LastName, &u.BirthName, &birth, &u.Phone, &u.Email, &u.NotifySMS, &u.NotifyEmail, &u.ResponsibleID, &u.AntsPreDemande)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, notFound("pgstore.GetUsager", "usager", id)
	}
	if birth != nil {
		u.BirthDate = dateOf(*birth)
	}
	return u, err
}

func getLieu(ctx context.Context, q querier, org, id string) (agenda.Lieu, error) {
	l := agenda.Lieu{OrganisationID: org}
	if !validID(id) {
		return l, notFound("pgstore.GetLieu", "lieu", id)
	}
	err := q.QueryRow(ctx, `SELECT id::text, name, street, postal_code, city, phone, accessibility, enabled FROM lieux
		WHERE organisation_id = $1 AND id = $2`, org, id).Scan(&l.ID, &l.Name, &l.Street, &l.PostalCode, &l.City, &l.Phone, &l.Accessibility, &l.Enabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, notFound("pgstore.GetLieu", "lieu", id)
	}
	return l, err
}
