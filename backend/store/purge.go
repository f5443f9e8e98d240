package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
)

// The retention purge (RGPD): the rule is agenda's (retention.go), shared with the central's
// pgstore.Purge. The office applies it to its data file every day beside the window
// (cli.StartDailyPurge) and with `rdv-guichet purge`.
//
// What goes: every RDV that started before the cutoff (now − the retention), with its agents,
// participations and status history (ON DELETE CASCADE), its messages (notifications), its
// receipts and its outbox ops; then every usager with no RDV since the cutoff (an usager with a
// future RDV is never purged) and not touched since the cutoff (an usager created or corrected
// recently stays), unless a kept usager names them as responsible, with their messages,
// receipts and ops. The purge is the office's own: it writes no outbox op (the central runs its
// own retention), and the rows' pending ops go with them.

// Retention setting: whole years (agenda.ParseRetentionYears: 2 by default, from 1 to 10).
const (
	SettingRetentionYears = "rgpd_retention_years"
	settingLastPurge      = "rgpd_last_purge_day"
)

// RetentionYears reads the retention setting (the default when unset or out of bounds).
func (db *DB) RetentionYears(ctx context.Context) (int, error) {
	v, _, err := db.Setting(ctx, SettingRetentionYears)
	if err != nil {
		return 0, err
	}
	return agenda.ParseRetentionYears(v), nil
}

// SetRetentionYears stores the retention setting; a value out of bounds is refused
// (retention_bounds).
func (db *DB) SetRetentionYears(ctx context.Context, years int) error {
	if err := agenda.CheckRetentionYears(years); err != nil {
		return err
	}
	return db.SetSetting(ctx, SettingRetentionYears, strconv.Itoa(years))
}

// PurgeReport says what a purge deleted (or, dry, would delete).
type PurgeReport struct {
	DryRun         bool      `json:"dryRun"`
	RetentionYears int       `json:"retentionYears"`
	Cutoff         time.Time `json:"cutoff"` // RDVs that started before are deleted
	Rdvs           int       `json:"rdvs"`
	Usagers        int       `json:"usagers"`
	History        int       `json:"history"`
	Notifications  int       `json:"notifications"`
	Receipts       int       `json:"receipts"`
	Outbox         int       `json:"outbox"`
	// Erasures completes the usagers' erasures that waited a week for their notices.
	Erasures int `json:"erasures"`
}

