package ical

import (
	"context"
	"slices"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// Reader is what FromStore reads: an RDV and what it refers to, by id. *store.DB is one, and so
// will be the central's store: this package imports neither.
type Reader interface {
	GetRdv(ctx context.Context, id string) (agenda.Rdv, error)
	GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error)
	GetMotif(ctx context.Context, id string) (agenda.Motif, error)
	GetLieu(ctx context.Context, id string) (agenda.Lieu, error)
	GetUsager(ctx context.Context, id string) (agenda.Usager, error)
}

// FeedReader is what AgentFeed reads: an agent, its organisation's RDVs of a period (those that
// overlap [from, to), by start, with their agents; every lieu when lieuID is ""), and their
// motifs and lieux. *store.DB is one.
type FeedReader interface {
	GetAgent(ctx context.Context, id string) (agenda.Agent, error)
	GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error)
	GetMotif(ctx context.Context, id string) (agenda.Motif, error)
	GetLieu(ctx context.Context, id string) (agenda.Lieu, error)
	ListAgendaRdvs(ctx context.Context, orgID, lieuID string, from, to time.Time, includeCancelled bool) ([]agenda.Rdv, error)
}

// entities is what lookup reads.
type entities interface {
	GetMotif(ctx context.Context, id string) (agenda.Motif, error)
	GetLieu(ctx context.Context, id string) (agenda.Lieu, error)
}

// FeedHistory is how far back an agent's feed goes (domain.md 5: one month).
const FeedHistory = 31 * 24 * time.Hour

// FeedHorizon is how far ahead it goes: well beyond any motif's booking window.
const FeedHorizon = 2 * 366 * 24 * time.Hour

// phoneText writes a French E.164 number as people read it (« 02 38 00 00 00 »).
func phoneText(e164 string) string {
	if !strings.HasPrefix(e164, "+33") || len(e164) != 12 {
		return e164
	}
	d := "0" + e164[3:]
	return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
}

// lookup caches what several RDVs share (motifs, lieux), so a feed of hundreds of RDVs reads
// each once.
type lookup struct {
	db     entities
	motifs map[string]agenda.Motif
	lieux  map[string]agenda.Lieu
}

func (l *lookup) fill(ctx context.Context, org agenda.Organisation, r agenda.Rdv) (Rdv, error) {
	m, ok := l.motifs[r.MotifID]
	if !ok {
		var err error
		if m, err = l.db.GetMotif(ctx, r.MotifID); err != nil {
			return Rdv{}, err
		}
		l.motifs[r.MotifID] = m
	}
	out := Rdv{
		ID: r.ID, Version: r.Version, Start: r.StartsAt, End: r.EndsAt, Cancelled: r.Status.Cancelled(),
		Motif: m.Name, Pieces: m.Pieces, Instructions: m.Instructions,
		Organisation: Person{Name: org.Name, Email: org.Email}, Phone: phoneText(org.Phone),
	}
	for _, p := range r.Participations {
		if !p.Status.Cancelled() || out.Cancelled {
			out.Persons++
		}
	}
	if r.LieuID != "" && m.LocationType == agenda.PublicOffice {
		lieu, ok := l.lieux[r.LieuID]
		if !ok {
			var err error
			if lieu, err = l.db.GetLieu(ctx, r.LieuID); err != nil {
				return Rdv{}, err
			}
			l.lieux[r.LieuID] = lieu
		}
		parts := []string{lieu.Name, lieu.Street, strings.TrimSpace(lieu.PostalCode + " " + lieu.City)}
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		out.Location = strings.Join(keep, ", ")
		if lieu.Phone != "" {
			out.Phone = phoneText(lieu.Phone)
		}
	}
	return out, nil
}

// FromStore reads an RDV for Invite. The attendee is usagerID's participation ("" = the first
// one); an usager without an e-mail address who has a responsible (a child, a dependant) is
// reached at the responsible's address, as notifications are.
func FromStore(ctx context.Context, db Reader, rdvID, usagerID string) (Rdv, *time.Location, error) {
	const op = "ical.FromStore"
	r, err := db.GetRdv(ctx, rdvID)
	if err != nil {
		return Rdv{}, nil, agenda.E(op, agenda.Other, err)
	}
	org, err := db.GetOrganisation(ctx, r.OrganisationID)
	if err != nil {
		return Rdv{}, nil, agenda.E(op, agenda.Other, err)
	}
	loc, err := org.Location()
	if err != nil {
		return Rdv{}, nil, agenda.E(op, agenda.Other, err)
	}
	l := &lookup{db: db, motifs: map[string]agenda.Motif{}, lieux: map[string]agenda.Lieu{}}
	out, err := l.fill(ctx, org, r)
	if err != nil {
		return Rdv{}, nil, agenda.E(op, agenda.Other, err)
	}
	if usagerID == "" && len(r.Participations) > 0 {
		usagerID = r.Participations[0].UsagerID
	}
	if usagerID != "" {
		u, err := db.GetUsager(ctx, usagerID)
		if err != nil {
			return Rdv{}, nil, agenda.E(op, agenda.Other, err)
		}
		out.Usager = Person{Name: strings.TrimSpace(u.FirstName + " " + u.LastName), Email: u.Email}
		if u.Email == "" && u.ResponsibleID != "" {
			if resp, err := db.GetUsager(ctx, u.ResponsibleID); err == nil && resp.Email != "" {
				out.Usager = Person{Name: strings.TrimSpace(resp.FirstName + " " + resp.LastName), Email: resp.Email}
			}
		}
	}
	return out, loc, nil
}

// AgentFeed reads an agent's (or guichet's) RDVs from FeedHistory before now to FeedHorizon
// after, cancelled ones included, and returns them with the feed's name and zone.
func AgentFeed(ctx context.Context, db FeedReader, agentID string, now time.Time) ([]FeedEntry, string, *time.Location, error) {
	const op = "ical.AgentFeed"
	a, err := db.GetAgent(ctx, agentID)
	if err != nil {
		return nil, "", nil, agenda.E(op, agenda.Other, err)
	}
	org, err := db.GetOrganisation(ctx, a.OrganisationID)
	if err != nil {
		return nil, "", nil, agenda.E(op, agenda.Other, err)
	}
	loc, err := org.Location()
	if err != nil {
		return nil, "", nil, agenda.E(op, agenda.Other, err)
	}
	// The organisation's RDVs of the period, kept when the agent is one of theirs: the agent's
	// own index (rdv_agents) is not reachable without the store's filter type, and a mairie's
	// two years and a month are a few thousand RDVs.
	rdvs, err := db.ListAgendaRdvs(ctx, org.ID, "", now.Add(-FeedHistory), now.Add(FeedHorizon), true)
	if err != nil {
		return nil, "", nil, agenda.E(op, agenda.Other, err)
	}
	l := &lookup{db: db, motifs: map[string]agenda.Motif{}, lieux: map[string]agenda.Lieu{}}
	out := make([]FeedEntry, 0, len(rdvs))
	for _, r := range rdvs {
		if !slices.Contains(r.AgentIDs, agentID) {
			continue
		}
		e, err := l.fill(ctx, org, r)
		if err != nil {
			return nil, "", nil, agenda.E(op, agenda.Other, err)
		}
		out = append(out, e)
	}
	return out, "RDV Guichet — " + a.Name, loc, nil
}
