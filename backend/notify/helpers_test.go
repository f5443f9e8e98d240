package notify

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// monday10 is Monday 2 March 2026, 10:00 in Paris.
var monday10 = time.Date(2026, 3, 2, 10, 0, 0, 0, paris)

// sent is one message a fake provider received.
type sent struct {
	At      time.Time
	Channel string
	To      string
	Text    string // SMS text or e-mail subject
}

type fakeSMS struct {
	mu    sync.Mutex
	clock agenda.Clock
	out   []sent
	fail  func(m SMS) error
}

func (p *fakeSMS) Name() string { return "fake-sms" }
func (p *fakeSMS) Send(_ context.Context, m SMS) (SentSMS, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		if err := p.fail(m); err != nil {
			return SentSMS{}, err
		}
	}
	p.out = append(p.out, sent{p.clock.Now(), "sms", m.To, m.Text})
	return SentSMS{Parts: SMSParts(m.Text), ID: m.Ref}, nil
}

type fakeMail struct {
	mu    sync.Mutex
	clock agenda.Clock
	out   []sent
}

func (p *fakeMail) Name() string { return "fake-mail" }
func (p *fakeMail) Send(_ context.Context, m *mail.Msg) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	to, _ := m.GetRecipients()
	subj := m.GetGenHeader(mail.HeaderSubject)
	p.out = append(p.out, sent{p.clock.Now(), "email", strings.Join(to, ","), strings.Join(subj, "")})
	return nil
}

type world struct {
	db     *store.DB
	path   string
	clock  *fakeClock
	org    agenda.Organisation
	lieu   agenda.Lieu
	agent  agenda.Agent
	motif  agenda.Motif
	usager agenda.Usager
	sms    *fakeSMS
	mail   *fakeMail
	sender *Sender
}

// newWorld opens a database with one office, both channels on (journal SMS provider in the
// settings, fakes in the sender) and default delays.
func newWorld(t testing.TB) *world {
	t.Helper()
	return newWorldAt(t, filepath.Join(t.TempDir(), "rdv.sqlite"))
}

func newWorldAt(t testing.TB, path string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{path: path, clock: &fakeClock{t: monday10}}
	db, err := store.Open(path, store.Options{Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db = db
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.org, err = db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Saint-Aubin", TimeZone: "Europe/Paris",
		Email: "accueil@saint-aubin.fr", Phone: "+33238000000"})
	must(err)
	w.lieu, err = db.SaveLieu(ctx, agenda.Lieu{OrganisationID: w.org.ID, Name: "Hôtel de ville", Street: "1 place de la Mairie",
		PostalCode: "45130", City: "Saint-Aubin", Phone: "+33238000001", Enabled: true})
	must(err)
	w.agent, err = db.SaveAgent(ctx, agenda.Agent{OrganisationID: w.org.ID, Kind: agenda.KindAgent, Name: "Claire Martin", Login: "cmartin", Role: agenda.RoleAdmin, Active: true})
	must(err)
	w.motif, err = db.SaveMotif(ctx, agenda.Motif{OrganisationID: w.org.ID, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30, LocationType: agenda.PublicOffice,
		MaxPublicDelay: 90 * 24 * time.Hour, Pieces: []string{"Photo d'identité", "Justificatif de domicile"}})
	must(err)
	w.usager = w.newUsager(t, "Hélène", "Dupont", "+33612345678", "helene.dupont@example.fr")
	set := DefaultSettings()
	set.EmailEnabled, set.SMSEnabled = true, true
	set.SMTP = SMTPSettings{Host: "localhost", From: "Mairie de Saint-Aubin <rdv@saint-aubin.fr>"}
	set.SMS = SMSSettings{Provider: "journal", Sender: "StAubin"}
	must(SaveSettings(ctx, db, set))
	w.sms = &fakeSMS{clock: w.clock}
	w.mail = &fakeMail{clock: w.clock}
	w.sender = &Sender{DB: db, Clock: w.clock, SMS: w.sms, Mail: w.mail, Secret: []byte("0123456789abcdef0123456789abcdef")}
	return w
}

func (w *world) newUsager(t testing.TB, first, last, phone, email string) agenda.Usager {
	t.Helper()
	u, err := w.db.SaveUsager(context.Background(), agenda.Usager{OrganisationID: w.org.ID, FirstName: first, LastName: last,
		Phone: phone, Email: email, NotifySMS: true, NotifyEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *world) book(t testing.TB, start time.Time, usagers ...agenda.Usager) agenda.Rdv {
	t.Helper()
	if len(usagers) == 0 {
		usagers = []agenda.Usager{w.usager}
	}
	var ids []string
	for _, u := range usagers {
		ids = append(ids, u.ID)
	}
	r, err := w.db.Book(context.Background(), store.BookRequest{MotifID: w.motif.ID, LieuID: w.lieu.ID, AgentID: w.agent.ID,
		Start: start, Usagers: ids, By: agenda.ByAgent(w.agent.ID), Override: true})
	if err != nil {
		t.Fatalf("book %v: %v", start, err)
	}
	return r
}

// at sets the clock and runs the sender once.
func (w *world) at(t testing.TB, when time.Time) []Action {
	t.Helper()
	w.clock.Set(when)
	acts, err := w.sender.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce at %v: %v", when, err)
	}
	return acts
}

// log returns what left for an RDV, from its receipts, as « Mon 15:04 channel event » lines.
func (w *world) log(t testing.TB, rdvID string) []string {
	t.Helper()
	rs, err := w.db.ListReceipts(context.Background(), rdvID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		if r.Result != "sent" {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s %s", r.CreatedAt.In(paris).Format("Mon 15:04"), r.Channel, r.Event))
	}
	sort.Strings(out)
	return out
}
