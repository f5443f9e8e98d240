// Package client is the office's sync client: it pushes the outbox to rdv-central and pulls the
// central's change feed into the office's SQLite file, over the HTTP contract of sync/protocol
// (http.go). ARCHITECTURE.md, « Sync »; domain.md §14.
//
// Nothing lost, nothing doubled, on the office's side:
//
//   - an op leaves the outbox only when the central answered it: accepted (acked with the new
//     version) or refused (kept with its code and params in the « à traiter » list). A network
//     failure, a timeout, a 5xx or a dropped connection leaves every op of the batch pending, and
//     the next round sends them again with the same op ids: the central answers a replayed op
//     with the result it stored, so it is applied once;
//   - ops are pushed in outbox order, in batches of protocol.MaxBatch, one batch in flight at a
//     time; the answers of a batch are recorded in one transaction, while the next batch travels;
//   - each page of the change feed is applied in one transaction with the cursor that ends it
//     (store.ApplyPage): a crash or a cancelled round between two pages resumes from the last
//     page applied, and a page is never applied twice;
//   - pulled rows write no outbox op (no echo) and plan no message; a row with pending local ops
//     is not overwritten (rebased once they are answered); a pulled RDV on a slot a local RDV
//     holds goes to the conflict list.
package client

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/store"
	"rdvguichet/sync/protocol"
)

// DefaultTimeout bounds one request when Client.HTTP is nil: a batch of protocol.MaxBatch ops or
// a page of protocol.MaxPull changes.
const DefaultTimeout = 60 * time.Second

// MaxBackoff bounds Run's wait after failed rounds.
const MaxBackoff = 15 * time.Minute

// maxReply bounds a reply body read into memory.
const maxReply = 64 << 20

// OfficeSetting is the local setting holding this office's id, sent in each Push (created at the
// first round when Client.Office is empty).
const OfficeSetting = "sync.office"

// Client syncs one office's file with the central. Its zero fields take defaults; Round and Run
// may be called from several goroutines (rounds never overlap).
type Client struct {
	BaseURL string       // the central's address, e.g. https://rdv-central.example.fr
	Token   string       // the office's bearer token
	HTTP    *http.Client // nil: a client with DefaultTimeout
	DB      *store.DB
	Clock   agenda.Clock // nil: the system clock (reports' times)

	Office    string // Push.Office; "" = the id kept in the file (OfficeSetting)
	BatchSize int    // ops per push; 0 or more than protocol.MaxBatch = protocol.MaxBatch
	PageSize  int    // changes per pull page; 0 or more than protocol.MaxPull = protocol.MaxPull

	// Progress, when set, is called after each batch's answers are recorded and each page
	// applied (the first sync of an office that was offline for weeks: « 500/30000 »), one call
	// at a time, from the goroutine that recorded them, and never after Round returned.
	Progress func(Progress)
	// OnRound, when set, is called by Run after each round (the window's sync badge).
	OnRound func(Report, error)

	mu   sync.Mutex // one round at a time
	kick chan struct{}
	once sync.Once

	keysAt time.Time // when the organisation's keys were last asked for (keys.go)
}

// Progress is where a round stands.
type Progress struct {
	Phase string `json:"phase"` // "push" or "pull"
	// Push: ops answered so far and ops to send (pending when the round began, plus those written
	// meanwhile). Pull: changes received so far; Total is 0 (the feed's length is unknown).
	Done  int `json:"done"`
	Total int `json:"total"`
}

// Report is what a round did.
type Report struct {
	Pushed    int       `json:"pushed"`    // ops answered by the central (accepted + rejected)
	Accepted  int       `json:"accepted"`  // ops acked
	Rejected  int       `json:"rejected"`  // ops refused: « à traiter », with their code
	Pulled    int       `json:"pulled"`    // changes received from the feed
	Applied   int       `json:"applied"`   // pulled rows written
	Skipped   int       `json:"skipped"`   // pulled rows with pending local ops (rebased later)
	Rebased   int       `json:"rebased"`   // central versions applied once local ops were answered
	Conflicts int       `json:"conflicts"` // pulled changes set aside: « à traiter »
	Pages     int       `json:"pages"`
	Cursor    string    `json:"cursor"`
	At        time.Time `json:"at"`
}

