// Package demo fills an empty data file with a realistic agenda: a commune with a mairie (where
// the DR takes passport and ID card requests) and a France Services office, three agendas, weekly
// plages, absences, usagers and about three months of RDVs around today, with varied statuses.
// It runs for `rdv-guichet demo` and on the desktop app's first start, so that a new install has
// something to show.
//
// RDVs are booked through the real booking path (store.Batch.Book: the same check and rows as
// store.Book), with a clock moved to the moment each one would have been booked, then marked as
// the agent would have: the history looks lived-in and the demo cannot hold an agenda the app
// itself would refuse. The whole demo is one transaction (store.DB.Apply): a first start cut short
// leaves an empty file, never half a demo, and the file is written once instead of at each of
// some 1,600 commits.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/store"
)

// Summary says what Create wrote.
type Summary struct {
	Organisation string
	Lieux        int
	Agents       int
	Motifs       int
	Plages       int
	Absences     int
	Usagers      int
	Rdvs         int
}

// movingClock is the clock the demo books with: set to each booking's moment in turn.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Create opens the data file at path (creating it), and fills it when it holds no organisation
// yet. now is the demo's today; days is how far the RDVs reach on each side of it.
// It refuses a file that already holds data: a demo never mixes with a real agenda.
func Create(ctx context.Context, path string, now time.Time, days int) (Summary, error) {
	clk := &movingClock{t: now}
	// Commits are not synced one by one: a power cut during the demo loses its last RDVs, never
	// the file, and the close's checkpoint syncs everything.
	db, err := store.Open(path, store.Options{Clock: clk, DeferSync: true})
	if err != nil {
		return Summary{}, err
	}
	defer db.Close()
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		return Summary{}, err
	}
	if len(orgs) > 0 {
		return Summary{}, agenda.Errorf("demo.Create", agenda.Invalid,
			"le fichier %s contient déjà l’agenda de « %s » : la démonstration ne s’écrit que dans un fichier vide", path, orgs[0].Name)
	}
	g := &generator{clk: clk, now: now, rnd: rand.New(rand.NewPCG(20261123, uint64(now.YearDay())))}
	if err := db.Apply(ctx, "demo.Create", func(b *store.Batch) error { g.db = b; return g.run(days) }); err != nil {
		return Summary{}, agenda.E("demo.Create", agenda.Other, err)
	}
	return g.sum, nil
}

type generator struct {
	db  *store.Batch
	clk *movingClock
	now time.Time
	rnd *rand.Rand
	loc *time.Location
	sum Summary

	org     agenda.Organisation
	mairie  agenda.Lieu
	fs      agenda.Lieu
	dr      agenda.Agent
	claire  agenda.Agent
	karim   agenda.Agent
	motifs  []agenda.Motif
	usagers []agenda.Usager
	busy    []booked
}

func (g *generator) run(days int) error {
	var err error
	g.loc, err = time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	if err := g.structure(); err != nil {
		return err
	}
	if err := g.people(); err != nil {
		return err
	}
	if err := g.accounts(); err != nil {
		return err
	}
	return g.rdvs(days)
}

func (g *generator) structure() (err error) {
	g.org, err = g.db.SaveOrganisation(agenda.Organisation{
		Name: "Mairie de Saint-Aubin-sur-Loire", AccentColor: "#1f5fa8", TimeZone: "Europe/Paris",
		Email: "accueil@saint-aubin-sur-loire.fr", Phone: "+33238000000",
		Holidays: agenda.HolidayRules{Departement: "45", LundiPentecoteTravaille: true},
	})
	if err != nil {
		return err
	}
	g.sum.Organisation = g.org.Name
	lieu := func(name, street, phone, access string) (agenda.Lieu, error) {
		g.sum.Lieux++
		return g.db.SaveLieu(agenda.Lieu{OrganisationID: g.org.ID, Name: name, Street: street, PostalCode: "45130",
			City: "Saint-Aubin-sur-Loire", Phone: phone, Accessibility: access, Enabled: true})
	}
	if g.mairie, err = lieu("Mairie", "1 place de la Mairie", "+33238000000", "Accès de plain-pied par la rue de l’Église ; bureau des titres au rez-de-chaussée."); err != nil {
		return err
	}
	if g.fs, err = lieu("France Services", "12 rue du Marché", "+33238000010", "Ascenseur ; boucle magnétique à l’accueil."); err != nil {
		return err
	}
	agent := func(a agenda.Agent) (agenda.Agent, error) {
		a.OrganisationID, a.Active = g.org.ID, true
		g.sum.Agents++
		return g.db.SaveAgent(a)
	}
	if g.dr, err = agent(agenda.Agent{Kind: agenda.KindGuichet, Name: "DR — titres d’identité", Role: agenda.RoleAgent}); err != nil {
		return err
	}
	if g.claire, err = agent(agenda.Agent{Kind: agenda.KindAgent, Name: "Claire Martin", Login: "claire", Email: "claire.martin@saint-aubin-sur-loire.fr", Role: agenda.RoleAdmin}); err != nil {
		return err
	}
	if g.karim, err = agent(agenda.Agent{Kind: agenda.KindAgent, Name: "Karim Benali", Login: "karim", Email: "karim.benali@saint-aubin-sur-loire.fr", Role: agenda.RoleAgent}); err != nil {
		return err
	}
	for _, m := range motifs(g.org.ID) {
		saved, err := g.db.SaveMotif(m)
		if err != nil {
			return fmt.Errorf("motif %s : %w", m.Name, err)
		}
		g.motifs = append(g.motifs, saved)
	}
	g.sum.Motifs = len(g.motifs)
	return g.plagesAndAbsences()
}

