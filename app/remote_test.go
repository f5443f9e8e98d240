package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/poste"
)

// forwarder is a principal that answers from a script and records the keys it got.
type forwarder struct {
	keys    []string
	replies []error
}

func (f *forwarder) Call(_ context.Context, req poste.CallRequest, key string) (poste.CallReply, error) {
	f.keys = append(f.keys, key)
	err := f.replies[0]
	f.replies = f.replies[1:]
	if err != nil {
		return poste.CallReply{}, err
	}
	return poste.CallReply{Result: json.RawMessage(`{"ok":true}`)}, nil
}

// The window's retry of a call that found no principal reuses its idempotency key; another call,
// or the same one once answered, gets a new one.
func TestRemoteKeyKeptForTheRetry(t *testing.T) {
	unreachable := agenda.Wrap("test", agenda.CodePosteInjoignable, errors.New("connection refused"))
	f := &forwarder{replies: []error{unreachable, nil, nil, nil}}
	r := NewRemote(f, poste.Config{Role: "borne"}, nil, nil, "")
	args := []json.RawMessage{json.RawMessage(`{"motifId":"m","lastName":"DUPONT"}`)}
	_, err := r.Call("app.KioskService.Book", args)
	if doorCode(err) != string(agenda.CodePosteInjoignable) || doorMessage(err) != "Borne momentanément indisponible, adressez-vous à l’accueil." {
		t.Fatalf("unreachable: %v", err)
	}
	for range 2 {
		if _, err := r.Call("app.KioskService.Book", args); err != nil {
			t.Fatal(err)
		}
	}
	other := []json.RawMessage{json.RawMessage(`{"motifId":"m","lastName":"MARTIN"}`)}
	if _, err := r.Call("app.KioskService.Book", other); err != nil {
		t.Fatal(err)
	}
	if k := f.keys; k[0] != k[1] || k[2] == k[1] || k[3] == k[2] || k[3] == k[0] {
		t.Errorf("keys: %q", k)
	}
}

// A poste reaches only its role's methods: the window does not even send the others.
func TestRemoteRoleMethodsOnly(t *testing.T) {
	f := &forwarder{}
	r := NewRemote(f, poste.Config{Role: "borne"}, nil, nil, "")
	methods, _ := r.Methods()
	if len(methods) != 5 || methods[0] != "app.KioskService.Book" {
		t.Errorf("borne's methods: %q", methods)
	}
	_, err := r.Call("app.AgentService.Agenda", []json.RawMessage{json.RawMessage(`{}`)})
	if doorCode(err) != string(agenda.CodeRoleRefuse) || len(f.keys) != 0 {
		t.Errorf("agent method from a borne: %v, sent %d", err, len(f.keys))
	}
}

// A borne whose booking's answer was lost sends the usager to the reception.
func TestRemoteKioskLostAnswer(t *testing.T) {
	lost := &poste.Refusal{Message: messages.For(messages.French, agenda.Fail("x", agenda.CodePosteReponse))}
	r := NewRemote(&forwarder{replies: []error{lost}}, poste.Config{Role: "borne"}, nil, nil, "")
	_, err := r.Call("app.KioskService.Book", nil)
	if doorCode(err) != string(agenda.CodePosteReponse) || !strings.Contains(doorMessage(err), "adressez-vous à l’accueil") {
		t.Errorf("lost answer: %v", err)
	}
}

// The principal's refusal reaches the screen as the principal's door wrote it.
func TestRemoteRefusalAsItCame(t *testing.T) {
	refusal := &poste.Refusal{Message: messages.For(messages.French, agenda.Fail("x", agenda.CodePosteRevoque))}
	r := NewRemote(&forwarder{replies: []error{refusal}}, poste.Config{Role: "borne"}, nil, nil, "")
	_, err := r.Call("app.KioskService.Home", nil)
	if doorCode(err) != string(agenda.CodePosteRevoque) || doorMessage(err) != refusal.Message.Message {
		t.Errorf("refusal: %v", err)
	}
}
