package pgstore

import (
	"context"
	"slices"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/sync/protocol"

	"github.com/jackc/pgx/v5"
)

// Book books an RDV, or a seat in a collective session, in one transaction: it locks the agents
// it may book, reads the day's data, lets booking.Decide answer, and writes the RDV, its agents,
// participations, history and change. Two bookings of one slot, from two goroutines or two
// processes, give one RDV and one slot_taken; the exclusion constraint makes that true even if
// the decision were wrong.
func (s *Store) Book(ctx context.Context, req booking.Request) (agenda.Rdv, error) {
	const op = "pgstore.Book"
	req, err := booking.Normalize(req)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}
	var out agenda.Rdv
	err = s.write(ctx, op, func(tx pgx.Tx) error {
		var err error
		out, err = s.book(ctx, tx, req)
		return err
	})
	return out, err
}

func (s *Store) book(ctx context.Context, tx pgx.Tx, req booking.Request) (agenda.Rdv, error) {
	const op = "pgstore.Book"
	if len(req.Relatives) > 0 || len(req.PreDemandes) > 0 {
		// The counter's and the kiosk's people (booking.WithPeople) are booked at the office and
		// reach the central as usager upserts before the RDV; the online pages book one usager.
		return agenda.Rdv{}, agenda.Errorf(op, agenda.Other, "relatives and pré-demande numbers are booked at the office")
	}
	now := s.now()
	motif, org, loc, err := motifScope(ctx, tx, op, req.MotifID)
	if err != nil {
		return agenda.Rdv{}, err
	}
	for _, id := range append([]string{req.AgentID, req.LieuID}, req.Usagers...) {
		if id != "" && !validID(id) {
			return agenda.Rdv{}, agenda.Errorf(op, agenda.NotFound, "identifiant %q introuvable", id)
		}
	}
	from, to := booking.Window(req.Start, booking.Span(motif, req.Documents, org), loc)
	// The settings (plages, absences) are read before the lock: their writes never waited for a
	// booking, and the lock is held for the bookings' reads and writes only, the part that
	// serializes a rush on one agent (docs/benchmarks.md, « 200 usagers at once »).
	data, err := loadSettings(ctx, tx, motif, org, loc, req.LieuID, from, to)
	if err != nil {
		return agenda.Rdv{}, err
	}
	// Serialize with every other booking of the agents this one may take: the named agent, or
	// those whose plages offer the motif when the engine picks.
	agents := []string{req.AgentID}
	if req.AgentID == "" {
		agents = plageAgents(data)
	}
	if err := lockAgents(ctx, tx, org.ID, agents); err != nil {
		return agenda.Rdv{}, err
	}
	if err := loadBookings(ctx, tx, data, motif, from, to, ""); err != nil {
		return agenda.Rdv{}, err
	}
	dec, err := booking.Decide(data, motif, req, now)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}

	usagers := slices.Clone(req.Usagers)
	if req.NewUsager != nil {
		u := *req.NewUsager
		if u.OrganisationID == "" {
			u.OrganisationID = motif.OrganisationID
		}
		if u, err = s.saveUsager(ctx, tx, u, 0, s.now()); err != nil {
			return agenda.Rdv{}, err
		}
		usagers = append(usagers, u.ID)
	}
	if err := checkUsagers(ctx, tx, org.ID, usagers); err != nil {
		return agenda.Rdv{}, err
	}
	if dec.Join() {
		return s.join(ctx, tx, org.ID, dec.Slot.RdvID, usagers, req.By, now)
	}
	rdv, err := booking.NewRdv(newID(), dec, motif, req, usagers)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}
	if err := insertRdv(ctx, tx, rdv, now); err != nil {
		return agenda.Rdv{}, err
	}
	if err := history(ctx, tx, rdv, "", req.By, now, "", agenda.StatusUnknown); err != nil {
		return agenda.Rdv{}, err
	}
	if err := s.planMessages(ctx, tx, nil, rdv, req.By); err != nil {
		return agenda.Rdv{}, err
	}
	return rdv, s.appendChange(ctx, tx, rdv.OrganisationID, protocol.EntityRdv, rdv.ID, protocol.OpBook, 0, protocol.FromRdv(rdv))
}

