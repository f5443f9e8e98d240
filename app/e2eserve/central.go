package main

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/client/clienttest"
	"rdvguichet/sync/protocol"
)

// fakeCentral is sync/client/clienttest's fake rdv-central as the end-to-end tests need it:
//   - a wrong token is refused as the real central refuses it (HTTP 401, code token_unknown), so
//     that Paramètres › Serveur central shows the real French message;
//   - POST /_vendu?start=RFC3339 tells it that this slot was sold online: the office's booking of
//     that slot is then refused with slot_taken, as the central's booking decision would.
type fakeCentral struct {
	token   string
	central *clienttest.Central
	mu      sync.Mutex
	sold    map[time.Time]bool
}

func newFakeCentral(token string) *fakeCentral {
	f := &fakeCentral{token: token, central: clienttest.New(token), sold: map[time.Time]bool{}}
	f.central.Reject = func(op protocol.Op) (agenda.Code, map[string]string, bool) {
		if op.Entity != protocol.EntityRdv || (op.Kind != protocol.OpBook && op.Kind != protocol.OpMove) {
			return "", nil, false
		}
		var r protocol.RdvV1
		if json.Unmarshal(op.Payload, &r) != nil {
			return "", nil, false
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.sold[r.StartsAt.UTC()] {
			return agenda.CodeSlotTaken, nil, true
		}
		return "", nil, false
	}
	return f
}

func (f *fakeCentral) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_vendu" && r.Method == http.MethodPost {
		t, err := time.Parse(time.RFC3339, r.URL.Query().Get("start"))
		if err != nil {
			http.Error(w, "start : RFC 3339 attendu", http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.sold[t.UTC()] = true
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeTokenUnknown, Message: "jeton inconnu"}})
		return
	}
	f.central.ServeHTTP(w, r)
}
