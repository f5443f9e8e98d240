// Package clienttest is a fake rdv-central for the sync client's tests: an in-memory server that
// speaks sync/protocol's HTTP contract faithfully (bearer token, push with per-op idempotent
// results, the change feed with opaque cursors, ErrorReply on refused requests) and can be told
// to misbehave (5xx, 401, 403, slow replies, dropped connections before or after applying a push,
// duplicated requests and replies). It keeps the count of applications of every op, so a test can
// check that each was applied exactly once.
package clienttest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

// Fault is what the central does wrong with one request.
type Fault int

const (
	None             Fault = iota
	Fail500                // 500 with a coded body, nothing applied
	Bare503                // 503 without body, nothing applied
	Unauthorized           // bare 401
	Forbidden              // bare 403
	DropBefore             // the connection closes before anything is applied
	DropAfter              // the push is applied, then the connection closes without a reply
	Slow                   // the push is applied, the reply comes after SlowDelay
	DuplicateRequest       // the request is handled twice (the transport delivered it twice); the second reply is sent
	DuplicateBody          // the reply's body is written twice
)

// Key names a row at the central.
type Key struct {
	Entity protocol.Entity
	ID     string
}

// Row is the central's copy of a row.
type Row struct {
	Version int
	Kind    protocol.OpKind
	Payload json.RawMessage
	Deleted bool
}

// Central is the fake server. Its exported hooks may be set before use.
type Central struct {
	Token string
	// Fault, when set, is asked for every request (n counts requests from 1).
	Fault func(r *http.Request, n int) Fault
	// Reject, when set, may refuse an op with a code (like the central's booking decision).
	Reject    func(op protocol.Op) (agenda.Code, map[string]string, bool)
	SlowDelay time.Duration

	mu      sync.Mutex
	n       int
	rows    map[Key]Row
	results map[string]protocol.Result
	applied map[string]int
	feed    []protocol.Change
	pushes  int
	pulls   int
}

// New returns a central accepting token.
func New(token string) *Central {
	return &Central{Token: token, SlowDelay: 2 * time.Second, rows: map[Key]Row{}, results: map[string]protocol.Result{}, applied: map[string]int{}}
}

// Server starts an httptest server on c.
func (c *Central) Server() *httptest.Server { return httptest.NewServer(c) }

// Applications returns how many times each op id was applied (a replay is not an application).
func (c *Central) Applications() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.applied))
	for k, v := range c.applied {
		out[k] = v
	}
	return out
}

// Rows returns the central's rows (deleted ones included, marked).
func (c *Central) Rows() map[Key]Row {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[Key]Row, len(c.rows))
	for k, v := range c.rows {
		out[k] = v
	}
	return out
}

// Feed returns the change feed.
func (c *Central) Feed() []protocol.Change {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]protocol.Change(nil), c.feed...)
}

// Counts returns the number of push and pull requests handled (faulty ones included).
func (c *Central) Counts() (pushes, pulls int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pushes, c.pulls
}

// Put records a change made at the central itself (an online booking, a cancellation by the
// usager's link, an operator's edit): v is the pair's wire type; the row's version goes up by
// one. It returns the new version.
func (c *Central) Put(entity protocol.Entity, kind protocol.OpKind, orgID, id string, v any) int {
	payload, err := protocol.Encode(entity, kind, orgID, id, v)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.change(entity, kind, id, payload)
}

// PutRaw appends a change with any payload (a malformed one, for tests); the row's version goes up.
func (c *Central) PutRaw(entity protocol.Entity, kind protocol.OpKind, id string, payload json.RawMessage) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.change(entity, kind, id, payload)
}

func (c *Central) change(entity protocol.Entity, kind protocol.OpKind, id string, payload json.RawMessage) int {
	k := Key{entity, id}
	v := c.rows[k].Version + 1
	if entity == protocol.EntityRdv {
		payload = withVersion(payload, v)
	}
	c.rows[k] = Row{Version: v, Kind: kind, Payload: payload, Deleted: kind == protocol.OpDelete}
	c.feed = append(c.feed, protocol.Change{Cursor: "c" + strconv.Itoa(len(c.feed)+1), Entity: entity, EntityID: id, Kind: kind,
		Version: v, Payload: payload, At: time.Now().UTC()})
	return v
}

// withVersion sets an RDV payload's version (the central's RdvV1 carries the row's version).
func withVersion(payload json.RawMessage, v int) json.RawMessage {
	var r protocol.RdvV1
	if json.Unmarshal(payload, &r) != nil {
		return payload
	}
	r.Version = v
	b, _ := json.Marshal(r)
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, status int, code agenda.Code, msg string, params map[string]string) {
	writeJSON(w, status, protocol.ErrorReply{Error: protocol.ErrorBody{Code: code, Message: msg, Params: params}})
}

