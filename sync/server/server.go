// Package server is rdv-central's HTTP door for the offices: the sync protocol's push and pull
// (sync/protocol/http.go), health, readiness and Prometheus metrics, over the central's
// PostgreSQL store (pgstore); and the online booking API of the en_ligne slots (public.go). It holds no state an office depends on: any number of processes
// may serve one database, an office may talk to any of them from one request to the next.
//
// Every sync request carries an office's bearer token: missing or unknown is 401, a revoked
// office 403. The token names the office and its organisation; a push whose ops belong to
// another organisation is refused whole (403), a pull reads only the token's organisation.
//
// Logs and metrics carry op ids, codes, office and organisation ids, never a payload (names,
// phones, e-mails stay in the database).
package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/server/web"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"
)

// Config configures a Server. Zero values take the defaults.
type Config struct {
	Store  *pgstore.Store
	Logger *slog.Logger // nil: discard
	// Registry receives the metrics (nil: a new registry with the Go and process collectors).
	Registry *prometheus.Registry
	// Rate and Burst bound the requests of one token: Rate per second on average, Burst at once
	// (defaults 20 and 40). Rate < 0 disables the limit.
	Rate  float64
	Burst int
	// Timeout bounds the work of one push or pull (default 60 s): a push stops in the middle, the
	// ops of its transactions committed so far (pgstore.ApplyBatch) stay applied and recorded.
	Timeout time.Duration
	// PublicRate and PublicBurst bound the requests of one client IP to the online booking API
	// (/v1/public/…): defaults 5 per second and 30 at once. PublicRate < 0 disables the limit.
	PublicRate  float64
	PublicBurst int
	// TrustProxy says that rdv-central runs behind a reverse proxy that appends the client's
	// address to X-Forwarded-For: the online API's limit then counts that address.
	TrustProxy bool
}

// Registry returns the registry of the metrics /metrics serves: serve's background work
// registers its own there.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// Server is the http.Handler of rdv-central.
type Server struct {
	store   *pgstore.Store
	log     *slog.Logger
	reg     *prometheus.Registry
	metrics http.Handler
	timeout time.Duration

	perToken   *limiters
	perIP      *limiters
	trustProxy bool

	pushes   *prometheus.CounterVec
	pulls    *prometheus.CounterVec
	ops      *prometheus.CounterVec
	changes  prometheus.Counter
	duration *prometheus.HistogramVec
	online   *prometheus.CounterVec

	pages *web.Handler
}

// maxLimiters bounds the limiters kept in memory (per token, per IP); past it they start afresh
// (a flood of random tokens or addresses cannot grow the map without bound).
const maxLimiters = 10000

// limiters are token buckets by key (a token, a client IP), hashed.
type limiters struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	m     map[[32]byte]*rate.Limiter
}

func newLimiters(r float64, burst int, defRate float64, defBurst int) *limiters {
	l := &limiters{rate: rate.Limit(r), burst: burst, m: map[[32]byte]*rate.Limiter{}}
	if r == 0 {
		l.rate = rate.Limit(defRate)
	}
	if r < 0 {
		l.rate = rate.Inf
	}
	if l.burst <= 0 {
		l.burst = defBurst
	}
	return l
}

