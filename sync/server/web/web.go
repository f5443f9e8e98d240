// Package web is rdv-central's online booking pages for usagers: server-rendered HTML that works
// without JavaScript, light (a few KB of inline CSS, no font, no script), in French by default and
// in English (?lang=en or Accept-Language), in the organisation's name and colour.
//
//	/<slug>/                      the démarche (motif), its description and pièces à fournir
//	/<slug>/lieu?motif=           the number of persons (ANTS titles) and the lieu
//	/<slug>/creneau?…&du=         a week of the en_ligne slots, « Prochaine disponibilité le … »
//	/<slug>/coordonnees?…         GET: the usager's form; POST: its check, then the summary
//	/<slug>/confirmer             POST: the booking (pgstore.BookOnline), then /r/<token>
//	/<slug>/accessibilite         the accessibility statement
//	/<slug>/logo.png              the organisation's logo
//	/r/<token>                    the RDV of a cancel link: documents, cancel, move
//
// The state between steps travels in the query string and hidden fields; the usager's name,
// phone, e-mail and pré-demandes only in POST bodies, never in a URL. The cancel link's token is
// a 256-bit secret (an HMAC of the organisation's secret, pgstore.BookOnline): its pages send no
// Referer and are never cached.
// Logs carry route names and codes, never a path, a name, a phone or an e-mail.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"html/template"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/messages"
	"rdvguichet/sync/server/pgstore"
)

// Limiter is a token bucket by key: Allow takes one request, or says how long to wait.
type Limiter interface {
	Allow(key string) (time.Duration, bool)
}

// Config configures the pages.
type Config struct {
	Store *pgstore.Store
	Log   *slog.Logger // nil: discard
	// PerIP bounds the requests of one client (every page); PerContact the bookings of one phone
	// number or e-mail address. nil: no limit.
	PerIP, PerContact Limiter
	// ClientIP is the address PerIP counts (behind a trusted proxy, the forwarded one).
	ClientIP func(*http.Request) string
	// MaxFuture caps the future online RDVs of one contact for one motif (default 2).
	MaxFuture int
}

// Handler serves the pages.
type Handler struct {
	store      *pgstore.Store
	log        *slog.Logger
	perIP      Limiter
	perContact Limiter
	clientIP   func(*http.Request) string
	maxFuture  int
	pages      map[string]*template.Template
	cache      *cache
}

//go:embed templates/*.html templates/site.css
var files embed.FS

// maxBody bounds a form's body: a few short fields.
const maxBody = 16 << 10

// DefaultMaxFuture is the default cap of future online RDVs per contact and motif: a second one
// for a relative, not a stock of slots.
const DefaultMaxFuture = 2

// New returns the pages' handler.
func New(cfg Config) *Handler {
	h := &Handler{store: cfg.Store, log: cfg.Log, perIP: cfg.PerIP, perContact: cfg.PerContact, clientIP: cfg.ClientIP,
		maxFuture: cfg.MaxFuture, pages: parseTemplates()}
	h.cache = newCache(h.store.Now)
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxFuture <= 0 {
		h.maxFuture = DefaultMaxFuture
	}
	if h.clientIP == nil {
		h.clientIP = func(r *http.Request) string { return r.RemoteAddr }
	}
	return h
}