// StatusError is the HTTP status of a refused request, under its coded *agenda.Error.
type StatusError struct {
	Status  int
	Message string // the central's text (ErrorReply) or the status text, for logs
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
}

// Retryable reports whether a round's error is transient: the network, a timeout, a 5xx, a
// reply cut short. The ops stay pending and the next round sends them again. Other errors (a
// refused token, a malformed batch) need a person; Run retries them too, at its slowest pace.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status >= 500 || se.Status == http.StatusTooManyRequests || se.Status == http.StatusRequestTimeout
	}
	return agenda.KindOf(err) == agenda.Unavailable
}

const opRound = "sync.Round"

// Round runs one full sync: it pushes every pending op, in outbox order and in batches, recording
// each answer; then it pulls the change feed page by page until the central has no more,
// applying each page atomically with its cursor. It stops at the first failure, with a coded
// *agenda.Error: the central's code when it sent one (ErrorReply), unavailable for the network,
// a timeout or a 5xx, sync_unauthorized and sync_forbidden for a bare 401 and 403. What was done
// before the failure stays done. The outcome is recorded in the file's sync state.
func (c *Client) Round(ctx context.Context) (Report, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rep := Report{}
	err := c.round(ctx, &rep)
	rep.At = c.now()
	var code agenda.Code
	if err != nil {
		code = agenda.CodeOf(err)
	}
	if nerr := c.DB.NoteSyncOutcome(context.WithoutCancel(ctx), code); nerr != nil && err == nil {
		err = nerr
	}
	return rep, err
}

func (c *Client) round(ctx context.Context, rep *Report) error {
	if c.DB == nil || strings.TrimSpace(c.BaseURL) == "" || strings.TrimSpace(c.Token) == "" {
		return agenda.Fail(opRound, agenda.CodeSyncNotConfigured)
	}
	if _, err := url.Parse(c.BaseURL); err != nil {
		return agenda.Wrap(opRound, agenda.CodeSyncNotConfigured, err)
	}
	if err := c.push(ctx, rep); err != nil {
		return err
	}
	if err := c.pull(ctx, rep); err != nil {
		return err
	}
	return c.keys(ctx)
}

func (c *Client) now() time.Time {
	if c.Clock == nil {
		return clock.System{}.Now()
	}
	return c.Clock.Now()
}

func (c *Client) office(ctx context.Context) (string, error) {
	if c.Office != "" {
		return c.Office, nil
	}
	return c.DB.InitSetting(ctx, OfficeSetting, uuid.NewString())
}

// batchRefusals are the codes with which the central refuses a whole batch because of one op
// (its 1-based position in param "op"): that op is set aside in « à traiter » with the code and
// the rest of the batch is sent again, so one unreadable op never blocks the office's sync.
var batchRefusals = map[agenda.Code]bool{
	agenda.CodeSyncOpID: true, agenda.CodeSyncOrganisation: true, agenda.CodeSyncEntityUnknown: true,
	agenda.CodeSyncEntityID: true, agenda.CodeSyncBaseVersion: true, agenda.CodeSyncKindUnknown: true,
	agenda.CodeSyncPayloadInvalid: true, agenda.CodeSyncPayloadMismatch: true, agenda.CodeSyncMixedOrgs: true,
}

