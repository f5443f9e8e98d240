package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"

	"github.com/jackc/pgx/v5"
)

const rdvCols = `r.organisation_id::text, r.id::text, r.motif_id::text, coalesce(r.lieu_id::text, ''), r.starts_at, r.ends_at, r.status,
	r.context, r.documents_number, r.collectif, r.capacity, r.created_by, r.origine, r.cancelled_at, r.version`

func scanRdv(row pgx.CollectableRow) (agenda.Rdv, error) {
	var r agenda.Rdv
	err := row.Scan(&r.OrganisationID, &r.ID, &r.MotifID, &r.LieuID, &r.StartsAt, &r.EndsAt, &r.Status, &r.Context,
		&r.DocumentsNumber, &r.Collectif, &r.Capacity, &r.CreatedBy, &r.Origine, &r.CancelledAt, &r.Version)
	r.StartsAt, r.EndsAt, r.CancelledAt = r.StartsAt.UTC(), r.EndsAt.UTC(), utcPtr(r.CancelledAt)
	return r, err
}

// loadRdvs returns the RDVs of org selected by query (which selects rdvCols from rdvs r) with
// their agents and participations, loaded in two more queries whatever the number of RDVs.
func loadRdvs(ctx context.Context, q querier, org, query string, args ...any) ([]agenda.Rdv, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	rdvs, err := pgx.CollectRows(rows, scanRdv)
	if err != nil || len(rdvs) == 0 {
		return rdvs, err
	}
	byID := make(map[string]*agenda.Rdv, len(rdvs))
	ids := make([]string, len(rdvs))
	for i := range rdvs {
		byID[rdvs[i].ID] = &rdvs[i]
		ids[i] = rdvs[i].ID
	}
	// One index lookup per RDV whatever the statistics (OFFSET 0 keeps the subquery apart; see
	// prefetchRows).
	rows, err = q.Query(ctx, `SELECT k.id::text, a.agent_id::text FROM unnest($2::uuid[]) AS k(id)
		CROSS JOIN LATERAL (SELECT agent_id FROM rdv_agents WHERE organisation_id = $1 AND rdv_id = k.id OFFSET 0) a
		ORDER BY k.id, a.agent_id`, org, ids)
	if err != nil {
		return nil, err
	}
	var rid, aid string
	_, err = pgx.ForEachRow(rows, []any{&rid, &aid}, func() error {
		byID[rid].AgentIDs = append(byID[rid].AgentIDs, aid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT k.id::text, p.usager_id::text, p.status, p.arrived_at FROM unnest($2::uuid[]) AS k(id)
		CROSS JOIN LATERAL (SELECT usager_id, status, arrived_at, position FROM participations
			WHERE organisation_id = $1 AND rdv_id = k.id OFFSET 0) p
		ORDER BY k.id, p.position`, org, ids)
	if err != nil {
		return nil, err
	}
	var p agenda.Participation
	_, err = pgx.ForEachRow(rows, []any{&rid, &p.UsagerID, &p.Status, &p.ArrivedAt}, func() error {
		q := p
		q.ArrivedAt = utcPtr(p.ArrivedAt)
		byID[rid].Participations = append(byID[rid].Participations, q)
		return nil
	})
	return rdvs, err
}

// rdvOrg returns the organisation of RDV id: the first read of the methods that name an RDV by
// its id alone; every later statement is scoped by it.
func rdvOrg(ctx context.Context, q querier, id string) (string, error) {
	if !validID(id) {
		return "", notFound("pgstore.GetRdv", "rdv", id)
	}
	var org string
	err := q.QueryRow(ctx, "SELECT organisation_id::text FROM rdvs WHERE id = $1", id).Scan(&org)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", notFound("pgstore.GetRdv", "rdv", id)
	}
	return org, err
}

func getRdv(ctx context.Context, q querier, org, id string) (agenda.Rdv, error) {
	rs, err := loadRdvs(ctx, q, org, "SELECT "+rdvCols+" FROM rdvs r WHERE r.organisation_id = $1 AND r.id = $2", org, id)
	if err != nil {
		return agenda.Rdv{}, err
	}
	if len(rs) == 0 {
		return agenda.Rdv{}, notFound("pgstore.GetRdv", "rdv", id)
	}
	return rs[0], nil
}

// lockRdv reads an RDV under its row lock: the changes of one RDV (move, status, seats, check-in)
// run one after the other. A pipe that holds the RDV (locked or written by its transaction)
// answers without asking.
func lockRdv(ctx context.Context, tx dbtx, org, id string) (agenda.Rdv, error) {
	if r, ok := cachedRdv(tx, id); ok {
		return r, nil
	}
	if _, err := tx.Exec(ctx, "SELECT 1 FROM rdvs WHERE organisation_id = $1 AND id = $2 FOR NO KEY UPDATE", org, id); err != nil {
		return agenda.Rdv{}, err
	}
	r, err := getRdv(ctx, tx, org, id)
	if err == nil {
		wroteRdv(tx, r)
	}
	return r, err
}

// GetRdv returns one RDV with its agents and participations.
func (s *Store) GetRdv(ctx context.Context, id string) (agenda.Rdv, error) {
	var r agenda.Rdv
	err := s.read(ctx, "pgstore.GetRdv", func(tx pgx.Tx) error {
		org, err := rdvOrg(ctx, tx, id)
		if err != nil {
			return err
		}
		r, err = getRdv(ctx, tx, org, id)
		return err
	})
	return r, err
}

// RdvHistoryEntry is a row of an RDV's history: a status change (of the RDV, or of one
// participation when UsagerID is set) or a move (Moved set).
type RdvHistoryEntry struct {
	agenda.StatusChange
	UsagerID           string
	Moved              bool
	FromStart, ToStart time.Time
	FromAgent, ToAgent string
}

// RdvHistory returns an RDV's history, oldest first (creation is "" → unknown).
func (s *Store) RdvHistory(ctx context.Context, rdvID string) ([]RdvHistoryEntry, error) {
	const op = "pgstore.RdvHistory"
	var out []RdvHistoryEntry
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		org, err := rdvOrg(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT rdv_id::text, coalesce(usager_id::text, ''), by_who, at, from_status, to_status,
			moved_from_at, moved_to_at, moved_from_agent, moved_to_agent
			FROM rdv_history WHERE organisation_id = $1 AND rdv_id = $2 ORDER BY id`, org, rdvID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RdvHistoryEntry, error) {
			var h RdvHistoryEntry
			var from, to *time.Time
			err := r.Scan(&h.RdvID, &h.UsagerID, &h.By, &h.At, &h.From, &h.To, &from, &to, &h.FromAgent, &h.ToAgent)
			h.At = h.At.UTC()
			if from != nil && to != nil {
				h.Moved, h.FromStart, h.ToStart = true, from.UTC(), to.UTC()
			}
			return h, err
		})
		return err
	})
	return out, err
}