// drop closes the client's connection without a reply.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (c *Central) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.n++
	n := c.n
	c.mu.Unlock()
	fault := None
	if c.Fault != nil {
		fault = c.Fault(r, n)
	}
	switch fault {
	case Fail500:
		refuse(w, http.StatusInternalServerError, agenda.CodeUnavailable, "base de données indisponible", nil)
		return
	case Bare503:
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case Unauthorized:
		w.WriteHeader(http.StatusUnauthorized)
		return
	case Forbidden:
		w.WriteHeader(http.StatusForbidden)
		return
	case DropBefore:
		drop(w)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+c.Token {
		refuse(w, http.StatusUnauthorized, "token_unknown", "jeton inconnu", nil)
		return
	}
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, protocol.MaxBody+1))
		if err != nil {
			return
		}
	}
	var status int
	var reply any
	handle := func() {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == protocol.PathPush:
			status, reply = c.push(body)
		case r.Method == http.MethodGet && r.URL.Path == protocol.PathPull:
			status, reply = c.pull(r)
		default:
			status, reply = http.StatusNotFound, protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeNotFound, Message: "chemin inconnu"}}
		}
	}
	handle()
	switch fault {
	case DuplicateRequest:
		handle()
	case DropAfter:
		drop(w)
		return
	case Slow:
		time.Sleep(c.SlowDelay)
	}
	if fault == DuplicateBody {
		var buf bytes.Buffer
		json.NewEncoder(&buf).Encode(reply)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(buf.Bytes())
		w.Write(buf.Bytes())
		return
	}
	writeJSON(w, status, reply)
}

func (c *Central) push(body []byte) (int, any) {
	if len(body) > protocol.MaxBody {
		return http.StatusRequestEntityTooLarge, protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeSyncBatchTooLarge, Message: "trop gros"}}
	}
	p, err := protocol.DecodePush(body)
	if err != nil {
		return http.StatusBadRequest, protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeOf(err), Message: err.Error(), Params: agenda.ParamsOf(err)}}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pushes++
	out := protocol.PushReply{Version: protocol.Version, Results: make([]protocol.Result, len(p.Ops))}
	for i, op := range p.Ops {
		if res, ok := c.results[op.ID]; ok {
			out.Results[i] = res // a replay: the stored result, nothing applied again
			continue
		}
		res := c.apply(op)
		c.results[op.ID] = res
		out.Results[i] = res
	}
	return http.StatusOK, out
}

func (c *Central) apply(op protocol.Op) protocol.Result {
	if c.Reject != nil {
		if code, params, no := c.Reject(op); no {
			return protocol.Result{OpID: op.ID, Code: code, Params: params}
		}
	}
	k := Key{op.Entity, op.EntityID}
	cur := c.rows[k]
	if op.BaseVersion != cur.Version || (cur.Deleted && op.Kind != protocol.OpDelete && op.BaseVersion != 0) {
		return protocol.Result{OpID: op.ID, Code: agenda.CodeConflict,
			Params: map[string]string{"base": strconv.Itoa(op.BaseVersion), "current": strconv.Itoa(cur.Version)}}
	}
	c.applied[op.ID]++
	v := c.change(op.Entity, op.Kind, op.EntityID, op.Payload)
	return protocol.Result{OpID: op.ID, Accepted: true, NewVersion: v}
}

func (c *Central) pull(r *http.Request) (int, any) {
	q := r.URL.Query()
	from := 0
	if cur := q.Get("cursor"); cur != "" {
		n, err := strconv.Atoi(cur[1:])
		if err != nil || cur[0] != 'c' {
			return http.StatusBadRequest, protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeInvalid, Message: "curseur illisible"}}
		}
		from = n
	}
	limit := protocol.MaxPull
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 && l < limit {
		limit = l
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pulls++
	out := protocol.PullReply{Version: protocol.Version, Cursor: q.Get("cursor"), Changes: []protocol.Change{}}
	if from < len(c.feed) {
		end := min(len(c.feed), from+limit)
		out.Changes = append(out.Changes, c.feed[from:end]...)
		out.Cursor = out.Changes[len(out.Changes)-1].Cursor
		out.More = end < len(c.feed)
	}
	return http.StatusOK, out
}

// Live returns the keys of the rows that exist at the central (not deleted), sorted.
func (c *Central) Live() []Key {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Key
	for k, r := range c.rows {
		if !r.Deleted {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Entity != out[j].Entity {
			return out[i].Entity < out[j].Entity
		}
		return out[i].ID < out[j].ID
	})
	return out
}