func (g *generator) ids(from, to int) []string {
	var ids []string
	for _, m := range g.motifs[from:to] {
		ids = append(ids, m.ID)
	}
	return ids
}

func (g *generator) plagesAndAbsences() error {
	today := agenda.DateOf(g.now.In(g.loc))
	// Plages started a year ago, on the Monday of that week, so that every weekday is an occurrence.
	monday := today.AddDays(-364 - (int(today.Weekday())+6)%7)
	weekly := func(days ...time.Weekday) agenda.Recurrence {
		return agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: days}
	}
	first := func(wd time.Weekday) agenda.Date { return monday.AddDays((int(wd) + 6) % 7) }
	titres, fsMotifs := g.ids(0, 4), g.ids(4, len(g.motifs))
	plages := []agenda.PlageOuverture{
		{AgentID: g.dr.ID, LieuID: g.mairie.ID, Title: "Titres — matin", MotifIDs: titres, FirstDay: first(time.Tuesday),
			Start: agenda.Clk(8, 30), End: agenda.Clk(12, 0), Recurrence: weekly(time.Tuesday, time.Thursday), Canal: agenda.CanalGuichet},
		{AgentID: g.dr.ID, LieuID: g.mairie.ID, Title: "Titres — samedi", MotifIDs: titres, FirstDay: first(time.Saturday),
			Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Recurrence: weekly(time.Saturday), Canal: agenda.CanalGuichet},
		{AgentID: g.dr.ID, LieuID: g.mairie.ID, Title: "Titres — en ligne", MotifIDs: g.ids(0, 3), FirstDay: first(time.Wednesday),
			Start: agenda.Clk(14, 0), End: agenda.Clk(17, 0), Recurrence: weekly(time.Wednesday), Canal: agenda.CanalEnLigne},
		{AgentID: g.claire.ID, LieuID: g.fs.ID, Title: "France Services — matin", MotifIDs: fsMotifs, FirstDay: first(time.Monday),
			Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Recurrence: weekly(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday), Canal: agenda.CanalGuichet},
		{AgentID: g.claire.ID, LieuID: g.fs.ID, Title: "France Services — après-midi", MotifIDs: fsMotifs, FirstDay: first(time.Monday),
			Start: agenda.Clk(13, 30), End: agenda.Clk(17, 0), Recurrence: weekly(time.Monday, time.Tuesday, time.Thursday, time.Friday), Canal: agenda.CanalGuichet},
		{AgentID: g.karim.ID, LieuID: g.fs.ID, Title: "France Services", MotifIDs: fsMotifs, FirstDay: first(time.Monday),
			Start: agenda.Clk(9, 0), End: agenda.Clk(12, 30), Recurrence: weekly(time.Monday, time.Tuesday, time.Thursday, time.Friday), Canal: agenda.CanalGuichet},
		{AgentID: g.karim.ID, LieuID: g.mairie.ID, Title: "Permanence à la mairie", MotifIDs: g.ids(3, len(g.motifs)), FirstDay: first(time.Wednesday),
			Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Recurrence: weekly(time.Wednesday), Canal: agenda.CanalGuichet},
	}
	for _, p := range plages {
		p.OrganisationID = g.org.ID
		if _, err := g.db.SavePlage(p); err != nil {
			return fmt.Errorf("plage %s : %w", p.Title, err)
		}
		g.sum.Plages++
	}
	leave := today.AddDays(21 - (int(today.Weekday())+6)%7) // the Monday three weeks ahead
	absences := []agenda.Absence{
		{AgentID: g.claire.ID, Title: "Congés", FirstDay: leave, EndDay: leave.AddDays(4), Start: agenda.Clk(0, 0), End: agenda.Clk(24, 0)},
		{AgentID: g.karim.ID, Title: "Formation", FirstDay: today.AddDays(9), EndDay: today.AddDays(9), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 30)},
		{AgentID: g.dr.ID, Title: "Maintenance du DR", FirstDay: today.AddDays(-17), EndDay: today.AddDays(-17), Start: agenda.Clk(8, 0), End: agenda.Clk(10, 0)},
	}
	for _, a := range absences {
		a.OrganisationID = g.org.ID
		if _, err := g.db.SaveAbsence(a); err != nil {
			return fmt.Errorf("absence %s : %w", a.Title, err)
		}
		g.sum.Absences++
	}
	return nil
}

