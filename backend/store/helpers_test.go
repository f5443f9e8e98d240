package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	clockpkg "rdvguichet/backend/clock"
)

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// monday is the fixture's first day: Monday 2 March 2026, no holiday that week.
var monday = agenda.Date{Year: 2026, Month: time.March, Day: 2}

// fixtureNow is 08:00 Paris on that Monday.
var fixtureNow = monday.At(agenda.Clk(8, 0), paris)

// at returns the instant of hh:mm Paris time, days after the fixture's Monday.
func at(days, h, m int) time.Time { return monday.AddDays(days).At(agenda.Clk(h, m), paris).UTC() }

type fixture struct {
	db     *DB
	path   string
	clock  *clockpkg.Manual
	org    agenda.Organisation
	lieu   agenda.Lieu
	agents []agenda.Agent // agents[0] is a person, the others guichets
	motif  agenda.Motif   // 30 min, kiosk-bookable
	coll   agenda.Motif   // collective, 60 min, 3 seats
	plages []agenda.PlageOuverture
	usager agenda.Usager
}

// newFixture opens a fresh database in a temporary folder with one organisation, one lieu, nAgents
// agenda resources each with a weekly plage Mon–Fri 09:00–12:00 and 14:00–17:00 (from monday, open
// ended) for both motifs, and one usager.
func newFixture(t testing.TB, nAgents int) *fixture {
	t.Helper()
	return newFixtureAt(t, filepath.Join(t.TempDir(), "rdv.sqlite"), nAgents)
}

func newFixtureAt(t testing.TB, path string, nAgents int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{path: path, clock: clockpkg.NewManual(fixtureNow)}
	db, err := Open(path, Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.org, err = db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Test", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}})
	must(err)
	f.lieu, err = db.SaveLieu(ctx, agenda.Lieu{OrganisationID: f.org.ID, Name: "Hôtel de ville", Street: "1 place de la Mairie", PostalCode: "75001", City: "Paris", Enabled: true})
	must(err)
	for i := range nAgents {
		a := agenda.Agent{OrganisationID: f.org.ID, Kind: agenda.KindGuichet, Name: "Guichet " + string(rune('1'+i)), Active: true}
		if i == 0 {
			a = agenda.Agent{OrganisationID: f.org.ID, Kind: agenda.KindAgent, Name: "Claire Martin", Login: "cmartin", Role: agenda.RoleAdmin, Active: true}
		}
		a, err = db.SaveAgent(ctx, a)
		must(err)
		f.agents = append(f.agents, a)
	}
	f.motif, err = db.SaveMotif(ctx, agenda.Motif{OrganisationID: f.org.ID, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30,
		LocationType: agenda.PublicOffice, MinPublicDelay: 30 * time.Minute, MaxPublicDelay: 90 * 24 * time.Hour,
		BookableKiosk: true, Pieces: []string{"Photo d'identité", "Justificatif de domicile"}, AntsCategory: agenda.AntsPasseport})
	must(err)
	f.coll, err = db.SaveMotif(ctx, agenda.Motif{OrganisationID: f.org.ID, Name: "Atelier numérique", Color: "#16A34A", DurationMin: 60,
		LocationType: agenda.PublicOffice, MinPublicDelay: 0, MaxPublicDelay: 90 * 24 * time.Hour, BookableKiosk: true, Collectif: true, Capacity: 3})
	must(err)
	week := agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	for _, a := range f.agents {
		for _, span := range [][2]agenda.ClockTime{{agenda.Clk(9, 0), agenda.Clk(12, 0)}, {agenda.Clk(14, 0), agenda.Clk(17, 0)}} {
			p, err := db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: f.org.ID, AgentID: a.ID, LieuID: f.lieu.ID, Title: "Accueil",
				MotifIDs: []string{f.motif.ID, f.coll.ID}, FirstDay: monday, Start: span[0], End: span[1], Recurrence: week, Canal: agenda.CanalGuichet})
			must(err)
			f.plages = append(f.plages, p)
		}
	}
	f.usager, err = db.SaveUsager(ctx, agenda.Usager{OrganisationID: f.org.ID, FirstName: "Hélène", LastName: "Dupont", Phone: "+33612345678",
		Email: "helene.dupont@example.fr", NotifySMS: true, NotifyEmail: true})
	must(err)
	return f
}

// ackAll acknowledges every pending outbox op as the central would (accepted, next version).
func (f *fixture) ackAll(t testing.TB) {
	t.Helper()
	ops, err := f.db.PendingOutbox(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if err := f.db.AckOutbox(context.Background(), op.OpID, op.BaseVersion+1); err != nil {
			t.Fatal(err)
		}
	}
}

// newUsager saves one more usager.
func (f *fixture) newUsager(t testing.TB, first, last string) agenda.Usager {
	t.Helper()
	u, err := f.db.SaveUsager(context.Background(), agenda.Usager{OrganisationID: f.org.ID, FirstName: first, LastName: last})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// book books the fixture's motif at start with agent for the fixture's usager.
func (f *fixture) book(start time.Time, agentID string) (agenda.Rdv, error) {
	return f.db.Book(context.Background(), BookRequest{MotifID: f.motif.ID, LieuID: f.lieu.ID, AgentID: agentID, Start: start,
		Usagers: []string{f.usager.ID}, By: agenda.ByAgent(f.agents[0].ID)})
}

func kindOf(err error) agenda.Kind { return agenda.KindOf(err) }

func isConflict(err error) bool {
	return err != nil && agenda.KindOf(err) == agenda.Conflict
}

func wantConflict(t testing.TB, err error) {
	t.Helper()
	if !isConflict(err) {
		t.Fatalf("want a Conflict, got %v (kind %v)", err, kindOf(err))
	}
	if c := agenda.CodeOf(err); c != agenda.CodeSlotTaken && c != agenda.CodeCollectifFull {
		t.Fatalf("conflict without its code: %v (%s)", err, c)
	}
}
