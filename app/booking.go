package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/store"
)

// FindSlots is « Trouver un créneau »: the next free slots of a motif from a day on, at a lieu and
// with an agent when given. For an ANTS motif with several documents, each slot is one block long
// enough for all of them.
func (s *AgentService) FindSlots(q SlotQuery) ([]SlotView, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) ([]SlotView, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return nil, err
		}
		from := s.clock.Now()
		if q.From != "" {
			d, err := agenda.ParseDate(q.From)
			if err != nil {
				return nil, agenda.E("app.FindSlots", agenda.Invalid, err)
			}
			from = d.At(0, c.loc)
		}
		if q.Limit <= 0 {
			q.Limit = 8
		}
		return s.slots(ctx, c, store.SlotQuery{MotifID: q.MotifID, LieuID: q.LieuID, AgentID: q.AgentID, From: from, Documents: q.Documents, N: q.Limit})
	})
}

func (s *AgentService) slots(ctx context.Context, c *catalogue, q store.SlotQuery) ([]SlotView, error) {
	if q.MotifID == "" {
		return nil, agenda.Fail("app.slots", agenda.CodeChooseMotif)
	}
	cs, err := s.db.FindFree(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]SlotView, 0, len(cs))
	for _, cr := range cs {
		out = append(out, c.slot(cr))
	}
	return out, nil
}

func (c *catalogue) slot(cr creneaux.Creneau) SlotView {
	return SlotView{Start: c.rfc(cr.Start), End: c.rfc(cr.End), AgentID: cr.AgentID, AgentName: c.agents[cr.AgentID].Name,
		LieuID: cr.LieuID, LieuName: c.lieux[cr.LieuID].Name, Label: fr.DateTime(cr.Start, c.loc)}
}

// SearchUsagers finds usagers as the agent types: name, phone or e-mail (store.SearchUsagers).
func (s *AgentService) SearchUsagers(q string) ([]UsagerForm, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) ([]UsagerForm, error) {
		us, err := s.db.SearchUsagers(ctx, q, 20)
		if err != nil {
			return nil, err
		}
		out := make([]UsagerForm, 0, len(us))
		for _, u := range us {
			out = append(out, usagerForm(u))
		}
		return out, nil
	})
}

// SamePersons returns the existing usagers that are most likely the new usager f (agenda.SamePerson:
// same names, and same phone or birth date), for the booking form to ask « C'est la même
// personne ? » before creating a second file. A form too incomplete to compare gives none.
func (s *AgentService) SamePersons(f UsagerForm) ([]UsagerForm, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) ([]UsagerForm, error) {
		u, _ := f.usager("")
		out := []UsagerForm{}
		if u.LastName == "" {
			return out, nil
		}
		namesakes, err := s.db.SearchUsagers(ctx, u.LastName+" "+u.FirstName, 50)
		if err != nil {
			return nil, err
		}
		for _, o := range namesakes {
			if o.ID != f.ID && agenda.SamePerson(u, o) {
				out = append(out, usagerForm(o))
			}
		}
		return out, nil
	})
}

func usagerForm(u agenda.Usager) UsagerForm {
	return UsagerForm{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, BirthName: u.BirthName, BirthDate: dateText(u.BirthDate),
		Phone: u.Phone, Email: u.Email, NotifySms: u.NotifySMS, NotifyEmail: u.NotifyEmail, AntsPreDemande: u.AntsPreDemande}
}

func dateText(d agenda.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// usager turns the form into an usager of the organisation, with the errors of the fields that
// cannot even be read (a date, a phone number); the rest is agenda.Usager's validation.
func (f UsagerForm) usager(orgID string) (agenda.Usager, formErrors) {
	var fe formErrors
	u := agenda.Usager{ID: f.ID, OrganisationID: orgID, FirstName: f.FirstName, LastName: f.LastName, BirthName: f.BirthName,
		Email: f.Email, NotifySMS: f.NotifySms, NotifyEmail: f.NotifyEmail, AntsPreDemande: agenda.NormalizePreDemande(f.AntsPreDemande)}
	u.BirthDate = fe.date("birthDate", f.BirthDate, false)
	if f.Phone != "" {
		p, err := agenda.NormalizePhone(f.Phone, "FR")
		if err != nil {
			fe.add("phone", "Le numéro de téléphone n’est pas valide (par exemple 06 12 34 56 78).")
		}
		u.Phone = p
	}
	return u, fe
}

// SaveUsager creates or updates an usager (the phone number changed since last year). An update
// keeps what the form does not carry: the usager's responsible (a child's parent).
func (s *AgentService) SaveUsager(f UsagerForm) (SaveResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		u, fe := f.usager(org.ID)
		if fe.any(u.Validate()) {
			return SaveResult{Errors: fe.list}, nil
		}
		if f.ID != "" {
			old, err := s.db.GetUsager(ctx, f.ID)
			if err != nil {
				return SaveResult{}, err
			}
			u.ResponsibleID = old.ResponsibleID
		}
		u, err = s.db.SaveUsager(ctx, u)
		return saved(u.ID, err)
	})
}

