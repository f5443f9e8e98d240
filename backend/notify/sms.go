package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// FailureKind tells the sender what to do after a failed attempt.
type FailureKind int

const (
	// Temporary: nothing left (or the provider said « later »); retry with backoff.
	Temporary FailureKind = iota
	// Permanent: retrying would fail again (bad number, refused key, usager blacklisted).
	Permanent
	// Uncertain: the request left and no answer came back; it may have been delivered. Never
	// retried: at-most-once.
	Uncertain
)

func (k FailureKind) String() string {
	switch k {
	case Permanent:
		return "définitif"
	case Uncertain:
		return "incertain"
	}
	return "temporaire"
}

// Failure is a provider's or mail server's refusal, classified.
type Failure struct {
	Kind FailureKind
	Code string // the provider's code (HTTP status, SMTP code, API status)
	Err  error
}

func (f *Failure) Error() string {
	if f.Code != "" {
		return fmt.Sprintf("échec %s (%s) : %v", f.Kind, f.Code, f.Err)
	}
	return fmt.Sprintf("échec %s : %v", f.Kind, f.Err)
}

func (f *Failure) Unwrap() error { return f.Err }

// kindOf classifies any error: unclassified ones are Temporary.
func kindOf(err error) FailureKind {
	var f *Failure
	if errors.As(err, &f) {
		return f.Kind
	}
	return Temporary
}

// SMS is one text message to send.
type SMS struct {
	To   string // E.164
	Text string // GSM-7, at most SMSBudget units
	Ref  string // our reference (the attempt id): the provider's delivery reports carry it
}

// SentSMS is what the provider says about an accepted message.
type SentSMS struct {
	Parts int    // SMS billed
	ID    string // the provider's ticket
	Note  string // e.g. « en attente de validation »
}

// Provider sends SMS. Implementations return *Failure errors.
type Provider interface {
	Name() string
	Send(ctx context.Context, m SMS) (SentSMS, error)
}

// Journal is the demo and test provider: it writes each SMS to W (a log file, the console) and
// sends nothing.
type Journal struct {
	mu sync.Mutex
	W  io.Writer
}

func (j *Journal) Name() string { return "journal" }

func (j *Journal) Send(_ context.Context, m SMS) (SentSMS, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.W != nil {
		fmt.Fprintf(j.W, "SMS → %s (%d SMS, réf. %s)\n%s\n---\n", m.To, SMSParts(m.Text), m.Ref, m.Text)
	}
	return SentSMS{Parts: SMSParts(m.Text), ID: m.Ref}, nil
}

// SMSFactor sends through the SMS Factor HTTP API (https://dev.smsfactor.com, « Send SMS »):
//
//	POST https://api.smsfactor.com/send
//	Authorization: Bearer <token>          Accept: application/json     Content-Type: application/json
//	{"sms": {"message": {"text": "…", "pushtype": "alert", "sender": "MAIRIE"},
//	         "recipients": {"gsm": [{"gsmsmsid": "<our ref>", "value": "33612345678"}]}}}
//
// Numbers are international without « + ». pushtype « alert » is the transactional kind
// (« marketing » would add STOP mentions and time restrictions). The answer is JSON:
//
//	{"status": 1, "message": "OK", "ticket": "14672468", "cost": 1, "credits": 642, "total": 1,
//	 "sent": 1, "blacklisted": 0, "duplicated": 0, "invalid": 0, "npai": 0, "not_allowed": 0,
//	 "flood": 0, "country_limit": 0}
//
// status 1 is success and « sent » the number of messages left after filtering: a message
// filtered out shows in the counter that says why. status -8 means « pending validation »:
// the documentation says the SMS will still leave and must not be retried. Other (negative)
// statuses are errors with a message. Classification: HTTP 401/403 and a refused token are
// Permanent (fix the key); HTTP 429 and 5xx Temporary; invalid, npai (« n'habite pas à l'adresse
// indiquée »), blacklisted (the usager sent STOP), not_allowed (country) and duplicated are
// Permanent; flood and country_limit (monthly cap) Temporary; a credits error is Temporary (the
// office can top up; the sender's backoff and the RDV's start bound the retries). A request
// written without an answer (timeout, connection reset) is Uncertain.
type SMSFactor struct {
	Token   string
	Sender  string // alphanumeric sender ID, at most 11 characters; "" = the account's default
	BaseURL string // "" = https://api.smsfactor.com
	Client  *http.Client
}

func (p *SMSFactor) Name() string { return "smsfactor" }

type sfGSM struct {
	ID    string `json:"gsmsmsid,omitempty"`
	Value string `json:"value"`
}

type sfRequest struct {
	SMS struct {
		Message struct {
			Text     string `json:"text"`
			PushType string `json:"pushtype"`
			Sender   string `json:"sender,omitempty"`
		} `json:"message"`
		Recipients struct {
			GSM []sfGSM `json:"gsm"`
		} `json:"recipients"`
	} `json:"sms"`
}

