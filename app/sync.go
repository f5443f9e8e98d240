package app

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/protocol"
)

// SyncService is the agent window's door onto the synchronisation with the central server:
// the badge of the header (Status, polled), « Synchroniser maintenant », the « À traiter » list
// of the changes the central refused or that could not be applied here (any signed-in agent),
// and Paramètres › Serveur central (administrators): the address and the office's token, tested
// before they are saved, and the disconnection. It shares the AgentService's session.
//
// The counter never waits on the central: a booking commits in the office's file whatever the
// state of the link; the background loop (syncLoop, started with the agent window) pushes the
// outbox and pulls the change feed behind it.
type SyncService struct {
	agent agentDoor
	loop  *syncLoop
}

// Settings of the sync kept in the office's file (the server's address is in sync_state).
const (
	// syncEvery is the background loop's pace when all goes well (client.Run backs off on failures).
	syncEvery = time.Minute
	// probeTimeout bounds the connection test of SaveServer.
	probeTimeout = 15 * time.Second
)

// SyncStatusView is the header's badge. State: "off" (not configured: no badge), "first" (no
// round finished yet), "ok", "offline" (the central cannot be reached: the counter works on),
// "error" (the central refuses: Message says why). Label is the badge's text, in French.
type SyncStatusView struct {
	State     string `json:"state"`
	Label     string `json:"label"`
	Code      string `json:"code,omitempty"`    // the last round's failure
	Message   string `json:"message,omitempty"` // its text
	Pending   int    `json:"pending"`           // local changes not yet answered by the central
	Rejected  int    `json:"rejected"`          // refused by the central, not yet treated
	Conflicts int    `json:"conflicts"`         // central changes set aside here
	ToTreat   int    `json:"toTreat"`           // Rejected + Conflicts: the « À traiter » list's length
}

// SyncSettingsView is Paramètres › Serveur central. The token is write-only: the view says
// whether one is stored. OrganisationID is what the central's operator needs
// (« rdv-central office add --organisation … »).
type SyncSettingsView struct {
	ServerURL        string `json:"serverUrl"`
	TokenSet         bool   `json:"tokenSet"`
	Connected        bool   `json:"connected"`
	OrganisationID   string `json:"organisationId"`
	OrganisationName string `json:"organisationName"`
}

