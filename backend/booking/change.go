package booking

import (
	"slices"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
)

// MoveRequest moves an RDV to NewStart, with NewAgentID ("" keeps its agent).
type MoveRequest struct {
	NewStart   time.Time
	NewAgentID string
	By         agenda.Actor
	Override   bool // the agents' side only, over benign warnings
}

// MoveWindow returns the instants a store must load to decide the move of rdv (the same window as
// a booking of its duration at the new start).
func MoveWindow(rdv agenda.Rdv, req MoveRequest, org agenda.Organisation, loc *time.Location) (from, to time.Time) {
	return Window(req.NewStart.UTC(), rdv.EndsAt.Sub(rdv.StartsAt)+time.Duration(org.BufferMinutes)*time.Minute, loc)
}

// Move decides the move of rdv with the data loaded over MoveWindow (without rdv itself among the
// busy spans: its own slot does not count against it) and returns the RDV as it will be, version
// bumped. A moved RDV keeps its duration rule (documents × the motif's duration), lieu,
// participations and status; a collective session moves like an RDV, its seats with it.
func Move(d *creneaux.Data, motif agenda.Motif, rdv agenda.Rdv, req MoveRequest, now time.Time) (agenda.Rdv, error) {
	const op = "booking.Move"
	if rdv.Status.Cancelled() {
		return rdv, agenda.Fail(op, agenda.CodeRdvCancelled)
	}
	origine := req.By.Origine()
	if req.Override && !origine.ForAgents() {
		return rdv, agenda.Fail(op, agenda.CodeOverrideAgent)
	}
	agent := req.NewAgentID
	if agent == "" && len(rdv.AgentIDs) > 0 {
		agent = rdv.AgentIDs[0]
	}
	start := req.NewStart.UTC()
	dur := rdv.EndsAt.Sub(rdv.StartsAt)
	m := motif
	m.Collectif, m.Capacity = false, 0
	c, err := creneaux.Available(d, creneaux.Request{Motif: m, LieuID: rdv.LieuID, AgentID: agent, From: start, To: start,
		Now: now, Origine: origine, Documents: max(rdv.DocumentsNumber, 1)}, start)
	if err != nil {
		if !(req.Override && agenda.IsBenign(err)) {
			return rdv, agenda.E(op, agenda.Other, err)
		}
		c = creneaux.Creneau{Start: start, End: start.Add(dur), AgentID: agent, LieuID: rdv.LieuID}
	}
	moved := rdv
	moved.AgentIDs = slices.Clone(rdv.AgentIDs)
	if req.NewAgentID != "" && !slices.Contains(moved.AgentIDs, req.NewAgentID) {
		if len(moved.AgentIDs) > 0 {
			moved.AgentIDs[0] = req.NewAgentID
		} else {
			moved.AgentIDs = []string{req.NewAgentID}
		}
	}
	moved.StartsAt, moved.EndsAt = c.Start.UTC(), c.End.UTC()
	if c.LieuID != "" {
		moved.LieuID = c.LieuID
	}
	moved.Version++
	if err := moved.Validate(); err != nil {
		return rdv, agenda.E(op, agenda.Invalid, err)
	}
	return moved, nil
}

// ChangeStatus applies the agenda's transition rules (allowed transitions for the RDV's day in
// loc, cascade to participations, cancelled_at) and returns the RDV as it will be, version bumped.
func ChangeStatus(rdv agenda.Rdv, status agenda.Status, now time.Time, loc *time.Location) (agenda.Rdv, error) {
	if err := rdv.CanChangeStatus(status, now, loc); err != nil {
		return rdv, err
	}
	after := rdv
	after.Participations = slices.Clone(rdv.Participations)
	after.SetStatus(status, now)
	after.Version++
	if err := after.Validate(); err != nil {
		return rdv, agenda.E("booking.ChangeStatus", agenda.Invalid, err)
	}
	return after, nil
}

// ChangeParticipation changes one usager's status in rdv (a seat of a collective session, or one
// member of a family) and derives the RDV's status; version bumped.
func ChangeParticipation(rdv agenda.Rdv, usagerID string, status agenda.Status, now time.Time) (agenda.Rdv, error) {
	after := rdv
	after.Participations = slices.Clone(rdv.Participations)
	if err := after.SetParticipationStatus(usagerID, status, now); err != nil {
		return rdv, err
	}
	after.Version++
	if err := after.Validate(); err != nil {
		return rdv, agenda.E("booking.ChangeParticipation", agenda.Invalid, err)
	}
	return after, nil
}
