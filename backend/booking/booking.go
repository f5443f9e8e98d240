// Package booking decides bookings: given the data a store loaded (the motif, the slot engine's
// Data) and a request, it says what to write — a new RDV on a free slot, a seat in a collective
// session, a slot forced by an agent over benign warnings — or refuses with a code. Moves, status
// changes and joining a session follow the same shape. It is pure: no SQL, no HTTP, the clock comes
// in the request. Each store (SQLite at the office, PostgreSQL at the central) loads, calls it and
// writes in its own transaction; the database's constraints remain the guarantee, this package
// gives the reasons.
package booking

import (
	"slices"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
)

// Request is one booking, from the counter, the kiosk, online or an import.
type Request struct {
	MotifID string
	LieuID  string // "" = any lieu where the motif is offered
	// AgentID is the agent or guichet to book with. "" lets the engine pick one among those free
	// (kiosk and online: the usager does not choose).
	AgentID   string
	Start     time.Time
	Documents int // ANTS: number of titles, the RDV lasts Documents × the motif's duration; 0 means 1
	// Usagers are existing usagers; NewUsager, when set, is created in the same transaction and
	// added to them (the kiosk's « je n'ai pas de compte »).
	Usagers   []string
	NewUsager *agenda.Usager
	// Relatives are further new usagers (one per ANTS title, WithPeople), created in the same
	// transaction as relatives of the first participant (ResponsibleID): NewUsager, or else
	// Usagers[0]. The participants' order is NewUsager, Usagers, Relatives.
	Relatives []agenda.Usager
	// PreDemandes are the ANTS pré-demande numbers of existing usagers (usager id → number),
	// written on them in the same transaction.
	PreDemandes map[string]string
	Context     string         // free note for the agents
	Origine     agenda.Origine // "" = the origine of By (guichet for an agent)
	By          agenda.Actor   // who books; zero = the actor of Origine
	// Override lets the agents' side book over a benign warning (agenda.Code.Benign: outside the
	// plages, over an absence, on a jour férié). Never over another RDV: the database refuses that.
	Override bool
}

// Normalize fills the defaults of a request (documents, origine, actor) and refuses what no store
// may accept whatever its data: an override from the usagers' side.
func Normalize(req Request) (Request, error) {
	if req.Documents == 0 {
		req.Documents = 1
	}
	if req.Origine == "" {
		req.Origine = agenda.OrigineGuichet
		if req.By.Kind != "" {
			req.Origine = req.By.Origine()
		}
	}
	if req.By.Kind == "" {
		req.By = actorOf(req.Origine)
	}
	if req.Override && !req.Origine.ForAgents() {
		return req, agenda.Fail("booking.Normalize", agenda.CodeOverrideAgent)
	}
	if req.Documents < 1 || req.Documents > agenda.MaxDocuments {
		return req, agenda.Fail("booking.Normalize", agenda.CodeDocumentsRange, "max", strconv.Itoa(agenda.MaxDocuments))
	}
	return req, nil
}

// actorOf is who books when a request names only its origine (an anonymous kiosk or online usager).
func actorOf(o agenda.Origine) agenda.Actor {
	switch o {
	case agenda.OrigineKiosk:
		return agenda.Kiosk
	case agenda.OrigineEnLigne:
		return agenda.Online
	case agenda.OrigineImport:
		return agenda.Import
	}
	return agenda.ByAgent("")
}

// Window returns the instants a store must load to decide a booking of span at start: the whole
// local day (the engine spreads public bookings over the agent with the fewest RDVs that day),
// and past the RDV's end.
func Window(start time.Time, span time.Duration, loc *time.Location) (from, to time.Time) {
	day := agenda.DateOf(start.In(loc))
	from, to = day.At(0, loc), day.AddDays(1).At(0, loc)
	if e := start.Add(span); e.After(to) {
		to = e
	}
	return from, to
}

// Span is how long a booking of documents titles of motif occupies its agent, buffer included:
// what Window needs.
func Span(motif agenda.Motif, documents int, org agenda.Organisation) time.Duration {
	return time.Duration(max(documents, 1))*motif.Duration() + time.Duration(org.BufferMinutes)*time.Minute
}

// Decision is what a booking writes.
type Decision struct {
	// Slot is where the RDV goes. Slot.RdvID is set when the booking joins that collective session.
	Slot creneaux.Creneau
	// Overridden is the benign refusal an agent booked over (its code), "" for a free slot.
	Overridden agenda.Code
}

// Join reports whether the decision is a seat in an existing collective session.
func (d Decision) Join() bool { return d.Slot.RdvID != "" }

