package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
)

// AgentService is the agent window's door onto the office's agenda.
type AgentService struct {
	ctx      context.Context
	db       *store.DB
	clock    agenda.Clock
	readyLog *log.Logger
	// newPrinters builds the printers of Paramètres › Impression (SystemPrinters; a fake in E2E).
	newPrinters PrinterFactory
	sess        session
}

func (s *AgentService) context() context.Context {
	if s.ctx == nil {
		return context.Background()
	}
	return s.ctx
}

// org returns the office's organisation (one per data file) and its time zone.
func (s *AgentService) org(ctx context.Context) (agenda.Organisation, *time.Location, error) {
	orgs, err := s.db.ListOrganisations(ctx)
	if err != nil {
		return agenda.Organisation{}, nil, err
	}
	if len(orgs) == 0 {
		return agenda.Organisation{}, nil, agenda.Fail("app.org", agenda.CodeNoOrganisation)
	}
	loc, err := time.LoadLocation(orgs[0].TimeZone)
	return orgs[0], loc, err
}

// Ready is called once by the frontend when it has loaded; it returns what the first screen needs:
// the sign-in screen, or the agenda when a session is open (a reload of the window).
func (s *AgentService) Ready() (Startup, error) {
	if s.readyLog != nil {
		s.readyLog.Println("UI_READY")
	}
	return s.startup(s.context(), true)
}

// Workspace returns the agenda's resources, lieux and motifs again, after the settings changed them.
func (s *AgentService) Workspace() (Startup, error) {
	if _, err := s.user(true); err != nil {
		return Startup{}, userError(err)
	}
	return s.startup(s.context(), false)
}

// startup describes the organisation and, with a session, the agenda's resources, lieux and motifs.
func (s *AgentService) startup(ctx context.Context, anonymous bool) (Startup, error) {
	org, loc, err := s.org(ctx)
	if err != nil {
		return Startup{}, userError(err)
	}
	now := s.clock.Now()
	out := Startup{
		Organisation: OrganisationView{Name: org.Name, AccentColor: org.AccentColor, TimeZone: org.TimeZone, LogoPng: base64.StdEncoding.EncodeToString(org.LogoPNG)},
		Today:        agenda.DateOf(now.In(loc)).String(),
		Now:          now.Format(time.RFC3339),
		Agents:       []ResourceView{}, Lieux: []LieuView{}, Motifs: []MotifView{},
		Demo: s.demoHint(ctx),
	}
	me, err := s.user(!anonymous)
	if err != nil {
		return out, nil // the sign-in screen
	}
	out.Session = &SessionView{AgentID: me.ID, Name: me.Name, Role: string(me.Role), TimeoutMin: int(s.sess.timeout / time.Minute)}
	agents, err := s.db.ListAgents(ctx, org.ID, false)
	if err != nil {
		return Startup{}, userError(err)
	}
	for _, a := range agents {
		out.Agents = append(out.Agents, ResourceView{ID: a.ID, Name: a.Name, Kind: string(a.Kind)})
	}
	lieux, err := s.db.ListLieux(ctx, org.ID, false)
	if err != nil {
		return Startup{}, userError(err)
	}
	for _, l := range lieux {
		out.Lieux = append(out.Lieux, LieuView{ID: l.ID, Name: l.Name, Address: address(l)})
	}
	motifs, err := s.db.ListMotifs(ctx, org.ID, false)
	if err != nil {
		return Startup{}, userError(err)
	}
	for _, m := range motifs {
		out.Motifs = append(out.Motifs, MotifView{ID: m.ID, Name: m.Name, Color: m.Color, DurationMin: m.DurationMin,
			Ants: m.AntsCategory != agenda.AntsNone, Collectif: m.Collectif})
	}
	return out, nil
}

func address(l agenda.Lieu) string {
	return strings.TrimSpace(fmt.Sprintf("%s, %s %s", l.Street, l.PostalCode, l.City))
}

// Agenda returns the RDVs, plage occurrences, absences and holidays of the days [q.Start, q.End).
// It reads only the period's RDVs through an index (store.ListAgendaRdvs) and their usagers in one
// query: a week costs its own rows whatever the size of the file. It is polled to show arrivals,
// so it does not count as the agent's activity.
func (s *AgentService) Agenda(q AgendaQuery) (AgendaView, error) {
	ctx := s.context()
	if _, err := s.user(false); err != nil {
		return AgendaView{}, userError(err)
	}
	c, err := s.catalogue(ctx)
	if err != nil {
		return AgendaView{}, userError(err)
	}
	first, err1 := agenda.ParseDate(q.Start)
	end, err2 := agenda.ParseDate(q.End)
	if err1 != nil || err2 != nil || !first.Before(end) {
		return AgendaView{}, userError(agenda.Wrap("app.Agenda", agenda.CodeBadPeriod, fmt.Errorf("du %q au %q", q.Start, q.End)))
	}
	last := end.AddDays(-1)
	wanted := func(agentID, lieuID string) bool {
		if q.LieuID != "" && lieuID != "" && lieuID != q.LieuID {
			return false
		}
		return len(q.AgentIDs) == 0 || slices.Contains(q.AgentIDs, agentID)
	}
	view := AgendaView{Rdvs: []RdvView{}, Plages: []BlockView{}, Absences: []BlockView{}, Holidays: []HolidayView{}}
	for _, h := range c.org.Holidays.Between(first, last) {
		view.Holidays = append(view.Holidays, HolidayView{Date: h.Date.String(), Name: h.Name})
	}
	plages, err := s.db.ListPlages(ctx, c.org.ID, "")
	if err != nil {
		return AgendaView{}, userError(err)
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
		return AgendaView{}, userError(err)
	}
	for _, a := range absences {
		if !wanted(a.AgentID, "") {
			continue
		}
		for _, o := range a.Intervals(first, last, c.loc) {
			view.Absences = append(view.Absences, BlockView{AgentID: a.AgentID, Start: c.rfc(o.Start), End: c.rfc(o.End), Title: a.Title})
		}
	}
	rdvs, err := s.db.ListAgendaRdvs(ctx, c.org.ID, q.LieuID, first.At(0, c.loc), end.At(0, c.loc), q.IncludeCancelled)
	if err != nil {
		return AgendaView{}, userError(err)
	}
	rdvs = slices.DeleteFunc(rdvs, func(r agenda.Rdv) bool {
		return !slices.ContainsFunc(r.AgentIDs, func(a string) bool { return wanted(a, r.LieuID) })
	})
	if view.Rdvs, err = s.views(ctx, c, rdvs); err != nil {
		return AgendaView{}, userError(err)
	}
	return view, nil
}

