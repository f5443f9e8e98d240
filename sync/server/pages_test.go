package server

import (
	"bytes"
	"compress/gzip"
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/clock"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5/pgxpool"
)

// pagesEnv is a central serving the pages of one seeded organisation, a week before day.
type pagesEnv struct {
	s     *pgstore.Store
	db    *pgxpool.Pool
	base  string
	org   pagesOrg
	clock *clock.Manual
	logs  *bytes.Buffer
}

func pagesCentral(t testing.TB, cfg Config) *pagesEnv {
	t.Helper()
	dsn := testkit.FreshDB(t)
	clk := clock.NewManual(at(day.AddDays(-7), 10, 0))
	s := openStoreAt(t, dsn, clk)
	logs := &bytes.Buffer{}
	cfg.Store, cfg.Rate = s, -1
	if cfg.PublicRate == 0 {
		cfg.PublicRate = -1
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := httptest.NewServer(New(cfg))
	t.Cleanup(ts.Close)
	return &pagesEnv{s: s, db: sqlPool(t, dsn), base: ts.URL, org: seedPages(t, s, "Mairie de Saint-Aubin", day.AddDays(-7)),
		clock: clk, logs: logs}
}

// browser is a client that does not follow redirects (the test reads them) and sends what a
// browser sends.
type browser struct {
	t      testing.TB
	c      *http.Client
	header http.Header
}

func newBrowser(t testing.TB) *browser {
	return &browser{t: t, header: http.Header{}, c: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableCompression: true}}}
}

// reply is an answer: its status, headers and body (gunzipped when it came compressed; Wire
// is its size as sent).
type reply struct {
	Status int
	Header http.Header
	Body   string
	Wire   int
}

func (b *browser) do(method, u string, form url.Values) reply {
	b.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	r := reply{Status: resp.StatusCode, Header: resp.Header, Wire: len(data)}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			b.t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			b.t.Fatal(err)
		}
	}
	r.Body = string(data)
	return r
}

func (b *browser) get(u string) reply { b.t.Helper(); return b.do(http.MethodGet, u, nil) }
func (b *browser) post(u string, form url.Values) reply {
	b.t.Helper()
	return b.do(http.MethodPost, u, form)
}

// text is the page's text with entities decoded (what a reader sees, tags aside).
func (r reply) text() string { return html.UnescapeString(r.Body) }

var (
	reForm   = regexp.MustCompile(`(?s)<form method="(get|post)" action="([^"]*)"[^>]*>(.*?)</form>`)
	reHidden = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	reSlot   = regexp.MustCompile(`name="starts_at" value="([^"]+)"`)
)

// formTo returns the fields of the page's form whose action ends with action: its hidden
// fields, as the browser would post them.
func (r reply) formTo(t testing.TB, action string) (string, url.Values) {
	t.Helper()
	for _, m := range reForm.FindAllStringSubmatch(r.Body, -1) {
		if strings.HasSuffix(html.UnescapeString(m[2]), action) {
			v := url.Values{}
			for _, h := range reHidden.FindAllStringSubmatch(m[3], -1) {
				v.Add(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
			}
			return html.UnescapeString(m[2]), v
		}
	}
	t.Fatalf("no form to %s in:\n%s", action, r.Body)
	return "", nil
}

// slots returns the starts offered on a grid page.
func (r reply) slots() []string {
	var out []string
	for _, m := range reSlot.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func (e *pagesEnv) page(path string) string { return e.base + "/" + e.org.slug + "/" + path }

// person is the usager's fields as they type them.
func person(first, last, tel, email string) url.Values {
	return url.Values{"prenom": {first}, "nom": {last}, "tel": {tel}, "email": {email}, "rappels": {"oui"}}
}

// book runs the booking of the plain motif from the grid to the confirmation and returns the
// cancel link's path and the slot booked.
func (e *pagesEnv) book(t testing.TB, b *browser, slotIndex int, who url.Values) (string, string) {
	t.Helper()
	grid := b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode()))
	slots := grid.slots()
	if grid.Status != 200 || len(slots) <= slotIndex {
		t.Fatalf("grid: %d, %d slots", grid.Status, len(slots))
	}
	_, q := grid.formTo(t, "/coordonnees")
	q.Set("starts_at", slots[slotIndex])
	form := b.get(e.page("coordonnees?" + q.Encode()))
	if form.Status != 200 {
		t.Fatalf("form: %d %s", form.Status, form.Body)
	}
	action, fields := form.formTo(t, "/coordonnees")
	for k, v := range who {
		fields[k] = v
	}
	sum := b.post(e.base+action, fields)
	if sum.Status != 200 || !strings.Contains(sum.text(), "Confirmer le rendez-vous") {
		t.Fatalf("summary: %d %s", sum.Status, sum.Body)
	}
	action, fields = sum.formTo(t, "/confirmer")
	done := b.post(e.base+action, fields)
	loc := done.Header.Get("Location")
	if done.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/r/") {
		t.Fatalf("confirm: %d %q %s", done.Status, loc, done.Body)
	}
	link, _, _ := strings.Cut(loc, "?")
	return link, slots[slotIndex]
}