// ToTreatItem is one line of « À traiter »: what changed, why it could not be synchronised (the
// code's text) and what the agent can do about it.
type ToTreatItem struct {
	ID     string `json:"id"`   // "op:<op id>" (refused by the central) or "conflict:<n>" (set aside here)
	Kind   string `json:"kind"` // "rejected" or "conflict"
	What   string `json:"what"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
	Advice string `json:"advice"`
	At     string `json:"at"`              // when the central answered, « mardi 10 mars 2026 à 8 h 45 »
	RdvID  string `json:"rdvId,omitempty"` // the RDV concerned, to open it
}

// Status is the badge of the header. Polled: not activity.
func (s *SyncService) Status() (SyncStatusView, error) {
	return call(s.agent.office, s.agent.session, asPoller, func(ctx context.Context, _ agenda.Agent) (SyncStatusView, error) {
		return s.status(ctx)
	})
}

func (s *SyncService) status(ctx context.Context) (SyncStatusView, error) {
	st, err := s.agent.db.SyncStatus(ctx)
	if err != nil {
		return SyncStatusView{}, err
	}
	token, err := s.token(ctx)
	if err != nil {
		return SyncStatusView{}, err
	}
	v := SyncStatusView{State: "off", Pending: st.Pending, Rejected: st.Rejected, Conflicts: st.Conflicts}
	v.ToTreat = v.Rejected + v.Conflicts
	if st.ServerURL == "" || token == "" {
		return v, nil
	}
	_, loc, err := s.agent.org(ctx)
	if err != nil {
		return SyncStatusView{}, err
	}
	now := s.agent.clock.Now()
	pending := ""
	if st.Pending == 1 {
		pending = say("sync_ui_pending_one")
	} else if st.Pending > 1 {
		pending = say("sync_ui_pending_many", "n", strconv.Itoa(st.Pending))
	}
	withPending := func(label string) string {
		if pending == "" {
			return label
		}
		return label + " — " + pending
	}
	switch {
	case st.LastErrorCode != "" && st.LastErrorCode.Kind() == agenda.Unavailable:
		v.State, v.Code = "offline", string(st.LastErrorCode)
		v.Message = say(string(st.LastErrorCode))
		since := st.LastSuccessAt
		if since == nil {
			since = st.LastErrorAt
		}
		label := say("sync_ui_offline")
		if since != nil {
			label = say("sync_ui_offline_since", "since", when(*since, now, loc, false))
		}
		v.Label = withPending(label)
	case st.LastErrorCode != "":
		v.State, v.Code = "error", string(st.LastErrorCode)
		v.Message = say(string(st.LastErrorCode))
		v.Label = withPending(say("sync_ui_failed"))
	case st.LastSuccessAt != nil:
		v.State = "ok"
		v.Label = withPending(say("sync_ui_synced", "when", when(*st.LastSuccessAt, now, loc, true)))
	default:
		v.State = "first"
		v.Label = withPending(say("sync_ui_first"))
	}
	return v, nil
}

// when writes an instant for the badge: « à l'instant », « il y a 2 min » (relative, within the
// hour), « à 10 h 42 » (today), « le lundi 9 mars 2026 à 10 h 42 ». Without relative (« Hors ligne
// depuis … »), it starts at the time: « 10 h 42 », « le lundi 9 mars 2026 à 10 h 42 ».
func when(t, now time.Time, loc *time.Location, relative bool) string {
	t, now = t.In(loc), now.In(loc)
	ago := now.Sub(t)
	switch {
	case relative && ago < time.Minute:
		return say("sync_ui_just_now")
	case relative && ago < time.Hour:
		return say("sync_ui_minutes_ago", "n", strconv.Itoa(int(ago/time.Minute)))
	case agenda.DateOf(t) == agenda.DateOf(now) && relative:
		return say("sync_ui_at", "time", fr.Time(t))
	case agenda.DateOf(t) == agenda.DateOf(now):
		return fr.Time(t)
	}
	return say("sync_ui_on", "day", fr.Day(agenda.DateOf(t)), "time", fr.Time(t))
}

// SyncNow asks the background loop for a round now (« Synchroniser maintenant »); it does not
// wait for it: the badge shows the outcome. Refused with sync_not_configured when no server is set.
func (s *SyncService) SyncNow() error {
	_, err := call(s.agent.office, s.agent.session, asAgent, func(ctx context.Context, _ agenda.Agent) (done, error) {
		if !s.loop.kick() {
			return done{}, agenda.Fail("app.SyncNow", agenda.CodeSyncNotConfigured)
		}
		return done{}, nil
	})
	return err
}

// Settings returns Paramètres › Serveur central. Administrators only.
func (s *SyncService) Settings() (SyncSettingsView, error) {
	return call(s.agent.office, s.agent.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (SyncSettingsView, error) {
		return s.settings(ctx)
	})
}

func (s *SyncService) settings(ctx context.Context) (SyncSettingsView, error) {
	st, err := s.agent.db.SyncStatus(ctx)
	if err != nil {
		return SyncSettingsView{}, err
	}
	token, err := s.token(ctx)
	if err != nil {
		return SyncSettingsView{}, err
	}
	v := SyncSettingsView{ServerURL: st.ServerURL, TokenSet: token != "", Connected: st.ServerURL != "" && token != ""}
	if org, err := s.agent.db.OfficeOrganisation(ctx); err == nil {
		v.OrganisationID, v.OrganisationName = org.ID, org.Name
	}
	return v, nil
}

// SaveServer tests the connection to the central with serverURL and token (a pull of at most
// one change, applied nowhere), then stores them and restarts the background loop. An empty
// token keeps the stored one. The refusals come back as field errors, in French, with the
// code: serverUrl for an address the central does not answer at, token for a refused token.
// Administrators only.
func (s *SyncService) SaveServer(serverURL, token string) (SaveResult, error) {
	return call(s.agent.office, s.agent.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (SaveResult, error) {
		serverURL, token = strings.TrimSpace(serverURL), strings.TrimSpace(token)
		var bad []agenda.FieldError
		if u, err := url.Parse(serverURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad = append(bad, agenda.FieldError{Field: "serverUrl", Code: agenda.CodeInvalidField, Message: say("sync_ui_url_invalid")})
		}
		if token == "" {
			stored, err := s.token(ctx)
			if err != nil {
				return SaveResult{}, err
			}
			token = stored
		}
		if token == "" {
			bad = append(bad, agenda.FieldError{Field: "token", Code: agenda.CodeInvalidField, Message: say("sync_ui_token_missing")})
		}
		if len(bad) > 0 {
			return SaveResult{Errors: bad}, nil
		}
		// The file must hold one organisation: the central's office is one organisation's.
		if _, err := s.agent.db.OfficeOrganisation(ctx); err != nil {
			return SaveResult{}, err
		}
		if err := probe(ctx, s.loop.httpClient(), serverURL, token); err != nil {
			field := "serverUrl"
			if agenda.KindOf(err) == agenda.Forbidden {
				field = "token"
			}
			if agenda.KindOf(err) == agenda.Other || agenda.CodeOf(err) == agenda.CodeInternal {
				log.Printf("synchronisation : test de %s : %v", serverURL, err)
			}
			return SaveResult{Errors: []agenda.FieldError{{Field: field, Code: agenda.CodeOf(err), Message: text(err)}}}, nil
		}
		if err := s.agent.db.SetSyncToken(ctx, token); err != nil {
			return SaveResult{}, err
		}
		if err := s.agent.db.SetSyncServer(ctx, serverURL); err != nil {
			return SaveResult{}, err
		}
		s.loop.restart(ctx)
		return SaveResult{}, nil
	})
}

// Disconnect stops the synchronisation: the token is forgotten (the address stays, for a later
// reconnection), the background loop stops. The local changes stay in the outbox and leave at
// the next connection. Administrators only.
func (s *SyncService) Disconnect() error {
	_, err := call(s.agent.office, s.agent.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (done, error) {
		if err := s.agent.db.SetSyncToken(ctx, ""); err != nil {
			return done{}, err
		}
		s.loop.restart(ctx)
		return done{}, nil
	})
	return err
}

// ToTreat is the « À traiter » list: the local changes the central refused (not yet marked as
// treated), then the central's changes set aside here, oldest first.
func (s *SyncService) ToTreat() ([]ToTreatItem, error) {
	return call(s.agent.office, s.agent.session, asAgent, func(ctx context.Context, _ agenda.Agent) ([]ToTreatItem, error) {
		c, err := s.agent.catalogue(ctx)
		if err != nil {
			return nil, err
		}
		ops, err := s.agent.db.RejectedOutbox(ctx, 0)
		if err != nil {
			return nil, err
		}
		conflicts, err := s.agent.db.SyncConflicts(ctx, 0)
		if err != nil {
			return nil, err
		}
		d := describer{c: c, db: s.agent.db, now: s.agent.clock.Now()}
		if err := d.loadUsagers(ctx, ops, conflicts); err != nil {
			return nil, err
		}
		out := make([]ToTreatItem, 0, len(ops)+len(conflicts))
		for _, o := range ops {
			it := ToTreatItem{ID: "op:" + o.OpID, Kind: "rejected", Code: string(o.Code), Reason: say(string(o.Code), flatten(o.Params)...),
				Advice: advice("sync_ui_advice_", o.Code, o.Entity, o.Op), At: fr.DateTime(o.CreatedAt, c.loc)}
			if o.DoneAt != nil {
				it.At = fr.DateTime(*o.DoneAt, c.loc)
			}
			it.What, it.RdvID = d.what(o.Entity, o.Op, o.EntityID, o.Payload)
			out = append(out, it)
		}
		for _, k := range conflicts {
			it := ToTreatItem{ID: "conflict:" + strconv.FormatInt(k.ID, 10), Kind: "conflict", Code: string(k.Code),
				Reason: say(string(k.Code), flatten(k.Params)...), Advice: advice("sync_ui_conflict_advice_", k.Code, k.Entity, k.Kind),
				At: fr.DateTime(k.At, c.loc)}
			it.What, it.RdvID = d.what(k.Entity, "pulled", k.EntityID, k.Payload)
			out = append(out, it)
		}
		return out, nil
	})
}

// Dismiss marks an item of « À traiter » as treated: it leaves the list (a conflict is closed in
// the store; a refused op stays in the outbox, marked treated).
func (s *SyncService) Dismiss(id string) error {
	_, err := call(s.agent.office, s.agent.session, asAgent, func(ctx context.Context, _ agenda.Agent) (done, error) {
		unknown := agenda.Fail("app.Dismiss", agenda.CodeNotFound, "id", id)
		switch kind, ref, _ := strings.Cut(id, ":"); kind {
		case "conflict":
			n, err := strconv.ParseInt(ref, 10, 64)
			if err != nil {
				return done{}, unknown
			}
			return done{}, s.agent.db.DismissSyncConflict(ctx, n)
		case "op":
			return done{}, s.agent.db.DismissRejectedOutbox(ctx, ref)
		}
		return done{}, unknown
	})
	return err
}

func (s *SyncService) token(ctx context.Context) (string, error) {
	return s.agent.db.SyncToken(ctx)
}

// known reports whether the catalogue has a text under id.
func known(id string) bool { return messages.Known(agenda.Code(id)) }

// flatten turns params into say's name, value pairs.
func flatten(params map[string]string) []string {
	out := make([]string, 0, 2*len(params))
	for k, v := range params {
		out = append(out, k, v)
	}
	return out
}

// advice is the catalogue's advice for code, the most precise first: for the entity and the op
// (sync_ui_advice_slot_taken_rdv_book), for the code, then the default.
func advice(prefix string, code agenda.Code, entity, op string) string {
	for _, id := range []string{prefix + string(code) + "_" + entity + "_" + op, prefix + string(code)} {
		if known(id) {
			return say(id)
		}
	}
	return say(prefix + "default")
}

// describer writes what a refused op or a set-aside change is about, in French.
type describer struct {
	c       *catalogue
	db      *store.DB
	now     time.Time
	usagers map[string]agenda.Usager
}

func (d *describer) loadUsagers(ctx context.Context, ops []store.OutboxOp, conflicts []store.SyncConflict) error {
	var ids []string
	add := func(entity string, payload json.RawMessage) {
		if entity != store.EntityRdv {
			return
		}
		var r protocol.RdvV1
		if json.Unmarshal(payload, &r) == nil {
			for _, p := range r.Participations {
				ids = append(ids, p.UsagerID)
			}
		}
	}
	for _, o := range ops {
		add(o.Entity, o.Payload)
	}
	for _, k := range conflicts {
		add(k.Entity, k.Payload)
	}
	var err error
	d.usagers, err = d.db.UsagersByID(ctx, ids)
	return err
}

// what describes the change: « Rendez-vous de DUPONT Hélène le mardi 3 mars 2026 à 9 h 30 —
// Carte d'identité », « Fiche de l'usager DUPONT Hélène », « Motif « Passeport » »; for an RDV,
// its id too.
func (d *describer) what(entity, op, id string, payload json.RawMessage) (string, string) {
	switch entity {
	case store.EntityRdv:
		var r protocol.RdvV1
		if err := json.Unmarshal(payload, &r); err != nil {
			break
		}
		var names []string
		for _, p := range r.Participations {
			if u, ok := d.usagers[p.UsagerID]; ok {
				names = append(names, usagerName(u))
			}
		}
		who := strings.Join(names, ", ")
		if who == "" {
			who = say("sync_ui_someone")
		}
		motif := d.c.motifs[r.MotifID].Name
		if motif == "" {
			motif = r.MotifID
		}
		key := "sync_ui_what_rdv_" + op
		if !known(key) {
			key = "sync_ui_what_rdv_book"
		}
		label := r.Status
		if st := agenda.Status(r.Status); st.Valid() {
			label = st.Label(agenda.TemporalOf(r.StartsAt, d.now, d.c.loc))
		}
		return say(key, "usager", who, "when", fr.DateTime(r.StartsAt, d.c.loc), "motif", motif, "label", label), r.ID
	case store.EntityUsager:
		var u protocol.UsagerV1
		if json.Unmarshal(payload, &u) == nil {
			return say("sync_ui_what_usager", "name", strings.TrimSpace(strings.ToUpper(u.LastName)+" "+u.FirstName)), ""
		}
	case store.EntityReceipt:
		return say("sync_ui_what_receipt"), ""
	}
	key := "sync_ui_what_" + entity
	if !known(key) {
		return say("sync_ui_what_other", "entity", entity), ""
	}
	var named struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	}
	_ = json.Unmarshal(payload, &named)
	name := named.Name
	if name == "" {
		name = named.Title
	}
	if name == "" {
		name = id
	}
	return say(key, "name", name), ""
}

// syncLoop is the background sync of the agent window: client.Run over the office's file while a
// server and a token are set, started with the window (Services.StartBackground), restarted when
// the settings change, stopped before the file closes (Services.StopBackground).
type syncLoop struct {
	db    *store.DB
	clock agenda.Clock
	every time.Duration
	// newHTTP makes the HTTP client of the rounds and of the connection test (tests may replace it).
	newHTTP func() *http.Client

	mu     sync.Mutex
	parent context.Context // nil until started, and again once stopped
	cancel context.CancelFunc
	done   chan struct{}
	client *client.Client
}

func (l *syncLoop) httpClient() *http.Client {
	if l.newHTTP != nil {
		return l.newHTTP()
	}
	return &http.Client{Timeout: client.DefaultTimeout}
}

// start runs the loop under ctx (if a server is configured) and after every restart.
func (l *syncLoop) start(ctx context.Context) {
	l.mu.Lock()
	l.parent = ctx
	l.mu.Unlock()
	l.restart(ctx)
}

// restart stops the running loop, waits for its round to end, and starts a new one with the
// stored settings, if the loop was started and a server and a token are set. A new loop's first
// round runs at once.
func (l *syncLoop) restart(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.halt()
	if l.parent == nil {
		return
	}
	st, err := l.db.SyncStatus(ctx)
	if err != nil {
		log.Printf("synchronisation : %v", err)
		return
	}
	token, err := l.db.SyncToken(ctx)
	if err != nil {
		log.Printf("synchronisation : %v", err)
		return
	}
	if st.ServerURL == "" || token == "" {
		return
	}
	var last agenda.Code
	c := &client.Client{BaseURL: st.ServerURL, Token: token, HTTP: l.httpClient(), DB: l.db, Clock: l.clock,
		OnRound: func(_ client.Report, err error) {
			// Log the changes of outcome, not every failed round of a day offline.
			code := agenda.Code("")
			if err != nil {
				code = agenda.CodeOf(err)
			}
			if code != last && err != nil {
				log.Printf("synchronisation avec %s : %v", st.ServerURL, err)
			}
			last = code
		}}
	runCtx, cancel := context.WithCancel(l.parent)
	done := make(chan struct{})
	l.client, l.cancel, l.done = c, cancel, done
	go func() {
		defer close(done)
		c.Run(runCtx, l.every)
	}()
}

// halt stops the running loop and waits for it (l.mu held).
func (l *syncLoop) halt() {
	if l.cancel != nil {
		l.cancel()
		<-l.done
	}
	l.client, l.cancel, l.done = nil, nil, nil
}

// stop ends the loop for good (the window closes): it returns once no round runs any more.
func (l *syncLoop) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.halt()
	l.parent = nil
}

// kick asks the running loop for a round now; false when no loop runs.
func (l *syncLoop) kick() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client == nil {
		return false
	}
	l.client.Kick()
	return true
}

// probe tests the central's address and the office's token: one pull of at most one change from
// the start of the feed, applied nowhere. Its failures are coded as the client codes a round's
// (sync/client): the central's own code when it sends one, unavailable for the network, a timeout
// or a 5xx, sync_unauthorized and sync_forbidden for a bare 401 and 403.
func probe(ctx context.Context, hc *http.Client, serverURL, token string) error {
	const op = "app.SaveServer"
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	server := strings.TrimRight(serverURL, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+protocol.PathPull+"?limit=1", nil)
	if err != nil {
		return agenda.Wrap(op, agenda.CodeSyncNotConfigured, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	unavailable := func(cause error, params ...string) error {
		p := map[string]string{"server": server}
		for i := 0; i+1 < len(params); i += 2 {
			p[params[i]] = params[i+1]
		}
		return &agenda.Error{Op: op, Kind: agenda.Unavailable, Code: agenda.CodeUnavailable, Params: p, Err: cause}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return unavailable(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return unavailable(err)
	}
	if resp.StatusCode == http.StatusOK {
		var reply protocol.PullReply
		if err := json.Unmarshal(data, &reply); err != nil {
			return agenda.Wrap(op, agenda.CodeSyncReplyInvalid, err)
		}
		if reply.Version != protocol.Version {
			return agenda.Fail(op, agenda.CodeSyncVersion, "version", strconv.Itoa(reply.Version), "supported", strconv.Itoa(protocol.Version))
		}
		return nil
	}
	se := &client.StatusError{Status: resp.StatusCode, Message: http.StatusText(resp.StatusCode)}
	var er protocol.ErrorReply
	if json.Unmarshal(data, &er) == nil && er.Error.Code != "" {
		se.Message = er.Error.Message
		kind := er.Error.Code.Kind()
		code := er.Error.Code
		if !slices.Contains(agenda.Codes(), code) { // a code this build does not know: read the status
			code, kind = statusCode(resp.StatusCode), statusKind(resp.StatusCode)
		}
		return &agenda.Error{Op: op, Kind: kind, Code: code, Params: er.Error.Params, Err: se}
	}
	if kind := statusKind(resp.StatusCode); kind == agenda.Unavailable {
		return unavailable(se, "status", strconv.Itoa(resp.StatusCode))
	}
	code := statusCode(resp.StatusCode)
	return &agenda.Error{Op: op, Kind: code.Kind(), Code: code, Params: map[string]string{"status": strconv.Itoa(resp.StatusCode)}, Err: se}
}

// statusCode is the office's code for a refusal without a code it knows.
func statusCode(status int) agenda.Code {
	switch {
	case status == http.StatusUnauthorized:
		return agenda.CodeSyncUnauthorized
	case status == http.StatusForbidden:
		return agenda.CodeSyncForbidden
	case statusKind(status) == agenda.Unavailable:
		return agenda.CodeUnavailable
	}
	return agenda.CodeSyncRefused
}

func statusKind(status int) agenda.Kind {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return agenda.Forbidden
	case status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout:
		return agenda.Unavailable
	}
	return agenda.Invalid
}
