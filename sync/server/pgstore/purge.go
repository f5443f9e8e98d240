package pgstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
)

// Personal data at the central (issue 11, item 6): the retention purge, the office's rule
// (agenda.RetentionCutoff) over the central's tables, and the deletion of an organisation's
// data when its last office is revoked.
//
// The feed (changes) holds every version of every row it carried, usagers' included: the purge
// deletes the changes of the RDVs, usagers and receipts it deletes, so that nothing of them
// stays in the central's database. An office that pulls later simply does not receive them; it
// purges its own copy by the same rule.

// PurgeReport says what a purge of one organisation deleted.
type PurgeReport struct {
	OrganisationID string    `json:"organisationId"`
	RetentionYears int       `json:"retentionYears"`
	Cutoff         time.Time `json:"cutoff"`
	Rdvs           int       `json:"rdvs"`
	Usagers        int       `json:"usagers"`
	Receipts       int       `json:"receipts"`
	Notifications  int       `json:"notifications"`
	Changes        int       `json:"changes"`
}

// purgeSelects select what goes into temporary tables (dropped at commit); purgeDeletes delete
// it. $1 is the organisation, $2 the cutoff. The usagers' step keeps, with a recursive query,
// every responsible of an usager who stays (and their own responsible).
var purgeSelects = []string{
	`CREATE TEMP TABLE purge_rdvs ON COMMIT DROP AS
		SELECT id FROM rdvs WHERE organisation_id = $1 AND starts_at < $2`,
	`CREATE TEMP TABLE purge_usagers ON COMMIT DROP AS
		WITH RECURSIVE cand AS (
			SELECT u.id FROM usagers u
			WHERE u.organisation_id = $1 AND coalesce(u.changed_at, u.updated_at) < $2
			  AND NOT EXISTS (SELECT 1 FROM participations p JOIN rdvs r ON r.organisation_id = p.organisation_id AND r.id = p.rdv_id
			                  WHERE p.organisation_id = $1 AND p.usager_id = u.id AND r.starts_at >= $2)),
		kept_responsible(id) AS (
			SELECT u.responsible_id FROM usagers u
			WHERE u.organisation_id = $1 AND u.responsible_id IS NOT NULL AND u.id NOT IN (SELECT id FROM cand)
			UNION
			SELECT u.responsible_id FROM usagers u JOIN kept_responsible k ON u.id = k.id
			WHERE u.organisation_id = $1 AND u.responsible_id IS NOT NULL)
		SELECT id FROM cand WHERE id NOT IN (SELECT id FROM kept_responsible)`,
}

// purgeReceipts selects the receipts of the RDVs and usagers that go ($1: the organisation).
const purgeReceipts = `CREATE TEMP TABLE purge_receipts ON COMMIT DROP AS
	SELECT id FROM receipts WHERE organisation_id = $1
	  AND (rdv_id IN (SELECT id FROM purge_rdvs) OR (payload->>'usagerId')::uuid IN (SELECT id FROM purge_usagers))`

// purgeDeletes delete the selected rows; the first ones count into the report, in its order.
var purgeDeletes = []string{
	`DELETE FROM rdvs WHERE organisation_id = $1 AND id IN (SELECT id FROM purge_rdvs)`, // agents, participations, history, cancel links: ON DELETE CASCADE
	`DELETE FROM usagers WHERE organisation_id = $1 AND id IN (SELECT id FROM purge_usagers)`,
	`DELETE FROM receipts WHERE organisation_id = $1 AND id IN (SELECT id FROM purge_receipts)`,
	`DELETE FROM notifications WHERE organisation_id = $1
		AND (rdv_id IN (SELECT id FROM purge_rdvs) OR usager_id IN (SELECT id FROM purge_usagers))`,
	`DELETE FROM changes WHERE organisation_id = $1 AND (
		(entity = 'rdv' AND entity_id IN (SELECT id FROM purge_rdvs))
		OR (entity = 'usager' AND entity_id IN (SELECT id FROM purge_usagers))
		OR (entity = 'receipt' AND entity_id IN (SELECT id FROM purge_receipts)))`,
}

// purge deletes, in tx, what organisation orgID keeps past its retention
// (organisation_settings.retention_years, 2 years by default).
func (s *Store) purge(ctx context.Context, tx pgx.Tx, orgID string) (PurgeReport, error) {
	years, err := retentionYears(ctx, tx, orgID)
	if err != nil {
		return PurgeReport{}, err
	}
	rep := PurgeReport{OrganisationID: orgID, RetentionYears: years, Cutoff: agenda.RetentionCutoff(s.now(), years)}
	for _, q := range purgeSelects {
		if _, err := tx.Exec(ctx, q, orgID, rep.Cutoff); err != nil {
			return rep, err
		}
	}
	if _, err := tx.Exec(ctx, purgeReceipts, orgID); err != nil {
		return rep, err
	}
	counts := []*int{&rep.Rdvs, &rep.Usagers, &rep.Receipts, &rep.Notifications, &rep.Changes}
	for i, q := range purgeDeletes {
		tag, err := tx.Exec(ctx, q, orgID)
		if err != nil {
			return rep, err
		}
		*counts[i] = int(tag.RowsAffected())
	}
	return rep, nil
}

// retentionYears reads an organisation's retention: the default when it has no settings (the
// column's CHECK holds the bounds).
func retentionYears(ctx context.Context, q querier, orgID string) (int, error) {
	years := agenda.DefaultRetentionYears
	err := q.QueryRow(ctx, "SELECT retention_years FROM organisation_settings WHERE organisation_id = $1", orgID).Scan(&years)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, err
	}
	return years, nil
}

