package principal_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/app"
	"rdvguichet/app/principal"
	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

// The secondary's window (app.RemoteService) against a principal served in the test's process:
// what the principal prints for a poste comes out on the poste's printers.

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// printed records what a poste's printers print; err makes them fail.
type printed struct {
	mu   sync.Mutex
	docs []printing.Document
	err  error
}

func (p *printed) Print(_ context.Context, doc printing.Document) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.docs = append(p.docs, doc)
	return nil
}

// now is the in-process tests' present: Tuesday 10 March 2026, 08:45 in Paris.
var now = time.Date(2026, 3, 10, 8, 45, 0, 0, time.FixedZone("CET", 3600))

// localOffice is a principal in the test's process, on the demo of now.
func localOffice(tb testing.TB) (*principal.Server, *store.DB) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "principal.sqlite")
	if _, err := demo.Create(context.Background(), path, now, 30); err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(path, store.Options{Clock: fixedClock{now}})
	if err != nil {
		tb.Fatal(err)
	}
	events := app.New(db, fixedClock{now}, nil).Events
	events.Start(context.Background(), nil)
	s := principal.New(db, fixedClock{now}, log.New(io.Discard, "", 0), events)
	if err := s.Start("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Stop(); events.Stop(); db.Close() })
	return s, db
}

// remotePoste pairs a poste of role and returns its window, its printers' record and its client.
func remotePoste(tb testing.TB, s *principal.Server, db *store.DB, role string, set app.PrinterSettings) (*app.RemoteService, *printed) {
	tb.Helper()
	inv, err := poste.Invite(context.Background(), db, role+" de test", role, now)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := poste.Pair(context.Background(), s.Address(), inv.Code, "test", inv.Fingerprint)
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := poste.Paired(p)
	if err != nil {
		tb.Fatal(err)
	}
	if cfg.Printing, err = json.Marshal(set); err != nil {
		tb.Fatal(err)
	}
	client, err := cfg.Client()
	if err != nil {
		tb.Fatal(err)
	}
	rec := &printed{}
	r := app.NewRemote(client, cfg, func(poste.Config) error { return nil }, func(set app.PrinterSettings) app.Printers {
		out := app.Printers{A4: rec}
		if set.TicketKind != app.TicketNone {
			out.Ticket = rec
		}
		return out
	}, filepath.Join(tb.TempDir(), "poste"))
	return r, rec
}

// remoteCall calls name through the window with Go values and decodes the result into out.
func remoteCall(tb testing.TB, r *app.RemoteService, out any, name string, args ...any) error {
	tb.Helper()
	raw := make([]json.RawMessage, len(args))
	for i, a := range args {
		raw[i], _ = json.Marshal(a)
	}
	res, err := r.Call(name, raw)
	if err == nil && out != nil {
		if jerr := json.Unmarshal(res, out); jerr != nil {
			tb.Fatal(jerr)
		}
	}
	return err
}

func firstKioskTime(tb testing.TB, r *app.RemoteService) (app.KioskMotif, app.KioskTime) {
	tb.Helper()
	var home app.KioskHome
	if err := remoteCall(tb, r, &home, "app.KioskService.Home"); err != nil {
		tb.Fatal(err)
	}
	for _, m := range home.Motifs {
		if m.Ants {
			continue
		}
		var days []app.KioskDay
		if err := remoteCall(tb, r, &days, "app.KioskService.Days", m.ID, 1); err != nil || len(days) == 0 {
			tb.Fatal(err, days)
		}
		var times []app.KioskTime
		if err := remoteCall(tb, r, &times, "app.KioskService.Times", m.ID, days[0].Date, 1); err != nil || len(times) == 0 {
			tb.Fatal(err, times)
		}
		return m, times[0]
	}
	tb.Fatal("no kiosk motif")
	return app.KioskMotif{}, app.KioskTime{}
}