func (c *Client) push(ctx context.Context, rep *Report) error {
	size := c.BatchSize
	if size <= 0 || size > protocol.MaxBatch {
		size = protocol.MaxBatch
	}
	total, err := c.DB.PendingOutboxCount(ctx)
	if err != nil {
		return err
	}
	if total == 0 {
		return nil
	}
	office, err := c.office(ctx)
	if err != nil {
		return err
	}
	// The chain is overlapped: while the central applies batch k, the office reads and encodes
	// batch k+1 and records the answers to batch k-1. One push is in flight at a time, so the
	// central applies the ops in outbox order; the answers are recorded one batch after the other.
	next := c.readBatch(ctx, office, 0, size)
	var recording <-chan error // the answers to the previous batch being recorded; nil: none
	settle := func() error {   // waits for the recording and the batch read ahead
		var err error
		if recording != nil {
			err = <-recording
			recording = nil
		}
		if next != nil {
			<-next
			next = nil
		}
		return err
	}
	for {
		b := <-next
		next = nil
		if b.err != nil || len(b.ops) == 0 {
			return cmp.Or(settle(), b.err)
		}
		next = c.readBatch(ctx, office, b.ops[len(b.ops)-1].Seq, size)
		var reply protocol.PushReply
		err := c.do(ctx, http.MethodPost, protocol.PathPush, b.body, &reply)
		if err == nil {
			err = checkPushReply(reply, b.ops)
		}
		if err != nil {
			if serr := settle(); serr != nil {
				return serr
			}
			// One unreadable op refuses its batch: set it aside with the central's code, then read
			// the rest of the batch again.
			n, perr := strconv.Atoi(agenda.ParamsOf(err)["op"])
			if perr != nil || n < 1 || n > len(b.ops) || !batchRefusals[agenda.CodeOf(err)] || Retryable(err) {
				return err
			}
			refused := protocol.Result{OpID: b.ops[n-1].OpID, Code: agenda.CodeOf(err), Params: agenda.ParamsOf(err)}
			if err := c.record(ctx, rep, &total, []protocol.Result{refused}); err != nil {
				return err
			}
			next = c.readBatch(ctx, office, 0, size)
			continue
		}
		if recording != nil {
			if rerr := <-recording; rerr != nil {
				recording = nil
				return cmp.Or(settle(), rerr)
			}
		}
		ch := make(chan error, 1)
		go func() { ch <- c.record(ctx, rep, &total, reply.Results) }()
		recording = ch
	}
}

// batch is the next batch of the outbox, read and encoded ahead.
type batch struct {
	ops  []store.OutboxOp
	body []byte
	err  error
}

// readBatch reads up to size pending ops after seq and encodes their push, in the background.
func (c *Client) readBatch(ctx context.Context, office string, seq int64, size int) <-chan batch {
	ch := make(chan batch, 1)
	go func() {
		var b batch
		b.ops, b.err = c.DB.PendingOutboxAfter(ctx, seq, size)
		if b.err == nil && len(b.ops) > 0 {
			p := protocol.Push{Version: protocol.Version, Office: office, Ops: make([]protocol.Op, len(b.ops))}
			for i, o := range b.ops {
				p.Ops[i] = protocol.Op{ID: o.OpID, OrganisationID: o.OrganisationID, Entity: protocol.Entity(o.Entity), EntityID: o.EntityID,
					Kind: protocol.OpKind(o.Op), Payload: o.Payload, BaseVersion: o.BaseVersion, CreatedAt: o.CreatedAt.UTC()}
			}
			if b.body, b.err = json.Marshal(p); b.err != nil {
				b.err = agenda.E(opRound, agenda.Other, b.err)
			}
		}
		ch <- b
	}()
	return ch
}

// record writes the central's answers to a batch in the office's file (one transaction), counts
// them in rep and reports the progress; total grows with the ops written during the round. The
// answers in hand are recorded even when the round is being cancelled.
func (c *Client) record(ctx context.Context, rep *Report, total *int, results []protocol.Result) error {
	ctx = context.WithoutCancel(ctx)
	if err := c.DB.RecordPushResults(ctx, results); err != nil {
		return err
	}
	if err := c.DB.NoteSyncPush(ctx); err != nil {
		return err
	}
	for _, r := range results {
		if r.Accepted {
			rep.Accepted++
		} else {
			rep.Rejected++
		}
	}
	rep.Pushed += len(results)
	*total = max(*total, rep.Pushed)
	if left, err := c.DB.PendingOutboxCount(ctx); err == nil {
		*total = max(*total, rep.Pushed+left) // ops written during the round
	}
	if c.Progress != nil {
		c.Progress(Progress{Phase: "push", Done: rep.Pushed, Total: *total})
	}
	return nil
}

