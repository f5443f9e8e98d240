package poste

import (
	"encoding/json"

	"rdvguichet/backend/messages"
	"rdvguichet/backend/printing"
)

// The postes' API, served by the principal over TLS 1.3 (app/principal):
//
//	POST /v1/pair   PairRequest → PairReply                    (no credential: the code is the proof)
//	POST /v1/call   CallRequest → CallReply                    Authorization: Bearer <credential>,
//	                                                           Idempotency-Key: <key> (one per user action)
//	GET  /v1/events                                            the principal's change events, server-sent
//	                                                           (a counter's screens reload; issue 12, item 6)
//
// A refusal of the API itself (no or unknown credential, revoked poste, method outside the role,
// unreadable request, too many wrong codes) is a 4xx whose body is ErrorReply. A method's own
// failure is not a refusal of the API: it is a CallReply with Error, replayed like any answer.
const (
	PathPair   = "/v1/pair"
	PathCall   = "/v1/call"
	PathEvents = "/v1/events"

	HeaderIdempotency = "Idempotency-Key"

	// DefaultListen is where a principal serves its postes unless told otherwise: every
	// interface, one port (the installer opens it in the Windows firewall for private networks).
	DefaultListen = ":47650"
)

// PairRequest spends a pairing code.
type PairRequest struct {
	Code     string `json:"code"`
	Hostname string `json:"hostname"` // the new poste's computer name, for the postes list
}

// PairReply is what the new poste keeps.
type PairReply struct {
	Credential  string `json:"credential"`
	PosteID     string `json:"posteId"`
	Name        string `json:"name"`
	Role        string `json:"role"` // store.RoleGuichet or store.RoleBorne
	Office      string `json:"office"`
	Fingerprint string `json:"fingerprint"` // the principal's certificate, as the principal sees it
}

// CallRequest calls a bound method of the poste's role: Name is "<package>.<Type>.<Method>" as
// the window knows it (app.AgentService.Book), Args its arguments in JSON. Printing is the poste's
// own Paramètres › Impression (app.PrinterSettings as JSON), which the principal prints with.
type CallRequest struct {
	Name     string            `json:"name"`
	Args     []json.RawMessage `json:"args"`
	Printing json.RawMessage   `json:"printing,omitempty"`
}

// CallReply is a method's answer: its result, or its failure as the door wrote it (code, text,
// fields), and the documents it printed, for the poste to print.
type CallReply struct {
	Result json.RawMessage   `json:"result,omitempty"`
	Error  *messages.Message `json:"error,omitempty"`
	Jobs   []PrintJob        `json:"jobs,omitempty"`
}

// PrintJob is a document the principal printed for the poste: the poste prints it on its own
// printer, Target "a4" or "ticket" of Settings (app.PrinterSettings as JSON: the poste's own, or
// the form's for a test page).
type PrintJob struct {
	Target   string            `json:"target"`
	Settings json.RawMessage   `json:"settings"`
	Document printing.Document `json:"document"`
}

// Print targets.
const (
	TargetA4     = "a4"
	TargetTicket = "ticket"
)

// ErrorReply is the body of the API's refusals.
type ErrorReply struct {
	Error messages.Message `json:"error"`
}

// Refusal is a failure as the principal's door wrote it (an API refusal, or a method's failure):
// the poste's window shows it as it came, code and French text.
type Refusal struct{ messages.Message }

func (r *Refusal) Error() string { return r.Message.Message }
