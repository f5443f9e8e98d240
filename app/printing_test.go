package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

// recorder is a printer that keeps what it is sent, or fails with err.
type recorder struct {
	mu   sync.Mutex
	docs []printing.Document
	err  error
}

func (r *recorder) Print(_ context.Context, doc printing.Document) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.docs = append(r.docs, doc)
	return nil
}

func (r *recorder) last(t *testing.T) printing.Document {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.docs) == 0 {
		t.Fatal("nothing printed")
	}
	return r.docs[len(r.docs)-1]
}

// openDemo opens a fresh demo agenda at 2026-03-10 08:45 Paris, with a clock the test can move,
// nobody signed in.
func openDemo(t *testing.T) (*Services, *store.DB, *movableClock) {
	t.Helper()
	now := time.Date(2026, 3, 10, 8, 45, 0, 0, paris())
	path := filepath.Join(t.TempDir(), "demo.sqlite")
	if _, err := demo.Create(t.Context(), path, now, 7); err != nil {
		t.Fatal(err)
	}
	clock := &movableClock{t: now}
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db, clock, nil), db, clock
}

// demoServices is openDemo signed in as claire.
func demoServices(t *testing.T) (*Services, *store.DB) {
	t.Helper()
	services, db, _ := openDemo(t)
	if _, err := services.Agent.SignIn("claire", demo.Password); err != nil {
		t.Fatal(err)
	}
	return services, db
}

func fieldsOf(errs []agenda.FieldError) string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	return strings.Join(out, ",")
}

// Every error names a field of the form, in French, and depends on the system where it must.
func TestPrinterSettingsValidation(t *testing.T) {
	sumatra := filepath.Join(t.TempDir(), "SumatraPDF.exe")
	if err := os.WriteFile(sumatra, []byte("MZ"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		goos   string
		set    PrinterSettings
		fields string
	}{
		{"linux", PrinterSettings{}, ""},
		{"linux", PrinterSettings{A4Printer: "Accueil_HP", TicketKind: TicketCUPS, TicketQueue: "Ticket-80mm", TicketQR: "raster"}, ""},
		{"linux", PrinterSettings{TicketKind: TicketSocket, TicketAddr: "192.168.1.50"}, ""},
		{"linux", PrinterSettings{TicketKind: TicketSocket, TicketAddr: "[fe80::1]:9100"}, ""},
		{"windows", PrinterSettings{A4Printer: "HP LaserJet (Accueil)", SumatraPath: sumatra, TicketKind: TicketWindows, TicketQueue: "EPSON TM-T20III"}, ""},
		{"linux", PrinterSettings{A4Printer: "HP Accueil"}, "a4Printer"},
		{"linux", PrinterSettings{A4Printer: "a\nb"}, "a4Printer"},
		{"linux", PrinterSettings{TicketKind: TicketWindows, TicketQueue: "EPSON"}, "ticketKind"},
		{"windows", PrinterSettings{TicketKind: TicketCUPS, TicketQueue: "EPSON"}, "ticketKind"},
		{"windows", PrinterSettings{SumatraPath: filepath.Join(t.TempDir(), "absent.exe")}, "sumatraPath"},
		{"linux", PrinterSettings{TicketKind: TicketCUPS}, "ticketQueue"},
		{"linux", PrinterSettings{TicketKind: TicketSocket}, "ticketAddr"},
		{"linux", PrinterSettings{TicketKind: TicketSocket, TicketAddr: "imprimante:99999"}, "ticketAddr"},
		{"linux", PrinterSettings{TicketKind: TicketSocket, TicketAddr: "mon imprimante"}, "ticketAddr"},
		{"linux", PrinterSettings{TicketKind: "usb", TicketQR: "couleur"}, "ticketKind,ticketQr"},
	} {
		errs := c.set.normalized().validate(c.goos)
		if got := fieldsOf(errs); got != c.fields {
			t.Errorf("%s %+v: errors on %q, want %q (%v)", c.goos, c.set, got, c.fields, errs)
		}
		for _, e := range errs {
			if !strings.HasSuffix(e.Message, ".") || strings.Contains(e.Message, "printing.") {
				t.Errorf("message %q is not a French sentence for the field", e.Message)
			}
		}
	}
}

// SystemPrinters builds the printer each setting names, on Linux and on Windows.
func TestSystemPrinters(t *testing.T) {
	p := systemPrinters("linux", PrinterSettings{A4Printer: "Accueil"})
	if cups, ok := p.A4.(*printing.CUPS); !ok || cups.Printer != "Accueil" || p.Ticket != nil {
		t.Fatalf("linux: %#v", p)
	}
	p = systemPrinters("windows", PrinterSettings{SumatraPath: `C:\Outils\SumatraPDF.exe`})
	if s, ok := p.A4.(*printing.Sumatra); !ok || s.Exe != `C:\Outils\SumatraPDF.exe` || s.Printer != "" {
		t.Fatalf("windows: %#v", p.A4)
	}
	for kind, want := range map[string]printing.Printer{
		TicketCUPS:    &printing.CUPS{Printer: "Ticket"},
		TicketWindows: printing.Spooler{Printer: "Ticket"},
		TicketSocket:  printing.Socket{Addr: "10.0.0.9:9100"},
	} {
		got := systemPrinters("linux", PrinterSettings{TicketKind: kind, TicketQueue: "Ticket", TicketAddr: "10.0.0.9:9100"}).Ticket
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, want %#v", kind, got, want)
		}
	}
	if (PrinterSettings{TicketQR: "raster"}).qrMode() != printing.QRRaster || (PrinterSettings{}).qrMode() != printing.QRNative {
		t.Fatal("QR mode")
	}
}

