package store

import (
	"context"
	"encoding/json"
	"time"

	"rdvguichet/backend/agenda"
)

// The agenda's read path. ListRdvsBetween serves every caller with optional filters written as
// (? = '' OR col = ?), which SQLite cannot turn into an index range: on a large file it scans the
// whole rdvs table. The agenda grid, the day list and the waiting room always know their
// organisation, so the queries below name the index's leading column and read only the rows of
// the requested range (TestAgendaQueriesUseIndexes checks the plans).

// Agenda queries, one per index they range over.
const (
	agendaByOrg = `FROM rdvs r INDEXED BY rdvs_org_start
		WHERE r.organisation_id = ? AND r.starts_at < ? AND r.starts_at > ? AND r.ends_at > ?
		  AND (? OR r.status NOT IN ('excused', 'revoked'))
		ORDER BY r.starts_at, r.id`
	agendaByLieu = `FROM rdvs r INDEXED BY rdvs_lieu_start
		WHERE r.lieu_id = ? AND r.starts_at < ? AND r.starts_at > ? AND r.ends_at > ?
		  AND (? OR r.status NOT IN ('excused', 'revoked')) AND r.organisation_id = ?
		ORDER BY r.starts_at, r.id`
	toFill = `FROM rdvs r INDEXED BY rdvs_org_start
		WHERE r.organisation_id = ? AND r.starts_at < ? AND r.starts_at >= ? AND r.status = 'unknown'
		ORDER BY r.starts_at DESC, r.id LIMIT ?`
)

// ListAgendaRdvs returns the RDVs of organisation orgID that overlap [from, to), at lieuID when it
// is set, by start, with their agents and participations. It is ListRdvsBetween for callers that
// know their organisation, in a constant number of index range scans whatever the file's size.
func (db *DB) ListAgendaRdvs(ctx context.Context, orgID, lieuID string, from, to time.Time, includeCancelled bool) ([]agenda.Rdv, error) {
	lo := ms(from) - int64(agenda.MaxRdvDuration/time.Millisecond)
	var out []agenda.Rdv
	err := db.read(ctx, "store.ListAgendaRdvs", func(tx *txn) error {
		var err error
		if lieuID != "" {
			out, err = loadRdvs(ctx, tx, agendaByLieu, lieuID, ms(to), lo, ms(from), includeCancelled, orgID)
		} else {
			out, err = loadRdvs(ctx, tx, agendaByOrg, orgID, ms(to), lo, ms(from), includeCancelled)
		}
		return err
	})
	return out, err
}

// ListRdvsToFill returns the RDVs of orgID that started in [since, before) and still have no status
// (« À renseigner »), most recent first, at most limit: the end-of-morning list of the agent.
func (db *DB) ListRdvsToFill(ctx context.Context, orgID string, since, before time.Time, limit int) ([]agenda.Rdv, error) {
	if limit <= 0 {
		limit = 200
	}
	var out []agenda.Rdv
	err := db.read(ctx, "store.ListRdvsToFill", func(tx *txn) error {
		var err error
		out, err = loadRdvs(ctx, tx, toFill, orgID, ms(before), ms(since), limit)
		return err
	})
	return out, err
}

// UsagersByID returns the usagers with these ids in one query (the agenda decorates hundreds of
// RDVs at once; one GetUsager per participation made it N+1). Unknown ids are left out.
func (db *DB) UsagersByID(ctx context.Context, ids []string) (map[string]agenda.Usager, error) {
	const op = "store.UsagersByID"
	out := make(map[string]agenda.Usager, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	idj, _ := json.Marshal(ids)
	err := db.read(ctx, op, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+usagerCols+" FROM usagers u WHERE u.id IN (SELECT value FROM json_each(?))", string(idj))
		if err != nil {
			return err
		}
		us, err := collect(rows, scanUsager)
		for _, u := range us {
			out[u.ID] = u
		}
		return err
	})
	return out, err
}

// ParticipantIDs lists the distinct usagers of rdvs, for UsagersByID.
func ParticipantIDs(rdvs []agenda.Rdv) []string {
	seen := map[string]bool{}
	var ids []string
	for _, r := range rdvs {
		for _, p := range r.Participations {
			if !seen[p.UsagerID] {
				seen[p.UsagerID] = true
				ids = append(ids, p.UsagerID)
			}
		}
	}
	return ids
}