// The whole journey by posting the forms: the motif, the slot, the form, the summary, the
// confirmation with its documents, the RDV in the feed; then the move and the cancellation
// through the link, after which the slot is offered again.
func TestPagesJourney(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	ctx := context.Background()

	home := b.get(e.page(""))
	if home.Status != 200 || !strings.Contains(home.Body, `<html lang="fr">`) || !strings.Contains(home.text(), "Étape 1 sur 5") ||
		!strings.Contains(home.text(), "Inscription sur les listes électorales") || !strings.Contains(home.text(), "Une photo d'identité de moins de 6 mois") {
		t.Fatalf("home: %d %s", home.Status, home.Body)
	}
	// One lieu and no persons to count: the lieu step goes straight to the slots.
	if r := b.get(e.page("lieu?motif=" + e.org.plain)); r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "/creneau?") {
		t.Fatalf("lieu: %d %v", r.Status, r.Header)
	}
	grid := b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode()))
	// Tuesday 10:00 (now): the next slots are Wednesday's, 9 h 00 to 10 h 45 every 15 minutes.
	if s := grid.slots(); len(s) != 4*8 || s[0] != at(day.AddDays(-6), 9, 0).Format(time.RFC3339) {
		t.Fatalf("slots: %v", s)
	}
	if !strings.Contains(grid.text(), "mercredi 26 février") || !strings.Contains(grid.text(), "9\u202fh\u202f00") || !strings.Contains(grid.text(), "Semaine suivante") {
		t.Errorf("grid text: %s", grid.text())
	}

	link, booked := e.book(t, b, 0, person("Marie", "Dupont", "06 12 34 56 78", "marie@example.org"))
	token := strings.TrimPrefix(link, "/r/")
	if len(token) != pgstore.CancelTokenChars {
		t.Fatalf("token %q", token)
	}
	conf := b.get(e.base + link + "?ok=1")
	if conf.Status != 200 || !strings.Contains(conf.text(), "Votre rendez-vous est confirmé") || !strings.Contains(conf.text(), "M. D.") ||
		strings.Contains(conf.text(), "Dupont") || !strings.Contains(conf.text(), "mercredi 26 février 2031 à 9\u202fh\u202f00") {
		t.Fatalf("confirmation: %d %s", conf.Status, conf.Body)
	}
	if conf.Header.Get("Referrer-Policy") != "no-referrer" || conf.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("link headers: %v", conf.Header)
	}
	var rdvID, origine, first, phone string
	var notifySMS bool
	if err := e.db.QueryRow(ctx, `SELECT r.id::text, r.origine, u.first_name, u.phone, u.notify_sms FROM rdvs r
		JOIN participations p ON p.organisation_id = r.organisation_id AND p.rdv_id = r.id
		JOIN usagers u ON u.organisation_id = p.organisation_id AND u.id = p.usager_id WHERE r.organisation_id = $1`, e.org.org).
		Scan(&rdvID, &origine, &first, &phone, &notifySMS); err != nil {
		t.Fatal(err)
	}
	if origine != "en_ligne" || first != "Marie" || phone != "+33612345678" || !notifySMS {
		t.Errorf("rdv: %s %s %s %v", origine, first, phone, notifySMS)
	}
	// A later message (a reminder) can write the same link again: its token is derived, not stored.
	var usagerID string
	if err := e.db.QueryRow(ctx, "SELECT usager_id::text FROM participations WHERE rdv_id = $1", rdvID).Scan(&usagerID); err != nil {
		t.Fatal(err)
	}
	if again, err := e.s.CancelLinkToken(ctx, e.org.org, rdvID, usagerID); err != nil || again != token {
		t.Errorf("CancelLinkToken: %q %v, want the link's token", again, err)
	}
	if _, err := e.s.CancelLinkToken(ctx, e.org.org, rdvID, e.org.agent); agenda.KindOf(err) != agenda.NotFound {
		t.Errorf("CancelLinkToken of a seat without a link: %v", err)
	}
	// After a rotation of the organisation's key, the reminder still writes the link sent.
	of, _, err := e.s.AddOffice(ctx, e.org.org, "Mairie")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.RotateKey(ctx, of.ID, false); err != nil {
		t.Fatal(err)
	}
	if again, err := e.s.CancelLinkToken(ctx, e.org.org, rdvID, usagerID); err != nil || again != token {
		t.Errorf("CancelLinkToken after a rotation: %q %v, want the link's token", again, err)
	}
	if n := count(t, e.db, "SELECT count(*) FROM changes WHERE organisation_id = $1 AND entity_id = $2", e.org.org, rdvID); n != 1 {
		t.Errorf("changes of the rdv: %d", n)
	}
	pdf := b.get(e.base + link + "/convocation.pdf")
	if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Errorf("pdf: %d %v", pdf.Status, pdf.Header)
	}
	ics := b.get(e.base + link + "/rendez-vous.ics")
	if ics.Status != 200 || !strings.Contains(ics.Body, "BEGIN:VCALENDAR") || !strings.Contains(ics.Body, "rdv-"+rdvID+"@rdv-guichet") ||
		!strings.Contains(ics.Body, "METHOD:REQUEST") {
		t.Errorf("ics: %d %s", ics.Status, ics.Body)
	}
	if slotsNow := b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode())).slots(); len(slotsNow) != 4*8-1 {
		t.Errorf("the booked slot is still offered: %d slots", len(slotsNow))
	}

	// Move to the last slot of the week.
	mv := b.get(e.base + link + "/deplacer")
	target := mv.slots()[len(mv.slots())-1]
	action, fields := mv.formTo(t, "/deplacer")
	fields.Set("starts_at", target)
	if r := b.post(e.base+action, fields); r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "deplace=1") {
		t.Fatalf("move: %d %s", r.Status, r.Body)
	}
	var starts time.Time
	if err := e.db.QueryRow(ctx, "SELECT starts_at FROM rdvs WHERE id = $1", rdvID).Scan(&starts); err != nil || starts.UTC().Format(time.RFC3339) != target {
		t.Fatalf("moved to %v, want %s (%v)", starts, target, err)
	}
	if !contains(b.get(e.page("creneau?"+url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode())).slots(), booked) {
		t.Error("the first slot is not offered again after the move")
	}

	// Cancel: a confirmation page, then « excusé ».
	ask := b.get(e.base + link + "/annuler")
	if ask.Status != 200 || !strings.Contains(ask.text(), "Oui, annuler le rendez-vous") {
		t.Fatalf("cancel page: %d", ask.Status)
	}
	if r := b.post(e.base+link+"/annuler", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	var status string
	if err := e.db.QueryRow(ctx, "SELECT status FROM rdvs WHERE id = $1", rdvID).Scan(&status); err != nil || status != string(agenda.StatusExcused) {
		t.Fatalf("status %s %v", status, err)
	}
	if r := b.get(e.base + link); !strings.Contains(r.text(), "Ce rendez-vous est annulé.") || strings.Contains(r.Body, "/deplacer") {
		t.Errorf("link after cancel: %s", r.Body)
	}
	// The freed slot is sold again online.
	if !contains(b.get(e.page("creneau?"+url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode())).slots(), target) {
		t.Fatal("the cancelled slot is not offered again")
	}
	grid = b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode()))
	idx := indexOf(grid.slots(), target)
	if _, again := e.book(t, b, idx, person("Paul", "Martin", "", "paul@example.org")); again != target {
		t.Errorf("rebooked %s, want %s", again, target)
	}

	// Nothing personal in the logs: no name, phone, e-mail or token.
	for _, secret := range []string{"Dupont", "Marie", "612345678", "marie@", "paul@", token} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("logs hold %q", secret)
		}
	}
}

