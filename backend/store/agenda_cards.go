package store

import (
	"context"
	"time"

	"rdvguichet/backend/agenda"
)

// AgendaCard is an RDV as the agenda grid draws it: its time, agendas, motif, status, the people
// with their names and arrivals. It is a read model, narrower than agenda.Rdv: the grid polls a
// whole week of every agenda, and what it does not show it does not read.
type AgendaCard struct {
	ID              string
	MotifID         string
	LieuID          string
	StartsAt        time.Time
	EndsAt          time.Time
	Status          agenda.Status
	DocumentsNumber int
	AgentIDs        []string
	People          []CardPerson // the participations, in the order they were added
}

// CardPerson is a participation of an AgendaCard with its usager's name.
type CardPerson struct {
	UsagerID  string
	LastName  string
	FirstName string
	Status    agenda.Status
	ArrivedAt *time.Time
}

// ListAgendaCards returns the cards of the RDVs of organisation orgID that overlap [from, to), at
// lieuID when it is set, by start: what ListAgendaRdvs and UsagersByID return together, for the
// grid.
func (db *DB) ListAgendaCards(ctx context.Context, orgID, lieuID string, from, to time.Time, includeCancelled bool) ([]AgendaCard, error) {
	rdvs, err := db.ListAgendaRdvs(ctx, orgID, lieuID, from, to, includeCancelled)
	if err != nil {
		return nil, err
	}
	usagers, err := db.UsagersByID(ctx, ParticipantIDs(rdvs))
	if err != nil {
		return nil, err
	}
	out := make([]AgendaCard, len(rdvs))
	for i, r := range rdvs {
		c := AgendaCard{ID: r.ID, MotifID: r.MotifID, LieuID: r.LieuID, StartsAt: r.StartsAt, EndsAt: r.EndsAt,
			Status: r.Status, DocumentsNumber: r.DocumentsNumber, AgentIDs: r.AgentIDs}
		for _, p := range r.Participations {
			u := usagers[p.UsagerID]
			c.People = append(c.People, CardPerson{UsagerID: p.UsagerID, LastName: u.LastName, FirstName: u.FirstName,
				Status: p.Status, ArrivedAt: p.ArrivedAt})
		}
		out[i] = c
	}
	return out, nil
}
