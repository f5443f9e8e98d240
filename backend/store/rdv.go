package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"rdvguichet/backend/agenda"
)

const rdvCols = "r.id, r.organisation_id, r.motif_id, coalesce(r.lieu_id, ''), r.starts_at, r.ends_at, r.status, r.context, r.documents_number, r.collectif, r.capacity, r.created_by, r.origine, r.cancelled_at, r.version"

func scanRdv(s interface{ Scan(...any) error }) (agenda.Rdv, error) {
	var r agenda.Rdv
	var start, end int64
	var coll int
	var canc sql.NullInt64
	err := s.Scan(&r.ID, &r.OrganisationID, &r.MotifID, &r.LieuID, &start, &end, &r.Status, &r.Context, &r.DocumentsNumber,
		&coll, &r.Capacity, &r.CreatedBy, &r.Origine, &canc, &r.Version)
	r.StartsAt, r.EndsAt, r.Collectif, r.CancelledAt = fromMS(start), fromMS(end), coll == 1, ptrMS(canc)
	return r, err
}

// loadRdvs returns the RDVs matching where (on alias r, after FROM rdvs r [joins]) with their agents
// and participations, loaded in two more queries whatever the number of RDVs.
func loadRdvs(ctx context.Context, q querier, from string, args ...any) ([]agenda.Rdv, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+rdvCols+" "+from, args...)
	if err != nil {
		return nil, err
	}
	rdvs, err := collect(rows, scanRdv)
	if err != nil || len(rdvs) == 0 {
		return rdvs, err
	}
	byID := make(map[string]*agenda.Rdv, len(rdvs))
	ids := make([]string, len(rdvs))
	for i := range rdvs {
		byID[rdvs[i].ID] = &rdvs[i]
		ids[i] = rdvs[i].ID
	}
	idj, _ := json.Marshal(ids)
	rows, err = q.QueryContext(ctx, "SELECT rdv_id, agent_id FROM rdv_agents WHERE rdv_id IN (SELECT value FROM json_each(?)) ORDER BY rdv_id, agent_id", string(idj))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var rid, aid string
		if err := rows.Scan(&rid, &aid); err != nil {
			rows.Close()
			return nil, err
		}
		byID[rid].AgentIDs = append(byID[rid].AgentIDs, aid)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// rowid keeps the participations in the order they were added.
	rows, err = q.QueryContext(ctx, "SELECT rdv_id, usager_id, status, arrived_at FROM participations WHERE rdv_id IN (SELECT value FROM json_each(?)) ORDER BY rdv_id, rowid", string(idj))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rid string
		var p agenda.Participation
		var arr sql.NullInt64
		if err := rows.Scan(&rid, &p.UsagerID, &p.Status, &arr); err != nil {
			return nil, err
		}
		p.ArrivedAt = ptrMS(arr)
		byID[rid].Participations = append(byID[rid].Participations, p)
	}
	return rdvs, rows.Err()
}

func getRdv(ctx context.Context, q querier, id string) (agenda.Rdv, error) {
	rs, err := loadRdvs(ctx, q, "FROM rdvs r WHERE r.id = ?", id)
	if err != nil {
		return agenda.Rdv{}, err
	}
	if len(rs) == 0 {
		return agenda.Rdv{}, notFound("store.GetRdv", "rdv", id)
	}
	return rs[0], nil
}

// GetRdv returns one RDV with its agents and participations.
func (db *DB) GetRdv(ctx context.Context, id string) (agenda.Rdv, error) {
	var r agenda.Rdv
	err := db.read(ctx, "store.GetRdv", func(tx *txn) error {
		var err error
		r, err = getRdv(ctx, tx, id)
		return err
	})
	return r, err
}

// RdvFilter narrows ListRdvsBetween.
type RdvFilter struct {
	OrganisationID   string // "" = every organisation of this database
	AgentID          string // "" = every agent
	LieuID           string // "" = every lieu
	IncludeCancelled bool   // excused and revoked RDVs too (the agenda greys them)
}