// New returns the server.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, log: cfg.Logger, reg: cfg.Registry, timeout: cfg.Timeout,
		perToken: newLimiters(cfg.Rate, cfg.Burst, 20, 40), perIP: newLimiters(cfg.PublicRate, cfg.PublicBurst, 5, 30),
		trustProxy: cfg.TrustProxy}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
		s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if s.timeout <= 0 {
		s.timeout = 60 * time.Second
	}
	s.pushes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rdv_central_pushes_total",
		Help: "Pushes of offices, by HTTP status."}, []string{"status"})
	s.pulls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rdv_central_pulls_total",
		Help: "Pulls of the change feed, by HTTP status."}, []string{"status"})
	s.ops = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rdv_central_ops_total",
		Help: "Ops answered, by result: accepted, or the code of the rejection (replays included)."}, []string{"result"})
	s.changes = prometheus.NewCounter(prometheus.CounterOpts{Name: "rdv_central_changes_pulled_total",
		Help: "Changes of the feed sent to offices."})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rdv_central_request_duration_seconds",
		Help: "Duration of the requests, by route and HTTP status.", Buckets: prometheus.DefBuckets}, []string{"route", "status"})
	s.online = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rdv_central_online_total",
		Help: "Online bookings and cancellations, by action and result: accepted, or the code of the refusal."}, []string{"action", "result"})
	s.reg.MustRegister(s.pushes, s.pulls, s.ops, s.changes, s.duration, s.online)
	s.metrics = promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg})
	s.pages = s.newPages(cfg)
	return s
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	route := r.URL.Path
	switch r.URL.Path {
	case protocol.PathPush:
		s.only(sw, r, http.MethodPost, s.push)
	case protocol.PathPull:
		s.only(sw, r, http.MethodGet, s.pull)
	case protocol.PathKeys:
		s.only(sw, r, http.MethodGet, s.keys)
	case protocol.PathHealth:
		s.only(sw, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, "ok\n")
		})
	case protocol.PathReady:
		s.only(sw, r, http.MethodGet, s.ready)
	case protocol.PathMetrics:
		s.only(sw, r, http.MethodGet, s.metrics.ServeHTTP)
	default:
		if strings.HasPrefix(r.URL.Path, PathPublic) {
			route = s.public(sw, r)
			break
		}
		if isPage(r.URL.Path) {
			route = s.pages.Serve(sw, r)
			break
		}
		route = "other"
		s.fail(sw, agenda.Fail("server", agenda.CodeRouteUnknown))
	}
	status := strconv.Itoa(sw.status)
	s.duration.WithLabelValues(route, status).Observe(time.Since(start).Seconds())
	switch route {
	case protocol.PathPush:
		s.pushes.WithLabelValues(status).Inc()
	case protocol.PathPull:
		s.pulls.WithLabelValues(status).Inc()
	}
}

func (s *Server) only(w http.ResponseWriter, r *http.Request, method string, h http.HandlerFunc) {
	if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
		w.Header().Set("Allow", method)
		s.fail(w, agenda.Fail("server", agenda.CodeMethodNotAllowed, "method", r.Method))
		return
	}
	h(w, r)
}

