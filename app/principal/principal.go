// Package principal is the poste principal's server (ADR 0010): it serves the office's agenda to
// the postes secondaires it paired, over TLS 1.3 with the certificate of its data file
// (backend/poste), on the API backend/poste describes.
//
// Each paired poste has its own app.Services over the shared data file, hence its own agent
// session: an agent signs in on the secondary with their own account and the principal enforces
// the session and the roles, not the secondary. A call reaches only the bindings of the poste's
// role (a borne: the KioskService; a guichet: the agent window's services). A write carries an
// idempotency key; its answer is kept in the data file (store.RecordCallReply) and given again to
// a retry, even after a restart. What the poste's call prints is captured and sent back with the
// answer, for the poste to print on its own printers.
package principal

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"rdvguichet/app"
	"rdvguichet/app/bridge"
	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

// Limits of a request.
const (
	maxCallBody = 16 << 20 // a call's arguments: a logo, a long form
	maxPairBody = 4 << 10
	callTimeout = 2 * time.Minute
)

// pairingRule makes wrong pairing codes wait, for the principal as a whole: after 5 within 10
// minutes, 30 seconds, doubled at each further one, at most 10 minutes. A 50-bit code valid 10
// minutes cannot be guessed at that pace.
var pairingRule = store.AttemptRule{Max: 5, Window: 10 * time.Minute, Base: 30 * time.Second, Cap: 10 * time.Minute}

// Server serves the postes. Its zero value is not usable: New.
type Server struct {
	db     *store.DB
	clock  agenda.Clock
	logger *log.Logger

	mu       sync.Mutex
	postes   map[string]*app.Services // per poste id: its services, its agent's session
	inflight map[string]chan struct{} // per poste id + key: a call running (a retry waits for it)
	srv      *http.Server
	addr     string
	closing  chan struct{} // closed by Stop: the event streams end (the calls in flight finish)
	events   *app.Hub      // the office's change events, relayed to the counters
}

// New returns the server of the postes over the office's data file; events is the hub of the
// principal's services (started by its window, or by « serve »), relayed to the counters.
func New(db *store.DB, clock agenda.Clock, logger *log.Logger, events *app.Hub) *Server {
	return &Server{db: db, clock: clock, logger: logger, events: events, postes: map[string]*app.Services{}, inflight: map[string]chan struct{}{}}
}

// Start serves the postes on addr (HOST:PORT, ":PORT" for every interface), until Stop. It is
// an error to start twice on another address; the same address is a no-op.
func (s *Server) Start(addr string) error {
	id, err := poste.LoadIdentity(context.Background(), s.db)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		if addr == s.addr {
			return nil
		}
		close(s.closing)
		s.srv.Close()
		s.srv = nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return agenda.E("principal.Start", agenda.Unavailable, fmt.Errorf("écoute sur %s : %w", addr, err))
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{id.Certificate}},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      callTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		// The TLS handshakes of port scanners and of postes with an old pin are not news.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s.srv, s.addr, s.closing = srv, ln.Addr().String(), make(chan struct{})
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger.Printf("postes : le serveur s’est arrêté : %v", err)
		}
	}()
	s.logger.Printf("postes : service des postes sur %s (empreinte %s)", s.addr, id.Fingerprint)
	return nil
}

// Stop stops serving, letting the calls in flight end (a few seconds at most).
func (s *Server) Stop() error {
	s.mu.Lock()
	srv, closing := s.srv, s.closing
	s.srv, s.addr = nil, ""
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	close(closing)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return srv.Close()
	}
	return nil
}

// Address is where the server listens ("" when it does not).
func (s *Server) Address() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Handler is the postes' API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+poste.PathPair, s.pair)
	mux.HandleFunc("POST "+poste.PathCall, s.call)
	mux.HandleFunc("GET "+poste.PathEvents, s.relay)
	return mux
}

// eventsBeat is how often the event stream says it is alive (a comment line): a poste sees a cut
// stream, and the server's write deadline is pushed on.
const eventsBeat = 15 * time.Second

