package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
	"rdvguichet/sync/protocol"
)

// An usager's personal data (RGPD): the export of everything the office holds about them, and
// their erasure. Both are an administrator's, and both are written in the audit trail
// (rgpd_audit). Erasure goes through the store's own paths, so that the central follows: future
// RDVs are cancelled « par le service » with SetStatus / SetParticipationStatus (their
// cancellation notices are planned as for any cancellation, and an RDV status op is written), and
// the usager row is replaced by an anonymous one with SaveUsager (an usager upsert op: the
// protocol has no usager tombstone, and past RDVs keep pointing at the row for the statistics).

// Anonymous names of an erased usager (the row stays: past RDVs' participations point at it).
const (
	ErasedFirstName = "Usager"
	ErasedLastName  = "anonymisé"
)

// UsagerExport is everything the office holds about an usager.
type UsagerExport struct {
	ExportedAt time.Time                `json:"exportedAt"`
	Usager     agenda.Usager            `json:"usager"`
	Rdvs       []ExportedRdv            `json:"rdvs"`
	Messages   []reminders.Notification `json:"messages"`
	Receipts   []Receipt                `json:"receipts"`
	Relatives  []agenda.Usager          `json:"relatives,omitempty"` // the usagers they are responsible for
	Audit      []AuditEntry             `json:"audit"`
}

// ExportedRdv is one RDV of the usager with its names and its history.
type ExportedRdv struct {
	agenda.Rdv
	Motif   string         `json:"motif"`
	Lieu    string         `json:"lieu,omitempty"`
	History []HistoryEntry `json:"history"`
}

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Action   string    `json:"action"` // purge, export, erase_requested, erased
	UsagerID string    `json:"usagerId,omitempty"`
	Detail   string    `json:"detail"` // JSON of counts
}

// ExportUsager gathers everything the office holds about an usager, and records the export.
func (db *DB) ExportUsager(ctx context.Context, usagerID string, by agenda.Actor) (UsagerExport, error) {
	const op = "store.ExportUsager"
	u, err := db.GetUsager(ctx, usagerID)
	if err != nil {
		return UsagerExport{}, err
	}
	out := UsagerExport{ExportedAt: db.now(), Usager: u, Rdvs: []ExportedRdv{}}
	rdvs, err := db.ListUsagerRdvs(ctx, usagerID, 100000)
	if err != nil {
		return out, err
	}
	names := map[string]string{}
	name := func(kind, id string) string {
		if id == "" {
			return ""
		}
		if n, ok := names[kind+id]; ok {
			return n
		}
		var n string
		if kind == "m" {
			if m, err := db.GetMotif(ctx, id); err == nil {
				n = m.Name
			}
		} else if l, err := db.GetLieu(ctx, id); err == nil {
			n = l.Name
		}
		names[kind+id] = n
		return n
	}
	for _, r := range rdvs {
		h, err := db.RdvHistory(ctx, r.ID)
		if err != nil {
			return out, err
		}
		out.Rdvs = append(out.Rdvs, ExportedRdv{Rdv: r, Motif: name("m", r.MotifID), Lieu: name("l", r.LieuID), History: h})
	}
	rows, err := db.r.QueryContext(ctx, "SELECT "+notifCols+" FROM notifications WHERE usager_id = ? ORDER BY created_at, id", usagerID)
	if err != nil {
		return out, mapErr(op, err)
	}
	if out.Messages, err = collect(rows, scanNotification); err != nil {
		return out, mapErr(op, err)
	}
	if out.Receipts, err = db.usagerReceipts(ctx, usagerID); err != nil {
		return out, err
	}
	rows, err = db.r.QueryContext(ctx, "SELECT "+usagerCols+" FROM usagers u WHERE u.responsible_id = ? ORDER BY u.last_name, u.first_name", usagerID)
	if err != nil {
		return out, mapErr(op, err)
	}
	if out.Relatives, err = collect(rows, scanUsager); err != nil {
		return out, mapErr(op, err)
	}
	err = db.write(ctx, op, func(tx *txn) error {
		return audit(ctx, tx, db.now(), by.String(), "export", usagerID, map[string]int{"rdvs": len(out.Rdvs), "messages": len(out.Messages), "receipts": len(out.Receipts)})
	})
	if err != nil {
		return out, err
	}
	out.Audit, err = db.Audit(ctx, usagerID, 100)
	return out, err
}

