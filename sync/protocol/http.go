package protocol

import (
	"encoding/json"
	"time"

	"rdvguichet/backend/agenda"
)

// The HTTP contract between an office and rdv-central. Every request carries the office's token
// as « Authorization: Bearer <token> »; the token names the office and its organisation, so no
// request names an organisation the office may not see. Bodies are JSON.
//
//	POST PathPush   body Push         → 200 PushReply (one Result per op, in order)
//	GET  PathPull?cursor=C&limit=N    → 200 PullReply (changes after C, at most N)
//	GET  PathKeys                     → 200 KeysReply (the organisation's keys, ADR 0012)
//
// A refusal of the whole request (bad token, malformed body, unknown version, too large) is an
// HTTP error status with an ErrorReply body; a refusal of one op is its Result.
const (
	PathPush = "/v1/push"
	PathPull = "/v1/pull"
	PathKeys = "/v1/keys"
	// PathHealth and PathReady answer 200 when the process lives and when it can reach its
	// database; PathMetrics is Prometheus' text format.
	PathHealth  = "/healthz"
	PathReady   = "/readyz"
	PathMetrics = "/metrics"
)

// MaxPull bounds a page of the change feed; the office asks again while More is set.
const MaxPull = 1000

// MaxBody bounds a request body: MaxBatch ops of a few kilobytes each.
const MaxBody = 8 << 20

// Change is one entry of the central's change feed for an organisation: the row after a change
// the central applied (an office's op, an online booking, a cancellation by the usager's link),
// or its tombstone. Order comes from the central's sequence, never from a device's clock.
type Change struct {
	// Cursor is the feed's position just after this change, opaque to the office: it stores the
	// last applied change's cursor and asks for what follows.
	Cursor   string          `json:"cursor"`
	Entity   Entity          `json:"entity"`
	EntityID string          `json:"entityId"`
	Kind     OpKind          `json:"kind"`    // a Pair, as in an Op
	Version  int             `json:"version"` // the row's version at the central after the change
	Payload  json.RawMessage `json:"payload"` // the pair's payload type (Decode)
	At       time.Time       `json:"at"`      // when the central applied it; for people, not for order
}

// PullReply is a page of the change feed.
type PullReply struct {
	Version int      `json:"version"`
	Changes []Change `json:"changes"`
	// Cursor is where the next page starts: the last change's cursor, or the request's cursor when
	// the page is empty.
	Cursor string `json:"cursor"`
	More   bool   `json:"more"` // another page is ready now
}

// KeysReply carries the office's organisation's keys (ADR 0012): what the central signs the
// convocations of its pages with, and what the office signs its own convocations, short codes and
// links to the RDV's page with, so that each side's codes verify at the other's. Current key
// first; the older ones stay for verifying what they signed. Each is 32 bytes, base64 (standard,
// padded, as encoding/json writes []byte).
type KeysReply struct {
	Version int      `json:"version"`
	Keys    [][]byte `json:"keys"`
}

// ErrorReply is the body of a refused request.
type ErrorReply struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody names the refusal by its code (the office chooses its text); Message is the
// central's French text, for logs and for tools that do not know the code.
type ErrorBody struct {
	Code    agenda.Code       `json:"code"`
	Message string            `json:"message"`
	Params  map[string]string `json:"params,omitempty"`
}