// ---- Slot data ----

// plageFilter selects the plages of org ($2) offering motif ($1) whose [first_day, last_day]
// meets [$4, $3], at lieu $5 (NULL = any), of an active agent at an enabled lieu: a deactivated
// agent or a disabled lieu sells nothing, its plages stay for the day it comes back.
const plageFilter = `FROM plages p
	JOIN plage_motifs pm ON pm.organisation_id = p.organisation_id AND pm.plage_id = p.id AND pm.motif_id = $1
	WHERE p.organisation_id = $2 AND p.first_day <= $3::date AND (p.last_day IS NULL OR p.last_day >= $4::date)
	  AND ($5::uuid IS NULL OR p.lieu_id = $5::uuid)
	  AND EXISTS (SELECT 1 FROM agents a WHERE a.organisation_id = p.organisation_id AND a.id = p.agent_id AND a.active)
	  AND (p.lieu_id IS NULL OR EXISTS (SELECT 1 FROM lieux l WHERE l.organisation_id = p.organisation_id AND l.id = p.lieu_id AND l.enabled))`

// days returns the range of civil days to read for [from, to) in loc, one more on each side: a
// day's occurrences reach past midnight UTC, and the engine looks at the neighbouring days.
func days(from, to time.Time, loc *time.Location) (string, string) {
	return agenda.DateOf(from.In(loc)).AddDays(-1).String(), agenda.DateOf(to.In(loc)).AddDays(1).String()
}