// The settings are the administrators', stored and read back; the printers of every print come
// from them, built by the factory.
func TestPrintingSettingsAndPrinters(t *testing.T) {
	services, _ := demoServices(t)
	s := services.Agent
	var built []PrinterSettings
	a4, ticket := &recorder{}, &recorder{}
	services.SetPrinterFactory(func(p PrinterSettings) Printers {
		built = append(built, p)
		out := Printers{A4: a4}
		if p.TicketKind != TicketNone {
			out.Ticket = ticket
		}
		return out
	})

	v, err := s.PrintingSettings()
	if err != nil || v.Settings != (PrinterSettings{TicketQR: "native"}) {
		t.Fatalf("default settings: %+v, %v", v, err)
	}
	res, err := s.SavePrintingSettings(PrinterSettings{TicketKind: TicketSocket, TicketAddr: "imprimante:99999"})
	if err != nil || fieldsOf(res.Errors) != "ticketAddr" {
		t.Fatalf("bad address: %+v, %v", res, err)
	}
	want := PrinterSettings{A4Printer: "Accueil", TicketKind: TicketSocket, TicketAddr: "192.168.1.50:9100", TicketQR: "raster"}
	if res, err := s.SavePrintingSettings(PrinterSettings{A4Printer: " Accueil ", TicketKind: TicketSocket, TicketAddr: "192.168.1.50:9100", TicketQR: "raster"}); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %+v, %v", res, err)
	}
	if v, err := s.PrintingSettings(); err != nil || v.Settings != want {
		t.Fatalf("read back: %+v, %v", v.Settings, err)
	}

	// The day list prints through the same printers.
	f, err := s.PrintDayList(DayListQuery{Date: "2026-03-10"})
	if err != nil || !f.Printed || !bytes.HasPrefix(a4.last(t).Data, []byte("%PDF-")) || built[len(built)-1] != want {
		t.Fatalf("day list: %+v, %v, built with %+v", f, err, built)
	}
	if _, err := os.Stat(f.Path); err != nil || !strings.HasPrefix(f.URL, "file:///") {
		t.Fatalf("day list file: %v %q", err, f.URL)
	}
	msg, err := s.PrintTestPage(want, "ticket")
	if err != nil || msg != "Ticket de test envoyé à l’imprimante de tickets 192.168.1.50:9100." || !bytes.HasPrefix(ticket.last(t).Data, []byte{0x1b, '@'}) {
		t.Fatalf("test ticket: %q, %v", msg, err)
	}
	if _, err := s.PrintTestPage(PrinterSettings{TicketKind: TicketCUPS}, "a4"); err == nil || !strings.Contains(doorMessage(err), "file d’impression brute") {
		t.Fatalf("test page with a field to correct: %v", err)
	}

	if _, err := s.SignIn("karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	const adminOnly = "Cette action est réservée aux administrateurs."
	if _, err := s.SavePrintingSettings(want); err == nil || doorMessage(err) != adminOnly {
		t.Fatalf("agent saving: %v", err)
	}
	if _, err := s.PrintTestPage(want, "a4"); err == nil || doorMessage(err) != adminOnly {
		t.Fatalf("agent testing: %v", err)
	}
}