// Book books an RDV from the booking form. The signed-in agent is its author.
func (s *AgentService) Book(in BookInput) (BookResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (BookResult, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return BookResult{}, err
		}
		start, err := time.Parse(time.RFC3339, in.Start)
		if err != nil {
			return BookResult{}, agenda.Fail("app.Book", agenda.CodeChooseSlot)
		}
		req := store.BookRequest{MotifID: in.MotifID, LieuID: in.LieuID, AgentID: in.AgentID, Start: start, Documents: in.Documents,
			Context: in.Context, Origine: agenda.OrigineGuichet, By: agenda.ByAgent(me.ID), Override: in.Override}
		people, fe := in.people(c.org.ID)
		if len(fe.list) > 0 {
			return BookResult{Errors: fe.list, Message: "Vérifiez les informations de l’usager."}, nil
		}
		if len(people) == 0 {
			return BookResult{Message: "Choisissez ou créez l’usager du rendez-vous."}, nil
		}
		req, err = booking.WithPeople(req, c.motifs[in.MotifID], people)
		var v agenda.ValidationError
		switch {
		case errors.As(err, &v):
			return BookResult{Errors: rendered(v), Message: "Vérifiez les numéros de pré-demande."}, nil
		case err != nil:
			return BookResult{Message: text(err)}, nil
		}
		rdv, err := s.db.Book(ctx, req)
		return s.booked(ctx, c, rdv, err, store.SlotQuery{MotifID: in.MotifID, LieuID: in.LieuID, From: start, Documents: in.Documents})
	})
}

// people are the form's people in order (booking.Person), with the errors of the new ones'
// fields: the first person's under their own names, a relative's under "people.i.field".
func (in BookInput) people(orgID string) ([]booking.Person, formErrors) {
	var fe formErrors
	var people []booking.Person
	person := func(f *UsagerForm, prefix string) *agenda.Usager {
		u, ufe := f.usager(orgID)
		ufe.any(u.Validate())
		for _, e := range ufe.list {
			e.Field = prefix + e.Field
			fe.list = append(fe.list, e)
		}
		return &u
	}
	if in.NewUsager != nil {
		people = append(people, booking.Person{New: person(in.NewUsager, "")})
	}
	for _, id := range in.UsagerIDs {
		people = append(people, booking.Person{UsagerID: id})
	}
	for _, o := range in.Others {
		p := booking.Person{UsagerID: o.UsagerID}
		if o.New != nil {
			p = booking.Person{New: person(o.New, "people."+strconv.Itoa(len(people))+".")}
		}
		people = append(people, p)
	}
	for i := range people {
		switch {
		case i < len(in.PreDemandes):
			people[i].PreDemande = in.PreDemandes[i]
		case people[i].New != nil:
			people[i].PreDemande = people[i].New.AntsPreDemande
		}
	}
	return people, fe
}

// booked turns the store's answer to a booking or a move into a BookResult: the RDV, or the
// refusal as data (conflict with the next free slots, overridable warning, fields to correct).
func (s *AgentService) booked(ctx context.Context, c *catalogue, rdv agenda.Rdv, err error, next store.SlotQuery) (BookResult, error) {
	var v agenda.ValidationError
	switch {
	case err == nil:
		views, err := s.views(ctx, c, []agenda.Rdv{rdv})
		if err != nil {
			return BookResult{}, err
		}
		return BookResult{Rdv: &views[0], Alternatives: []SlotView{}}, nil
	case agenda.KindOf(err) == agenda.Conflict:
		next.N = 5
		alts, aerr := s.slots(ctx, c, next)
		if aerr != nil {
			alts = []SlotView{}
		}
		msg := text(err)
		if len(alts) > 0 {
			msg += " Voici les prochains créneaux libres :"
		}
		return BookResult{Conflict: true, Message: msg, Alternatives: alts}, nil
	case agenda.IsBenign(err):
		return BookResult{Warning: true, Message: text(err) + " Vous pouvez réserver quand même."}, nil
	case errors.As(err, &v):
		return BookResult{Errors: rendered(v), Message: "Vérifiez les informations saisies."}, nil
	case agenda.KindOf(err) == agenda.Invalid:
		return BookResult{Message: text(err)}, nil
	}
	return BookResult{}, err
}

