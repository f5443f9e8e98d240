package store

import (
	"context"

	"rdvguichet/backend/agenda"
)

// ScheduleMissingReminders gives every upcoming RDV the reminders of the channels now enabled
// that it has none of: a channel switched on after RDVs were booked also reminds them (the
// bookings only wrote messages for the channels enabled then). Confirmations are not sent
// after the fact. Idempotent; returns how many usagers got reminders.
func (db *DB) ScheduleMissingReminders(ctx context.Context) (int, error) {
	const op = "store.ScheduleMissingReminders"
	scheduled := 0
	err := db.write(ctx, op, func(tx *txn) error {
		p, err := loadPolicy(ctx, tx)
		if err != nil || len(p.channels()) == 0 {
			return err
		}
		now := db.now()
		rows, err := tx.QueryContext(ctx, "SELECT id FROM rdvs WHERE starts_at > ? AND status = 'unknown' ORDER BY starts_at", ms(now))
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, id := range ids {
			rdv, err := getRdv(ctx, tx, id)
			if err != nil {
				return err
			}
			loc, err := rdvLocation(ctx, tx, rdv)
			if err != nil {
				return err
			}
			n := &notifier{db: db, tx: tx, policy: p, loc: loc, rdv: rdv, now: now}
			unknown := func(part agenda.Participation) bool { return part.Status == agenda.StatusUnknown }
			err = n.eachRecipient(ctx, unknown, func(usagerID, ch, to string) error {
				has, err := n.count(ctx, usagerID, ch, "event = 'rappel'")
				if err != nil || has > 0 {
					return err
				}
				scheduled++
				return n.reminders(ctx, usagerID, ch, to)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return scheduled, err
}