// catalogue is what decorating RDVs needs, read once per call.
type catalogue struct {
	org    agenda.Organisation
	loc    *time.Location
	motifs map[string]agenda.Motif
	lieux  map[string]agenda.Lieu
	agents map[string]agenda.Agent
}

func (s *AgentService) catalogue(ctx context.Context) (*catalogue, error) {
	org, loc, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	c := &catalogue{org: org, loc: loc, motifs: map[string]agenda.Motif{}, lieux: map[string]agenda.Lieu{}, agents: map[string]agenda.Agent{}}
	ms, err := s.db.ListMotifs(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		c.motifs[m.ID] = m
	}
	ls, err := s.db.ListLieux(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		c.lieux[l.ID] = l
	}
	as, err := s.db.ListAgents(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		c.agents[a.ID] = a
	}
	return c, nil
}

func (c *catalogue) rfc(t time.Time) string { return t.In(c.loc).Format(time.RFC3339) }

// author names who made a change: an agent, the kiosk, online booking or the sync.
func (c *catalogue) author(by string) string {
	switch a := agenda.ParseActor(by); a.Kind {
	case agenda.ActorKiosk:
		return "Borne d'accueil"
	case agenda.ActorOnline, agenda.ActorUsager:
		return "Réservation en ligne"
	case agenda.ActorSync, agenda.ActorImport:
		return "Synchronisation"
	case agenda.ActorCLI:
		return "Ligne de commande"
	}
	if a, ok := c.agents[by]; ok {
		return a.Name
	}
	return by
}

// usagerName is « DUPONT Hélène », as lists and the agenda show people.
func usagerName(u agenda.Usager) string {
	return strings.TrimSpace(strings.ToUpper(u.LastName) + " " + u.FirstName)
}

// views decorates RDVs with their motif, lieu, agents and usagers, reading the usagers in one query.
func (s *AgentService) views(ctx context.Context, c *catalogue, rdvs []agenda.Rdv) ([]RdvView, error) {
	usagers, err := s.db.UsagersByID(ctx, store.ParticipantIDs(rdvs))
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	out := make([]RdvView, 0, len(rdvs))
	for _, r := range rdvs {
		out = append(out, c.view(r, usagers, now))
	}
	return out, nil
}

func (c *catalogue) view(r agenda.Rdv, usagers map[string]agenda.Usager, now time.Time) RdvView {
	m := c.motifs[r.MotifID]
	t := agenda.TemporalOf(r.StartsAt, now, c.loc)
	v := RdvView{
		ID: r.ID, Start: c.rfc(r.StartsAt), End: c.rfc(r.EndsAt), AgentIDs: r.AgentIDs, AgentNames: []string{},
		LieuID: r.LieuID, LieuName: c.lieux[r.LieuID].Name, MotifID: r.MotifID, MotifName: m.Name, Color: m.Color,
		Status: string(r.Status), StatusLabel: r.Status.Label(t), Context: r.Context, Documents: r.DocumentsNumber,
		Origine: string(r.Origine), Usagers: []string{}, UsagerIDs: []string{}, Transitions: []StatusOption{},
		Started: r.Started(now), Past: t == agenda.Past,
	}
	for _, a := range r.AgentIDs {
		v.AgentNames = append(v.AgentNames, c.agents[a].Name)
	}
	for _, p := range r.Participations {
		u := usagers[p.UsagerID]
		v.Usagers = append(v.Usagers, usagerName(u))
		v.UsagerIDs = append(v.UsagerIDs, p.UsagerID)
		if v.Phone == "" {
			v.Phone = u.Phone
		}
		if p.ArrivedAt != nil && v.ArrivedAt == "" {
			v.ArrivedAt = c.rfc(*p.ArrivedAt)
		}
	}
	for _, st := range agenda.Transitions(r.Status, t, r.Started(now), r.Collectif) {
		v.Transitions = append(v.Transitions, StatusOption{Status: string(st), Label: st.Label(t)})
	}
	return v
}
