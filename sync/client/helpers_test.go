package client_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/client/clienttest"
)

const token = "jeton-du-guichet"

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// monday is Monday 2 March 2026 (no holiday that week); the office's clock starts at 08:00 Paris.
var monday = agenda.Date{Year: 2026, Month: time.March, Day: 2}

func at(days, h, m int) time.Time { return monday.AddDays(days).At(agenda.Clk(h, m), paris).UTC() }

// office is an office's file with a small agenda: one organisation, a lieu, an agent (with a
// login and a password hash) and a guichet, each with a weekly plage, a 30-minute motif, an usager.
type office struct {
	db      *store.DB
	path    string
	clock   *clock.Manual
	org     agenda.Organisation
	lieu    agenda.Lieu
	agent   agenda.Agent
	guichet agenda.Agent
	motif   agenda.Motif
	plages  []agenda.PlageOuverture
	usager  agenda.Usager
}

// ok returns v, or panics with err (a test's setup or read that must not fail).
func ok[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newOffice(t testing.TB) *office {
	t.Helper()
	ctx := context.Background()
	o := &office{clock: clock.NewManual(at(0, 8, 0)), path: filepath.Join(t.TempDir(), "guichet.sqlite")}
	db, err := store.Open(o.path, store.Options{Clock: o.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o.db = db
	o.org = ok(db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Test", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}}))
	o.lieu = ok(db.SaveLieu(ctx, agenda.Lieu{OrganisationID: o.org.ID, Name: "Hôtel de ville", Street: "1 place de la Mairie", PostalCode: "75001", City: "Paris", Enabled: true}))
	o.agent = ok(db.SaveAgent(ctx, agenda.Agent{OrganisationID: o.org.ID, Kind: agenda.KindAgent, Name: "Claire Martin", Login: "cmartin", Role: agenda.RoleAdmin, Active: true}))
	if err := db.SetAgentPasswordHash(ctx, o.agent.ID, "argon2id$secret"); err != nil {
		t.Fatal(err)
	}
	o.guichet = ok(db.SaveAgent(ctx, agenda.Agent{OrganisationID: o.org.ID, Kind: agenda.KindGuichet, Name: "Guichet 1", Active: true}))
	o.motif = ok(db.SaveMotif(ctx, agenda.Motif{OrganisationID: o.org.ID, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30,
		LocationType: agenda.PublicOffice, MinPublicDelay: 30 * time.Minute, MaxPublicDelay: 90 * 24 * time.Hour, BookableKiosk: true}))
	week := agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	for _, a := range []agenda.Agent{o.agent, o.guichet} {
		o.plages = append(o.plages, ok(db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: o.org.ID, AgentID: a.ID, LieuID: o.lieu.ID,
			Title: "Accueil", MotifIDs: []string{o.motif.ID}, FirstDay: monday, Start: agenda.Clk(9, 0), End: agenda.Clk(17, 0),
			Recurrence: week, Canal: agenda.CanalGuichet})))
	}
	o.usager = ok(db.SaveUsager(ctx, agenda.Usager{OrganisationID: o.org.ID, FirstName: "Hélène", LastName: "Dupont", Phone: "+33612345678", NotifySMS: true}))
	return o
}

func (o *office) book(t testing.TB, start time.Time, agentID string) agenda.Rdv {
	t.Helper()
	return ok(o.db.Book(context.Background(), store.BookRequest{MotifID: o.motif.ID, LieuID: o.lieu.ID, AgentID: agentID, Start: start,
		Usagers: []string{o.usager.ID}, By: agenda.ByAgent(o.agent.ID)}))
}

func (o *office) client(url string, hc *http.Client) *client.Client {
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	return &client.Client{BaseURL: url, Token: token, HTTP: hc, DB: o.db, Clock: o.clock}
}

func (o *office) pending(t testing.TB) int {
	t.Helper()
	return ok(o.db.PendingOutboxCount(context.Background()))
}

func (o *office) outboxTotal(t testing.TB) int {
	t.Helper()
	n := o.pending(t)
	n += len(ok(o.db.RejectedOutbox(context.Background(), 100000)))
	return n + len(o.acked(t))
}

// acked returns the acked ops' ids (read through the « all ops » view the tests need).
func (o *office) acked(t testing.TB) []string {
	t.Helper()
	var ids []string
	rows := ok(o.db.OutboxByState(context.Background(), "acked", 1000000))
	for _, r := range rows {
		ids = append(ids, r.OpID)
	}
	return ids
}

// central starts a fake central with its server.
func central(t testing.TB) (*clienttest.Central, string) {
	t.Helper()
	c := clienttest.New(token)
	srv := c.Server()
	t.Cleanup(srv.Close)
	return c, srv.URL
}
