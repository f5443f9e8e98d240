package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/server/pgstore"

	"github.com/jackc/pgx/v5/pgxpool"
)

// movingClock is a clock the test sets.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// pagesEnv is a central serving the pages of one seeded organisation, a week before day.
type pagesEnv struct {
	s     *pgstore.Store
	db    *pgxpool.Pool
	base  string
	org   pagesOrg
	clock *movingClock
	logs  *bytes.Buffer
}

func pagesCentral(t testing.TB, cfg Config) *pagesEnv {
	t.Helper()
	dsn := freshDB(t)
	clk := &movingClock{t: at(day.AddDays(-7), 10, 0)}
	s, err := pgstore.Open(context.Background(), dsn, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
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