// An RDV's convocation prints as an A4 PDF or an ESC/POS ticket, is saved as a PDF, its
// invitation as an .ics; a failing printer is named with what to do.
func TestPrintConvocation(t *testing.T) {
	services, db := demoServices(t)
	s := services.Agent
	a4, ticket := &recorder{}, &recorder{}
	services.SetPrinterFactory(func(p PrinterSettings) Printers {
		out := SystemPrinters(p)
		out.A4 = a4
		if out.Ticket != nil {
			out.Ticket = ticket
		}
		return out
	})
	day, err := s.Agenda(AgendaQuery{Start: "2026-03-10", End: "2026-03-11"})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(day.Rdvs, func(r GridRdv) bool { return r.Status == "unknown" })
	if i < 0 {
		t.Fatal("no active RDV today")
	}
	rdv := day.Rdvs[i]

	msg, err := s.PrintConvocation(rdv.ID, "a4")
	doc := a4.last(t)
	if err != nil || msg != "Convocation envoyée à l’imprimante par défaut." || doc.Kind != printing.PDF || doc.Media != "A4" ||
		!bytes.HasPrefix(doc.Data, []byte("%PDF-")) || !strings.Contains(doc.Title, rdv.MotifName) {
		t.Fatalf("A4: %q, %v, %+v", msg, err, doc.Title)
	}
	if d, _ := s.RdvDetail(rdv.ID); d.TicketPrinter {
		t.Fatal("no ticket printer is set")
	}
	if _, err := s.PrintConvocation(rdv.ID, "ticket"); err == nil || !strings.Contains(doorMessage(err), "Aucune imprimante de tickets") {
		t.Fatalf("ticket without a ticket printer: %v", err)
	}
	if _, err := s.SavePrintingSettings(PrinterSettings{TicketKind: TicketCUPS, TicketQueue: "Ticket-80mm"}); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.RdvDetail(rdv.ID); !d.TicketPrinter {
		t.Fatal("the ticket printer is set")
	}
	msg, err = s.PrintConvocation(rdv.ID, "ticket")
	doc = ticket.last(t)
	if err != nil || msg != "Ticket envoyé à l’imprimante de tickets « Ticket-80mm »." || doc.Kind != printing.Raw ||
		!bytes.HasPrefix(doc.Data, []byte{0x1b, '@'}) || !bytes.Contains(doc.Data, []byte{0x1d, '(', 'k'}) {
		t.Fatalf("ticket: %q, %v, % x", msg, err, doc.Data[:min(8, len(doc.Data))])
	}
	if _, err := s.PrintConvocation(rdv.ID, "a5"); err == nil || !strings.Contains(doorMessage(err), "Format de convocation inconnu") {
		t.Fatalf("unknown format: %v", err)
	}

	// A failing printer says which one and what to do.
	a4.err = agenda.Errorf("printing.CUPS", agenda.Unavailable, "impression impossible sur l’imprimante « Accueil » : lp: The printer or class does not exist.")
	if _, err := s.SavePrintingSettings(PrinterSettings{A4Printer: "Accueil"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.PrintConvocation(rdv.ID, "a4")
	if err == nil || doorMessage(err) != "Impression impossible sur l’imprimante « Accueil » : lp: The printer or class does not exist. "+
		"Vérifiez que l’imprimante « Accueil » est allumée, reliée et qu’elle a du papier, ou changez d’imprimante dans Paramètres › Impression." {
		t.Fatalf("failing printer: %v", err)
	}

	// Saved as a PDF in the data folder.
	f, err := s.ConvocationPDF(rdv.ID, "a4")
	if err != nil || filepath.Dir(f.Path) != filepath.Join(filepath.Dir(db.Path()), "Convocations") || !strings.HasPrefix(f.FileName, "convocation-2026-03-10-") {
		t.Fatalf("PDF: %+v, %v", f, err)
	}
	if b, err := os.ReadFile(f.Path); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("PDF file: %v", err)
	}
	// The invitation parses as iCalendar.
	f, err = s.SaveInvite(rdv.ID)
	if err != nil || !strings.HasSuffix(f.FileName, ".ics") {
		t.Fatalf("invite: %+v, %v", f, err)
	}
	cal := parseICS(t, f.Path)
	if ev := cal.Events(); len(ev) != 1 || !strings.Contains(ev[0].Props.Get(goical.PropUID).Value, rdv.ID) {
		t.Fatalf("invite events: %v", ev)
	}
	// A cancelled RDV has no convocation.
	if _, err := s.SetStatus(rdv.ID, "revoked"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PrintConvocation(rdv.ID, "a4"); err == nil || !strings.Contains(doorMessage(err), "annulé") {
		t.Fatalf("cancelled: %v", err)
	}
}

// The agent's feed is a file in the data folder, rewritten on each export, that parses as
// iCalendar and names nobody.
func TestExportAgentFeed(t *testing.T) {
	services, _ := demoServices(t)
	s := services.Agent
	var agentID string
	for _, a := range mustStartup(t, s).Agents {
		if a.Name == "Claire Martin" {
			agentID = a.ID
		}
	}
	f, err := s.ExportAgentFeed(agentID)
	if err != nil || f.FileName != "agenda-claire-martin.ics" || !strings.HasPrefix(f.URL, "file:///") {
		t.Fatalf("feed: %+v, %v", f, err)
	}
	cal := parseICS(t, f.Path)
	before := len(cal.Events())
	if before == 0 {
		t.Fatal("empty feed")
	}
	if b, _ := os.ReadFile(f.Path); strings.Contains(string(b), "ATTENDEE") {
		t.Fatal("the feed names an usager")
	}
	// A new RDV appears in the rewritten file.
	slots, err := s.FindSlots(SlotQuery{MotifID: mustStartup(t, s).Motifs[0].ID, AgentID: agentID, Limit: 1})
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v %v", slots, err)
	}
	res, err := s.Book(BookInput{MotifID: mustStartup(t, s).Motifs[0].ID, LieuID: slots[0].LieuID, AgentID: agentID, Start: slots[0].Start,
		Documents: 1, NewUsager: &UsagerForm{FirstName: "Flux", LastName: "Nouveau"}})
	if err != nil || res.Rdv == nil {
		t.Fatalf("book: %+v, %v", res, err)
	}
	if _, err := s.ExportAgentFeed(agentID); err != nil {
		t.Fatal(err)
	}
	if after := len(parseICS(t, f.Path).Events()); after != before+1 {
		t.Fatalf("feed rewritten with %d events, want %d", after, before+1)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(f.Path), ".rdv-guichet-*")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func mustStartup(t *testing.T, s *AgentService) Startup {
	t.Helper()
	st, err := s.Workspace()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func parseICS(t *testing.T, path string) *goical.Calendar {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := goical.NewDecoder(f).Decode()
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	return cal
}