// relay streams the office's change events to a counter (server-sent events), as the window gets
// them: one « donnees-modifiees » per burst of changes, nothing more (the screens reload). A borne
// gets none, as the kiosk's window gets none.
func (s *Server) relay(w http.ResponseWriter, r *http.Request) {
	p, err := s.authenticate(r)
	if err != nil {
		s.refuse(w, err)
		return
	}
	if p.Role != store.RoleGuichet || s.events == nil {
		s.refuse(w, agenda.Fail("principal.relay", agenda.CodeRoleRefuse, "method", poste.PathEvents))
		return
	}
	changes, stop := s.events.Subscribe()
	defer stop()
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	beat := time.NewTicker(eventsBeat)
	defer beat.Stop()
	line := ": ouvert\n\n"
	for {
		rc.SetWriteDeadline(time.Now().Add(2 * eventsBeat))
		if _, err := io.WriteString(w, line); err != nil || rc.Flush() != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-closing:
			return
		case <-beat.C:
			line = ": toujours là\n\n"
		case <-changes:
			line = "data: {\"name\":\"" + app.EventDataChanged + "\"}\n\n"
		}
	}
}

// pair spends a pairing code and gives the new poste its credential.
func (s *Server) pair(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if wait, err := s.db.AttemptWait(ctx, store.AttemptPairing, "*", pairingRule); err != nil || wait > 0 {
		if err == nil {
			err = agenda.Fail("principal.pair", agenda.CodePosteCodeAttente, "seconds", fmt.Sprint(int(wait.Seconds()+0.999)))
		}
		s.refuse(w, err)
		return
	}
	var req poste.PairRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxPairBody)).Decode(&req); err != nil {
		s.refuse(w, agenda.Fail("principal.pair", agenda.CodePosteRequete))
		return
	}
	credential, err := poste.NewCredential()
	if err != nil {
		s.refuse(w, err)
		return
	}
	hostname := strings.TrimSpace(req.Hostname)
	if len(hostname) > 100 || !agenda.ValidName(hostname) {
		hostname = ""
	}
	p, err := s.db.PairPoste(ctx, poste.Hash(poste.NormalizeCode(req.Code)), poste.Hash(credential), hostname)
	if err != nil {
		if agenda.KindOf(err) == agenda.Forbidden {
			if rerr := s.db.RecordFailure(ctx, store.AttemptPairing, "*"); rerr != nil {
				err = rerr
			}
		}
		s.refuse(w, err)
		return
	}
	id, err := poste.LoadIdentity(ctx, s.db)
	if err == nil {
		var org agenda.Organisation
		if org, err = s.db.OfficeOrganisation(ctx); err == nil {
			s.logger.Printf("postes : poste « %s » (%s) appairé", p.Name, p.Role)
			reply(w, http.StatusOK, poste.PairReply{Credential: credential, PosteID: p.ID, Name: p.Name, Role: p.Role, Office: org.Name, Fingerprint: id.Fingerprint})
			return
		}
	}
	s.refuse(w, err)
}

// authenticate returns the poste of the request's credential.
func (s *Server) authenticate(r *http.Request) (store.Poste, error) {
	credential, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || credential == "" {
		return store.Poste{}, agenda.Fail("principal.authenticate", agenda.CodePosteNonApparie)
	}
	return s.db.PosteByCredential(r.Context(), poste.Hash(credential))
}

// services returns the poste's services (its session), made at its first call.
func (s *Server) services(p store.Poste) *app.Services {
	s.mu.Lock()
	defer s.mu.Unlock()
	svc, ok := s.postes[p.ID]
	if !ok {
		svc = app.New(s.db, s.clock, nil)
		svc.SetServing(s) // an administrator on a counter sees Paramètres › Postes too
		// The counter's agent stays signed in across a restart of the principal.
		if err := svc.KeepSession(context.Background(), p.ID); err != nil {
			s.logger.Printf("postes : session du poste « %s » non reprise : %v", p.Name, err)
		}
		s.postes[p.ID] = svc
	}
	return svc
}