func contains(xs []string, x string) bool { return indexOf(xs, x) >= 0 }

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// Links that were guessed, altered, cut or that outlived their RDV are refused, each with a
// page that names nothing of an RDV; a link opens only its own organisation's RDV.
func TestPagesLinksRefused(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	link, _ := e.book(t, b, 0, person("Marie", "Dupont", "0612345678", ""))
	token := strings.TrimPrefix(link, "/r/")
	raw := make([]byte, 32)
	crand.Read(raw)
	guessed := base64.RawURLEncoding.EncodeToString(raw)
	flip := []byte(token)
	flip[10] ^= 'A' ^ 'B' // another character, always
	for name, path := range map[string]string{
		"guessed": "/r/" + guessed, "altered": "/r/" + string(flip), "cut": "/r/" + token[:30], "longer": "/r/" + token + "A",
		"empty": "/r/", "other action": link + "/supprimer", "pdf of a guess": "/r/" + guessed + "/convocation.pdf",
	} {
		r := b.get(e.base + path)
		if r.Status != http.StatusNotFound || strings.Contains(r.text(), "M. D.") || !strings.Contains(r.Body, "<h1>") {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if r := b.post(e.base+"/r/"+guessed+"/annuler", url.Values{}); r.Status != http.StatusNotFound {
		t.Errorf("cancel with a guess: %d", r.Status)
	}
	// After the RDV's end, the link is void: no page, no document, no cancellation.
	e.clock.Set(at(day.AddDays(-6), 12, 0))
	for _, path := range []string{link, link + "/convocation.pdf", link + "/deplacer"} {
		if r := b.get(e.base + path); r.Status != http.StatusGone || !strings.Contains(r.text(), "Ce lien n’est plus valable") {
			t.Errorf("expired %s: %d %s", path, r.Status, r.Body)
		}
	}
	if r := b.post(e.base+link+"/annuler", url.Values{}); r.Status != http.StatusGone {
		t.Errorf("cancel after the RDV: %d", r.Status)
	}
}

// Two organisations: each one's pages list only its motifs, a motif of the other is refused,
// and a link never shows the other's name.
func TestPagesOtherOrganisation(t *testing.T) {
	e := pagesCentral(t, Config{})
	other := seedPages(t, e.s, "Mairie de Saint-Aubin", day.AddDays(-7)) // same name: its own slug
	if other.slug != e.org.slug+"-2" {
		t.Fatalf("second slug %q", other.slug)
	}
	b := newBrowser(t)
	link, _ := e.book(t, b, 0, person("Marie", "Dupont", "0612345678", ""))
	otherPage := e.base + "/" + other.slug + "/"
	if r := b.get(otherPage); r.Status != 200 || strings.Contains(r.Body, e.org.plain) || !strings.Contains(r.Body, other.plain) {
		t.Fatalf("other home: %d", r.Status)
	}
	q := url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}
	if r := b.get(otherPage + "creneau?" + q.Encode()); r.Status != http.StatusUnprocessableEntity || len(r.slots()) != 0 {
		t.Errorf("a motif of another organisation: %d", r.Status)
	}
	who := person("Eve", "Intruse", "0611111111", "")
	for k, v := range q {
		who[k] = v
	}
	who.Set("starts_at", at(day.AddDays(-6), 9, 30).Format(time.RFC3339))
	if r := b.post(otherPage+"confirmer", who); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("booking another organisation's motif: %d", r.Status)
	}
	if n := count(t, e.db, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", other.org); n != 0 {
		t.Errorf("rdvs of the other organisation: %d", n)
	}
	if r := b.get(e.base + link); r.Status != 200 || strings.Contains(r.Body, other.slug) {
		t.Errorf("link: %d", r.Status)
	}
	if r := b.get(e.base + "/inconnue/"); r.Status != http.StatusNotFound || !strings.Contains(r.text(), "Page introuvable") {
		t.Errorf("unknown slug: %d", r.Status)
	}
}