// loadData reads what the slot engine needs to decide for motif (at lieuID, "" = all) between
// from and to, and nothing more: its settings (loadSettings) and the bookings that meet the range
// (loadBookings). exclude is an RDV not to count as busy (the one being moved). It is the office
// store's loadData, in PostgreSQL.
func loadData(ctx context.Context, q querier, motif agenda.Motif, org agenda.Organisation, loc *time.Location, lieuID string, from, to time.Time, exclude string) (*creneaux.Data, error) {
	d, err := loadSettings(ctx, q, motif, org, loc, lieuID, from, to)
	if err != nil {
		return nil, err
	}
	return d, loadBookings(ctx, q, d, motif, from, to, exclude)
}

// loadSettings reads the part of a slot search's data the agents set, not the bookings: the
// motif's plages that can meet [from, to) with their exceptions, and the absences of their agents.
// The plages' MotifIDs hold only motif: the Data answers questions about that motif.
func loadSettings(ctx context.Context, q querier, motif agenda.Motif, org agenda.Organisation, loc *time.Location, lieuID string, from, to time.Time) (*creneaux.Data, error) {
	d := &creneaux.Data{Org: org}
	dayFrom, dayTo := days(from, to, loc)
	rows, err := q.Query(ctx, `SELECT p.organisation_id::text, p.id::text, p.agent_id::text, coalesce(p.lieu_id::text, ''), p.title,
		p.first_day, p.start_min, p.end_min, p.recurrence, p.canal `+plageFilter+` ORDER BY p.first_day, p.start_min, p.id`,
		motif.ID, motif.OrganisationID, dayTo, dayFrom, nullID(lieuID))
	if err != nil {
		return nil, err
	}
	d.Plages, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (agenda.PlageOuverture, error) {
		var p agenda.PlageOuverture
		var first time.Time
		var rec []byte
		if err := r.Scan(&p.OrganisationID, &p.ID, &p.AgentID, &p.LieuID, &p.Title, &first, &p.Start, &p.End, &rec, &p.Canal); err != nil {
			return p, err
		}
		p.FirstDay, p.MotifIDs = dateOf(first), []string{motif.ID}
		if len(rec) > 0 {
			if err := json.Unmarshal(rec, &p.Recurrence); err != nil {
				return p, fmt.Errorf("plage %s : récurrence illisible : %w", p.ID, err)
			}
		}
		return p, nil
	})
	if err != nil || len(d.Plages) == 0 {
		return d, err
	}
	plageIDs := make([]string, 0, len(d.Plages))
	byID := make(map[string]*agenda.PlageOuverture, len(d.Plages))
	for i, p := range d.Plages {
		plageIDs = append(plageIDs, p.ID)
		byID[p.ID] = &d.Plages[i]
	}
	rows, err = q.Query(ctx, `SELECT plage_id::text, day, cancelled, start_min, end_min FROM plage_exceptions
		WHERE organisation_id = $1 AND plage_id = ANY($2::uuid[]) ORDER BY plage_id, day`, org.ID, plageIDs)
	if err != nil {
		return nil, err
	}
	var pid string
	var day time.Time
	var e agenda.Exception
	if _, err := pgx.ForEachRow(rows, []any{&pid, &day, &e.Cancelled, &e.Start, &e.End}, func() error {
		x := e
		x.Date = dateOf(day)
		byID[pid].Exceptions = append(byID[pid].Exceptions, x)
		return nil
	}); err != nil {
		return nil, err
	}

	rows, err = q.Query(ctx, `SELECT organisation_id::text, id::text, agent_id::text, title, first_day, end_day, start_min, end_min, recurrence
		FROM absences WHERE organisation_id = $1 AND agent_id = ANY($2::uuid[])
		  AND first_day <= $3::date AND (last_day IS NULL OR last_day >= $4::date)
		ORDER BY first_day, start_min, id`, org.ID, plageAgents(d), dayTo, dayFrom)
	if err != nil {
		return nil, err
	}
	d.Absences, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (agenda.Absence, error) {
		var a agenda.Absence
		var first time.Time
		var end *time.Time
		var rec []byte
		if err := r.Scan(&a.OrganisationID, &a.ID, &a.AgentID, &a.Title, &first, &end, &a.Start, &a.End, &rec); err != nil {
			return a, err
		}
		a.FirstDay = dateOf(first)
		if end != nil {
			a.EndDay = dateOf(*end)
		}
		if len(rec) > 0 {
			if err := json.Unmarshal(rec, &a.Recurrence); err != nil {
				return a, fmt.Errorf("absence %s : récurrence illisible : %w", a.ID, err)
			}
		}
		return a, nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// plageAgents are the agents of d's plages, in the order of the plages.
func plageAgents(d *creneaux.Data) []string {
	var agents []string
	for _, p := range d.Plages {
		if !slices.Contains(agents, p.AgentID) {
			agents = append(agents, p.AgentID)
		}
	}
	return agents
}

// loadBookings completes d (its settings loaded) with the bookings that meet [from, to): the
// busy spans of its plages' agents (every active RDV that can come within the buffer of the
// range, through the exclusion constraint's gist index) and, for a collective motif, its
// sessions with their participations. exclude is an RDV not to count (the one being moved).
func loadBookings(ctx context.Context, q querier, d *creneaux.Data, motif agenda.Motif, from, to time.Time, exclude string) error {
	org := d.Org
	if len(d.Plages) > 0 {
		buf := time.Duration(org.BufferMinutes) * time.Minute
		rows, err := q.Query(ctx, `SELECT agent_id::text, starts_at, ends_at FROM rdv_agents
			WHERE organisation_id = $1 AND agent_id = ANY($2::uuid[]) AND active
			  AND tstzrange(starts_at, ends_at) && tstzrange($3, $4)
			  AND rdv_id IS DISTINCT FROM $5::uuid
			ORDER BY agent_id, starts_at`, org.ID, plageAgents(d), from.Add(-buf), to.Add(buf), nullID(exclude))
		if err != nil {
			return err
		}
		var b creneaux.Busy
		if _, err := pgx.ForEachRow(rows, []any{&b.AgentID, &b.Interval.Start, &b.Interval.End}, func() error {
			x := b
			x.Interval.Start, x.Interval.End = b.Interval.Start.UTC(), b.Interval.End.UTC()
			d.Busy = append(d.Busy, x)
			return nil
		}); err != nil {
			return err
		}
	}
	if !motif.Collectif {
		return nil
	}
	var err error
	d.Collectifs, err = loadRdvs(ctx, q, org.ID, "SELECT "+rdvCols+` FROM rdvs r
		WHERE r.organisation_id = $1 AND r.motif_id = $2 AND r.starts_at < $3 AND r.starts_at >= $4
		  AND r.status NOT IN ('excused', 'revoked') AND r.id IS DISTINCT FROM $5::uuid
		ORDER BY r.starts_at, r.id`, org.ID, motif.ID, to, from, nullID(exclude))
	return err
}

// LoadCreneauxData reads, in one snapshot, what the slot engine needs to answer for motifID (at
// lieuID, "" = all) between from and to: what the online booking pages search slots with.
func (s *Store) LoadCreneauxData(ctx context.Context, motifID, lieuID string, from, to time.Time) (*creneaux.Data, error) {
	const op = "pgstore.LoadCreneauxData"
	if lieuID != "" && !validID(lieuID) {
		return nil, notFound(op, "lieu", lieuID)
	}
	var d *creneaux.Data
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		motif, org, loc, err := motifScope(ctx, tx, op, motifID)
		if err != nil {
			return err
		}
		d, err = loadData(ctx, tx, motif, org, loc, lieuID, from, to, "")
		return err
	})
	return d, err
}