type sfResponse struct {
	Status       int             `json:"status"`
	Message      string          `json:"message"`
	Details      string          `json:"details"`
	Ticket       json.RawMessage `json:"ticket"`
	Cost         float64         `json:"cost"`
	Sent         int             `json:"sent"`
	Blacklisted  int             `json:"blacklisted"`
	Duplicated   int             `json:"duplicated"`
	Invalid      int             `json:"invalid"`
	NPAI         int             `json:"npai"`
	NotAllowed   int             `json:"not_allowed"`
	Flood        int             `json:"flood"`
	CountryLimit int             `json:"country_limit"`
}

func (p *SMSFactor) Send(ctx context.Context, m SMS) (SentSMS, error) {
	base := strings.TrimRight(p.BaseURL, "/")
	if base == "" {
		base = "https://api.smsfactor.com"
	}
	if p.Token == "" {
		return SentSMS{}, &Failure{Kind: Permanent, Err: errors.New("clé d’API SMS Factor absente (réglages des notifications)")}
	}
	var body sfRequest
	body.SMS.Message.Text = m.Text
	body.SMS.Message.PushType = "alert"
	body.SMS.Message.Sender = p.Sender
	body.SMS.Recipients.GSM = []sfGSM{{ID: m.Ref, Value: strings.TrimPrefix(m.To, "+")}}
	buf, err := json.Marshal(body)
	if err != nil {
		return SentSMS{}, &Failure{Kind: Permanent, Err: err}
	}
	var wrote atomic.Bool // set by the transport's goroutine
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, base+"/send", bytes.NewReader(buf))
	if err != nil {
		return SentSMS{}, &Failure{Kind: Permanent, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+p.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		if wrote.Load() {
			return SentSMS{}, &Failure{Kind: Uncertain, Err: fmt.Errorf("SMS Factor n’a pas répondu après l’envoi de la demande : %w", err)}
		}
		return SentSMS{}, &Failure{Kind: Temporary, Err: fmt.Errorf("SMS Factor injoignable : %w", err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return SentSMS{}, &Failure{Kind: Uncertain, Code: fmt.Sprint(resp.StatusCode), Err: fmt.Errorf("réponse de SMS Factor interrompue : %w", err)}
	}
	code := fmt.Sprint(resp.StatusCode)
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return SentSMS{}, &Failure{Kind: Permanent, Code: code, Err: fmt.Errorf("clé d’API refusée par SMS Factor : %s", brief(raw))}
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return SentSMS{}, &Failure{Kind: Temporary, Code: code, Err: fmt.Errorf("SMS Factor indisponible : %s", brief(raw))}
	case resp.StatusCode >= 300:
		return SentSMS{}, &Failure{Kind: Permanent, Code: code, Err: fmt.Errorf("demande refusée par SMS Factor : %s", brief(raw))}
	}
	var r sfResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		// 2xx with a body we cannot read: the message may well have left.
		return SentSMS{}, &Failure{Kind: Uncertain, Code: code, Err: fmt.Errorf("réponse illisible de SMS Factor : %s", brief(raw))}
	}
	ticket := strings.Trim(string(r.Ticket), `"`)
	parts := int(r.Cost + 0.5)
	if parts == 0 {
		parts = SMSParts(m.Text)
	}
	switch {
	case r.Status == 1 && r.Sent > 0:
		return SentSMS{Parts: parts, ID: ticket}, nil
	case r.Status == -8:
		return SentSMS{Parts: parts, ID: ticket, Note: "en attente de validation chez SMS Factor"}, nil
	case r.Status == 1:
		st := fmt.Sprintf("status 1, sent 0")
		switch {
		case r.Invalid > 0:
			return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: errors.New("numéro refusé comme invalide")}
		case r.NPAI > 0:
			return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: errors.New("numéro signalé comme n’étant plus attribué (NPAI)")}
		case r.Blacklisted > 0:
			return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: errors.New("l’usager a demandé à ne plus recevoir de SMS (STOP)")}
		case r.NotAllowed > 0:
			return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: errors.New("pays de destination non autorisé pour ce compte")}
		case r.Duplicated > 0:
			return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: errors.New("message filtré comme doublon")}
		case r.Flood > 0:
			return SentSMS{}, &Failure{Kind: Temporary, Code: st, Err: errors.New("message retenu par l’anti-flood")}
		case r.CountryLimit > 0:
			return SentSMS{}, &Failure{Kind: Temporary, Code: st, Err: errors.New("plafond mensuel du pays atteint")}
		}
		return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: errors.New("message filtré par SMS Factor")}
	}
	msg := strings.TrimSpace(r.Message + " " + r.Details)
	st := fmt.Sprintf("status %d", r.Status)
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "credit"):
		return SentSMS{}, &Failure{Kind: Temporary, Code: st, Err: fmt.Errorf("crédits SMS épuisés : %s", msg)}
	case strings.Contains(low, "token") || strings.Contains(low, "auth"):
		return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: fmt.Errorf("clé d’API refusée : %s", msg)}
	}
	return SentSMS{}, &Failure{Kind: Permanent, Code: st, Err: fmt.Errorf("SMS Factor : %s", msg)}
}

func brief(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "(réponse vide)"
	}
	return s
}