// Every rule of the form, each error next to its field (aria-describedby, aria-invalid), with
// what was typed kept; the motif and lieu steps refuse an empty choice.
func TestPagesFormErrors(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	if r := b.get(e.page("lieu")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "Choisissez une démarche.") ||
		!strings.Contains(r.Body, `aria-describedby="motif-erreur"`) {
		t.Errorf("no motif: %d", r.Status)
	}
	if r := b.get(e.page("creneau?motif=" + e.org.ants)); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "Choisissez un lieu.") {
		t.Errorf("no lieu: %d", r.Status)
	}
	start := at(day.AddDays(-6), 9, 0).Format(time.RFC3339)
	state := url.Values{"motif": {e.org.ants}, "lieu": {e.org.lieu}, "personnes": {"2"}, "starts_at": {start}}
	post := func(fields url.Values) reply {
		t.Helper()
		v := url.Values{}
		for k, x := range state {
			v[k] = x
		}
		for k, x := range fields {
			v[k] = x
		}
		return b.post(e.page("coordonnees"), v)
	}
	cases := []struct {
		name   string
		fields url.Values
		errs   map[string]string // field id → its text
	}{
		// The same errors in English, next to the same fields (lang travels in the form).
		{"empty, in English", url.Values{"lang": {"en"}}, map[string]string{"prenom": "Enter the first name.", "nom": "Enter the last name.",
			"tel": "Give a phone number or an e-mail address to receive the confirmation.",
			"pd1": "Enter this person's pre-application number.", "pd2": "Enter this person's pre-application number."}},
		{"bad values, in English", url.Values{"lang": {"en"}, "prenom": {"Jean\u202e"}, "nom": {"Valjean\x01"}, "tel": {"12"}, "email": {"jean@"}, "pd": {"AB12", "AB12"}},
			map[string]string{"prenom": "This field contains an invisible formatting character", "nom": "This field must fit on one line",
				"tel": "This phone number is not valid", "email": "The e-mail address is not valid",
				"pd1": "A pre-application number has 10 letters or digits", "pd2": "A pre-application number has 10 letters or digits"}},
		{"too long, in English", url.Values{"lang": {"en"}, "prenom": {strings.Repeat("J", 201)}, "nom": {"Valjean"}, "email": {"jean@example.org"}, "pd": {"AB12CD34EF", "AB12CD34EF"}},
			map[string]string{"prenom": "This field must not be longer than", "pd2": "This number is already given for another person"}},
		{"empty", url.Values{}, map[string]string{"prenom": "Le prénom est obligatoire.", "nom": "Le nom est obligatoire.",
			"tel": "Indiquez un numéro de téléphone ou une adresse e-mail pour recevoir la confirmation.",
			"pd1": "Indiquez le numéro de pré-demande de cette personne.", "pd2": "Indiquez le numéro de pré-demande de cette personne."}},
		{"bad values", url.Values{"prenom": {"Jean\u202e"}, "nom": {"Valjean"}, "tel": {"12"}, "email": {"jean@"}, "pd": {"AB12", "AB12"}},
			map[string]string{"prenom": "Ce champ contient un caractère invisible de mise en forme", "tel": "Ce numéro de téléphone n’est pas valide", "email": "L’adresse e-mail n’est pas valide.",
				"pd1": "Un numéro de pré-demande compte 10 lettres ou chiffres", "pd2": "Un numéro de pré-demande compte 10 lettres ou chiffres"}},
		{"same number twice", url.Values{"prenom": {"Jean"}, "nom": {"Valjean"}, "email": {"jean@example.org"}, "pd": {"ab12cd34ef", "AB12-CD34-EF"}},
			map[string]string{"pd2": "Ce numéro est déjà indiqué pour une autre personne"}},
	}
	for _, c := range cases {
		r := post(c.fields)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", c.name, r.Status)
			continue
		}
		for id, text := range c.errs {
			re := regexp.MustCompile(`<p class="err" id="` + id + `-erreur">([^<]*)</p>\s*<input [^>]*id="` + id + `"[^>]*aria-invalid="true" aria-describedby="` + id + `-erreur`)
			m := re.FindStringSubmatch(r.Body)
			if m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), text) {
				t.Errorf("%s: field %s: want %q next to it, in:\n%s", c.name, id, text, r.Body)
			}
		}
		for k, vs := range c.fields {
			for _, v := range vs {
				if !strings.Contains(r.Body, `value="`+html.EscapeString(v)+`"`) && !strings.Contains(r.text(), v) {
					t.Errorf("%s: %s=%q lost", c.name, k, v)
				}
			}
		}
		if title := map[bool]string{false: "<title>Erreur : Vos coordonnées", true: "<title>Error: "}[c.fields.Get("lang") == "en"]; !strings.Contains(r.text(), title) {
			t.Errorf("%s: the title does not say there are errors", c.name)
		}
		if got := strings.Count(r.Body, `<li><a href="#`); got != len(c.errs) {
			t.Errorf("%s: %d errors listed at the top, want %d", c.name, got, len(c.errs))
		}
	}
	// Right at last: the summary, with the numbers normalised.
	r := post(url.Values{"prenom": {"Jean"}, "nom": {"Valjean"}, "email": {"jean@example.org"}, "pd": {"ab12cd34ef", "ZX98CV76BN"}})
	if r.Status != 200 || !strings.Contains(r.text(), "AB12CD34EF") {
		t.Fatalf("summary: %d %s", r.Status, r.Body)
	}
	action, fields := r.formTo(t, "/confirmer")
	if done := b.post(e.base+action, fields); done.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", done.Status, done.Body)
	}
	var docs int
	var note, pre string
	if err := e.db.QueryRow(context.Background(), `SELECT r.documents_number, r.context, u.ants_pre_demande FROM rdvs r
		JOIN participations p ON p.organisation_id = r.organisation_id AND p.rdv_id = r.id
		JOIN usagers u ON u.organisation_id = p.organisation_id AND u.id = p.usager_id WHERE r.organisation_id = $1`, e.org.org).
		Scan(&docs, &note, &pre); err != nil {
		t.Fatal(err)
	}
	if docs != 2 || pre != "AB12CD34EF" || !strings.Contains(note, "AB12CD34EF, ZX98CV76BN") {
		t.Errorf("rdv: %d %q %q", docs, note, pre)
	}
}