// motifScope reads a motif with its organisation and the organisation's zone.
func motifScope(ctx context.Context, q querier, op, motifID string) (agenda.Motif, agenda.Organisation, *time.Location, error) {
	motif, err := getMotif(ctx, q, motifID)
	if err != nil {
		return motif, agenda.Organisation{}, nil, err
	}
	org, err := getOrg(ctx, q, motif.OrganisationID)
	if err != nil {
		return motif, org, nil, err
	}
	loc, err := org.Location()
	if err != nil {
		return motif, org, nil, agenda.E(op, agenda.Other, err)
	}
	return motif, org, loc, nil
}

// lockAgents takes the row locks of agents (in id order, so that two bookings never wait on each
// other crosswise). FOR NO KEY UPDATE: bookings of one agent wait for each other, while the
// foreign key checks of other writes (a plage, an absence) do not wait for a booking.
func lockAgents(ctx context.Context, tx dbtx, org string, agents []string) error {
	ids := slices.Compact(slices.Sorted(slices.Values(agents)))
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == "" })
	if len(ids) == 0 {
		return nil
	}
	if p, ok := tx.(*pipe); ok {
		p.lockAgents(org, ids)
		return nil
	}
	_, err := tx.Exec(ctx, lockAgentsQuery, org, ids)
	return err
}

const lockAgentsQuery = "SELECT id FROM agents WHERE organisation_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR NO KEY UPDATE"

func checkUsagers(ctx context.Context, tx pgx.Tx, org string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM usagers WHERE organisation_id = $1 AND id = ANY($2::uuid[])", org, ids).Scan(&n); err != nil {
		return err
	}
	if n != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
		return agenda.NotFoundError("pgstore.Book", "usager", "")
	}
	return nil
}

