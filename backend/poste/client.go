package poste

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// Client is a poste secondaire's connection to its principal: TLS 1.3 to the pinned certificate
// only, its credential on every call, and idempotent retries.
type Client struct {
	address     string
	credential  string
	http        *http.Client
	backoff     []time.Duration
	maxReplyLen int64
}

// Retries: a call that finds no principal is sent again after each of these waits, with the same
// idempotency key, then fails with poste_injoignable (the window says so and tries again later,
// still with the same key: app.RemoteService).
var defaultBackoff = []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second}

const (
	dialTimeout = 3 * time.Second  // an office network answers at once, or not at all
	callTimeout = 60 * time.Second // one attempt: a booking under load, a day list's PDF
	maxReply    = 64 << 20         // a month's agenda, a PDF or two
)

// NewClient returns the client of the principal at address (HOST:PORT) whose certificate has
// the fingerprint pinned, with the poste's credential.
func NewClient(address, pinned, credential string) *Client {
	return &Client{address: address, credential: credential, http: httpClient(pinnedTLS(pinned, nil)), backoff: defaultBackoff, maxReplyLen: maxReply}
}

// SetBackoff replaces the waits between retries (tests, the benchmark).
func (c *Client) SetBackoff(waits ...time.Duration) { c.backoff = waits }

// Address is the principal's address.
func (c *Client) Address() string { return c.address }

// errPin says the server's certificate is not the pinned one.
type errPin struct{ seen string }

func (e *errPin) Error() string { return "certificat inattendu " + e.seen }

// pinnedTLS accepts only the certificate whose fingerprint is pinned; with pinned "", any, whose
// fingerprint goes to seen (pairing: the administrator compares it with the principal's screen).
func pinnedTLS(pinned string, seen *string) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		// The chain is not checked against authorities: the pin below is the check.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &errPin{}
			}
			fp := Fingerprint(cs.PeerCertificates[0].Raw)
			if seen != nil {
				*seen = fp
			}
			if pinned != "" && !SameFingerprint(fp, pinned) {
				return &errPin{fp}
			}
			return nil
		},
	}
}

func httpClient(cfg *tls.Config) *http.Client {
	return &http.Client{
		Timeout: callTimeout,
		Transport: &http.Transport{
			TLSClientConfig:     cfg,
			DialContext:         (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout: dialTimeout,
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		},
	}
}

// Call calls a method on the principal under the idempotency key (one per user action: a retry
// must reuse it). A method's own failure comes back in the reply (CallReply.Error); the error is
// the API's: a *Refusal (poste revoked, role refused…), poste_certificat, or poste_injoignable
// once the retries are spent.
func (c *Client) Call(ctx context.Context, req CallRequest, key string) (CallReply, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return CallReply{}, err
	}
	var reply CallReply
	err = c.retry(ctx, func() error {
		return c.post(ctx, PathCall, body, key, &reply)
	})
	return reply, err
}

// retry runs try until it succeeds, fails for good, or the waits are spent.
func (c *Client) retry(ctx context.Context, try func() error) error {
	for attempt := 0; ; attempt++ {
		err := try()
		var t transient
		if !errors.As(err, &t) {
			return err
		}
		if attempt >= len(c.backoff) {
			return c.unreachable(err)
		}
		select {
		case <-ctx.Done():
			return c.unreachable(err)
		case <-time.After(c.backoff[attempt]):
		}
	}
}

func (c *Client) unreachable(cause error) error {
	return &agenda.Error{Op: "poste.Call", Kind: agenda.Unavailable, Code: agenda.CodePosteInjoignable, Err: cause,
		Params: map[string]string{"address": c.address}}
}

// transient is a failure worth another try: no connection, a cut one, a timeout, a principal
// restarting (502 to 504 from a proxy).
type transient struct{ err error }

func (t transient) Error() string { return t.err.Error() }
func (t transient) Unwrap() error { return t.err }