// ListRdvsBetween returns the RDVs that overlap [from, to), by start, with agents and
// participations: what the agenda shows for a day or a week.
func (db *DB) ListRdvsBetween(ctx context.Context, from, to time.Time, f RdvFilter) ([]agenda.Rdv, error) {
	var out []agenda.Rdv
	lo := ms(from) - int64(agenda.MaxRdvDuration/time.Millisecond)
	err := db.read(ctx, "store.ListRdvsBetween", func(tx *txn) error {
		var err error
		if f.AgentID != "" {
			out, err = loadRdvs(ctx, tx, `FROM rdv_agents a JOIN rdvs r ON r.id = a.rdv_id
				WHERE a.agent_id = ? AND a.starts_at < ? AND a.starts_at > ? AND a.ends_at > ?
				  AND (? OR a.active = 1) AND (? = '' OR r.lieu_id = ?) AND (? = '' OR r.organisation_id = ?)
				ORDER BY r.starts_at, r.id`,
				f.AgentID, ms(to), lo, ms(from), f.IncludeCancelled, f.LieuID, f.LieuID, f.OrganisationID, f.OrganisationID)
			return err
		}
		out, err = loadRdvs(ctx, tx, `FROM rdvs r
			WHERE r.starts_at < ? AND r.starts_at > ? AND r.ends_at > ?
			  AND (? OR r.status NOT IN ('excused', 'revoked')) AND (? = '' OR r.lieu_id = ?) AND (? = '' OR r.organisation_id = ?)
			ORDER BY r.starts_at, r.id`,
			ms(to), lo, ms(from), f.IncludeCancelled, f.LieuID, f.LieuID, f.OrganisationID, f.OrganisationID)
		return err
	})
	return out, err
}

// HistoryEntry is a row of an RDV's status history; UsagerID is set when the change was one
// participation's rather than the RDV's.
type HistoryEntry struct {
	agenda.StatusChange
	UsagerID string `json:"usagerId,omitempty"`
	// Move is set on the rows that record a move rather than a status change.
	Move *Move `json:"move,omitempty"`
}

// Move is where an RDV was and where it went.
type Move struct {
	FromStart time.Time `json:"fromStart"`
	ToStart   time.Time `json:"toStart"`
	FromAgent string    `json:"fromAgent"`
	ToAgent   string    `json:"toAgent"`
}

// RdvHistory returns the status changes of an RDV, oldest first (creation is "" → unknown).
func (db *DB) RdvHistory(ctx context.Context, rdvID string) ([]HistoryEntry, error) {
	const op = "store.RdvHistory"
	rows, err := db.r.QueryContext(ctx, `SELECT rdv_id, usager_id, by_who, at, from_status, to_status,
		moved_from_at, moved_to_at, moved_from_agent, moved_to_agent FROM rdv_status_history WHERE rdv_id = ? ORDER BY id`, rdvID)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, func(s interface{ Scan(...any) error }) (HistoryEntry, error) {
		var h HistoryEntry
		var at int64
		var from, to sql.NullInt64
		var m Move
		err := s.Scan(&h.RdvID, &h.UsagerID, &h.By, &at, &h.From, &h.To, &from, &to, &m.FromAgent, &m.ToAgent)
		h.At = fromMS(at)
		if from.Valid && to.Valid {
			m.FromStart, m.ToStart = fromMS(from.Int64), fromMS(to.Int64)
			h.Move = &m
		}
		return h, err
	})
	return out, mapErr(op, err)
}

// ListUsagerRdvs returns the RDVs an usager takes part in, most recent first.
func (db *DB) ListUsagerRdvs(ctx context.Context, usagerID string, limit int) ([]agenda.Rdv, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []agenda.Rdv
	err := db.read(ctx, "store.ListUsagerRdvs", func(tx *txn) error {
		var err error
		out, err = loadRdvs(ctx, tx, `FROM participations p JOIN rdvs r ON r.id = p.rdv_id WHERE p.usager_id = ? ORDER BY r.starts_at DESC, r.id LIMIT ?`, usagerID, limit)
		return err
	})
	return out, err
}