// insertRdv writes a new RDV, its rdv_agents rows (copied from the rdvs row, so they cannot
// disagree) and its participations.
func insertRdv(ctx context.Context, tx dbtx, r agenda.Rdv, now time.Time) error {
	if p, ok := tx.(*pipe); ok {
		p.newRdv(r, now)
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO rdvs(organisation_id, id, motif_id, lieu_id, starts_at, ends_at, status, context,
		documents_number, collectif, capacity, created_by, origine, cancelled_at, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
		r.OrganisationID, r.ID, r.MotifID, nullID(r.LieuID), r.StartsAt, r.EndsAt, string(r.Status), r.Context,
		r.DocumentsNumber, r.Collectif, r.Capacity, r.CreatedBy, string(r.Origine), r.CancelledAt, r.Version, now)
	if err != nil {
		return err
	}
	if err := insertRdvAgents(ctx, tx, r.OrganisationID, r.ID, r.AgentIDs); err != nil {
		return err
	}
	for i, p := range r.Participations {
		if _, err := tx.Exec(ctx, `INSERT INTO participations(organisation_id, rdv_id, usager_id, position, status, arrived_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, r.OrganisationID, r.ID, p.UsagerID, i, string(p.Status), p.ArrivedAt); err != nil {
			return err
		}
	}
	return nil
}

func insertRdvAgents(ctx context.Context, tx dbtx, org, rdvID string, agents []string) error {
	for _, a := range agents {
		if _, err := tx.Exec(ctx, `INSERT INTO rdv_agents(organisation_id, rdv_id, agent_id, starts_at, ends_at, active)
			SELECT organisation_id, id, $3, starts_at, ends_at, status NOT IN ('excused', 'revoked')
			FROM rdvs WHERE organisation_id = $1 AND id = $2`, org, rdvID, a); err != nil {
			return err
		}
	}
	return nil
}

// history writes one row of the RDV's history (usagerID "" for the RDV's own status).
func history(ctx context.Context, tx dbtx, r agenda.Rdv, usagerID string, by agenda.Actor, at time.Time, from, to agenda.Status) error {
	if p, ok := tx.(*pipe); ok {
		p.bulk.addHistory(r.OrganisationID, r.ID, usagerID, by, at, from, to, nil, nil, "", "")
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO rdv_history(organisation_id, rdv_id, usager_id, by_who, at, from_status, to_status)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.OrganisationID, r.ID, nullID(usagerID), by.String(), at, string(from), string(to))
	return err
}

// moveHistory writes the history row of a move of r from (fromAt, fromAgent).
func moveHistory(ctx context.Context, tx dbtx, r agenda.Rdv, by agenda.Actor, at time.Time, fromAt time.Time, fromAgent string) error {
	if p, ok := tx.(*pipe); ok {
		to := r.StartsAt
		p.bulk.addHistory(r.OrganisationID, r.ID, "", by, at, r.Status, r.Status, &fromAt, &to, fromAgent, firstOf(r.AgentIDs))
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO rdv_history(organisation_id, rdv_id, usager_id, by_who, at, from_status, to_status,
		moved_from_at, moved_to_at, moved_from_agent, moved_to_agent) VALUES ($1, $2, NULL, $3, $4, $5, $5, $6, $7, $8, $9)`,
		r.OrganisationID, r.ID, by.String(), at, string(r.Status), fromAt, r.StartsAt, fromAgent, firstOf(r.AgentIDs))
	return err
}

func firstOf(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// join adds usagers to a collective session; the capacity trigger is the last word on seats.
func (s *Store) join(ctx context.Context, tx pgx.Tx, org, rdvID string, usagers []string, by agenda.Actor, now time.Time) (agenda.Rdv, error) {
	const op = "pgstore.Book"
	before, err := lockRdv(ctx, tx, org, rdvID)
	if err != nil {
		return before, err
	}
	rdv, seats, err := booking.Join(before, usagers)
	if err != nil {
		return before, agenda.E(op, agenda.Other, err)
	}
	next := len(before.Participations)
	for _, seat := range seats {
		if seat.From != "" {
			_, err = tx.Exec(ctx, "UPDATE participations SET status = 'unknown' WHERE organisation_id = $1 AND rdv_id = $2 AND usager_id = $3",
				org, rdvID, seat.UsagerID)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO participations(organisation_id, rdv_id, usager_id, position, status)
				VALUES ($1, $2, $3, $4, 'unknown')`, org, rdvID, seat.UsagerID, next)
			next++
		}
		if err != nil {
			return before, err
		}
		if err := history(ctx, tx, rdv, seat.UsagerID, by, now, seat.From, agenda.StatusUnknown); err != nil {
			return before, err
		}
	}
	if err := bump(ctx, tx, &rdv, now); err != nil {
		return before, err
	}
	if err := s.planMessages(ctx, tx, &before, rdv, by); err != nil {
		return before, err
	}
	return rdv, s.appendChange(ctx, tx, rdv.OrganisationID, protocol.EntityRdv, rdv.ID, protocol.OpBook, before.Version, protocol.FromRdv(rdv))
}

// bump increments the RDV's version (every change of the RDV or its participations).
func bump(ctx context.Context, tx pgx.Tx, r *agenda.Rdv, now time.Time) error {
	r.Version++
	_, err := tx.Exec(ctx, "UPDATE rdvs SET version = $3, updated_at = $4 WHERE organisation_id = $1 AND id = $2",
		r.OrganisationID, r.ID, r.Version, now)
	return err
}

// Move moves an RDV to newStart, with newAgentID ("" keeps its agent), through the same
// decision as Book (its own slot does not count against it). The history gets a move row, the
// feed a "move" change.
func (s *Store) Move(ctx context.Context, rdvID string, newStart time.Time, newAgentID string, by agenda.Actor, override bool) (agenda.Rdv, error) {
	const op = "pgstore.Move"
	if newAgentID != "" && !validID(newAgentID) {
		return agenda.Rdv{}, notFound(op, "agent", newAgentID)
	}
	var out agenda.Rdv
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		now := s.now()
		org, err := rdvOrg(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		before, err := lockRdv(ctx, tx, org, rdvID)
		if err != nil {
			return err
		}
		if before.Status.Cancelled() {
			return agenda.Fail(op, agenda.CodeRdvCancelled)
		}
		motif, orgv, loc, err := motifScope(ctx, tx, op, before.MotifID)
		if err != nil {
			return err
		}
		if err := lockAgents(ctx, tx, org, append(slices.Clone(before.AgentIDs), newAgentID)); err != nil {
			return err
		}
		req := booking.MoveRequest{NewStart: newStart, NewAgentID: newAgentID, By: by, Override: override}
		from, to := booking.MoveWindow(before, req, orgv, loc)
		data, err := loadData(ctx, tx, motif, orgv, loc, before.LieuID, from, to, before.ID)
		if err != nil {
			return err
		}
		rdv, err := booking.Move(data, motif, before, req, now)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		// Free the old rows first: moving the old agent's row onto a slot only the new agent has
		// free would be refused by the constraint.
		if _, err := tx.Exec(ctx, "DELETE FROM rdv_agents WHERE organisation_id = $1 AND rdv_id = $2", org, rdv.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rdvs SET starts_at = $3, ends_at = $4, lieu_id = $5, version = $6, updated_at = $7
			WHERE organisation_id = $1 AND id = $2`, org, rdv.ID, rdv.StartsAt, rdv.EndsAt, nullID(rdv.LieuID), rdv.Version, now); err != nil {
			return err
		}
		if err := insertRdvAgents(ctx, tx, org, rdv.ID, rdv.AgentIDs); err != nil {
			return err
		}
		if err := moveHistory(ctx, tx, rdv, by, now, before.StartsAt, firstOf(before.AgentIDs)); err != nil {
			return err
		}
		if err := s.planMessages(ctx, tx, &before, rdv, by); err != nil {
			return err
		}
		out = rdv
		return s.appendChange(ctx, tx, org, protocol.EntityRdv, rdv.ID, protocol.OpMove, before.Version, protocol.FromRdv(rdv))
	})
	return out, err
}

// SetStatus changes an RDV's status with the agenda's rules (booking.ChangeStatus), bumps its
// version, writes the history and the change. Cancelling frees the slot at once; re-activating
// a cancelled RDV whose slot was sold since is slot_taken (the constraint).
func (s *Store) SetStatus(ctx context.Context, rdvID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	return s.changeStatus(ctx, "pgstore.SetStatus", rdvID, by, func(rdv agenda.Rdv, now time.Time, loc *time.Location) (agenda.Rdv, error) {
		return booking.ChangeStatus(rdv, status, now, loc)
	})
}

// changeStatus locks an RDV, lets decide compute it after the change, and saves it. An RDV that
// comes back from cancelled waits first for the bookings of its agents in progress.
func (s *Store) changeStatus(ctx context.Context, op, rdvID string, by agenda.Actor, decide func(rdv agenda.Rdv, now time.Time, loc *time.Location) (agenda.Rdv, error)) (agenda.Rdv, error) {
	var out agenda.Rdv
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		now := s.now()
		org, err := rdvOrg(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		rdv, err := lockRdv(ctx, tx, org, rdvID)
		if err != nil {
			return err
		}
		orgv, err := getOrg(ctx, tx, org)
		if err != nil {
			return err
		}
		loc, err := orgv.Location()
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		after, err := decide(rdv, now, loc)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		if rdv.Status.Cancelled() && !after.Status.Cancelled() {
			if err := lockAgents(ctx, tx, org, rdv.AgentIDs); err != nil {
				return err
			}
		}
		out = after
		return s.saveStatus(ctx, tx, rdv, after, by, now)
	})
	return out, err
}

// Cancel cancels an RDV: excused when the usager asked (byUsager), revoked when the service
// cancels.
func (s *Store) Cancel(ctx context.Context, rdvID string, by agenda.Actor, byUsager bool) (agenda.Rdv, error) {
	return s.SetStatus(ctx, rdvID, agenda.CancelledBy(byUsager), by)
}

// SetParticipationStatus changes one usager's status in an RDV (a seat of a collective session,
// or one member of a family), and derives the RDV's status from its participations.
func (s *Store) SetParticipationStatus(ctx context.Context, rdvID, usagerID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	return s.changeStatus(ctx, "pgstore.SetParticipationStatus", rdvID, by, func(rdv agenda.Rdv, now time.Time, _ *time.Location) (agenda.Rdv, error) {
		return booking.ChangeParticipation(rdv, usagerID, status, now)
	})
}

// saveStatus writes the statuses of after (RDV and changed participations, version already
// bumped by the decision), the history rows and the change. Re-activations go through the
// constraint and the capacity trigger.
func (s *Store) saveStatus(ctx context.Context, tx pgx.Tx, before, after agenda.Rdv, by agenda.Actor, now time.Time) error {
	if _, err := tx.Exec(ctx, "UPDATE rdvs SET status = $3, cancelled_at = $4, version = $5, updated_at = $6 WHERE organisation_id = $1 AND id = $2",
		after.OrganisationID, after.ID, string(after.Status), utcPtr(after.CancelledAt), after.Version, now); err != nil {
		return err
	}
	if before.Status != after.Status {
		if err := history(ctx, tx, after, "", by, now, before.Status, after.Status); err != nil {
			return err
		}
	}
	for i, p := range after.Participations {
		old := before.Participations[i]
		if old.Status == p.Status {
			continue
		}
		if _, err := tx.Exec(ctx, "UPDATE participations SET status = $4 WHERE organisation_id = $1 AND rdv_id = $2 AND usager_id = $3",
			after.OrganisationID, after.ID, p.UsagerID, string(p.Status)); err != nil {
			return err
		}
		if err := history(ctx, tx, after, p.UsagerID, by, now, old.Status, p.Status); err != nil {
			return err
		}
	}
	if err := s.planMessages(ctx, tx, &before, after, by); err != nil {
		return err
	}
	return s.appendChange(ctx, tx, after.OrganisationID, protocol.EntityRdv, after.ID, protocol.OpStatus, before.Version, protocol.FromRdv(after))
}

// MarkArrived records that usagers have arrived (nil usagerIDs: every participant not
// cancelled), in one transaction and one change; the rules are agenda.Rdv.MarkArrived's. at zero
// means now. A second check-in changes nothing and writes nothing.
func (s *Store) MarkArrived(ctx context.Context, rdvID string, usagerIDs []string, at time.Time) (agenda.Rdv, error) {
	const op = "pgstore.MarkArrived"
	var out agenda.Rdv
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		now := s.now()
		when := at
		if when.IsZero() {
			when = now
		}
		org, err := rdvOrg(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		rdv, err := lockRdv(ctx, tx, org, rdvID)
		if err != nil {
			return err
		}
		before := slices.Clone(rdv.Participations)
		changed, err := rdv.MarkArrived(usagerIDs, when)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		out = rdv
		if !changed {
			return nil
		}
		for i, p := range rdv.Participations {
			if before[i].ArrivedAt == nil && p.ArrivedAt != nil {
				if _, err := tx.Exec(ctx, "UPDATE participations SET arrived_at = $4 WHERE organisation_id = $1 AND rdv_id = $2 AND usager_id = $3",
					org, rdvID, p.UsagerID, p.ArrivedAt.UTC()); err != nil {
					return err
				}
			}
		}
		base := rdv.Version
		if err := bump(ctx, tx, &rdv, now); err != nil {
			return err
		}
		out = rdv
		return s.appendChange(ctx, tx, org, protocol.EntityRdv, rdv.ID, protocol.OpArrived, base, protocol.FromRdv(rdv))
	})
	return out, err
}