// Move moves an RDV to start, with agentID ("" keeps its agent): drag and drop or the move form.
func (s *AgentService) Move(rdvID, start, agentID string, override bool) (BookResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (BookResult, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return BookResult{}, err
		}
		t, err := time.Parse(time.RFC3339, start)
		if err != nil {
			return BookResult{}, agenda.Fail("app.Move", agenda.CodeChooseSlot)
		}
		old, err := s.db.GetRdv(ctx, rdvID)
		if err != nil {
			return BookResult{}, err
		}
		rdv, err := s.db.Move(ctx, rdvID, t, agentID, agenda.ByAgent(me.ID), override)
		return s.booked(ctx, c, rdv, err, store.SlotQuery{MotifID: old.MotifID, LieuID: old.LieuID, From: t, Documents: old.DocumentsNumber})
	})
}

// SetStatus sets an RDV's status (vu, lapin, excusé, annulé par le service, or back to « à
// renseigner »), as agenda.Transitions allows at this moment.
func (s *AgentService) SetStatus(rdvID, status string) (RdvView, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (RdvView, error) {
		rdv, err := s.db.SetStatus(ctx, rdvID, agenda.Status(status), agenda.ByAgent(me.ID))
		return s.rdvView(ctx, rdv, err)
	})
}

// MarkArrived records that the RDV's usagers are in the waiting room.
func (s *AgentService) MarkArrived(rdvID string) (RdvView, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (RdvView, error) {
		rdv, err := s.db.MarkArrived(ctx, rdvID, nil, time.Time{})
		return s.rdvView(ctx, rdv, err)
	})
}

func (s *AgentService) rdvView(ctx context.Context, rdv agenda.Rdv, err error) (RdvView, error) {
	if err != nil {
		return RdvView{}, err
	}
	c, err := s.catalogue(ctx)
	if err != nil {
		return RdvView{}, err
	}
	views, err := s.views(ctx, c, []agenda.Rdv{rdv})
	if err != nil {
		return RdvView{}, err
	}
	return views[0], nil
}

// RdvDetail returns the RDV panel's content.
func (s *AgentService) RdvDetail(rdvID string) (RdvDetail, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (RdvDetail, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return RdvDetail{}, err
		}
		rdv, err := s.db.GetRdv(ctx, rdvID)
		if err != nil {
			return RdvDetail{}, err
		}
		usagers, err := s.db.UsagersByID(ctx, store.ParticipantIDs([]agenda.Rdv{rdv}))
		if err != nil {
			return RdvDetail{}, err
		}
		hist, err := s.db.RdvHistory(ctx, rdvID)
		if err != nil {
			return RdvDetail{}, err
		}
		m := c.motifs[rdv.MotifID]
		t := agenda.TemporalOf(rdv.StartsAt, s.clock.Now(), c.loc)
		out := RdvDetail{Rdv: c.view(rdv, usagers, s.clock.Now()), Usagers: []UsagerForm{}, Pieces: m.Pieces, Instructions: m.Instructions,
			CreatedBy: c.author(rdv.CreatedBy), History: []HistoryView{}}
		if out.Pieces == nil {
			out.Pieces = []string{}
		}
		if rdv.CreatedBy == "" {
			out.CreatedBy = c.author(string(rdv.Origine))
		}
		for _, p := range rdv.Participations {
			out.Usagers = append(out.Usagers, usagerForm(usagers[p.UsagerID]))
		}
		printing, err := s.printerSettings(ctx)
		if err != nil {
			return RdvDetail{}, err
		}
		out.TicketPrinter = printing.TicketKind != TicketNone
		for _, h := range hist {
			if h.UsagerID != "" {
				continue // the RDV's own statuses tell the story; participations follow them
			}
			v := HistoryView{At: c.rfc(h.At), By: c.author(h.By), To: h.To.Label(t)}
			if h.From != "" {
				v.From = h.From.Label(t)
			}
			if h.Move != nil {
				v.Moved = fmt.Sprintf("déplacé du %s (%s) au %s (%s)", fr.DateTime(h.Move.FromStart, c.loc), c.author(h.Move.FromAgent),
					fr.DateTime(h.Move.ToStart, c.loc), c.author(h.Move.ToAgent))
			}
			out.History = append(out.History, v)
		}
		return out, nil
	})
}
