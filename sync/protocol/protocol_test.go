package protocol

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const (
	org = "01a2074a-0000-7000-8000-000000000001"
	op1 = "01a2074a-0000-7000-8000-0000000000a1"
	op2 = "01a2074a-0000-7000-8000-0000000000a2"
)

func push(ops ...Op) []byte {
	b, _ := json.Marshal(Push{Version: Version, Office: "mairie", Ops: ops})
	return b
}

func upsert(id string) Op {
	return Op{ID: id, OrganisationID: org, Entity: "rdv", EntityID: "r1", Kind: "upsert",
		Payload: json.RawMessage(`{"id":"r1"}`), BaseVersion: 1, CreatedAt: time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)}
}

func TestDecodePushRoundTrip(t *testing.T) {
	del := upsert(op2)
	del.Kind, del.Payload = "delete", nil
	p, err := DecodePush(push(upsert(op1), del))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ops) != 2 || p.Ops[0].ID != op1 || p.Ops[1].Kind != "delete" || string(p.Ops[0].Payload) != `{"id":"r1"}` {
		t.Errorf("decoded %+v", p)
	}
}

func TestDecodePushRefusals(t *testing.T) {
	other := upsert(op2)
	other.OrganisationID = "01a2074a-0000-7000-8000-000000000002"
	bad := func(f func(*Op)) []byte { o := upsert(op1); f(&o); return push(o) }
	cases := map[string][]byte{
		"version":         []byte(`{"version":2,"office":"m","ops":[]}`),
		"illisible":       []byte(`{"version":1,"ops":[`),
		"unknown field":   []byte(`{"version":1,"office":"m","ops":[],"extra":1}`),
		"après":           []byte(`{"version":1,"office":"m","ops":[]} {}`),
		"double":          push(upsert(op1), upsert(op1)),
		"organisation":    push(upsert(op1), other),
		"identifiant":     bad(func(o *Op) { o.ID = "1" }),
		"entité":          bad(func(o *Op) { o.Entity = "table" }),
		"type":            bad(func(o *Op) { o.Kind = "drop" }),
		"objet":           bad(func(o *Op) { o.Payload = json.RawMessage(`[1]`) }),
		"suppression":     bad(func(o *Op) { o.Kind = "delete" }),
		"version de base": bad(func(o *Op) { o.BaseVersion = -1 }),
		"manquant":        bad(func(o *Op) { o.EntityID = "" }),
	}
	for want, data := range cases {
		if _, err := DecodePush(data); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
	many := make([]Op, MaxBatch+1)
	for i := range many {
		many[i] = upsert(op1)
	}
	if _, err := DecodePush(push(many...)); err == nil || !strings.Contains(err.Error(), "au plus") {
		t.Errorf("oversized batch: %v", err)
	}
}

// FuzzDecodePush: whatever arrives on the wire, decoding never panics, and what it accepts
// re-encodes to a message it accepts again with the same ops.
func FuzzDecodePush(f *testing.F) {
	f.Add(push(upsert(op1)))
	f.Add([]byte(`{"version":1,"office":"m","ops":[{"id":"x"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePush(data)
		if err != nil {
			return
		}
		again, err := DecodePush(mustJSON(t, p))
		if err != nil || len(again.Ops) != len(p.Ops) {
			t.Fatalf("accepted message does not round-trip: %v", err)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
