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

// office is the core every door shares: the office's data file, its clock, the window's context,
// the organisation and its catalogue (the one place that loads the organisation and its zone), and
// the printers of Paramètres › Impression with the convocations they print (printing.go,
// documents.go). The services (AgentService, NotificationService, KioskService) are doors over it;
// none holds another.
type office struct {
	db    *store.DB
	clock agenda.Clock
	ctx   context.Context // the window's, set by Services.Startup
	// readyLog receives « UI_READY » when the frontend has loaded (the smoke test waits for it).
	readyLog *log.Logger
	// health: whether the window is up, and the damage the background check found (health.go).
	health *health
	// newPrinters builds the printers of Paramètres › Impression (SystemPrinters; a fake in E2E).
	newPrinters PrinterFactory
	// printing, when set, replaces the stored Paramètres › Impression: a poste secondaire's
	// call prints with the poste's own settings (Services.ForCall).
	printing *PrinterSettings
	// documentsOnPoste: a poste secondaire's call, whose documents the poste writes (writeDocument).
	documentsOnPoste bool
	// serving is the postes' server of this process (nil: it serves none).
	serving Serving
	// reopen opens this PC's window again as a poste secondaire once paired (nil: it cannot).
	reopen func() error
	// pairFirst opens the window on the pairing screen (OfferPairing).
	pairFirst bool
}

func (o *office) context() context.Context {
	if o.ctx == nil {
		return context.Background()
	}
	return o.ctx
}

// org returns the office's organisation (one per data file) and its time zone: the one place
// that loads them.
func (o *office) org(ctx context.Context) (agenda.Organisation, *time.Location, error) {
	orgs, err := o.db.ListOrganisations(ctx)
	if err != nil {
		return agenda.Organisation{}, nil, err
	}
	if len(orgs) == 0 {
		return agenda.Organisation{}, nil, agenda.Fail("app.org", agenda.CodeNoOrganisation)
	}
	loc, err := orgs[0].Location()
	return orgs[0], loc, err
}

// catalogue is the organisation as the doors describe it: the organisation and its zone, its
// lieux, agents and motifs (archived ones included, for old RDVs). It is read once per call, not
// kept: the agent window's settings, the kiosk (another process on the same file) and the sync
// change it under a long-lived window.
type catalogue struct {
	org    agenda.Organisation
	loc    *time.Location
	motifs map[string]agenda.Motif
	lieux  map[string]agenda.Lieu
	agents map[string]agenda.Agent
}

func (o *office) catalogue(ctx context.Context) (*catalogue, error) {
	org, loc, err := o.org(ctx)
	if err != nil {
		return nil, err
	}
	c := &catalogue{org: org, loc: loc, motifs: map[string]agenda.Motif{}, lieux: map[string]agenda.Lieu{}, agents: map[string]agenda.Agent{}}
	ms, err := o.db.ListMotifs(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		c.motifs[m.ID] = m
	}
	ls, err := o.db.ListLieux(ctx, org.ID, true)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		c.lieux[l.ID] = l
	}
	as, err := o.db.ListAgents(ctx, org.ID, true)
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
		return "Borne d’accueil"
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
func (o *office) views(ctx context.Context, c *catalogue, rdvs []agenda.Rdv) ([]RdvView, error) {
	usagers, err := o.db.UsagersByID(ctx, store.ParticipantIDs(rdvs))
	if err != nil {
		return nil, err
	}
	now := o.clock.Now()
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
	for _, st := range r.StatusOptions(now, c.loc) {
		v.Transitions = append(v.Transitions, StatusOption{Status: string(st), Label: st.Label(t)})
	}
	return v
}

// gridRdv is a card of the agenda grid: view's fields that the grid draws, said the same way.
func (c *catalogue) gridRdv(card store.AgendaCard, now time.Time) GridRdv {
	m := c.motifs[card.MotifID]
	v := GridRdv{ID: card.ID, Start: c.rfc(card.StartsAt), End: c.rfc(card.EndsAt), AgentIDs: card.AgentIDs,
		MotifName: m.Name, Color: m.Color, Documents: card.DocumentsNumber, Status: string(card.Status),
		StatusLabel: card.Status.Label(agenda.TemporalOf(card.StartsAt, now, c.loc)), Usagers: make([]string, 0, len(card.People))}
	if v.AgentIDs == nil {
		v.AgentIDs = []string{}
	}
	for _, p := range card.People {
		v.Usagers = append(v.Usagers, usagerName(agenda.Usager{LastName: p.LastName, FirstName: p.FirstName}))
		if p.ArrivedAt != nil && v.ArrivedAt == "" {
			v.ArrivedAt = c.rfc(*p.ArrivedAt)
		}
	}
	return v
}

func address(l agenda.Lieu) string {
	return strings.TrimSpace(fmt.Sprintf("%s, %s %s", l.Street, l.PostalCode, l.City))
}

// today returns today's active RDVs of the organisation (all lieux).
func (o *office) today(ctx context.Context, c *catalogue) ([]agenda.Rdv, error) {
	d := agenda.DateOf(o.clock.Now().In(c.loc))
	return o.db.ListAgendaRdvs(ctx, c.org.ID, "", d.At(0, c.loc), d.AddDays(1).At(0, c.loc), false)
}
