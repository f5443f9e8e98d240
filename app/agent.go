package app

import (
	"context"
	"fmt"
	"log"
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
		return agenda.Organisation{}, nil, agenda.Errorf("app.org", agenda.NotFound, "aucune organisation n'est configurée")
	}
	loc, err := time.LoadLocation(orgs[0].TimeZone)
	return orgs[0], loc, err
}

// Ready is called once by the frontend when it has loaded; it returns what the first screen needs.
func (s *AgentService) Ready() (Startup, error) {
	ctx := s.context()
	if s.readyLog != nil {
		s.readyLog.Println("UI_READY")
	}
	org, loc, err := s.org(ctx)
	if err != nil {
		return Startup{}, userError(err)
	}
	now := s.clock.Now()
	out := Startup{
		Organisation: OrganisationView{Name: org.Name, AccentColor: org.AccentColor, TimeZone: org.TimeZone},
		Today:        agenda.DateOf(now.In(loc)).String(),
		Now:          now.Format(time.RFC3339),
		Agents:       []ResourceView{}, Lieux: []LieuView{}, Motifs: []MotifView{},
	}
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
		out.Motifs = append(out.Motifs, MotifView{ID: m.ID, Name: m.Name, Color: m.Color, DurationMin: m.DurationMin})
	}
	return out, nil
}

func address(l agenda.Lieu) string {
	return strings.TrimSpace(fmt.Sprintf("%s, %s %s", l.Street, l.PostalCode, l.City))
}

// Agenda returns the RDVs, plage occurrences, absences and holidays of the days [q.Start, q.End).
func (s *AgentService) Agenda(q AgendaQuery) (AgendaView, error) {
	ctx := s.context()
	org, loc, err := s.org(ctx)
	if err != nil {
		return AgendaView{}, userError(err)
	}
	first, err1 := agenda.ParseDate(q.Start)
	end, err2 := agenda.ParseDate(q.End)
	if err1 != nil || err2 != nil || !first.Before(end) {
		return AgendaView{}, fmt.Errorf("période d'agenda invalide : du %q au %q", q.Start, q.End)
	}
	last := end.AddDays(-1)
	from, to := first.At(0, loc), end.At(0, loc)
	wanted := func(agentID, lieuID string) bool {
		if q.LieuID != "" && lieuID != "" && lieuID != q.LieuID {
			return false
		}
		if len(q.AgentIDs) == 0 {
			return true
		}
		for _, id := range q.AgentIDs {
			if id == agentID {
				return true
			}
		}
		return false
	}
	view := AgendaView{Rdvs: []RdvView{}, Plages: []BlockView{}, Absences: []BlockView{}, Holidays: []HolidayView{}}
	for _, h := range org.Holidays.Between(first, last) {
		view.Holidays = append(view.Holidays, HolidayView{Date: h.Date.String(), Name: h.Name})
	}

	plages, err := s.db.ListPlages(ctx, org.ID, "")
	if err != nil {
		return AgendaView{}, userError(err)
	}
	for _, p := range plages {
		if !wanted(p.AgentID, p.LieuID) {
			continue
		}
		for _, o := range p.Occurrences(first, last, loc) {
			view.Plages = append(view.Plages, BlockView{AgentID: p.AgentID, LieuID: p.LieuID, Start: rfc(o.Start, loc), End: rfc(o.End, loc), Title: p.Title, Canal: string(p.Canal)})
		}
	}
	absences, err := s.db.ListAbsences(ctx, org.ID, "")
	if err != nil {
		return AgendaView{}, userError(err)
	}
	for _, a := range absences {
		if !wanted(a.AgentID, "") {
			continue
		}
		for _, o := range a.Intervals(first, last, loc) {
			view.Absences = append(view.Absences, BlockView{AgentID: a.AgentID, Start: rfc(o.Start, loc), End: rfc(o.End, loc), Title: a.Title})
		}
	}
	rdvs, err := s.db.ListRdvsBetween(ctx, from, to, store.RdvFilter{OrganisationID: org.ID, LieuID: q.LieuID, IncludeCancelled: q.IncludeCancelled})
	if err != nil {
		return AgendaView{}, userError(err)
	}
	views, err := s.rdvViews(ctx, org, loc, rdvs)
	if err != nil {
		return AgendaView{}, userError(err)
	}
	for _, v := range views {
		for _, a := range v.AgentIDs {
			if wanted(a, v.LieuID) {
				view.Rdvs = append(view.Rdvs, v)
				break
			}
		}
	}
	return view, nil
}

func rfc(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.RFC3339) }

// rdvViews decorates RDVs with their motif, lieu and usagers' names, reading each only once.
func (s *AgentService) rdvViews(ctx context.Context, org agenda.Organisation, loc *time.Location, rdvs []agenda.Rdv) ([]RdvView, error) {
	motifs := map[string]agenda.Motif{}
	ms, err := s.db.ListMotifs(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		motifs[m.ID] = m
	}
	lieux := map[string]string{}
	ls, err := s.db.ListLieux(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		lieux[l.ID] = l.Name
	}
	usagers := map[string]agenda.Usager{}
	now := s.clock.Now()
	out := make([]RdvView, 0, len(rdvs))
	for _, r := range rdvs {
		m := motifs[r.MotifID]
		t := agenda.TemporalOf(r.StartsAt, now, loc)
		v := RdvView{
			ID: r.ID, Start: rfc(r.StartsAt, loc), End: rfc(r.EndsAt, loc), AgentIDs: r.AgentIDs,
			LieuID: r.LieuID, LieuName: lieux[r.LieuID], MotifID: r.MotifID, MotifName: m.Name, Color: m.Color,
			Status: string(r.Status), StatusLabel: r.Status.Label(t), Context: r.Context, Documents: r.DocumentsNumber,
			Origine: string(r.Origine), Usagers: []string{}, Transitions: []StatusOption{},
		}
		for _, p := range r.Participations {
			u, ok := usagers[p.UsagerID]
			if !ok {
				if u, err = s.db.GetUsager(ctx, p.UsagerID); err != nil {
					return nil, err
				}
				usagers[p.UsagerID] = u
			}
			v.Usagers = append(v.Usagers, strings.ToUpper(u.LastName)+" "+u.FirstName)
			if v.Phone == "" {
				v.Phone = u.Phone
			}
			if p.ArrivedAt != nil && v.ArrivedAt == "" {
				v.ArrivedAt = rfc(*p.ArrivedAt, loc)
			}
		}
		for _, st := range agenda.Transitions(r.Status, t, r.Started(now), r.Collectif) {
			v.Transitions = append(v.Transitions, StatusOption{Status: string(st), Label: st.Label(t)})
		}
		out = append(out, v)
	}
	return out, nil
}
