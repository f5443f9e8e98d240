package principal_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"rdvguichet/app"
	"rdvguichet/backend/agenda"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

// call calls name with args (Go values) under a new idempotency key.
func call(t *testing.T, c *poste.Client, name string, args ...any) (poste.CallReply, error) {
	t.Helper()
	return callKey(t, c, uuid.NewString(), name, args...)
}

func callKey(t *testing.T, c *poste.Client, key, name string, args ...any) (poste.CallReply, error) {
	t.Helper()
	raw := make([]json.RawMessage, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		raw[i] = b
	}
	return c.Call(context.Background(), poste.CallRequest{Name: name, Args: raw}, key)
}

// refusedWith fails the test unless err is the principal's refusal with code.
func refusedWith(t *testing.T, what string, err error, code agenda.Code) {
	t.Helper()
	var r *poste.Refusal
	if !errors.As(err, &r) || r.Code != code {
		t.Errorf("%s: got %v, want the refusal %s", what, err, code)
	}
}

// rawPost posts to the principal without the client's pin or credential.
func rawPost(t *testing.T, addr, path, credential string, body any) (int, poste.ErrorReply) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, "https://"+addr+path, bytes.NewReader(b))
	if credential != "" {
		req.Header.Set("Authorization", "Bearer "+credential)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out poste.ErrorReply
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// Without pairing, every method of both roles is refused: no credential, or one the principal
// never gave.
func TestUnpairedRefused(t *testing.T) {
	o := newOffice(t)
	o.start()
	methods := append(app.RoleMethods(store.RoleGuichet), app.RoleMethods(store.RoleBorne)...)
	for _, credential := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		for _, m := range methods {
			status, reply := rawPost(t, o.addr, poste.PathCall, credential, poste.CallRequest{Name: m, Args: []json.RawMessage{}})
			if status != http.StatusUnauthorized || reply.Error.Code != agenda.CodePosteNonApparie {
				t.Errorf("%s with credential %q: %d %+v", m, credential, status, reply)
			}
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "https://"+o.addr+poste.PathEvents, nil)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if resp, err := hc.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("events without a credential: %v %v", resp, err)
	}
}

// A pairing code is used once, and not after its few minutes.
func TestPairingCodeOnceAndNotExpired(t *testing.T) {
	o := newOffice(t)
	inv := o.invite("Guichet 2", store.RoleGuichet)
	// A code whose validity is over, written in the data file as « poste add » writes codes.
	db, err := store.Open(o.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const expired = "ABCD-EFGH-JK"
	if _, err := db.AddPoste(context.Background(), "Borne du hall", store.RoleBorne, poste.Hash(poste.NormalizeCode(expired)), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	o.start()

	if _, err := poste.Pair(context.Background(), o.addr, inv.Code, "pc-1", inv.Fingerprint); err != nil {
		t.Fatalf("first use of the code: %v", err)
	}
	_, err = poste.Pair(context.Background(), o.addr, inv.Code, "pc-2", inv.Fingerprint)
	refusedWith(t, "reused code", err, agenda.CodePosteCodeInvalid)
	_, err = poste.Pair(context.Background(), o.addr, expired, "pc-3", inv.Fingerprint)
	refusedWith(t, "expired code", err, agenda.CodePosteCodeExpire)
	_, err = poste.Pair(context.Background(), o.addr, "ZZZZ-ZZZZ-ZZ", "pc-4", inv.Fingerprint)
	refusedWith(t, "unknown code", err, agenda.CodePosteCodeInvalid)
	// Wrong codes make every pairing wait: the next ones are refused without being looked at.
	for range 3 {
		poste.Pair(context.Background(), o.addr, "ZZZZ-ZZZZ-ZZ", "pc-5", inv.Fingerprint)
	}
	inv2 := o.invite("Guichet 3", store.RoleGuichet)
	_, err = poste.Pair(context.Background(), o.addr, inv2.Code, "pc-6", inv2.Fingerprint)
	refusedWith(t, "after five wrong codes", err, agenda.CodePosteCodeAttente)
}

// A borne reaches the kiosk's operations only: every agent operation is refused, by the
// principal (the test's client sends them anyway), and nothing is run.
func TestBorneRefusedOnEveryAgentMethod(t *testing.T) {
	o := newOffice(t)
	o.start()
	borne := o.pair("Borne du hall", store.RoleBorne)
	kiosk := map[string]bool{}
	for _, m := range app.RoleMethods(store.RoleBorne) {
		kiosk[m] = true
	}
	agentMethods := app.RoleMethods(store.RoleGuichet)
	if len(agentMethods) < 40 {
		t.Fatalf("only %d agent methods enumerated", len(agentMethods))
	}
	for _, m := range agentMethods {
		if kiosk[m] {
			t.Fatalf("%s is both an agent's and a kiosk's method", m)
		}
		_, err := call(t, borne, m)
		refusedWith(t, m, err, agenda.CodeRoleRefuse)
	}
	if reply, err := call(t, borne, "app.KioskService.Home"); err != nil || reply.Error != nil {
		t.Errorf("the kiosk's home: %+v %v", reply, err)
	}
	// A counter reaches the agent's operations, the session checked by the principal.
	guichet := o.pair("Guichet 2", store.RoleGuichet)
	reply, err := call(t, guichet, "app.AgentService.Agenda", app.AgendaQuery{})
	if err != nil || reply.Error == nil || reply.Error.Code != agenda.CodeSignedOut {
		t.Errorf("agenda without a session: %+v %v", reply, err)
	}
	_, err = call(t, guichet, "app.KioskService.Home")
	refusedWith(t, "a counter on the kiosk's home", err, agenda.CodeRoleRefuse)
}

// A revoked poste is refused at its next call.
func TestRevokedPosteRefused(t *testing.T) {
	o := newOffice(t)
	o.start()
	borne := o.pair("Borne du hall", store.RoleBorne)
	if _, err := call(t, borne, "app.KioskService.Home"); err != nil {
		t.Fatal(err)
	}
	rdv(t, "poste", "revoke", "--db", o.db, "--nom", "borne du hall")
	_, err := call(t, borne, "app.KioskService.Home")
	refusedWith(t, "revoked", err, agenda.CodePosteRevoque)
}

// A paired poste refuses a server with another certificate: another principal on the same
// address (a PC replaced without restoring the backup, or an impostor) gets nothing.
func TestOtherCertificateRefused(t *testing.T) {
	o := newOffice(t)
	o.start()
	borne := o.pair("Borne du hall", store.RoleBorne)
	o.kill()
	other := newOffice(t)
	other.addr = o.addr
	other.start()
	_, err := call(t, borne, "app.KioskService.Home")
	if agenda.CodeOf(err) != agenda.CodePosteCertificat {
		t.Errorf("another certificate: %v", err)
	}
	// The code is sent only to the principal whose fingerprint was read on its screen.
	inv := o.invite("Guichet 2", store.RoleGuichet)
	_, err = poste.Pair(context.Background(), other.addr, inv.Code, "pc", inv.Fingerprint)
	if agenda.CodeOf(err) != agenda.CodePosteCertificat {
		t.Errorf("pairing with another certificate: %v", err)
	}
}