func (g *generator) people() error {
	for i := 0; i < 180; i++ {
		fn, ln := firstNames[i%len(firstNames)], lastNames[(i*7)%len(lastNames)]
		u := agenda.Usager{OrganisationID: g.org.ID, FirstName: fn, LastName: ln,
			NotifySMS: true, NotifyEmail: i%3 != 0}
		if i%5 != 4 {
			u.Phone = fmt.Sprintf("+336%08d", 10000000+i*431)
		}
		if i%3 != 0 {
			u.Email = fmt.Sprintf("%s.%s%d@exemple.fr", ascii(fn), ascii(ln), i)
		}
		if i%4 == 0 {
			u.BirthDate = agenda.Date{Year: 1940 + i%60, Month: time.Month(1 + i%12), Day: 1 + i%28}
		}
		saved, err := g.db.SaveUsager(u)
		if err != nil {
			return fmt.Errorf("usager %s %s : %w", fn, ln, err)
		}
		g.usagers = append(g.usagers, saved)
	}
	g.sum.Usagers = len(g.usagers)
	return nil
}

// rdvs books about 60 % of each day's free slots from days ago to days ahead, then marks
// statuses: past RDVs mostly seen, some lapins and cancellations, the last few days partly still
// « à renseigner »; a few future RDVs cancelled; this morning's usagers checked in.
//
// The slot searches read the plages and absences once for the whole range, and the busy spans
// from the RDVs the demo has booked so far (g.busy), not from the file day after day: the
// booking itself re-checks each slot in the transaction. The demo's motifs are individual: there
// are no collective sessions to keep.
func (g *generator) rdvs(days int) error {
	today := agenda.DateOf(g.now.In(g.loc))
	first, last := today.AddDays(-days), today.AddDays(days)
	opening := map[string]*creneaux.Data{}
	for _, m := range g.motifs {
		d, err := g.db.LoadCreneauxData(m.ID, "", first.At(0, g.loc), last.AddDays(1).At(0, g.loc))
		if err != nil {
			return err
		}
		opening[m.ID] = d
	}
	for d := first; !d.After(last); d = d.AddDays(1) {
		dayStart := d.At(0, g.loc)
		for _, m := range g.motifs {
			g.clk.set(dayStart.Add(-30 * 24 * time.Hour))
			o := opening[m.ID]
			data := &creneaux.Data{Org: o.Org, Plages: o.Plages, Absences: o.Absences, Busy: g.busyAround(dayStart)}
			slots, err := creneaux.Search(data, creneaux.Request{Motif: m, From: dayStart, To: dayStart.Add(24 * time.Hour),
				Now: g.clk.Now(), Origine: agenda.OrigineGuichet, Documents: 1})
			if err != nil {
				return err
			}
			for _, s := range slots {
				// A plage offers about four motifs, each taking some 18 % of its slots: about 60 %
				// of the day is booked. The booking path re-checks every slot, so one that an
				// earlier booking of this list took (two documents run longer) is refused and skipped.
				if g.rnd.Float64() > 0.18 {
					continue
				}
				if err := g.book(m, s, d, today); err != nil && agenda.KindOf(err) != agenda.Conflict {
					return err
				}
			}
		}
	}
	return nil
}

// booked is an active RDV of the demo's agent, for the next slot searches.
type booked struct {
	rdvID string
	creneaux.Busy
}

// busyAround returns the busy spans of the demo's active RDVs from the day before dayStart to
// the day after (the engine looks at neighbouring days; extra rows are harmless).
func (g *generator) busyAround(dayStart time.Time) []creneaux.Busy {
	from, to := dayStart.Add(-24*time.Hour), dayStart.Add(48*time.Hour)
	var out []creneaux.Busy
	for _, b := range g.busy {
		if b.Start.Before(to) && b.End.After(from) {
			out = append(out, b.Busy)
		}
	}
	return out
}