// The kiosk's ticket comes out of the kiosk's own ticket printer, as the kiosk's settings say.
func TestKioskTicketPrintedOnThePoste(t *testing.T) {
	s, db := localOffice(t)
	r, rec := remotePoste(t, s, db, store.RoleBorne, app.PrinterSettings{TicketKind: app.TicketSocket, TicketAddr: "192.168.1.77"})
	m, at := firstKioskTime(t, r)
	var res app.KioskBookResult
	if err := remoteCall(t, r, &res, "app.KioskService.Book", kioskRequest(m.ID, at, "TICKET")); err != nil || res.Ticket == nil {
		t.Fatalf("%+v %v", res, err)
	}
	if !res.Ticket.Printed || len(rec.docs) != 1 || rec.docs[0].Kind != printing.Raw {
		t.Errorf("ticket: %+v, printed here: %d", res.Ticket, len(rec.docs))
	}
	// The kiosk's printer fails: the booking stands, the usager is told to ask at the reception.
	rec.err = agenda.E("test", agenda.Unavailable, errors.New("imprimante injoignable"))
	_, at2 := firstKioskTime(t, r)
	res = app.KioskBookResult{}
	if err := remoteCall(t, r, &res, "app.KioskService.Book", kioskRequest(m.ID, at2, "SANSTICKET")); err != nil || res.Ticket == nil {
		t.Fatalf("%+v %v", res, err)
	}
	if res.Ticket.Printed || res.Ticket.PrintMessage == "" {
		t.Errorf("unprinted ticket: %+v", res.Ticket)
	}
}