// statusOf is the HTTP status of a refused request.
func statusOf(err error) int {
	switch code := agenda.CodeOf(err); code {
	case agenda.CodeTokenMissing, agenda.CodeTokenUnknown:
		return http.StatusUnauthorized
	case agenda.CodeRateLimited:
		return http.StatusTooManyRequests
	case agenda.CodeBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case agenda.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	}
	switch agenda.KindOf(err) {
	case agenda.Invalid:
		return http.StatusBadRequest
	case agenda.Forbidden:
		return http.StatusForbidden
	case agenda.NotFound:
		return http.StatusNotFound
	case agenda.Conflict:
		return http.StatusConflict
	case agenda.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail answers a refused request with its status and an ErrorReply.
func (s *Server) fail(w http.ResponseWriter, err error) {
	status := statusOf(err)
	code, params := agenda.CodeOf(err), agenda.ParamsOf(err)
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="rdv-central"`)
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		secs := params["seconds"]
		if secs == "" {
			secs = "1"
		}
		w.Header().Set("Retry-After", secs)
	}
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "code", string(code), "err", err.Error())
	}
	writeJSON(w, status, protocol.ErrorReply{Error: protocol.ErrorBody{Code: code, Message: messages.Text(messages.French, code, params), Params: params}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// authenticate reads the bearer token, applies its rate limit and returns its office.
func (s *Server) authenticate(ctx context.Context, r *http.Request) (pgstore.Office, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return pgstore.Office{}, agenda.Fail("server", agenda.CodeTokenMissing)
	}
	if wait, ok := s.perToken.allow(token); !ok {
		return pgstore.Office{}, agenda.Fail("server", agenda.CodeRateLimited, "seconds", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	return s.store.Authenticate(ctx, token)
}

// allow takes one request from the key's bucket; when empty, it says how long to wait.
func (ls *limiters) allow(key string) (time.Duration, bool) {
	if ls.rate == rate.Inf {
		return 0, true
	}
	h := sha256.Sum256([]byte(key))
	ls.mu.Lock()
	l := ls.m[h]
	if l == nil {
		if len(ls.m) >= maxLimiters {
			clear(ls.m)
		}
		l = rate.NewLimiter(ls.rate, ls.burst)
		ls.m[h] = l
	}
	ls.mu.Unlock()
	rv := l.Reserve()
	if d := rv.Delay(); d > 0 {
		rv.Cancel()
		return max(d, time.Second), false
	}
	return 0, true
}

// push applies an office's batch, in order, in a few transactions (pgstore.ApplyBatch: one
// savepoint per op, a commit every DefaultBatchOps ops or DefaultBatchTime), and answers once
// every result is committed. A malformed batch, or one with an op of another organisation, is
// refused whole before anything is applied. When the database fails in the middle
// (unavailable, timeout), the answer is 503: the ops committed before stay applied and recorded,
// and the office's retry of the whole push gets their stored results.
func (s *Server) push(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	office, err := s.authenticate(ctx, r)
	if err != nil {
		s.fail(w, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, protocol.MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.fail(w, agenda.Fail("server.push", agenda.CodeBodyTooLarge, "max", strconv.Itoa(protocol.MaxBody)))
		return
	}
	if err != nil {
		s.fail(w, agenda.Wrap("server.push", agenda.CodeInterrupted, err))
		return
	}
	p, values, err := protocol.DecodePushValues(body)
	if err != nil {
		s.log.Info("push refused", "office", office.ID, "organisation", office.OrganisationID, "code", string(agenda.CodeOf(err)))
		s.fail(w, err)
		return
	}
	for i, op := range p.Ops {
		if op.OrganisationID != office.OrganisationID {
			s.log.Warn("push of another organisation refused", "office", office.ID, "organisation", office.OrganisationID, "op", op.ID)
			s.fail(w, agenda.Fail("server.push", agenda.CodeForeignOrganisation, "op", strconv.Itoa(i+1)))
			return
		}
	}
	results, err := s.store.ApplyDecoded(ctx, office, p.Ops, values)
	if err != nil {
		op := ""
		if len(results) < len(p.Ops) {
			op = p.Ops[len(results)].ID
		}
		s.log.Warn("push interrupted", "office", office.ID, "organisation", office.OrganisationID, "op", op,
			"code", string(agenda.CodeOf(err)), "applied", len(results))
		if agenda.KindOf(err) == agenda.Unavailable {
			err = agenda.Fail("server.push", agenda.CodeOf(err))
		}
		s.fail(w, err)
		return
	}
	reply := protocol.PushReply{Version: protocol.Version, Results: make([]protocol.Result, 0, len(p.Ops))}
	accepted := 0
	for i, res := range results {
		op := p.Ops[i]
		if res.Accepted {
			accepted++
			s.ops.WithLabelValues("accepted").Inc()
		} else {
			s.ops.WithLabelValues(string(res.Code)).Inc()
			s.log.Info("op rejected", "office", office.ID, "organisation", office.OrganisationID, "op", op.ID,
				"entity", string(op.Entity), "kind", string(op.Kind), "code", string(res.Code))
		}
		reply.Results = append(reply.Results, res)
	}
	s.touch(ctx, office, nil)
	s.log.Info("push", "office", office.ID, "organisation", office.OrganisationID, "ops", len(p.Ops), "accepted", accepted,
		"rejected", len(p.Ops)-accepted)
	writeJSON(w, http.StatusOK, reply)
}

// touchEvery is how stale an office's last push or pull may be recorded: an office syncing
// pulls its feed page after page, and 200 offices at once made that row's update one more
// write and commit per request (docs/benchmarks.md, « 200 offices syncing at once »).
const touchEvery = 5 * time.Second

// touch records the office's last push (pulled nil) or pull from cursor pulled, unless the one
// recorded (as authenticate read it) is less than touchEvery old: the cursor recorded for the
// feed's compaction is then a little behind the office's, never ahead.
func (s *Server) touch(ctx context.Context, office pgstore.Office, pulled *pgstore.Cursor) {
	last, what := office.LastPullAt, "last pull not recorded"
	if pulled == nil {
		last, what = office.LastPushAt, "last push not recorded"
	}
	if last != nil && s.store.Now().Sub(*last) < touchEvery {
		return
	}
	if err := s.store.TouchOffice(ctx, office.ID, pulled); err != nil {
		s.log.Warn(what, "office", office.ID, "code", string(agenda.CodeOf(err)))
	}
}

// EncodeCursor and DecodeCursor give the feed's position its opaque form: base64url of
// "txid.seq". The zero cursor (the feed's start) is "".
func EncodeCursor(c pgstore.Cursor) string {
	if c == (pgstore.Cursor{}) {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatUint(c.Txid, 10) + "." + strconv.FormatInt(c.Seq, 10)))
}

// DecodeCursor reads a cursor EncodeCursor wrote.
func DecodeCursor(s string) (pgstore.Cursor, error) {
	if s == "" {
		return pgstore.Cursor{}, nil
	}
	bad := agenda.Fail("server.pull", agenda.CodeCursorInvalid)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 48 {
		return pgstore.Cursor{}, bad
	}
	tx, seq, ok := strings.Cut(string(b), ".")
	if !ok {
		return pgstore.Cursor{}, bad
	}
	var c pgstore.Cursor
	if c.Txid, err = strconv.ParseUint(tx, 10, 64); err != nil {
		return pgstore.Cursor{}, bad
	}
	if c.Seq, err = strconv.ParseInt(seq, 10, 64); err != nil || c.Seq < 0 {
		return pgstore.Cursor{}, bad
	}
	return c, nil
}

// pull returns a page of the token's organisation's change feed after the cursor.
func (s *Server) pull(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	office, err := s.authenticate(ctx, r)
	if err != nil {
		s.fail(w, err)
		return
	}
	q := r.URL.Query()
	cursor, err := DecodeCursor(q.Get("cursor"))
	if err != nil {
		s.fail(w, err)
		return
	}
	limit := protocol.MaxPull
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > protocol.MaxPull {
			s.fail(w, agenda.Fail("server.pull", agenda.CodeLimitInvalid, "max", strconv.Itoa(protocol.MaxPull)))
			return
		}
		limit = n
	}
	feed, err := s.store.Changes(ctx, office.OrganisationID, cursor, limit)
	if err != nil {
		s.fail(w, err)
		return
	}
	reply := protocol.PullReply{Version: protocol.Version, Changes: make([]protocol.Change, 0, len(feed)), Cursor: EncodeCursor(cursor),
		More: len(feed) == limit}
	for _, c := range feed {
		if c.OrganisationID != office.OrganisationID { // never: Changes reads one organisation
			s.fail(w, agenda.Errorf("server.pull", agenda.Other, "change of another organisation"))
			return
		}
		reply.Changes = append(reply.Changes, protocol.Change{Cursor: EncodeCursor(c.Cursor), Entity: c.Entity, EntityID: c.EntityID,
			Kind: c.Kind, Version: c.Version, Payload: c.Payload, At: c.At})
		reply.Cursor = EncodeCursor(c.Cursor)
	}
	s.changes.Add(float64(len(feed)))
	s.touch(ctx, office, &cursor)
	s.log.Debug("pull", "office", office.ID, "organisation", office.OrganisationID, "changes", len(feed), "more", reply.More)
	writeJSON(w, http.StatusOK, reply)
}

// ready answers 200 when the database answers within 2 s.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.fail(w, agenda.Wrap("server.ready", agenda.CodeUnavailable, fmt.Errorf("base injoignable : %w", err)))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}