// Serve answers a request for a page and returns the route's name for the metrics (never the
// path, which may hold a cancel token).
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request) string {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	p := newPage(r)
	if h.perIP != nil {
		if wait, ok := h.perIP.Allow(h.clientIP(r)); !ok {
			h.limited(w, p, wait)
			return "web/limited"
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	r = r.WithContext(ctx)
	if rest, ok := strings.CutPrefix(r.URL.Path, "/r/"); ok {
		return h.link(w, r, p, rest)
	}
	slug, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	return h.organisation(w, r, p, slug, rest)
}

// organisation serves the pages of one organisation.
func (h *Handler) organisation(w http.ResponseWriter, r *http.Request, p *page, slug, rest string) string {
	org, err := h.organisationBySlug(r.Context(), slug)
	if err != nil {
		h.failure(w, p, err)
		return "web/unknown"
	}
	p.Org = org
	if rest == "logo.png" {
		h.logo(w, r, org)
		return "web/logo"
	}
	if rest == "accessibilite" {
		h.render(w, p, http.StatusOK, "accessibilite", nil)
		return "web/accessibilite"
	}
	if !org.Online {
		h.failure(w, p, agenda.Fail("web", agenda.CodeOnlineClosed))
		return "web/closed"
	}
	steps := map[string]func(http.ResponseWriter, *http.Request, *page){
		"": h.motifs, "lieu": h.lieu, "creneau": h.creneau, "coordonnees": h.coordonnees, "confirmer": h.confirm,
	}
	step, ok := steps[rest]
	if !ok {
		h.failure(w, p, agenda.Fail("web", agenda.CodeRouteUnknown))
		return "web/unknown"
	}
	getOrPost := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodPost
	if !getOrPost || (rest == "confirmer" && r.Method != http.MethodPost) {
		w.Header().Set("Allow", "GET, POST")
		h.failure(w, p, agenda.Fail("web", agenda.CodeMethodNotAllowed, "method", r.Method))
		return "web/method"
	}
	step(w, r, p)
	if rest == "" {
		return "web/motifs"
	}
	return "web/" + rest
}

func (h *Handler) logo(w http.ResponseWriter, r *http.Request, org pgstore.PageOrganisation) {
	if len(org.LogoPNG) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(org.LogoPNG)
}

// page is what every template reads: the language, the organisation, the state carried between
// steps, and the form's values and errors.
type page struct {
	Lang messages.Lang
	// LangParam is "en" or "fr" when the usager chose the language with ?lang=: links and forms
	// carry it. "" when it came from Accept-Language (nothing to carry).
	LangParam string
	Path      string // the path of the page, for the language switch
	Org       pgstore.PageOrganisation
	Title     string
	Step      int // 1 to 5 in the booking; 0 elsewhere
	Notice    string
	Data      any
	Form      *form
	Switch    string // the same page in the other language
	gzip      bool   // the client accepts gzip
}

// Wide reports whether the page holds a week of slots: seven columns on a large screen.
func (p *page) Wide() bool { return p.Step == 3 || strings.HasSuffix(p.Path, "/deplacer") }

// Steps is the number of steps of a booking.
func (p *page) Steps() int { return 5 }

// Invalid reports whether the page shows a form with errors: its title says so first.
func (p *page) Invalid() bool { return p.Form != nil && len(p.Form.Order) > 0 }

func newPage(r *http.Request) *page {
	p := &page{Lang: messages.French, Path: r.URL.Path, gzip: strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")}
	switch l := r.FormValue("lang"); l {
	case "en", "fr":
		p.Lang, p.LangParam = messages.Lang(l), l
	default:
		p.Lang = acceptLanguage(r.Header.Get("Accept-Language"))
	}
	// The query string holds no personal data: the switch keeps it.
	q := r.URL.Query()
	q.Set("lang", string(p.Other()))
	p.Switch = r.URL.Path + "?" + q.Encode()
	return p
}

// acceptLanguage picks English when the browser prefers it to French; French otherwise.
func acceptLanguage(h string) messages.Lang {
	best, bestQ := messages.French, 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if (base == "fr" || base == "en") && q > bestQ {
			best, bestQ = messages.Lang(base), q
		}
	}
	return best
}

// T writes the catalogue's text key in the page's language, with params given as name, value…
func (p *page) T(key string, kv ...any) string {
	var params map[string]string
	if len(kv) > 0 {
		params = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			params[kv[i].(string)] = toString(kv[i+1])
		}
	}
	return messages.Text(p.Lang, agenda.Code(key), params)
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	}
	return ""
}

// Q is a query string of the booking's state (pairs name, value), with the chosen language: the
// href of a link to another step.
func (p *page) Q(kv ...string) template.URL {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if p.LangParam != "" {
		v.Set("lang", p.LangParam)
	}
	if len(v) == 0 {
		return ""
	}
	return template.URL("?" + v.Encode())
}

// Base is the path of the organisation's pages: /<slug>/.
func (p *page) Base() string { return "/" + p.Org.Slug + "/" }

// Other is the language the switch offers.
func (p *page) Other() messages.Lang {
	if p.Lang == messages.English {
		return messages.French
	}
	return messages.English
}

// Accent is the organisation's colour if it is one (#RRGGBB) and dark enough for white text
// on it (WCAG AA, 4.5:1); a neutral dark blue otherwise.
func (p *page) Accent() template.CSS {
	if c := p.Org.AccentColor; validHex(c) && contrastWithWhite(c) >= 4.5 {
		return template.CSS(c)
	}
	return "#1f4e79"
}

func validHex(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	_, err := strconv.ParseUint(c[1:], 16, 32)
	return err == nil
}

// contrastWithWhite is the WCAG contrast ratio of colour #RRGGBB against white.
func contrastWithWhite(c string) float64 {
	v, _ := strconv.ParseUint(c[1:], 16, 32)
	lin := func(x uint64) float64 {
		s := float64(x) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	return 1.05 / (l + 0.05)
}

func parseTemplates() map[string]*template.Template {
	css, err := files.ReadFile("templates/site.css")
	if err != nil {
		panic(err)
	}
	funcs := template.FuncMap{
		"css":   func() template.CSS { return template.CSS(css) },
		"phone": convocation.PhoneText,
		"address": func(l agenda.Lieu) string {
			return convocation.Place{Street: l.Street, PostalCode: l.PostalCode, City: l.City}.Address()
		},
	}
	names, err := files.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name, ok := strings.CutSuffix(n.Name(), ".html")
		if !ok || name == "layout" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+n.Name()))
	}
	return out
}

// render writes page name with its status, compressed when the client accepts it.
func (h *Handler) render(w http.ResponseWriter, p *page, status int, name string, data any) {
	p.Data = data
	if p.Title == "" {
		p.Title = p.T("online_title_" + name)
	}
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.Error("page not rendered", "page", name, "err", err.Error())
		http.Error(w, "Erreur interne.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	hd.Set("Content-Language", string(p.Lang))
	hd.Add("Vary", "Accept-Language, Accept-Encoding")
	if !p.gzip {
		w.WriteHeader(status)
		w.Write(buf.Bytes())
		return
	}
	hd.Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	zw := gzips.Get().(*gzip.Writer)
	zw.Reset(w)
	zw.Write(buf.Bytes())
	zw.Close()
	gzips.Put(zw)
}

// gzips keeps the compressors between pages: a new one allocates its window and tables, about a
// megabyte, which the rush of 200 usagers paid once per page (profile, docs/benchmarks.md).
var gzips = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}