// keep records r's spans in g.busy while r is active, and drops them once it is cancelled.
func (g *generator) keep(r agenda.Rdv) {
	g.busy = slices.DeleteFunc(g.busy, func(b booked) bool { return b.rdvID == r.ID })
	if r.Status.Cancelled() {
		return
	}
	for _, a := range r.AgentIDs {
		g.busy = append(g.busy, booked{r.ID, creneaux.Busy{AgentID: a, Interval: agenda.Interval{Start: r.StartsAt, End: r.EndsAt}}})
	}
}

func (g *generator) book(m agenda.Motif, s creneaux.Creneau, d, today agenda.Date) error {
	bookedAt := s.Start.Add(-time.Duration(3+g.rnd.IntN(20*24)) * time.Hour) // beyond the kiosk's 2 h minimum delay
	g.clk.set(bookedAt)
	origine, by := agenda.OrigineGuichet, agenda.ByAgent(g.claire.ID)
	if m.BookableKiosk && g.rnd.IntN(4) == 0 {
		origine, by = agenda.OrigineKiosk, agenda.Kiosk
	}
	u := g.usagers[g.rnd.IntN(len(g.usagers))]
	docs := 1
	if m.AntsCategory != agenda.AntsNone && g.rnd.IntN(6) == 0 {
		docs = 2
	}
	req := store.BookRequest{MotifID: m.ID, LieuID: s.LieuID, AgentID: s.AgentID, Start: s.Start,
		Documents: docs, Usagers: []string{u.ID}, Context: contexts[g.rnd.IntN(len(contexts))], Origine: origine, By: by}
	r, err := g.db.Book(req)
	if err != nil && docs > 1 && agenda.KindOf(err) == agenda.Invalid {
		// The slot was found for one document; two may run past the plage's end.
		req.Documents = 1
		r, err = g.db.Book(req)
	}
	if err != nil {
		return err
	}
	g.sum.Rdvs++
	if r, err = g.mark(r, u.ID, d, today, bookedAt); err != nil {
		return err
	}
	g.keep(r)
	return nil
}

// mark gives the RDV booked at bookedAt the status an agent would have set by now, and returns it.
func (g *generator) mark(r agenda.Rdv, usagerID string, d, today agenda.Date, bookedAt time.Time) (agenda.Rdv, error) {
	p := g.rnd.Float64()
	switch {
	case d.Before(today.AddDays(-3)) || (d.Before(today) && p < 0.5):
		return g.settle(r, p)
	case d == today && r.StartsAt.Before(g.now):
		g.clk.set(r.StartsAt.Add(-time.Duration(2+g.rnd.IntN(10)) * time.Minute))
		r, err := g.db.MarkArrived(r.ID, []string{usagerID}, g.clk.Now())
		if err == nil && r.EndsAt.Before(g.now) {
			g.clk.set(r.EndsAt)
			r, err = g.db.SetStatus(r.ID, agenda.StatusSeen, agenda.ByAgent(g.claire.ID))
		}
		return r, err
	case !d.Before(today) && p < 0.06:
		g.clk.set(bookedAt.Add(time.Hour))
		return g.db.SetStatus(r.ID, agenda.StatusExcused, agenda.ByAgent(g.claire.ID))
	}
	return r, nil
}

// settle gives a past RDV the status an agent would have set, at a plausible moment.
func (g *generator) settle(r agenda.Rdv, p float64) (agenda.Rdv, error) {
	status, at := agenda.StatusSeen, r.EndsAt.Add(5*time.Minute)
	switch {
	case p < 0.12:
		status, at = agenda.StatusNoshow, r.StartsAt.Add(15*time.Minute)
	case p < 0.19:
		status, at = agenda.StatusExcused, r.StartsAt.Add(-26*time.Hour)
	case p < 0.22:
		status, at = agenda.StatusRevoked, r.StartsAt.Add(-50*time.Hour)
	}
	g.clk.set(at)
	return g.db.SetStatus(r.ID, status, agenda.ByAgent(g.claire.ID))
}

// ascii keeps e-mail addresses plain.
func ascii(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case 'é', 'è', 'ê', 'ë', 'É':
			r = 'e'
		case 'ï', 'î':
			r = 'i'
		case 'ç':
			r = 'c'
		case 'à':
			r = 'a'
		case 'ô':
			r = 'o'
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		out = append(out, r)
	}
	return string(out)
}