// checkPushReply holds the reply to the contract: one result per op, in the same order.
func checkPushReply(reply protocol.PushReply, ops []store.OutboxOp) error {
	bad := func(detail string) error {
		return agenda.Fail(opRound, agenda.CodeSyncReplyInvalid, "detail", detail)
	}
	if reply.Version != protocol.Version {
		return agenda.Fail(opRound, agenda.CodeSyncVersion, "version", strconv.Itoa(reply.Version), "supported", strconv.Itoa(protocol.Version))
	}
	if len(reply.Results) != len(ops) {
		return bad(fmt.Sprintf("%d results for %d ops", len(reply.Results), len(ops)))
	}
	for i, r := range reply.Results {
		if r.OpID != ops[i].OpID {
			return bad(fmt.Sprintf("result %d names op %s, not %s", i+1, r.OpID, ops[i].OpID))
		}
		if r.Accepted && r.NewVersion < 1 {
			return bad(fmt.Sprintf("result %d accepted without a new version", i+1))
		}
	}
	return nil
}

// page is a reply of the feed, fetched ahead.
type page struct {
	reply protocol.PullReply
	err   error
}

func (c *Client) pull(ctx context.Context, rep *Report) error {
	limit := c.PageSize
	if limit <= 0 || limit > protocol.MaxPull {
		limit = protocol.MaxPull
	}
	st, err := c.DB.SyncStatus(ctx)
	if err != nil {
		return err
	}
	cursor := st.Cursor
	rep.Cursor = cursor
	// The next page is asked for while this one is applied: the central reads and encodes it
	// while the office writes. A page fetched ahead and never applied (a failure, the end) is
	// dropped: the cursor stored is the last page applied.
	fetch := func(cursor string) <-chan page {
		ch := make(chan page, 1)
		go func() {
			q := url.Values{"cursor": {cursor}, "limit": {strconv.Itoa(limit)}}
			var p page
			p.err = c.do(ctx, http.MethodGet, protocol.PathPull+"?"+q.Encode(), nil, &p.reply)
			ch <- p
		}()
		return ch
	}
	ahead := fetch(cursor)
	for {
		got := <-ahead
		if got.err != nil {
			return got.err
		}
		reply := got.reply
		if reply.Version != protocol.Version {
			return agenda.Fail(opRound, agenda.CodeSyncVersion, "version", strconv.Itoa(reply.Version), "supported", strconv.Itoa(protocol.Version))
		}
		if len(reply.Changes) > limit {
			return agenda.Fail(opRound, agenda.CodeSyncReplyInvalid, "detail", fmt.Sprintf("%d changes for a limit of %d", len(reply.Changes), limit))
		}
		next := reply.Cursor
		if next == "" && len(reply.Changes) > 0 {
			next = reply.Changes[len(reply.Changes)-1].Cursor
		}
		// More with no step forward would ask the same page for ever.
		last := !reply.More || (len(reply.Changes) == 0 && (next == "" || next == cursor))
		if !last && next != "" {
			cursor = next
		}
		if !last {
			ahead = fetch(cursor)
		}
		pr, err := c.DB.ApplyPage(ctx, reply.Changes, next)
		if err != nil {
			return err
		}
		rep.Pages++
		rep.Pulled += len(reply.Changes)
		rep.Applied += pr.Applied
		rep.Skipped += pr.Skipped
		rep.Rebased += pr.Rebased
		rep.Conflicts += pr.Conflicts
		if next != "" {
			rep.Cursor = next
		}
		if c.Progress != nil && len(reply.Changes) > 0 {
			c.Progress(Progress{Phase: "pull", Done: rep.Pulled})
		}
		if last {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return agenda.Wrap(opRound, agenda.CodeInterrupted, err)
		}
	}
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: DefaultTimeout}
}