// Purge deletes what is older than the retention, in one transaction, and records it in the
// audit trail (by: who asked, "système" for the daily run). dryRun counts without deleting.
func (db *DB) Purge(ctx context.Context, by string, dryRun bool) (PurgeReport, error) {
	const op = "store.Purge"
	years, err := db.RetentionYears(ctx)
	if err != nil {
		return PurgeReport{}, err
	}
	now := db.now()
	rep := PurgeReport{DryRun: dryRun, RetentionYears: years, Cutoff: agenda.RetentionCutoff(now, years)}
	if !dryRun {
		// Erasures whose notices never left within a week are done now (store/rgpd.go).
		if rep.Erasures, err = db.CompleteErasures(ctx, now.Add(-7*24*time.Hour)); err != nil {
			return rep, err
		}
	}
	err = db.write(ctx, op, func(tx *txn) error {
		cut := ms(rep.Cutoff)
		steps := []string{
			"DROP TABLE IF EXISTS temp.purge_rdvs", "DROP TABLE IF EXISTS temp.purge_usagers", "DROP TABLE IF EXISTS temp.purge_receipts",
			`CREATE TEMP TABLE purge_rdvs(id TEXT PRIMARY KEY)`,
			`CREATE TEMP TABLE purge_usagers(id TEXT PRIMARY KEY)`,
			`CREATE TEMP TABLE purge_receipts(id TEXT PRIMARY KEY)`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		defer func() {
			for _, t := range []string{"purge_rdvs", "purge_usagers", "purge_receipts"} {
				tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+t)
			}
		}()
		if _, err := tx.ExecContext(ctx, `INSERT INTO purge_rdvs SELECT id FROM rdvs WHERE starts_at < ?`, cut); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO purge_usagers SELECT u.id FROM usagers u
			WHERE u.updated_at < ?
			  AND NOT EXISTS (SELECT 1 FROM participations p JOIN rdvs r ON r.id = p.rdv_id WHERE p.usager_id = u.id AND r.starts_at >= ?)`, cut, cut); err != nil {
			return err
		}
		// An usager a kept usager names as responsible stays (and, in turn, their responsible).
		for {
			res, err := tx.ExecContext(ctx, `DELETE FROM purge_usagers WHERE id IN (
				SELECT c.responsible_id FROM usagers c WHERE c.responsible_id IS NOT NULL AND c.id NOT IN (SELECT id FROM purge_usagers))`)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				break
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO purge_receipts SELECT id FROM receipts
			WHERE rdv_id IN (SELECT id FROM purge_rdvs) OR usager_id IN (SELECT id FROM purge_usagers)`); err != nil {
			return err
		}
		counts := []struct {
			n *int
			q string
		}{
			{&rep.Rdvs, "SELECT count(*) FROM purge_rdvs"},
			{&rep.Usagers, "SELECT count(*) FROM purge_usagers"},
			{&rep.Receipts, "SELECT count(*) FROM purge_receipts"},
			{&rep.History, "SELECT count(*) FROM rdv_status_history WHERE rdv_id IN (SELECT id FROM purge_rdvs)"},
			{&rep.Notifications, "SELECT count(*) FROM notifications WHERE rdv_id IN (SELECT id FROM purge_rdvs) OR usager_id IN (SELECT id FROM purge_usagers)"},
			{&rep.Outbox, `SELECT count(*) FROM outbox WHERE (entity = 'rdv' AND entity_id IN (SELECT id FROM purge_rdvs))
				OR (entity = 'usager' AND entity_id IN (SELECT id FROM purge_usagers)) OR (entity = 'receipt' AND entity_id IN (SELECT id FROM purge_receipts))`},
		}
		for _, c := range counts {
			if err := tx.QueryRowContext(ctx, c.q).Scan(c.n); err != nil {
				return err
			}
		}
		if dryRun || rep.Rdvs+rep.Usagers+rep.Receipts+rep.Notifications == 0 {
			return nil
		}
		deletes := []string{
			`DELETE FROM outbox WHERE (entity = 'rdv' AND entity_id IN (SELECT id FROM purge_rdvs))
				OR (entity = 'usager' AND entity_id IN (SELECT id FROM purge_usagers)) OR (entity = 'receipt' AND entity_id IN (SELECT id FROM purge_receipts))`,
			`DELETE FROM sync_conflicts WHERE (entity = 'rdv' AND entity_id IN (SELECT id FROM purge_rdvs)) OR (entity = 'usager' AND entity_id IN (SELECT id FROM purge_usagers))`,
			`DELETE FROM sync_deferred WHERE (entity = 'rdv' AND entity_id IN (SELECT id FROM purge_rdvs)) OR (entity = 'usager' AND entity_id IN (SELECT id FROM purge_usagers))`,
			"DELETE FROM notifications WHERE rdv_id IN (SELECT id FROM purge_rdvs) OR usager_id IN (SELECT id FROM purge_usagers)",
			"DELETE FROM receipts WHERE id IN (SELECT id FROM purge_receipts)",
			"DELETE FROM rdvs WHERE id IN (SELECT id FROM purge_rdvs)", // agents, participations, history: ON DELETE CASCADE
			"DELETE FROM rgpd_erasures WHERE usager_id IN (SELECT id FROM purge_usagers)",
			"DELETE FROM usagers WHERE id IN (SELECT id FROM purge_usagers)",
		}
		for _, q := range deletes {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, by, "purge", "", rep)
	})
	return rep, err
}

// audit writes one row of the personal data's audit trail; detail is marshalled to JSON and
// must hold counts and ids only.
func audit(ctx context.Context, tx *txn, at time.Time, by, action, usagerID string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO rgpd_audit(at, by_who, action, usager_id, detail) VALUES (?, ?, ?, ?, ?)",
		ms(at), by, action, usagerID, string(b))
	return err
}

// DailyPurge runs the purge once a day (the first call of a UTC day): the window's process calls it every hour. ran is false when the
// day's purge was already done.
func (db *DB) DailyPurge(ctx context.Context) (rep PurgeReport, ran bool, err error) {
	day := db.now().Format("2006-01-02")
	if last, _, err := db.Setting(ctx, settingLastPurge); err != nil || last == day {
		return rep, false, err
	}
	if rep, err = db.Purge(ctx, "système", false); err != nil {
		return rep, false, err
	}
	return rep, true, db.SetSetting(ctx, settingLastPurge, day)
}