// A counter's convocation prints on the counter's printer; its printer's failure is the door's
// printer_failed, with the counter's printer named.
func TestCounterConvocationPrintedOnThePoste(t *testing.T) {
	s, db := localOffice(t)
	r, rec := remotePoste(t, s, db, store.RoleGuichet, app.PrinterSettings{A4Printer: "Bureau-2"})
	var startup app.Startup
	if err := remoteCall(t, r, &startup, "app.AgentService.SignIn", "karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	var day app.AgendaView
	if err := remoteCall(t, r, &day, "app.AgentService.Agenda", app.AgendaQuery{Start: "2026-03-10", End: "2026-03-11"}); err != nil {
		t.Fatal(err)
	}
	var rdvID string
	if len(day.Rdvs) > 0 {
		rdvID = day.Rdvs[0].ID
	}
	if rdvID == "" {
		t.Fatal("no RDV today")
	}
	var msg string
	if err := remoteCall(t, r, &msg, "app.AgentService.PrintConvocation", rdvID, "a4"); err != nil {
		t.Fatal(err)
	}
	if len(rec.docs) != 1 || rec.docs[0].Kind != printing.PDF || msg != "Convocation envoyée à l’imprimante « Bureau-2 »." {
		t.Errorf("printed %d, %q", len(rec.docs), msg)
	}
	rec.err = agenda.E("test", agenda.Unavailable, errors.New("bac vide"))
	err := remoteCall(t, r, nil, "app.AgentService.PrintConvocation", rdvID, "a4")
	var door struct{ Code, Message string }
	if err == nil || json.Unmarshal([]byte(err.Error()), &door) != nil || door.Code != string(agenda.CodePrinterFailed) {
		t.Errorf("printer failure: %v", err)
	}
}

// A poste that finds no principal says so with its code; the window's retry of the same call
// reuses the idempotency key, so that a booking whose answer was lost is not made twice.
func TestUnreachableKeepsTheKey(t *testing.T) {
	s, db := localOffice(t)
	r, _ := remotePoste(t, s, db, store.RoleBorne, app.PrinterSettings{})
	m, at := firstKioskTime(t, r)
	addr := s.Address()
	s.Stop()
	req := kioskRequest(m.ID, at, "RESEAU")
	err := remoteCall(t, r, nil, "app.KioskService.Book", req)
	var door struct{ Code string }
	if err == nil || json.Unmarshal([]byte(err.Error()), &door) != nil || door.Code != string(agenda.CodePosteInjoignable) {
		t.Fatalf("unreachable: %v", err)
	}
	if err := s.Start(addr); err != nil {
		t.Fatal(err)
	}
	var res app.KioskBookResult
	if err := remoteCall(t, r, &res, "app.KioskService.Book", req); err != nil || res.Ticket == nil {
		t.Fatalf("after the principal's return: %+v %v", res, err)
	}
}

// The pairing screen of a new PC: the principal's fingerprint is shown before anything is sent;
// the code goes only to the confirmed certificate; the poste's configuration is written, and the
// window opens again as the poste. A new PC (its data file empty, at the first start's chooser, or
// the demo) pairs without an account; a PC with its own data pairs only with an administrator
// signed in.
func TestPairThisPosteFromTheWindow(t *testing.T) {
	s, db := localOffice(t)
	inv, err := poste.Invite(context.Background(), db, "Guichet 2", store.RoleGuichet, now)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(t.TempDir(), "poste.json")
	t.Setenv("RDV_GUICHET_POSTE", cfgPath)

	// A PC with data of its own (not the demo): an administrator only.
	ownDB, err := store.Open(filepath.Join(t.TempDir(), "propre.sqlite"), store.Options{Clock: fixedClock{now}})
	if err != nil {
		t.Fatal(err)
	}
	defer ownDB.Close()
	own := app.New(ownDB, fixedClock{now}, nil)
	if fp, err := own.Agent.ProbePrincipal(s.Address()); err != nil || !poste.SameFingerprint(fp, inv.Fingerprint) {
		t.Fatalf("probe from an empty file, at the first start's chooser: %q %v", fp, err)
	}
	if _, err := ownDB.SaveOrganisation(context.Background(), agenda.Organisation{Name: "Mairie de Test", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := own.Agent.ProbePrincipal(s.Address()); err == nil || !strings.Contains(err.Error(), string(agenda.CodeSignedOut)) {
		t.Fatalf("probe without a session on a PC with its own data: %v", err)
	}
	if _, err := own.Agent.PairThisPoste(s.Address(), inv.Code, inv.Fingerprint); err == nil || !strings.Contains(err.Error(), string(agenda.CodeSignedOut)) {
		t.Fatalf("pairing without a session on a PC with its own data: %v", err)
	}

	// The new PC's window, on the demo of its first start, nobody signed in.
	_, newDB := localOffice(t)
	window := app.New(newDB, fixedClock{now}, nil)
	reopened := 0
	window.SetReopen(func() error { reopened++; return nil })
	if err := window.Agent.OpenAsPoste(); err == nil || !strings.Contains(err.Error(), string(agenda.CodePosteNonApparie)) || reopened != 0 {
		t.Fatalf("reopened before pairing: %v", err)
	}
	fp, err := window.Agent.ProbePrincipal(" " + s.Address() + " ")
	if err != nil || !poste.SameFingerprint(fp, inv.Fingerprint) {
		t.Fatalf("probe: %q %v, want %q", fp, err, inv.Fingerprint)
	}
	other := poste.Fingerprint([]byte("un autre certificat"))
	if _, err := window.Agent.PairThisPoste(s.Address(), inv.Code, other); err == nil || !strings.Contains(err.Error(), string(agenda.CodePosteCertificat)) {
		t.Fatalf("another fingerprint: %v", err)
	}
	v, err := window.Agent.PairThisPoste(s.Address(), inv.Code, fp) // the code was not spent above
	if err != nil || v.Role != store.RoleGuichet || v.Name != "Guichet 2" {
		t.Fatalf("pairing: %+v %v", v, err)
	}
	cfg, ok, err := poste.LoadConfig(cfgPath)
	if err != nil || !ok || cfg.Address != s.Address() || !poste.SameFingerprint(cfg.Fingerprint, fp) {
		t.Errorf("configuration: %+v %v %v", cfg, ok, err)
	}
	if err := window.Agent.OpenAsPoste(); err != nil || reopened != 1 {
		t.Errorf("reopen: %d %v", reopened, err)
	}
}

// A document a counter poste saves (the day list's PDF) is written on the poste, in its own folder,
// and nothing beside the principal's data file.
func TestDocumentsSavedOnThePoste(t *testing.T) {
	s, db := localOffice(t)
	r, _ := remotePoste(t, s, db, store.RoleGuichet, app.PrinterSettings{})
	if err := remoteCall(t, r, nil, "app.AgentService.SignIn", "claire", demo.Password); err != nil {
		t.Fatal(err)
	}
	var f app.FileResult
	if err := remoteCall(t, r, &f, "app.AgentService.DayListPDF", app.DayListQuery{Date: "2026-03-10"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(f.Path)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) || f.Folder != "" || filepath.Base(filepath.Dir(f.Path)) != "Listes du jour" ||
		f.URL == "" || base64.StdEncoding.EncodeToString(data) != f.Base64 {
		t.Fatalf("on the poste: %+v %v", f, err)
	}
	if strings.HasPrefix(f.Path, filepath.Dir(db.Path())) {
		t.Errorf("written beside the principal's file: %s", f.Path)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db.Path()), "Listes du jour")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the principal wrote the poste's document: %v", err)
	}
}

// emitted records the events a counter's window gets.
type emitted chan string

func (e emitted) Emit(event string) { e <- event }

// A change made by a borne reaches a counter's window as an event within 2 s (issue 12, item 6);
// a borne gets no events.
func TestCounterGetsTheChangesOfOtherPostes(t *testing.T) {
	s, db := localOffice(t)
	kiosk, _ := remotePoste(t, s, db, store.RoleBorne, app.PrinterSettings{})
	m, at := firstKioskTime(t, kiosk)
	inv, err := poste.Invite(context.Background(), db, "Guichet 2", store.RoleGuichet, now)
	if err != nil {
		t.Fatal(err)
	}
	p, err := poste.Pair(context.Background(), s.Address(), inv.Code, "test", inv.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	window := make(emitted, 16)
	go app.RelayEvents(ctx, poste.NewClient(s.Address(), p.Fingerprint, p.Credential), window)
	time.Sleep(300 * time.Millisecond) // the stream is open
	start := time.Now()
	var res app.KioskBookResult
	if err := remoteCall(t, kiosk, &res, "app.KioskService.Book", kioskRequest(m.ID, at, "DIRECT")); err != nil || res.Ticket == nil {
		t.Fatalf("%+v %v", res, err)
	}
	select {
	case ev := <-window:
		if ev != app.EventDataChanged {
			t.Errorf("event %q", ev)
		}
		t.Logf("event after %v", time.Since(start).Round(time.Millisecond))
	case <-time.After(2 * time.Second):
		t.Fatal("no event within 2 s")
	}
	err = kioskEvents(t, s, db)
	var r *poste.Refusal
	if !errors.As(err, &r) || r.Code != agenda.CodeRoleRefuse {
		t.Errorf("a borne's events: %v", err)
	}
	// Serving stops at once, the counter's stream open.
	stopAt := time.Now()
	if err := s.Stop(); err != nil || time.Since(stopAt) > 2*time.Second {
		t.Errorf("stop with a stream open: %v after %v", err, time.Since(stopAt))
	}
}

// kioskEvents follows the events as a borne.
func kioskEvents(t *testing.T, s *principal.Server, db *store.DB) error {
	t.Helper()
	inv, err := poste.Invite(context.Background(), db, "Borne 2", store.RoleBorne, now)
	if err != nil {
		t.Fatal(err)
	}
	p, err := poste.Pair(context.Background(), s.Address(), inv.Code, "test", inv.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return poste.NewClient(s.Address(), p.Fingerprint, p.Credential).Events(ctx, func() {})
}