// A slot taken between the summary and the confirmation: back to the grid, told so, with the
// usager's fields carried in the grid's form (nothing typed lost).
func TestPagesSlotTakenMeanwhile(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	grid := b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode()))
	_, q := grid.formTo(t, "/coordonnees")
	q.Set("starts_at", grid.slots()[0])
	for k, v := range person("Zoé", "Tardive", "0622222222", "") {
		q[k] = v
	}
	sum := b.post(e.page("coordonnees"), q)
	action, fields := sum.formTo(t, "/confirmer")
	e.book(t, newBrowser(t), 0, person("Adam", "Premier", "", "adam@example.org"))
	r := b.post(e.base+action, fields)
	if r.Status != http.StatusConflict || !strings.Contains(r.text(), "Ce créneau vient d’être pris") || contains(r.slots(), q.Get("starts_at")) {
		t.Fatalf("taken: %d %s", r.Status, r.Body)
	}
	action, carried := r.formTo(t, "/coordonnees")
	if carried.Get("prenom") != "Zoé" || carried.Get("tel") != "0622222222" || action != "/"+e.org.slug+"/coordonnees" {
		t.Errorf("fields carried: %v", carried)
	}
	if !strings.Contains(r.Body, `<form method="post"`) {
		t.Error("the grid carries personal fields in a GET form")
	}
}