// call runs a method of the poste's role: the answer kept under the idempotency key is given
// again; else the method runs, in the poste's services, and its answer is kept.
func (s *Server) call(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	p, err := s.authenticate(r)
	if err != nil {
		s.refuse(w, err)
		return
	}
	var req poste.CallRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCallBody)).Decode(&req); err != nil {
		s.refuse(w, agenda.Fail("principal.call", agenda.CodePosteRequete))
		return
	}
	if !allowed(p.Role, req.Name) {
		s.logger.Printf("postes : « %s » (%s) : %s refusé", p.Name, p.Role, req.Name)
		s.refuse(w, agenda.Fail("principal.call", agenda.CodeRoleRefuse, "method", req.Name))
		return
	}
	key := r.Header.Get(poste.HeaderIdempotency)
	if len(key) > 100 {
		s.refuse(w, agenda.Fail("principal.call", agenda.CodePosteRequete))
		return
	}
	var body []byte
	if key != "" && recorded(req.Name) {
		body, err = s.once(r.Context(), p, key, req)
	} else {
		body, err = s.run(r.Context(), p, req)
	}
	if err != nil {
		s.refuse(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
	if d := time.Since(start); d > time.Second {
		s.logger.Printf("postes : « %s » : %s en %v", p.Name, req.Name, d.Round(time.Millisecond))
	}
}

// once runs a recorded call at most once per (poste, key): a retry waits for the call in flight,
// then gets its answer; a call that changed the data without its answer recorded (the principal
// stopped in between) is not run again.
func (s *Server) once(ctx context.Context, p store.Poste, key string, req poste.CallRequest) ([]byte, error) {
	slot := p.ID + "\x00" + key
	for {
		s.mu.Lock()
		wait, busy := s.inflight[slot]
		if !busy {
			s.inflight[slot] = make(chan struct{})
		}
		s.mu.Unlock()
		if !busy {
			break
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, agenda.Wrap("principal.call", agenda.CodeInterrupted, ctx.Err())
		}
	}
	defer func() {
		s.mu.Lock()
		close(s.inflight[slot])
		delete(s.inflight, slot)
		s.mu.Unlock()
	}()
	method, kept, found, wrote, err := s.db.CallReply(ctx, p.ID, key)
	switch {
	case err != nil:
		return nil, err
	case (found || wrote) && method != "" && method != req.Name:
		return nil, agenda.Fail("principal.call", agenda.CodePosteRequete)
	case found:
		return kept, nil
	case wrote:
		return nil, agenda.Fail("principal.call", agenda.CodePosteReponse)
	}
	body, err := s.run(store.WithCall(ctx, p.ID, key), p, req)
	if err != nil {
		return nil, err
	}
	// The answer is kept even if the poste hung up meanwhile: its retry will want it.
	if err := s.db.RecordCallReply(context.WithoutCancel(ctx), p.ID, key, req.Name, body); err != nil {
		return nil, err
	}
	return body, nil
}

// run calls the method in the poste's services, printing on capture, and returns the answer.
func (s *Server) run(ctx context.Context, p store.Poste, req poste.CallRequest) ([]byte, error) {
	var set app.PrinterSettings
	if len(req.Printing) > 0 {
		if err := json.Unmarshal(req.Printing, &set); err != nil {
			return nil, agenda.Fail("principal.call", agenda.CodePosteRequete)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var jobs capture
	svc := s.services(p).ForCall(ctx, set, jobs.printers)
	result, failed, err := bridge.MethodsOf(svc.RoleBindings(p.Role)...).Call(req.Name, req.Args)
	if err != nil {
		return nil, agenda.Wrap("principal.call", agenda.CodePosteRequete, err)
	}
	out := poste.CallReply{Jobs: jobs.list()}
	if failed != nil {
		out.Error = doorMessage(failed)
	} else if out.Result, err = json.Marshal(result); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// doorMessage reads a bound method's failure: its Error() is the door's JSON.
func doorMessage(err error) *messages.Message {
	var m messages.Message
	if json.Unmarshal([]byte(err.Error()), &m) != nil || m.Code == "" {
		m = messages.For(messages.French, err)
	}
	return &m
}

// refuse answers a refusal of the API: its status from its kind, its code and French text.
func (s *Server) refuse(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	switch agenda.KindOf(err) {
	case agenda.Forbidden:
		status = http.StatusForbidden
		if c := agenda.CodeOf(err); c == agenda.CodePosteNonApparie || c == agenda.CodePosteRevoque {
			status = http.StatusUnauthorized
		}
	case agenda.Invalid:
		status = http.StatusBadRequest
	case agenda.Conflict:
		status = http.StatusConflict
	case agenda.NotFound:
		status = http.StatusNotFound
	case agenda.Unavailable:
		status = http.StatusServiceUnavailable
	}
	if status == http.StatusInternalServerError {
		s.logger.Printf("postes : %v", err)
	}
	reply(w, status, poste.ErrorReply{Error: messages.For(messages.French, err)})
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