// Decide decides req (normalized) for motif with the data loaded over Window, at now.
//
// For a collective motif, a booking joins the session that starts at req.Start; when there is none,
// the agents' side opens a new session there, checked like an individual RDV. A benign refusal is
// overridden when req.Override is set by an agent who named the agenda (AgentID).
func Decide(d *creneaux.Data, motif agenda.Motif, req Request, now time.Time) (Decision, error) {
	const op = "booking.Decide"
	if motif.Archived {
		return Decision{}, agenda.Fail(op, agenda.CodeMotifArchived, "motif", motif.Name)
	}
	start := req.Start.UTC()
	creq := creneaux.Request{Motif: motif, LieuID: req.LieuID, AgentID: req.AgentID, From: start, To: start,
		Now: now, Origine: req.Origine, Documents: req.Documents}
	c, err := creneaux.Available(d, creq, start)
	if err != nil && motif.Collectif && req.Origine.ForAgents() && agenda.KindOf(err) == agenda.Invalid &&
		agenda.CodeOf(err) != agenda.CodeSlotPast {
		// No session starts there: the agent opens one, checked as an individual RDV.
		creq.Motif.Collectif, creq.Motif.Capacity = false, 0
		c, err = creneaux.Available(d, creq, start)
	}
	if err == nil {
		return Decision{Slot: c}, nil
	}
	if !(req.Override && agenda.IsBenign(err) && req.AgentID != "") {
		return Decision{}, agenda.E(op, agenda.Other, err)
	}
	// Forced by an agent: the overlap rule still holds (the database), the rest is their call.
	c = creneaux.Creneau{Start: start, End: start.Add(time.Duration(req.Documents) * motif.Duration()), AgentID: req.AgentID, LieuID: req.LieuID}
	if c.LieuID == "" {
		c.LieuID = lieuOfAgent(d, req.AgentID, motif.ID)
	}
	return Decision{Slot: c, Overridden: agenda.CodeOf(err)}, nil
}

// lieuOfAgent picks the lieu of a forced booking with no lieu: the one of the agent's plage for
// the motif, if any.
func lieuOfAgent(d *creneaux.Data, agentID, motifID string) string {
	for _, p := range d.Plages {
		if p.AgentID == agentID && slices.Contains(p.MotifIDs, motifID) {
			return p.LieuID
		}
	}
	return ""
}

// NewRdv is the RDV a decision that does not join a session creates, with id, for usagers.
func NewRdv(id string, dec Decision, motif agenda.Motif, req Request, usagers []string) (agenda.Rdv, error) {
	rdv := agenda.Rdv{
		ID:              id,
		OrganisationID:  motif.OrganisationID,
		MotifID:         motif.ID,
		LieuID:          dec.Slot.LieuID,
		AgentIDs:        []string{dec.Slot.AgentID},
		StartsAt:        dec.Slot.Start.UTC(),
		EndsAt:          dec.Slot.End.UTC(),
		Status:          agenda.StatusUnknown,
		Context:         req.Context,
		DocumentsNumber: req.Documents,
		Collectif:       motif.Collectif,
		Origine:         req.Origine,
		Version:         1,
	}
	if motif.Collectif {
		rdv.Capacity = motif.Capacity
	}
	if req.Origine.ForAgents() {
		rdv.CreatedBy = req.By.String()
	}
	for _, u := range usagers {
		rdv.Participations = append(rdv.Participations, agenda.Participation{UsagerID: u, Status: agenda.StatusUnknown})
	}
	rdv = rdv.Normalized()
	if err := rdv.Validate(); err != nil {
		return agenda.Rdv{}, agenda.E("booking.NewRdv", agenda.Invalid, err)
	}
	return rdv, nil
}

// SeatChange is one usager's seat taken in a collective session: new (From "") or back after
// cancelling (From their cancelled status).
type SeatChange struct {
	UsagerID string
	From     agenda.Status
}

// Join adds usagers to the collective session rdv and returns it (version unchanged) with the
// seats taken; the database's capacity constraint is the last word on seats.
func Join(rdv agenda.Rdv, usagers []string) (agenda.Rdv, []SeatChange, error) {
	const op = "booking.Join"
	if len(usagers) == 0 {
		return rdv, nil, agenda.Fail(op, agenda.CodeSessionNeedsUser)
	}
	rdv.Participations = slices.Clone(rdv.Participations)
	var changes []SeatChange
	for _, u := range usagers {
		i := slices.IndexFunc(rdv.Participations, func(p agenda.Participation) bool { return p.UsagerID == u })
		switch {
		case i >= 0 && !rdv.Participations[i].Status.Cancelled():
			return rdv, nil, agenda.Fail(op, agenda.CodeAlreadyInSession)
		case i >= 0: // came back after cancelling
			changes = append(changes, SeatChange{UsagerID: u, From: rdv.Participations[i].Status})
			rdv.Participations[i].Status = agenda.StatusUnknown
		default:
			changes = append(changes, SeatChange{UsagerID: u})
			rdv.Participations = append(rdv.Participations, agenda.Participation{UsagerID: u, Status: agenda.StatusUnknown})
		}
	}
	return rdv, changes, nil
}

// SearchWindow is the span a slot search loads at a time: the first window nearly always has
// enough slots, and each load reads only its rows.
const SearchWindow = 14 * 24 * time.Hour

// Horizon is how far a slot search from from goes: the motif's public horizon for the usagers'
// side, 26 weeks for agents.
func Horizon(motif agenda.Motif, origine agenda.Origine, from, now time.Time) time.Time {
	if !origine.ForAgents() && motif.MaxPublicDelay > 0 {
		return now.Add(motif.MaxPublicDelay)
	}
	return from.Add(26 * 7 * 24 * time.Hour)
}