// post sends body to path and decodes the 200's JSON into out.
func (c *Client) post(ctx context.Context, path string, body []byte, key string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://"+c.address+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.credential != "" {
		req.Header.Set("Authorization", "Bearer "+c.credential)
	}
	if key != "" {
		req.Header.Set(HeaderIdempotency, key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var pin *errPin
		if errors.As(err, &pin) {
			return agenda.Fail("poste.Call", agenda.CodePosteCertificat, "fingerprint", pin.seen)
		}
		if ctx.Err() != nil {
			return agenda.Wrap("poste.Call", agenda.CodeInterrupted, err)
		}
		return transient{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxReplyLen))
	if err != nil {
		return transient{err}
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		if err := json.Unmarshal(data, out); err != nil {
			return agenda.E("poste.Call", agenda.Other, fmt.Errorf("réponse illisible du poste principal : %w", err))
		}
		return nil
	case resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout:
		return transient{fmt.Errorf("statut HTTP %d", resp.StatusCode)}
	}
	var refusal ErrorReply
	if err := json.Unmarshal(data, &refusal); err != nil || refusal.Error.Code == "" {
		return agenda.E("poste.Call", agenda.Other, fmt.Errorf("statut HTTP %d du poste principal", resp.StatusCode))
	}
	return &Refusal{refusal.Error}
}

// Pairing is a pairing's outcome: what the poste keeps, and the principal's fingerprint that
// the administrator compares with the principal's screen.
type Pairing struct {
	Address string
	PairReply
}

// Pair spends code on the principal at address. With fingerprint given (read on the principal),
// the code is sent to that certificate only; without it, the certificate met is trusted on first
// use and its fingerprint returned, to be confirmed by the administrator.
func Pair(ctx context.Context, address, code, hostname, fingerprint string) (Pairing, error) {
	var seen string
	c := &Client{address: address, http: httpClient(pinnedTLS(fingerprint, &seen)), backoff: defaultBackoff[:2], maxReplyLen: 1 << 20}
	body, err := json.Marshal(PairRequest{Code: NormalizeCode(code), Hostname: hostname})
	if err != nil {
		return Pairing{}, err
	}
	var reply PairReply
	if err := c.retry(ctx, func() error { return c.post(ctx, PathPair, body, "", &reply) }); err != nil {
		return Pairing{}, err
	}
	// The principal names its own certificate: another one on the way is an interception.
	if !SameFingerprint(reply.Fingerprint, seen) {
		return Pairing{}, agenda.Fail("poste.Pair", agenda.CodePosteCertificat, "fingerprint", seen)
	}
	reply.Fingerprint = seen
	return Pairing{Address: address, PairReply: reply}, nil
}

// Probe connects to the principal at address and returns its certificate's fingerprint, without
// sending anything: the pairing screen asks the administrator to compare it with the principal's
// screen before the code is sent (Pair with that fingerprint).
func Probe(ctx context.Context, address string) (string, error) {
	var seen string
	d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: dialTimeout}, Config: pinnedTLS("", &seen)}
	ctx, cancel := context.WithTimeout(ctx, 2*dialTimeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", address)
	if err != nil {
		return "", &agenda.Error{Op: "poste.Probe", Kind: agenda.Unavailable, Code: agenda.CodePosteInjoignable, Err: err,
			Params: map[string]string{"address": address}}
	}
	conn.Close()
	return seen, nil
}

// Events follows the principal's change events (GET /v1/events, server-sent events) and calls
// changed for each, until ctx ends or the stream breaks (the error says why: the caller follows
// again). The stream has no overall timeout: the principal writes a comment every few seconds.
func (c *Client) Events(ctx context.Context, changed func()) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+c.address+PathEvents, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.credential)
	req.Header.Set("Accept", "text/event-stream")
	stream := &http.Client{Transport: c.http.Transport} // no Timeout: the stream lasts
	resp, err := stream.Do(req)
	if err != nil {
		var pin *errPin
		if errors.As(err, &pin) {
			return agenda.Fail("poste.Events", agenda.CodePosteCertificat, "fingerprint", pin.seen)
		}
		return c.unreachable(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var refusal ErrorReply
		if json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&refusal) == nil && refusal.Error.Code != "" {
			return &Refusal{refusal.Error}
		}
		return agenda.E("poste.Events", agenda.Other, fmt.Errorf("statut HTTP %d du poste principal", resp.StatusCode))
	}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "data:") {
			changed()
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := lines.Err(); err != nil {
		return c.unreachable(err)
	}
	return c.unreachable(errors.New("flux fermé par le poste principal"))
}