// SetRetentionYears sets an organisation's retention (retention_bounds out of 1 to 10 years).
func (s *Store) SetRetentionYears(ctx context.Context, orgID string, years int) error {
	const op = "pgstore.SetRetentionYears"
	if err := agenda.CheckRetentionYears(years); err != nil {
		return err
	}
	if !validID(orgID) {
		return notFound(op, "organisation", orgID)
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := getOrg(ctx, tx, orgID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO organisation_settings(organisation_id, retention_years, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (organisation_id) DO UPDATE SET retention_years = EXCLUDED.retention_years, updated_at = EXCLUDED.updated_at`,
			orgID, years, s.now())
		return err
	})
}

// DailyPurge purges every organisation not yet purged today (UTC day), each in its own
// transaction, and returns what it deleted. It is safe with several processes on one database:
// an organisation's settings row is claimed with FOR UPDATE SKIP LOCKED and marked with the day
// in the purge's own transaction, so one process purges it and the others skip it.
func (s *Store) DailyPurge(ctx context.Context) ([]PurgeReport, error) {
	const op = "pgstore.DailyPurge"
	today := s.now().Format(time.DateOnly)
	rows, err := s.pool.Query(ctx, "SELECT organisation_id::text FROM organisations WHERE NOT placeholder ORDER BY organisation_id")
	if err != nil {
		return nil, mapErr(op, err)
	}
	orgs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, mapErr(op, err)
	}
	var out []PurgeReport
	for _, org := range orgs {
		var rep PurgeReport
		ran := false
		err := s.write(ctx, op, func(tx pgx.Tx) error {
			ran = false
			if _, err := tx.Exec(ctx, `INSERT INTO organisation_settings(organisation_id, updated_at) VALUES ($1, $2)
				ON CONFLICT (organisation_id) DO NOTHING`, org, s.now()); err != nil {
				return err
			}
			var claimed string
			err := tx.QueryRow(ctx, `SELECT organisation_id::text FROM organisation_settings
				WHERE organisation_id = $1 AND (last_purge_day IS NULL OR last_purge_day < $2::date)
				FOR UPDATE SKIP LOCKED`, org, today).Scan(&claimed)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // purged today already, or being purged by another process
			}
			if err != nil {
				return err
			}
			if rep, err = s.purge(ctx, tx, org); err != nil {
				return err
			}
			ran = true
			_, err = tx.Exec(ctx, "UPDATE organisation_settings SET last_purge_day = $2::date WHERE organisation_id = $1", org, today)
			return err
		})
		if err != nil {
			return out, err
		}
		if ran {
			out = append(out, rep)
		}
	}
	return out, nil
}

// organisationTables are the tables holding an organisation's data, in an order that deletes
// them without breaking a foreign key. The organisation's row and its offices stay: the
// operator's list keeps the revoked offices, and the row names nothing personal.
var organisationTables = []string{
	"changes", "applied_ops", "receipts", "notifications", "online_cancel_links", "rdv_history",
	"participations", "rdv_agents", "rdvs", "usagers", "plage_exceptions", "plage_motifs", "plages",
	"absences", "motifs", "agents", "lieux", "organisation_settings",
}

// TableRows is how many rows of one table an organisation has (or had).
type TableRows struct {
	Table string `json:"table"`
	Rows  int    `json:"rows"`
}

// OrganisationRows counts, table by table, the data organisation orgID has at the central: what
// PurgeOrganisation would delete.
func (s *Store) OrganisationRows(ctx context.Context, orgID string) ([]TableRows, error) {
	const op = "pgstore.OrganisationRows"
	if !validID(orgID) {
		return nil, notFound(op, "organisation", orgID)
	}
	var out []TableRows
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		out = out[:0]
		for _, t := range organisationTables {
			n := TableRows{Table: t}
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+t+" WHERE organisation_id = $1", orgID).Scan(&n.Rows); err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// PurgeOrganisation deletes every row of organisation orgID from the central, once all its
// offices are revoked (else offices_still_active: the data are shared by the organisation's
// offices and still synced by the others). The organisation's row becomes a placeholder again
// (no name, no contact), as « office add » creates it. It returns the rows deleted, by table.
func (s *Store) PurgeOrganisation(ctx context.Context, orgID string) ([]TableRows, error) {
	const op = "pgstore.PurgeOrganisation"
	if !validID(orgID) {
		return nil, notFound(op, "organisation", orgID)
	}
	var out []TableRows
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		out = out[:0]
		// The organisation's row lock orders this purge after an « office add » running now.
		if _, err := tx.Exec(ctx, "SELECT 1 FROM organisations WHERE organisation_id = $1 FOR UPDATE", orgID); err != nil {
			return err
		}
		var active int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM offices WHERE organisation_id = $1 AND revoked_at IS NULL", orgID).Scan(&active); err != nil {
			return err
		}
		if active > 0 {
			return agenda.Fail(op, agenda.CodeOfficesStillActive, "count", strconv.Itoa(active))
		}
		for _, t := range organisationTables {
			tag, err := tx.Exec(ctx, "DELETE FROM "+t+" WHERE organisation_id = $1", orgID)
			if err != nil {
				return err
			}
			out = append(out, TableRows{Table: t, Rows: int(tag.RowsAffected())})
		}
		_, err := tx.Exec(ctx, `UPDATE organisations SET name = $2, placeholder = true, logo_png = NULL, email = '', phone = '',
			version = 0, updated_at = $3 WHERE organisation_id = $1`, orgID, placeholderName, s.now())
		return err
	})
	return out, err
}