// Abuse: the honeypot, the cap per contact and motif, the rate limits with a French 429 page.
func TestPagesAbuse(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	who := person("Max", "Dupuis", "0633333333", "")
	e.book(t, b, 0, who)
	e.book(t, b, 1, who)
	// A third RDV of the same phone for the same motif is refused on the summary.
	grid := b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode()))
	_, q := grid.formTo(t, "/coordonnees")
	q.Set("starts_at", grid.slots()[0])
	for k, v := range who {
		q[k] = v
	}
	q.Set("tel", "+33 6 33 33 33 33") // the same number, written otherwise
	sum := b.post(e.page("coordonnees"), q)
	action, fields := sum.formTo(t, "/confirmer")
	if r := b.post(e.base+action, fields); r.Status != http.StatusConflict || !strings.Contains(r.text(), "Vous avez déjà 2 rendez-vous à venir pour cette démarche") {
		t.Errorf("cap: %d %s", r.Status, r.Body)
	}
	// The sixth attempt of one phone number within minutes: 429, whatever the IP.
	for i := 4; i <= 6; i++ {
		r := b.post(e.base+action, fields)
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusConflict}[i == 6]; r.Status != want {
			t.Errorf("attempt %d of one phone: %d, want %d", i, r.Status, want)
		}
	}
	fields.Set("site_web", "http://spam.example")
	fields.Set("tel", "0644444444")
	if r := b.post(e.base+action, fields); r.Status != http.StatusBadRequest {
		t.Errorf("honeypot: %d", r.Status)
	}
	if n := count(t, e.db, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", e.org.org); n != 2 {
		t.Errorf("rdvs: %d", n)
	}

	limited := pagesCentral(t, Config{PublicRate: 0.01, PublicBurst: 3})
	lb := newBrowser(t)
	for i := range 3 {
		if r := lb.get(limited.page("")); r.Status != 200 {
			t.Fatalf("request %d: %d", i, r.Status)
		}
	}
	r := lb.get(limited.page(""))
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" ||
		!strings.Contains(r.text(), "Vous avez envoyé trop de demandes en peu de temps") || !strings.Contains(r.Body, `lang="fr"`) {
		t.Errorf("429: %d %v %s", r.Status, r.Header, r.Body)
	}
}

