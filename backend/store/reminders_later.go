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
			for _, part := range rdv.Participations {
				if part.Status != agenda.StatusUnknown {
					continue
				}
				c, err := contactOf(ctx, tx, part.UsagerID)
				if err != nil {
					return err
				}
				for _, ch := range p.channels() {
					to := c.recipient(ch)
					if to == "" {
						continue
					}
					has, err := n.count(ctx, part.UsagerID, ch, "event = 'rappel'")
					if err != nil || has > 0 {
						if err != nil {
							return err
						}
						continue
					}
					if err := n.reminders(ctx, part.UsagerID, ch, to); err != nil {
						return err
					}
					scheduled++
				}
			}
		}
		return nil
	})
	return scheduled, err
}
