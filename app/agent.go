package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"rdvguichet/backend/agenda"
)

// AgentService is the agent window's door onto the office's agenda: the agenda, booking, the
// RDVs' documents, the day lists, the waiting room, the settings and the sign-in.
type AgentService struct{ agentDoor }

// agentDoor is what the agent window's services share: the office and the signed-in agent's
// session.
type agentDoor struct {
	*office
	*session
}

// Ready is called once by the frontend when it has loaded; it returns what the first screen needs:
// the sign-in screen, or the agenda when a session is open (a reload of the window).
func (s *AgentService) Ready() (Startup, error) {
	s.health.windowUp()
	if s.readyLog != nil {
		s.readyLog.Println("UI_READY")
	}
	return call(s.office, nil, noSession, func(ctx context.Context, _ agenda.Agent) (Startup, error) {
		return s.startup(ctx, true)
	})
}

// Workspace returns the agenda's resources, lieux and motifs again, after the settings changed them.
func (s *AgentService) Workspace() (Startup, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (Startup, error) {
		return s.startup(ctx, false)
	})
}

// startup describes the organisation and, with a session, the agenda's resources, lieux and motifs.
func (s *AgentService) startup(ctx context.Context, anonymous bool) (Startup, error) {
	org, loc, err := s.org(ctx)
	if agenda.CodeOf(err) == agenda.CodeNoOrganisation {
		// An empty file: the window shows the first start's chooser.
		return Startup{Setup: SetupChoose, Agents: []ResourceView{}, Lieux: []LieuView{}, Motifs: []MotifView{}}, nil
	}
	if err != nil {
		return Startup{}, err
	}
	now := s.clock.Now()
	setup, err := s.setupStep(ctx)
	if err != nil {
		return Startup{}, err
	}
	out := Startup{
		Setup:        setup,
		Organisation: OrganisationView{Name: org.Name, AccentColor: org.AccentColor, TimeZone: org.TimeZone, LogoPng: base64.StdEncoding.EncodeToString(org.LogoPNG)},
		Today:        agenda.DateOf(now.In(loc)).String(),
		Now:          now.Format(time.RFC3339),
		Agents:       []ResourceView{}, Lieux: []LieuView{}, Motifs: []MotifView{},
		Demo: s.demoHint(ctx), Pairing: s.pairFirst,
	}
	me, err := s.user(!anonymous)
	if err != nil {
		return out, nil // the sign-in screen
	}
	out.Session = &SessionView{AgentID: me.ID, Name: me.Name, Role: string(me.Role), TimeoutMin: int(s.session.timeout / time.Minute)}
	agents, err := s.db.ListAgents(ctx, org.ID, false)
	if err != nil {
		return Startup{}, err
	}
	for _, a := range agents {
		out.Agents = append(out.Agents, ResourceView{ID: a.ID, Name: a.Name, Kind: string(a.Kind)})
	}
	lieux, err := s.db.ListLieux(ctx, org.ID, false)
	if err != nil {
		return Startup{}, err
	}
	for _, l := range lieux {
		out.Lieux = append(out.Lieux, LieuView{ID: l.ID, Name: l.Name, Address: address(l)})
	}
	motifs, err := s.db.ListMotifs(ctx, org.ID, false)
	if err != nil {
		return Startup{}, err
	}
	for _, m := range motifs {
		out.Motifs = append(out.Motifs, MotifView{ID: m.ID, Name: m.Name, Color: m.Color, DurationMin: m.DurationMin,
			Ants: m.AntsCategory != agenda.AntsNone, Collectif: m.Collectif})
	}
	return out, nil
}

// Agenda returns the RDVs, plage occurrences, absences and holidays of the days [q.Start, q.End).
// It reads only the period's RDVs, with their usagers' names, in one range of the agenda's read
// model (store.ListAgendaCards): a week costs its own rows whatever the size of the file. It is
// polled to show arrivals, so it does not count as the agent's activity.
func (s *AgentService) Agenda(q AgendaQuery) (AgendaView, error) {
	return call(s.office, s.session, asPoller, func(ctx context.Context, me agenda.Agent) (AgendaView, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return AgendaView{}, err
		}
		first, err1 := agenda.ParseDate(q.Start)
		end, err2 := agenda.ParseDate(q.End)
		if err1 != nil || err2 != nil || !first.Before(end) {
			return AgendaView{}, agenda.Wrap("app.Agenda", agenda.CodeBadPeriod, fmt.Errorf("du %q au %q", q.Start, q.End))
		}
		last := end.AddDays(-1)
		wanted := func(agentID, lieuID string) bool {
			if q.LieuID != "" && lieuID != "" && lieuID != q.LieuID {
				return false
			}
			return len(q.AgentIDs) == 0 || slices.Contains(q.AgentIDs, agentID)
		}
		view := AgendaView{Plages: []BlockView{}, Absences: []BlockView{}, Holidays: []HolidayView{}}
		for _, h := range c.org.Holidays.Between(first, last) {
			view.Holidays = append(view.Holidays, HolidayView{Date: h.Date.String(), Name: h.Name})
		}
		plages, err := s.db.ListPlages(ctx, c.org.ID, "")
		if err != nil {
			return AgendaView{}, err
		}
		for _, p := range plages {
			if !wanted(p.AgentID, p.LieuID) {
				continue
			}
			for _, o := range p.Occurrences(first, last, c.loc) {
				view.Plages = append(view.Plages, BlockView{AgentID: p.AgentID, LieuID: p.LieuID, Start: c.rfc(o.Start), End: c.rfc(o.End),
					Title: p.Title, Canal: string(p.Canal)})
			}
		}
		absences, err := s.db.ListAbsences(ctx, c.org.ID, "")
		if err != nil {
			return AgendaView{}, err
		}
		for _, a := range absences {
			if !wanted(a.AgentID, "") {
				continue
			}
			for _, o := range a.Intervals(first, last, c.loc) {
				view.Absences = append(view.Absences, BlockView{AgentID: a.AgentID, Start: c.rfc(o.Start), End: c.rfc(o.End), Title: a.Title})
			}
		}
		cards, err := s.db.ListAgendaCards(ctx, c.org.ID, q.LieuID, first.At(0, c.loc), end.At(0, c.loc), q.IncludeCancelled)
		if err != nil {
			return AgendaView{}, err
		}
		view.Rdvs = make([]GridRdv, 0, len(cards))
		now := s.clock.Now()
		for _, card := range cards {
			// The lieu is the query's (ListAgendaCards read it): the agents remain to filter.
			if slices.ContainsFunc(card.AgentIDs, func(a string) bool { return wanted(a, "") }) {
				view.Rdvs = append(view.Rdvs, c.gridRdv(card, now))
			}
		}
		return view, nil
	})
}