func (db *DB) usagerReceipts(ctx context.Context, usagerID string) ([]Receipt, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, organisation_id, rdv_id, usager_id, event, channel, result, error, provider, count, content, recipient, created_at
		FROM receipts WHERE usager_id = ? ORDER BY created_at, id`, usagerID)
	if err != nil {
		return nil, mapErr("store.ExportUsager", err)
	}
	out, err := collect(rows, func(s interface{ Scan(...any) error }) (Receipt, error) {
		var r Receipt
		var at int64
		err := s.Scan(&r.ID, &r.OrganisationID, &r.RdvID, &r.UsagerID, &r.Event, &r.Channel, &r.Result, &r.Error, &r.Provider, &r.Count, &r.Content, &r.Recipient, &at)
		r.CreatedAt = fromMS(at)
		return r, err
	})
	return out, mapErr("store.ExportUsager", err)
}

// Audit returns the audit trail, newest first: an usager's rows ("" = every row).
func (db *DB) Audit(ctx context.Context, usagerID string, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.r.QueryContext(ctx, `SELECT at, by_who, action, usager_id, detail FROM rgpd_audit
		WHERE ? = '' OR usager_id = ? ORDER BY id DESC LIMIT ?`, usagerID, usagerID, limit)
	if err != nil {
		return nil, mapErr("store.Audit", err)
	}
	out, err := collect(rows, func(s interface{ Scan(...any) error }) (AuditEntry, error) {
		var e AuditEntry
		var at int64
		err := s.Scan(&at, &e.By, &e.Action, &e.UsagerID, &e.Detail)
		e.At = fromMS(at)
		return e, err
	})
	return out, mapErr("store.Audit", err)
}

// EraseReport says what an erasure did.
type EraseReport struct {
	Cancelled int  `json:"cancelled"` // future RDVs cancelled (or the usager's seat in them)
	Done      bool `json:"done"`      // the data are erased; false: they wait for the cancellation notices to leave
}

// EraseUsager erases an usager: their future RDVs are cancelled « par le service » (revoked; in
// a family or collective RDV, their seat only) through the normal status change, so that the
// cancellation notices are planned and the central gets the status ops; then their personal data
// are erased (the row anonymised, the contacts in messages and receipts cleared) at once, or,
// when cancellation notices wait to leave (they need the phone number or the address), by the
// sender once they have left (CompleteErasures), within a week at most. Refused for an usager
// already erased (usager_erased).
func (db *DB) EraseUsager(ctx context.Context, usagerID string, by agenda.Actor) (EraseReport, error) {
	const op = "store.EraseUsager"
	var rep EraseReport
	if _, err := db.GetUsager(ctx, usagerID); err != nil {
		return rep, err
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM rgpd_audit WHERE usager_id = ? AND action = 'erased')
		+ (SELECT count(*) FROM rgpd_erasures WHERE usager_id = ?)`, usagerID, usagerID).Scan(&n); err != nil {
		return rep, mapErr(op, err)
	}
	if n > 0 {
		return rep, agenda.Fail(op, agenda.CodeUsagerErased)
	}
	rdvs, err := db.ListUsagerRdvs(ctx, usagerID, 100000)
	if err != nil {
		return rep, err
	}
	now := db.now()
	for _, r := range rdvs {
		if !r.StartsAt.After(now) || r.Status.Cancelled() {
			continue
		}
		others := false
		for _, p := range r.Participations {
			if p.UsagerID != usagerID && !p.Status.Cancelled() {
				others = true
			}
		}
		if others {
			_, err = db.SetParticipationStatus(ctx, r.ID, usagerID, agenda.StatusRevoked, by)
		} else {
			_, err = db.Cancel(ctx, r.ID, by, false)
		}
		if err != nil {
			return rep, err
		}
		rep.Cancelled++
	}
	err = db.write(ctx, op, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO rgpd_erasures(usager_id, requested_at, by_who) VALUES (?, ?, ?)", usagerID, ms(now), by.String()); err != nil {
			return err
		}
		return audit(ctx, tx, now, by.String(), "erase_requested", usagerID, map[string]int{"cancelled": rep.Cancelled})
	})
	if err != nil {
		return rep, err
	}
	if _, err := db.CompleteErasures(ctx, time.Time{}); err != nil {
		return rep, err
	}
	err = db.r.QueryRowContext(ctx, "SELECT count(*) = 0 FROM rgpd_erasures WHERE usager_id = ?", usagerID).Scan(&rep.Done)
	return rep, mapErr(op, err)
}

