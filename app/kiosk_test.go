package app

import (
	"bytes"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

// kioskServices is the demo at 2026-03-10 08:45 (a Tuesday) with printers that record what they
// print; a ticket printer is set. The kiosk has no session: the agent's sign-in of demoServices
// only serves to save the printing settings.
func kioskServices(t *testing.T) (*KioskService, *store.DB, *recorder, *recorder) {
	t.Helper()
	services, db := demoServices(t)
	a4, ticket := &recorder{}, &recorder{}
	services.SetPrinterFactory(func(p PrinterSettings) Printers {
		out := Printers{A4: a4}
		if p.TicketKind != TicketNone {
			out.Ticket = ticket
		}
		return out
	})
	if res, err := services.Agent.SavePrintingSettings(PrinterSettings{TicketKind: TicketSocket, TicketAddr: "192.168.1.50"}); err != nil || len(res.Errors) > 0 {
		t.Fatalf("printing settings: %+v, %v", res, err)
	}
	if err := services.Agent.SignOut(); err != nil {
		t.Fatal(err)
	}
	return services.Kiosk, db, a4, ticket
}

func kioskMotifNamed(t *testing.T, k *KioskService, name string) KioskMotif {
	t.Helper()
	home, err := k.Home()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range home.Motifs {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("motif %q not offered at the kiosk: %+v", name, home.Motifs)
	return KioskMotif{}
}

func TestKioskHome(t *testing.T) {
	k, _, _, _ := kioskServices(t)
	home, err := k.Home()
	if err != nil {
		t.Fatal(err)
	}
	if home.Organisation != "Mairie de Saint-Aubin-sur-Loire" || home.AccentColor != "#1f5fa8" || home.Logo != "" {
		t.Errorf("home: %+v", home)
	}
	var names []string
	for _, m := range home.Motifs {
		names = append(names, m.Name)
		if m.Line == "" || strings.Contains(m.Line, "\n") {
			t.Errorf("motif %q: line %q", m.Name, m.Line)
		}
	}
	// « Aide retraite » is not open to the kiosk.
	want := []string{"Carte d’identité", "Passeport", "Carte d’identité + passeport", "Retrait de titre", "Aide CAF (prestations, dossier)",
		"Aide impôts (déclaration en ligne)", "France Travail : inscription et suivi"}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("motifs: %q, want %q", names, want)
	}
	if m := kioskMotifNamed(t, k, "Carte d’identité"); !m.Ants || m.Line != "Faire ou renouveler une carte d’identité" {
		t.Errorf("CNI tile: %+v", m)
	}
	if m := kioskMotifNamed(t, k, "Aide CAF (prestations, dossier)"); m.Ants || m.Line != "Rendez-vous d’environ 30 minutes" {
		t.Errorf("CAF tile: %+v", m)
	}
}

// Days and times follow the public window: nothing before now + 2 h (the demo's minimum delay),
// nothing after 3 weeks; a motif closed to the kiosk has none.
func TestKioskDaysAndTimes(t *testing.T) {
	k, _, _, _ := kioskServices(t)
	cni := kioskMotifNamed(t, k, "Carte d’identité")
	days, err := k.Days(cni.ID, 2)
	if err != nil || len(days) == 0 {
		t.Fatalf("days: %+v, %v", days, err)
	}
	first, _ := time.Parse(time.DateOnly, days[0].Date)
	last, _ := time.Parse(time.DateOnly, days[len(days)-1].Date)
	if first.Before(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)) || !last.Before(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("days from %s to %s: not the next 3 weeks", days[0].Date, days[len(days)-1].Date)
	}
	for _, d := range days {
		if wd := mustDate(t, d.Date).Weekday(); wd != time.Tuesday && wd != time.Thursday && wd != time.Saturday {
			t.Errorf("day %s (%v): the DR opens Tuesday, Thursday and Saturday", d.Date, wd)
		}
	}
	thursday := slices.IndexFunc(days, func(d KioskDay) bool { return d.Date == "2026-03-12" })
	if thursday < 0 || days[thursday].Label != "jeudi 12 mars" {
		t.Fatalf("no Thursday 12 March: %+v", days)
	}
	times, err := k.Times(cni.ID, "2026-03-10", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range times {
		if start := mustTime(t, tm.Start); start.Before(time.Date(2026, 3, 10, 10, 45, 0, 0, paris())) {
			t.Errorf("time %s before now + 2 h", tm.Start)
		}
	}
	if _, err := k.Days(cni.ID, 5); err == nil {
		t.Error("5 people at the kiosk: accepted")
	}
	home, _ := k.Home()
	retraite := slices.IndexFunc(home.Motifs, func(m KioskMotif) bool { return strings.HasPrefix(m.Name, "Aide retraite") })
	if retraite >= 0 {
		t.Error("Aide retraite offered at the kiosk")
	}
	motifs, _ := k.db.ListMotifs(t.Context(), mustOrg(t, k).ID, false)
	for _, m := range motifs {
		if !m.BookableKiosk {
			if _, err := k.Days(m.ID, 1); err == nil {
				t.Errorf("Days of %q, closed to the kiosk: no error", m.Name)
			}
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustOrg(t *testing.T, k *KioskService) agenda.Organisation {
	t.Helper()
	org, _, err := k.org(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return org
}

// firstTime is the first free time of the motif on the first day the kiosk offers.
func firstTime(t *testing.T, k *KioskService, motifID string, documents int) KioskTime {
	t.Helper()
	days, err := k.Days(motifID, documents)
	if err != nil || len(days) == 0 {
		t.Fatalf("days: %v", err)
	}
	times, err := k.Times(motifID, days[0].Date, documents)
	if err != nil || len(times) == 0 {
		t.Fatalf("times: %v", err)
	}
	return times[0]
}

func TestKioskBook(t *testing.T) {
	k, db, a4, ticket := kioskServices(t)
	cni := kioskMotifNamed(t, k, "Carte d’identité")
	slot := firstTime(t, k, cni.ID, 2)
	req := KioskBookRequest{MotifID: cni.ID, Start: slot.Start, LieuID: slot.LieuID, Documents: 2,
		LastName: "Lefèvre", FirstName: "Hélène", Phone: "06 12 34 56 78", Relatives: []KioskName{{FirstName: "Léo", LastName: "Lefèvre"}},
		PreDemandes: []string{"ab12 cd34-ef", "ZZ99YY88XX"}}

	// Field errors, in French, named after the request's fields.
	bad := req
	bad.LastName, bad.Phone, bad.PreDemandes = " ", "06 12", []string{"AB12CD34EF", "ab12cd34ef"}
	res, err := k.Book(bad)
	if err != nil || res.Ticket != nil || fieldsOf(res.Errors) != "phone,lastName,preDemandes.1" {
		t.Fatalf("bad fields: %+v, %v", res, err)
	}
	bad = req
	bad.PreDemandes = []string{"AB12CD34E"}
	if res, _ := k.Book(bad); fieldsOf(res.Errors) != "preDemandes.0,preDemandes.1" {
		t.Errorf("short and missing pré-demandes: %+v", res.Errors)
	}
	bad = req
	bad.Relatives = []KioskName{{FirstName: "Léo"}}
	if res, _ := k.Book(bad); fieldsOf(res.Errors) != "people.1.lastName" {
		t.Errorf("the second person without a last name: %+v", res.Errors)
	}
	bad = req
	bad.Relatives = nil
	if res, _ := k.Book(bad); res.Ticket != nil || res.Code != "people_titles" || !strings.Contains(res.Message, "2 titres réunit 2 personnes") {
		t.Errorf("two titles for one person: %+v", res)
	}
	bad = req
	bad.Phone = ""
	if res, _ := k.Book(bad); fieldsOf(res.Errors) != "phone" || !strings.Contains(res.Errors[0].Message, "téléphone") {
		t.Errorf("no phone: %+v", res.Errors)
	}

	res, err = k.Book(req)
	if err != nil || res.Ticket == nil {
		t.Fatalf("book: %+v, %v", res, err)
	}
	tk := res.Ticket
	if !tk.Printed || tk.PrintMessage != "Votre ticket est imprimé." || !regexp.MustCompile(`^[2-9A-Z]{4}\x{a0}[2-9A-Z]{4}$`).MatchString(tk.ShortCode) ||
		!strings.HasPrefix(tk.Place, "Mairie, 1 place de la Mairie") || len(tk.Pieces) == 0 || tk.Motif != "Carte d’identité" {
		t.Errorf("ticket: %+v", tk)
	}
	if !regexp.MustCompile(`^(lundi|mardi|mercredi|jeudi|vendredi|samedi) \d+ mars à \d+\x{202f}h\x{202f}\d\d$`).MatchString(tk.When) {
		t.Errorf("when: %q", tk.When)
	}
	doc := ticket.last(t)
	if doc.Kind != printing.Raw || len(a4.docs) != 0 {
		t.Errorf("printed %v on the ticket printer, %d A4 pages", doc.Kind, len(a4.docs))
	}
	// The ticket names each person with their number; the screen, facing the lobby, names nobody.
	for _, want := range []string{"Hélène Lefèvre, Léo Lefèvre", "Hélène Lefèvre", "AB12CD34EF", "Léo Lefèvre", "ZZ99YY88XX"} {
		if !bytes.Contains(doc.Data, printing.Encode858(want)) {
			t.Errorf("the ticket does not say %q", want)
		}
	}
	rdvs, err := db.ListRdvsBetween(t.Context(), mustTime(t, slot.Start), mustTime(t, slot.Start).Add(time.Minute), store.RdvFilter{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rdvs, func(r agenda.Rdv) bool { return r.StartsAt.Equal(mustTime(t, slot.Start)) })
	if i < 0 {
		t.Fatalf("no kiosk RDV at %s: %+v", slot.Start, rdvs)
	}
	rdv := rdvs[i]
	u, err := db.GetUsager(t.Context(), rdv.Participations[0].UsagerID)
	if err != nil {
		t.Fatal(err)
	}
	if rdv.DocumentsNumber != 2 || rdv.Context != "" || rdv.LieuID != slot.LieuID || len(rdv.Participations) != 2 ||
		u.LastName != "Lefèvre" || u.FirstName != "Hélène" || u.Phone != "+33612345678" || u.AntsPreDemande != "AB12CD34EF" || !u.NotifySMS {
		t.Errorf("booked %+v for %+v", rdv, u)
	}
	// One usager per title: the second person is a relative of the first, with their own number.
	if r, err := db.GetUsager(t.Context(), rdv.Participations[1].UsagerID); err != nil || r.FirstName != "Léo" || r.LastName != "Lefèvre" ||
		r.AntsPreDemande != "ZZ99YY88XX" || r.ResponsibleID != u.ID || r.Phone != "" {
		t.Errorf("second person: %+v, %v", r, err)
	}
	hist, err := db.RdvHistory(t.Context(), rdv.ID)
	if err != nil || len(hist) == 0 || hist[0].By != "kiosk" {
		t.Errorf("history: %+v, %v", hist, err)
	}

	// The same time again: taken, with the next free times.
	again := req
	again.LastName = "Autre"
	res, err = k.Book(again)
	if err != nil || !res.Conflict || res.Ticket != nil || !strings.HasPrefix(res.Message, "Ce créneau vient d’être pris.") || len(res.Alternatives) == 0 {
		t.Fatalf("conflict: %+v, %v", res, err)
	}
	if a := res.Alternatives[0]; a.Start == slot.Start || !strings.Contains(a.Label, " à ") {
		t.Errorf("alternative: %+v", a)
	}
}

// The kiosk sells only within the motif's public window, and only what it offers.
func TestKioskBookWindow(t *testing.T) {
	k, _, _, _ := kioskServices(t)
	caf := kioskMotifNamed(t, k, "Aide CAF (prestations, dossier)")
	base := KioskBookRequest{MotifID: caf.ID, LastName: "Dupont", FirstName: "Léa", Phone: "0612345678"}
	for _, start := range []string{
		"2026-03-10T09:30:00+01:00", // in 45 minutes: before the 2-hour minimum delay
		"2026-07-07T09:30:00+02:00", // beyond the 90-day horizon
	} {
		req := base
		req.Start = start
		res, err := k.Book(req)
		if err != nil || res.Ticket != nil || !strings.HasPrefix(res.Message, "Cet horaire n’est plus proposé.") {
			t.Errorf("%s: %+v, %v", start, res, err)
		}
	}
	motifs, _ := k.db.ListMotifs(t.Context(), mustOrg(t, k).ID, false)
	retraite := motifs[slices.IndexFunc(motifs, func(m agenda.Motif) bool { return !m.BookableKiosk })]
	req := base
	req.MotifID, req.Start = retraite.ID, "2026-03-12T09:00:00+01:00"
	if res, err := k.Book(req); err != nil || res.Ticket != nil || !strings.Contains(res.Message, "ne se réserve pas à la borne") {
		t.Errorf("motif closed to the kiosk: %+v, %v", res, err)
	}
}

// A printer that fails does not undo the booking; without a ticket printer, the A4 prints.
func TestKioskBookPrinting(t *testing.T) {
	k, db, a4, ticket := kioskServices(t)
	caf := kioskMotifNamed(t, k, "Aide CAF (prestations, dossier)")
	ticket.err = agenda.E("test", agenda.Unavailable, errors.New("plus de papier"))
	slot := firstTime(t, k, caf.ID, 1)
	res, err := k.Book(KioskBookRequest{MotifID: caf.ID, Start: slot.Start, LieuID: slot.LieuID, LastName: "Dupont", FirstName: "Léa", Phone: "0612345678"})
	if err != nil || res.Ticket == nil || res.Ticket.Printed || res.Ticket.PrintMessage != say("kiosk_not_printed") || res.Ticket.ShortCode == "" {
		t.Fatalf("failed print: %+v, %v", res, err)
	}
	if rdvs, _ := db.ListRdvsBetween(t.Context(), mustTime(t, slot.Start), mustTime(t, slot.Start).Add(time.Minute), store.RdvFilter{}); len(rdvs) != 1 {
		t.Errorf("the booking must stand: %d RDVs", len(rdvs))
	}

	if err := db.SetSetting(t.Context(), settingPrinting, `{}`); err != nil {
		t.Fatal(err)
	}
	slot = firstTime(t, k, caf.ID, 1)
	res, err = k.Book(KioskBookRequest{MotifID: caf.ID, Start: slot.Start, LieuID: slot.LieuID, LastName: "Durand", FirstName: "Luc", Phone: "0612345679"})
	if err != nil || res.Ticket == nil || !res.Ticket.Printed || res.Ticket.PrintMessage != "Votre convocation est imprimée." {
		t.Fatalf("A4: %+v, %v", res, err)
	}
	if doc := a4.last(t); doc.Kind != printing.PDF || doc.Media != "A4" {
		t.Errorf("A4 document: %+v", doc.Kind)
	}
}

// checkInFixture returns an active RDV of the day at offset days from today, with its token
// and short code.
func checkInFixture(t *testing.T, k *KioskService, db *store.DB, offset int) (agenda.Rdv, string, string) {
	t.Helper()
	c, err := k.catalogue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	day := agenda.Date{Year: 2026, Month: 3, Day: 10}.AddDays(offset)
	rdvs, err := db.ListAgendaRdvs(t.Context(), c.org.ID, "", day.At(0, c.loc), day.AddDays(1).At(0, c.loc), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rdvs {
		if r.Status == agenda.StatusUnknown && len(r.Participations) > 0 && r.Participations[0].ArrivedAt == nil && !r.Collectif {
			secret, err := checkin.LoadSecret(t.Context(), db, nil)
			if err != nil {
				t.Fatal(err)
			}
			token, err := checkin.Sign(secret, r.ID, checkin.Expiry(r.StartsAt, c.loc))
			if err != nil {
				t.Fatal(err)
			}
			return r, token, checkin.ShortCode(secret, r.ID)
		}
	}
	t.Fatalf("no RDV to check in on %s", day)
	return agenda.Rdv{}, "", ""
}

func arrived(t *testing.T, db *store.DB, id string) bool {
	t.Helper()
	r, err := db.GetRdv(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(r.Participations, func(p agenda.Participation) bool { return p.ArrivedAt != nil })
}

func TestKioskCheckIn(t *testing.T) {
	k, db, _, _ := kioskServices(t)

	// Today, by the token the scanner types: arrived, greeted by initials only.
	rdv, token, _ := checkInFixture(t, k, db, 0)
	u, _ := db.GetUsager(t.Context(), rdv.Participations[0].UsagerID)
	res, err := k.CheckIn(token + "\n")
	if err != nil || !res.Arrived || !arrived(t, db, rdv.ID) {
		t.Fatalf("token: %+v, %v", res, err)
	}
	hello := "Bonjour " + initialOf(u.FirstName) + " " + initialOf(u.LastName) + ", votre arrivée est enregistrée."
	if !strings.HasPrefix(res.Message, hello) || strings.Contains(res.Message, u.LastName) || strings.Contains(res.Message, u.FirstName) ||
		!strings.Contains(res.Message, "Merci de patienter") {
		t.Errorf("greeting %q for %s %s", res.Message, u.FirstName, u.LastName)
	}

	// Today, by the short code typed in lower case with spaces.
	rdv, _, code := checkInFixture(t, k, db, 0)
	res, err = k.CheckIn(strings.ToLower(code[:4] + " " + code[4:]))
	if err != nil || !res.Arrived || !arrived(t, db, rdv.ID) {
		t.Fatalf("short code: %+v, %v", res, err)
	}

	// Another day: its date, nothing recorded. Its short code is not looked up.
	rdv, token, code = checkInFixture(t, k, db, 2)
	res, err = k.CheckIn(token)
	if err != nil || res.Arrived || arrived(t, db, rdv.ID) || !regexp.MustCompile(`^Votre rendez-vous est le jeudi 12 mars à \d+\x{202f}h\x{202f}\d\d\.$`).MatchString(res.Message) {
		t.Errorf("other day: %+v, %v", res, err)
	}
	if res, _ := k.CheckIn(code); res.Arrived || res.Message != say("kiosk_unknown_code") {
		t.Errorf("other day's short code: %+v", res)
	}

	// Cancelled: by token and by short code.
	rdv, token, code = checkInFixture(t, k, db, 0)
	if _, err := db.SetStatus(t.Context(), rdv.ID, agenda.StatusExcused, agenda.ByAgent("test")); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{token, code} {
		if res, err := k.CheckIn(typed); err != nil || res.Arrived || res.Message != say("kiosk_rdv_cancelled") || arrived(t, db, rdv.ID) {
			t.Errorf("cancelled (%s): %+v, %v", typed, res, err)
		}
	}

	// Forged, foreign, altered, garbage: not recognised, nothing changes.
	rdv, token, code = checkInFixture(t, k, db, 0)
	foreign, _ := checkin.Sign([]byte("un-autre-accueil-un-autre-secret"), rdv.ID, time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC))
	altered := token[:20] + "A" + token[21:]
	if token[20] == 'A' {
		altered = token[:20] + "B" + token[21:]
	}
	wrongCode := "ZZZZZZZZ"
	if code == wrongCode {
		wrongCode = "YYYYYYYY"
	}
	for _, typed := range []string{foreign, altered, wrongCode, "", "n’importe quoi", strings.Repeat("A", checkin.TokenChars)} {
		if res, err := k.CheckIn(typed); err != nil || res.Arrived || !strings.HasPrefix(res.Message, "Code non reconnu") {
			t.Errorf("%q: %+v, %v", typed, res, err)
		}
	}
	if arrived(t, db, rdv.ID) {
		t.Error("a refused code marked the RDV arrived")
	}

	// Yesterday's token has expired.
	k.clock.(*movableClock).add(48 * time.Hour)
	if res, _ := k.CheckIn(token); res.Arrived || !strings.HasPrefix(res.Message, "Code non reconnu") {
		t.Errorf("expired: %+v", res)
	}
}

// The kiosk's door has these methods only, and nothing it returns has a field for a person's
// name or contact, an agent or a list of RDVs: what an anonymous usager may see. (The booking
// request carries the new usager's name and phone in; nothing of them comes back out.)
func TestKioskServiceExposesNoNames(t *testing.T) {
	forbidden := regexp.MustCompile(`(?i)usager|agent|lastname|firstname|phone|email|participa|person|rdv|history`)
	var bad []string
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			if forbidden.MatchString(f.Name) {
				bad = append(bad, path+"."+f.Name)
			}
			walk(path+"."+f.Name, f.Type)
		}
	}
	typ := reflect.TypeFor[*KioskService]()
	var methods []string
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		methods = append(methods, m.Name)
		for j := range m.Type.NumOut() {
			walk(m.Name, m.Type.Out(j))
		}
	}
	if want := []string{"Book", "CheckIn", "Days", "Home", "Times"}; !slices.Equal(methods, want) {
		t.Errorf("KioskService methods %v, want %v", methods, want)
	}
	if len(bad) > 0 {
		t.Errorf("the kiosk returns %v", bad)
	}
	services := &Services{Kiosk: &KioskService{}}
	if bound := services.KioskBindings(); len(bound) != 1 || bound[0] != any(services.Kiosk) {
		t.Errorf("kiosk bindings: %v", bound)
	}
}

func initialOf(name string) string {
	r := []rune(strings.TrimSpace(name))
	return strings.ToUpper(string(r[0])) + "."
}

// TestKioskTicketInTheUsagersLanguage: booked in English for two people, the ticket stays French,
// names the motif with the number of people, and has one English line about the pièces; the
// screen gets the codes and the start to write its own texts in English.
func TestKioskTicketInTheUsagersLanguage(t *testing.T) {
	k, db, _, ticket := kioskServices(t)
	cni := kioskMotifNamed(t, k, "Carte d’identité")
	if cni.Category != agenda.AntsCNI || cni.DurationMin == 0 {
		t.Errorf("motif tile: %+v", cni)
	}
	slot := firstTime(t, k, cni.ID, 2)
	res, err := k.Book(KioskBookRequest{MotifID: cni.ID, Start: slot.Start, LieuID: slot.LieuID, Documents: 2, Lang: "en",
		LastName: "Smith", FirstName: "Jane", Phone: "0612345678", Relatives: []KioskName{{FirstName: "John", LastName: "Smith"}},
		PreDemandes: []string{"AB12CD34EF", "ZZ99YY88XX"}})
	if err != nil || res.Ticket == nil {
		t.Fatalf("book: %+v, %v", res, err)
	}
	if res.Ticket.Start != slot.Start || res.Ticket.PrintCode != "kiosk_ticket_printed" {
		t.Errorf("ticket: %+v", res.Ticket)
	}
	data := ticket.last(t).Data
	for _, want := range []string{"2 personnes", "POUR CHACUNE DES 2 PERSONNES", "Bring these documents:", "CONVOCATION"} {
		if !bytes.Contains(data, printing.Encode858(want)) {
			t.Errorf("the ticket lacks %q", want)
		}
	}

	rdv, token, _ := checkInFixture(t, k, db, 0)
	in, err := k.CheckIn(token)
	if err != nil || in.Code != "kiosk_welcome" || in.Params["time"] != rdv.StartsAt.In(paris()).Format(time.RFC3339) || in.Params["initials"] == "" {
		t.Errorf("check-in: %+v, %v", in, err)
	}
	if in, _ := k.CheckIn("ZZZZZZZZ"); in.Code != agenda.CodeKioskUnknownCode {
		t.Errorf("unknown code: %+v", in)
	}
}