// do sends one request and decodes a 200 reply into out; any other answer is a coded error.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	server := strings.TrimRight(c.BaseURL, "/")
	req, err := http.NewRequestWithContext(ctx, method, server+path, bytes.NewReader(body))
	if err != nil {
		return agenda.Wrap(opRound, agenda.CodeSyncNotConfigured, err)
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	unavailable := func(cause error) error {
		if ctx.Err() != nil {
			return agenda.Wrap(opRound, agenda.CodeInterrupted, ctx.Err())
		}
		return &agenda.Error{Op: opRound, Kind: agenda.Unavailable, Code: agenda.CodeUnavailable,
			Params: map[string]string{"server": server}, Err: cause}
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return unavailable(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return unavailable(err) // the connection dropped in the middle of the reply
	}
	if len(data) > maxReply {
		return agenda.Fail(opRound, agenda.CodeSyncReplyInvalid, "detail", "reply too large")
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			return agenda.Wrap(opRound, agenda.CodeSyncReplyInvalid, err)
		}
		return nil
	}
	se := &StatusError{Status: resp.StatusCode, Message: http.StatusText(resp.StatusCode)}
	var er protocol.ErrorReply
	if json.Unmarshal(data, &er) == nil && er.Error.Code != "" {
		se.Message = er.Error.Message
		kind := er.Error.Code.Kind()
		if kind == agenda.Other { // a code this build does not know: the status says what kind
			kind = statusKind(resp.StatusCode)
		}
		return &agenda.Error{Op: opRound, Kind: kind, Code: er.Error.Code, Params: er.Error.Params, Err: se}
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return agenda.Wrap(opRound, agenda.CodeSyncUnauthorized, se)
	case resp.StatusCode == http.StatusForbidden:
		return agenda.Wrap(opRound, agenda.CodeSyncForbidden, se)
	case statusKind(resp.StatusCode) == agenda.Unavailable:
		return &agenda.Error{Op: opRound, Kind: agenda.Unavailable, Code: agenda.CodeUnavailable,
			Params: map[string]string{"server": server, "status": strconv.Itoa(resp.StatusCode)}, Err: se}
	}
	return &agenda.Error{Op: opRound, Kind: agenda.Invalid, Code: agenda.CodeSyncRefused,
		Params: map[string]string{"status": strconv.Itoa(resp.StatusCode)}, Err: se}
}

func statusKind(status int) agenda.Kind {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return agenda.Forbidden
	case status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout:
		return agenda.Unavailable
	case status == http.StatusConflict:
		return agenda.Conflict
	case status == http.StatusNotFound:
		return agenda.NotFound
	}
	return agenda.Invalid
}

// Kick asks a running Run to start a round now (after a local change, or the window's « Synchroniser
// maintenant »). It never blocks.
func (c *Client) Kick() {
	c.kicks()
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *Client) kicks() chan struct{} {
	c.once.Do(func() { c.kick = make(chan struct{}, 1) })
	return c.kick
}

// Run syncs every `every` until ctx is done: a round at once, then one per period, or sooner
// after Kick. After a failed round it waits longer and longer (every × 2, × 4… up to MaxBackoff,
// with a little jitter so that offices do not come back all at once): the central unreachable
// for a day costs a few requests, not thousands. A successful round goes back to every.
func (c *Client) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	kick := c.kicks()
	failures := 0
	for {
		rep, err := c.Round(ctx)
		if ctx.Err() != nil {
			return
		}
		if c.OnRound != nil {
			c.OnRound(rep, err)
		}
		wait := every
		if err != nil {
			failures++
			wait = Backoff(every, failures)
		} else {
			failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// Backoff is Run's wait after n failed rounds in a row: every × 2ⁿ, at most MaxBackoff (and never
// less than every), give or take 10 %.
func Backoff(every time.Duration, n int) time.Duration {
	d := every
	for i := 0; i < n && d < MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, max(MaxBackoff, every))
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return max(every, d+jitter)
}