// CompleteErasures erases the usagers whose erasure was requested and whose cancellation notices
// have left (none pending or being sent), and those requested before force whatever waits. It
// returns how many it erased. The sender calls it after each round; the daily purge with a week.
func (db *DB) CompleteErasures(ctx context.Context, force time.Time) (int, error) {
	const op = "store.CompleteErasures"
	rows, err := db.r.QueryContext(ctx, `SELECT e.usager_id, e.by_who FROM rgpd_erasures e
		WHERE e.requested_at < ? OR NOT EXISTS (SELECT 1 FROM notifications n WHERE n.usager_id = e.usager_id
			AND n.event = 'annulation' AND n.state IN ('pending', 'sending'))`, ms(force))
	if err != nil {
		return 0, mapErr(op, err)
	}
	type due struct{ id, by string }
	list, err := collect(rows, func(s interface{ Scan(...any) error }) (due, error) {
		var d due
		return d, s.Scan(&d.id, &d.by)
	})
	if err != nil {
		return 0, mapErr(op, err)
	}
	for _, d := range list {
		if err := db.eraseNow(ctx, d.id, d.by); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// eraseNow replaces the usager's row by an anonymous one (an upsert op), clears the contacts of
// their messages and receipts, drops their messages still waiting, and records it.
func (db *DB) eraseNow(ctx context.Context, usagerID, by string) error {
	return db.write(ctx, "store.EraseUsager", func(tx *txn) error {
		now := db.now()
		u, err := scanUsager(tx.QueryRowContext(ctx, "SELECT "+usagerCols+" FROM usagers u WHERE u.id = ?", usagerID))
		if errors.Is(err, sql.ErrNoRows) { // purged meanwhile
			_, err = tx.ExecContext(ctx, "DELETE FROM rgpd_erasures WHERE usager_id = ?", usagerID)
			return err
		}
		if err != nil {
			return err
		}
		anon := agenda.Usager{ID: u.ID, OrganisationID: u.OrganisationID, FirstName: ErasedFirstName, LastName: ErasedLastName, ResponsibleID: u.ResponsibleID}
		if _, err := db.saveUsager(ctx, tx, anon); err != nil {
			return err
		}
		var counts struct{ Messages, Receipts int64 }
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET recipient = '', last_error = '',
			state = CASE WHEN state = 'pending' THEN 'cancelled' ELSE state END,
			done_at = CASE WHEN state = 'pending' THEN ? ELSE done_at END WHERE usager_id = ?`, ms(now), usagerID)
		if err != nil {
			return err
		}
		counts.Messages, _ = res.RowsAffected()
		if res, err = tx.ExecContext(ctx, "UPDATE receipts SET recipient = '', content = '', error = '' WHERE usager_id = ?", usagerID); err != nil {
			return err
		}
		counts.Receipts, _ = res.RowsAffected()
		// The outbox keeps the payloads of the usager's ops (pushed or not) and of their
		// receipts: they become the anonymous ones. Pending ops keep their order and base
		// versions, so that the central applies them as before, anonymous.
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET payload = (SELECT o.payload FROM outbox o WHERE o.entity = 'usager' AND o.entity_id = ?1 ORDER BY o.seq DESC LIMIT 1)
			WHERE entity = 'usager' AND entity_id = ?1`, usagerID); err != nil {
			return err
		}
		if err := scrubReceiptOps(ctx, tx, usagerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM rgpd_erasures WHERE usager_id = ?", usagerID); err != nil {
			return err
		}
		return audit(ctx, tx, now, by, "erased", usagerID, map[string]int64{"messages": counts.Messages, "receipts": counts.Receipts})
	})
}

// scrubReceiptOps rewrites the outbox payloads of the usager's receipts from the receipts as they
// are now (recipient and content cleared).
func scrubReceiptOps(ctx context.Context, tx *txn, usagerID string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, organisation_id, rdv_id, usager_id, event, channel, result, error, provider, count, content, recipient, created_at
		FROM receipts WHERE usager_id = ?`, usagerID)
	if err != nil {
		return err
	}
	rs, err := collect(rows, func(s interface{ Scan(...any) error }) (Receipt, error) {
		var r Receipt
		var at int64
		err := s.Scan(&r.ID, &r.OrganisationID, &r.RdvID, &r.UsagerID, &r.Event, &r.Channel, &r.Result, &r.Error, &r.Provider, &r.Count, &r.Content, &r.Recipient, &at)
		r.CreatedAt = fromMS(at)
		return r, err
	})
	if err != nil {
		return err
	}
	for _, r := range rs {
		b, err := protocol.Encode(protocol.EntityReceipt, protocol.OpUpsert, r.OrganisationID, r.ID, protocol.FromReceipt(r))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE outbox SET payload = ? WHERE entity = 'receipt' AND entity_id = ?", string(b), r.ID); err != nil {
			return err
		}
	}
	return nil
}