// The pages speak English on ?lang=en (carried by links and forms) or Accept-Language.
func TestPagesEnglish(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	r := b.get(e.page("?lang=en"))
	if !strings.Contains(r.Body, `<html lang="en">`) || !strings.Contains(r.text(), "Book an appointment") ||
		!strings.Contains(r.Body, `<input type="hidden" name="lang" value="en">`) || !strings.Contains(r.Body, `lang="fr" hreflang="fr">Français`) {
		t.Errorf("?lang=en: %s", r.Body)
	}
	b.header.Set("Accept-Language", "en-GB,en;q=0.9,fr;q=0.5")
	if r := b.get(e.page("")); !strings.Contains(r.Body, `<html lang="en">`) || r.Header.Get("Content-Language") != "en" {
		t.Errorf("Accept-Language en: %s", r.Header)
	}
	b.header.Set("Accept-Language", "de-DE,fr;q=0.8,en;q=0.5")
	if r := b.get(e.page("")); !strings.Contains(r.Body, `<html lang="fr">`) {
		t.Error("Accept-Language preferring French")
	}
}

// The operator's switch: the pages say they are closed, with the mairie's phone; a link still
// shows its RDV and cancels it, but offers no move.
func TestPagesOff(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	link, _ := e.book(t, b, 0, person("Marie", "Dupont", "0612345678", ""))
	of, _, err := e.s.AddOffice(context.Background(), e.org.org, "Mairie")
	if err != nil {
		t.Fatal(err)
	}
	if o, err := e.s.SetOnline(context.Background(), of.ID, false); err != nil || o.Online || o.Slug != e.org.slug {
		t.Fatalf("off: %+v %v", o, err)
	}
	// The pages read the organisation again once their copy is a second old (web.cacheFor).
	if r := b.get(e.page("")); r.Status != http.StatusOK {
		t.Errorf("within the second: %d", r.Status)
	}
	e.clock.Set(e.clock.Now().Add(time.Second))
	r := b.get(e.page(""))
	if r.Status != http.StatusNotFound || !strings.Contains(r.text(), "La prise de rendez-vous en ligne est fermée") || !strings.Contains(r.text(), "02\u00a038\u00a000\u00a000\u00a000") {
		t.Errorf("closed: %d %s", r.Status, r.text())
	}
	if r := b.get(e.base + link); r.Status != 200 || strings.Contains(r.Body, "/deplacer") || !strings.Contains(r.Body, "/annuler") {
		t.Errorf("link while closed: %d", r.Status)
	}
	if _, err := e.s.SetOnline(context.Background(), of.ID, true); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(e.clock.Now().Add(time.Second))
	if r := b.get(e.page("")); r.Status != 200 {
		t.Errorf("on again: %d", r.Status)
	}
}

// Budget: every page, compressed as sent, under 50 KB, without a script or a web font.
func TestPagesBudget(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	b.header.Set("Accept-Encoding", "gzip")
	link, _ := e.book(t, b, 0, person("Marie", "Dupont", "0612345678", "marie@example.org"))
	q := url.Values{"motif": {e.org.ants}, "lieu": {e.org.lieu}, "personnes": {"2"}, "starts_at": {at(day.AddDays(-5), 9, 0).Format(time.RFC3339)}}
	pages := map[string]reply{
		"motifs":        b.get(e.page("")),
		"lieu":          b.get(e.page("lieu?motif=" + e.org.ants)),
		"creneau":       b.get(e.page("creneau?" + q.Encode())),
		"coordonnees":   b.get(e.page("coordonnees?" + q.Encode())),
		"erreurs":       b.post(e.page("coordonnees"), q),
		"recapitulatif": b.post(e.page("coordonnees"), withPerson(q, person("Jean", "Valjean", "0612345678", ""), "AB12CD34EF", "ZX98CV76BN")),
		"rdv":           b.get(e.base + link + "?ok=1"),
		"deplacer":      b.get(e.base + link + "/deplacer"),
		"annuler":       b.get(e.base + link + "/annuler"),
		"accessibilite": b.get(e.page("accessibilite")),
		"introuvable":   b.get(e.base + "/r/" + strings.Repeat("A", pgstore.CancelTokenChars)),
	}
	for name, r := range pages {
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not compressed (%d)", name, r.Status)
		}
		if r.Wire >= 50<<10 {
			t.Errorf("%s: %d bytes sent, budget 50 KB", name, r.Wire)
		}
		if strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "@font-face") || strings.Contains(r.Body, "<link ") {
			t.Errorf("%s: loads something more", name)
		}
		t.Logf("%-14s %5d bytes sent, %6d uncompressed", name, r.Wire, len(r.Body))
	}
}

func withPerson(state, who url.Values, numbers ...string) url.Values {
	v := url.Values{}
	for k, x := range state {
		v[k] = x
	}
	for k, x := range who {
		v[k] = x
	}
	v["pd"] = numbers
	return v
}

