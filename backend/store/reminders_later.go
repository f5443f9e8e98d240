package store

import (
	"context"

	"rdvguichet/backend/reminders"
)

// ScheduleMissingReminders gives every upcoming RDV the reminders of the channels now enabled
// that it has none of: a channel switched on after RDVs were booked also reminds them (the
// bookings only wrote messages for the channels enabled then). Confirmations are not sent
// after the fact (reminders.ForMissing); online bookings are the central's (reminders.SiteOf).
// Idempotent; returns how many (usager, channel) pairs
// got reminders.
func (db *DB) ScheduleMissingReminders(ctx context.Context) (int, error) {
	const op = "store.ScheduleMissingReminders"
	scheduled := 0
	err := db.write(ctx, op, func(tx *txn) error {
		p, err := loadPolicy(ctx, tx)
		if err != nil || len(p.Channels()) == 0 {
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
			if reminders.SiteOf(rdv) != reminders.SiteOffice {
				continue // an online booking is reminded by the central
			}
			in, err := plannerInput(ctx, tx, rdv, participants(rdv), now)
			if err != nil {
				return err
			}
			plan := reminders.ForMissing(in)
			if _, err := writePlan(ctx, tx, rdv, plan, now); err != nil {
				return err
			}
			type pair struct{ usager, channel string }
			seen := map[pair]bool{}
			for _, m := range plan.Messages {
				seen[pair{m.UsagerID, m.Channel}] = true
			}
			scheduled += len(seen)
		}
		return nil
	})
	return scheduled, err
}