// The convocation's QR code scans (zbarimg, on the PDF rendered by pdftoppm) and holds a
// check-in token signed with the organisation's secret at the central, for this RDV.
func TestPagesConvocationQRCode(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s absent", tool)
		}
	}
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	link, _ := e.book(t, b, 0, person("Marie", "Dupont", "0612345678", ""))
	pdf := b.get(e.base + link + "/convocation.pdf")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.pdf"), []byte(pdf.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", filepath.Join(dir, "c.pdf"), filepath.Join(dir, "c")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(dir, "c.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	secret, err := e.s.OrganisationSecret(context.Background(), e.org.org)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := checkin.Verify(strings.TrimSpace(string(out)), secret, e.clock.Now())
	var rdvID string
	if err := e.db.QueryRow(context.Background(), "SELECT id::text FROM rdvs WHERE organisation_id = $1", e.org.org).Scan(&rdvID); err != nil {
		t.Fatal(err)
	}
	if err != nil || claims.RdvID != rdvID {
		t.Fatalf("QR %q: %+v %v", out, claims, err)
	}
}

// A week without a free slot says when the next one is, and links to its week; the week
// buttons page through the weeks.
func TestPagesNextAvailability(t *testing.T) {
	e := pagesCentral(t, Config{})
	// The agent is away for the next two weeks (Wednesday 26 February to Tuesday 11 March).
	if _, err := e.s.SaveAbsence(context.Background(), agenda.Absence{OrganisationID: e.org.org, AgentID: e.org.agent, Title: "Congés",
		FirstDay: day.AddDays(-6), EndDay: day.AddDays(7), Start: agenda.Clk(0, 0), End: agenda.Clk(23, 59)}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	q := url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}
	r := b.get(e.page("creneau?" + q.Encode()))
	if len(r.slots()) != 0 || !strings.Contains(r.text(), "Aucun horaire libre cette semaine.") ||
		!strings.Contains(r.text(), "Prochaine disponibilité le mercredi 12 mars") || !strings.Contains(r.Body, `name="du" value="2031-03-12"`) {
		t.Fatalf("empty week: %s", r.text())
	}
	q.Set("du", "2031-03-12")
	r = b.get(e.page("creneau?" + q.Encode()))
	if s := r.slots(); len(s) == 0 || s[0] != at(day.AddDays(8), 9, 0).Format(time.RFC3339) ||
		!strings.Contains(r.Body, `name="du" value="2031-03-05"`) || !strings.Contains(r.Body, `name="du" value="2031-03-19"`) {
		t.Fatalf("the week of the next availability: %v", r.slots())
	}
}

// The grid keeps the settings of its search (plages, absences) a second, never the bookings: a
// slot booked meanwhile leaves the grid at once, an absence entered at the office shows a second
// after its sync.
func TestPagesGridKeepsSettingsNotBookings(t *testing.T) {
	e := pagesCentral(t, Config{})
	b := newBrowser(t)
	grid := func() []string {
		t.Helper()
		r := b.get(e.page("creneau?" + url.Values{"motif": {e.org.plain}, "lieu": {e.org.lieu}}.Encode()))
		if r.Status != http.StatusOK {
			t.Fatalf("grid: %d", r.Status)
		}
		return r.slots()
	}
	before := grid()
	_, booked := e.book(t, b, 1, person("Marie", "Dupont", "0612345678", ""))
	if s := grid(); contains(s, booked) || len(s) != len(before)-1 {
		t.Errorf("the slot booked is still offered within the second: %d slots, %s in them: %v", len(s), booked, contains(s, booked))
	}
	first := agenda.DateOf(at(day.AddDays(-6), 9, 0).In(paris))
	if _, err := e.s.SaveAbsence(context.Background(), agenda.Absence{OrganisationID: e.org.org, AgentID: e.org.agent, Title: "Formation",
		FirstDay: first, EndDay: first, Start: agenda.Clk(8, 0), End: agenda.Clk(12, 0)}); err != nil {
		t.Fatal(err)
	}
	if s := grid(); len(s) != len(before)-1 {
		t.Errorf("within the second the grid reads its settings again: %d slots, %d expected", len(s), len(before)-1)
	}
	e.clock.Set(e.clock.Now().Add(time.Second))
	for _, s := range grid() {
		if strings.HasPrefix(s, first.String()) {
			t.Errorf("a second later, %s is still offered on the day of the absence", s)
		}
	}
}
