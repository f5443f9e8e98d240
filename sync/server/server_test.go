package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"
)

// central starts one « process »: a store (its own pool) and an httptest server in front of it.
func central(t testing.TB, dsn string) (*pgstore.Store, string) {
	t.Helper()
	return centralAt(t, dsn, clock.System{})
}

// centralAt is central with the store's clock.
func centralAt(t testing.TB, dsn string, clk agenda.Clock) (*pgstore.Store, string) {
	t.Helper()
	s := openStoreAt(t, dsn, clk)
	ts := httptest.NewServer(New(Config{Store: s, Rate: -1}))
	t.Cleanup(ts.Close)
	return s, ts.URL
}

// A replayed push changes nothing and answers the same results, accepted or rejected; so does
// a push that repeats some ops among new ones.
func TestPushIdempotent(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	db := sqlPool(t, dsn)
	o, ops := newOffice(t, s, nil, 2)
	book, _ := o.book(t, at(day, 9, 0), 0)
	clash, _ := o.book(t, at(day, 9, 0), 1) // the same slot: slot_taken
	ops = append(ops, book, clash)
	st, first, er := push(t, base, o.token, ops)
	if st != http.StatusOK {
		t.Fatalf("push: %d %+v", st, er)
	}
	if len(first.Results) != len(ops) || first.Version != protocol.Version {
		t.Fatalf("results: %+v", first)
	}
	for i, r := range first.Results[:len(ops)-1] {
		if !r.Accepted || r.OpID != ops[i].ID {
			t.Fatalf("op %d: %+v", i, r)
		}
	}
	if last := first.Results[len(ops)-1]; last.Accepted || last.Code != agenda.CodeSlotTaken {
		t.Fatalf("second booking of the slot: %+v", last)
	}
	changes := count(t, db, "SELECT count(*) FROM changes")
	state := func() string {
		var s string
		if err := db.QueryRow(context.Background(), `SELECT string_agg(id::text || ':' || version || ':' || updated_at::text, ',' ORDER BY id)
			FROM (SELECT id, version, updated_at FROM rdvs UNION ALL SELECT id, version, updated_at FROM usagers
			      UNION ALL SELECT id, version, updated_at FROM plages) x`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := state()
	for range 2 {
		st, again, er := push(t, base, o.token, ops)
		if st != http.StatusOK || !reflect.DeepEqual(again, first) {
			t.Fatalf("replay: %d %+v %+v, want %+v", st, er, again, first)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM changes"); n != changes {
		t.Fatalf("replays wrote %d changes", n-changes)
	}
	if after := state(); after != before {
		t.Fatalf("replays changed rows:\n%s\n%s", before, after)
	}
	if n := count(t, db, "SELECT count(*) FROM applied_ops"); n != len(ops) {
		t.Fatalf("applied_ops %d, want %d", n, len(ops))
	}
	// Old ops among new ones: the old get their results, the new are applied.
	more := o.usagerOp(t, "Nouveau")
	mixed := append([]protocol.Op{more}, ops[len(ops)-2:]...)
	reply := mustPushPartial(t, base, o.token, mixed)
	if !reply.Results[0].Accepted || !reflect.DeepEqual(reply.Results[1:], first.Results[len(ops)-2:]) {
		t.Fatalf("mixed replay: %+v", reply.Results)
	}
}

func mustPushPartial(t testing.TB, base, token string, ops []protocol.Op) protocol.PushReply {
	t.Helper()
	st, reply, er := push(t, base, token, ops)
	if st != http.StatusOK || len(reply.Results) != len(ops) {
		t.Fatalf("push: %d %+v %+v", st, er, reply)
	}
	return reply
}

// An office's token reaches its own organisation only: its push of another organisation's ops
// is refused whole (403, nothing applied), its pull reads its own feed whatever cursor it sends,
// and requests without a token, with an unknown one or a revoked office's are refused on every
// endpoint of the protocol.
func TestIsolation(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	db := sqlPool(t, dsn)
	a, opsA := newOffice(t, s, nil, 1)
	b, opsB := newOffice(t, s, nil, 1)
	bookA, _ := a.book(t, at(day, 9, 0), 0)
	mustPush(t, base, a.token, append(opsA, bookA))
	mustPush(t, base, b.token, opsB)
	appliedA := count(t, db, "SELECT count(*) FROM applied_ops WHERE organisation_id = $1", a.org)

	// B pushes ops of A's organisation (new ones, and a replay of A's): 403, nothing applied.
	foreign := []protocol.Op{a.usagerOp(t, "Intrus")}
	for _, ops := range [][]protocol.Op{foreign, opsA[:2], append([]protocol.Op{b.usagerOp(t, "Bis")}, foreign...)} {
		st, _, er := push(t, base, b.token, ops)
		if st != http.StatusForbidden && st != http.StatusBadRequest {
			t.Fatalf("foreign push: %d %+v", st, er)
		}
		if st == http.StatusForbidden && er.Error.Code != agenda.CodeForeignOrganisation {
			t.Fatalf("foreign push: %+v", er)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM applied_ops WHERE organisation_id = $1", a.org); n != appliedA {
		t.Fatalf("foreign push applied %d ops", n-appliedA)
	}
	if n := count(t, db, "SELECT count(*) FROM usagers WHERE organisation_id = $1", a.org); n != 1 {
		t.Fatalf("A has %d usagers", n)
	}

	// Pulls: each reads its own organisation, even with the other's cursor.
	feedA, cursorA := pullAll(t, []string{base}, a.token, "", 3, len(opsA)+1)
	feedB, _ := pullAll(t, []string{base}, b.token, "", protocol.MaxPull, len(opsB))
	if len(feedA) != len(opsA)+1 || len(feedB) != len(opsB) {
		t.Fatalf("feeds: A %d changes (want %d), B %d (want %d)", len(feedA), len(opsA)+1, len(feedB), len(opsB))
	}
	idsA := map[string]bool{}
	for _, c := range feedA {
		idsA[c.EntityID] = true
	}
	for _, c := range feedB {
		if idsA[c.EntityID] || !strings.Contains(string(c.Payload), b.org) && c.Entity != protocol.EntityOrganisation {
			t.Fatalf("B reads %s %s", c.Entity, c.EntityID)
		}
	}
	var fromA protocol.PullReply
	if st, er := call(t, http.MethodGet, base+protocol.PathPull+"?cursor=", b.token, nil, &fromA); st != http.StatusOK {
		t.Fatalf("pull: %d %+v", st, er)
	}
	var withA protocol.PullReply
	if st, er := call(t, http.MethodGet, base+protocol.PathPull+"?cursor="+cursorA, b.token, nil, &withA); st != http.StatusOK {
		t.Fatalf("pull with A's cursor: %d %+v", st, er)
	}
	for _, c := range withA.Changes {
		if idsA[c.EntityID] {
			t.Fatalf("A's change read with A's cursor by B: %+v", c)
		}
	}

	// Every protocol endpoint: no token, a bad token, a revoked office.
	if _, err := s.RevokeOffice(context.Background(), b.id); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		token  string
		status int
		code   agenda.Code
	}{{"", 401, agenda.CodeTokenMissing}, {"pas-un-jeton", 401, agenda.CodeTokenUnknown}, {a.token + "x", 401, agenda.CodeTokenUnknown},
		{b.token, 403, agenda.CodeOfficeRevoked}} {
		for _, ep := range []struct{ method, path string }{{http.MethodPost, protocol.PathPush}, {http.MethodGet, protocol.PathPull}} {
			var body any
			if ep.method == http.MethodPost {
				body = protocol.Push{Version: protocol.Version, Ops: []protocol.Op{b.usagerOp(t, "Révoqué")}}
			}
			st, er := call(t, ep.method, base+ep.path, tc.token, body, nil)
			if st != tc.status || er.Error.Code != tc.code || er.Error.Message == "" {
				t.Errorf("%s %s with token %q: %d %+v, want %d %s", ep.method, ep.path, tc.token, st, er, tc.status, tc.code)
			}
		}
	}
	if n := count(t, db, "SELECT count(*) FROM usagers WHERE organisation_id = $1", b.org); n != 1 {
		t.Fatalf("a revoked office wrote: %d usagers", n)
	}
	// Health, readiness and metrics carry no organisation's data and need no token.
	for _, p := range []string{protocol.PathHealth, protocol.PathReady, protocol.PathMetrics} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		if strings.Contains(string(body), "Usager0") || strings.Contains(string(body), "example.org") || strings.Contains(string(body), a.org) {
			t.Fatalf("%s shows personal or organisation data", p)
		}
		if p == protocol.PathMetrics && (!strings.Contains(string(body), `rdv_central_ops_total{result="accepted"}`) ||
			!strings.Contains(string(body), "rdv_central_request_duration_seconds_bucket")) {
			t.Fatalf("metrics:\n%s", body)
		}
	}
}

// Malformed requests are refused with a code and nothing is applied.
func TestRefusals(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	o, ops := newOffice(t, s, nil, 0)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     agenda.Code
	}{
		{"not json", "POST", protocol.PathPush, "{", 400, agenda.CodeSyncUnreadable},
		{"version", "POST", protocol.PathPush, `{"version": 9, "office": "", "ops": []}`, 400, agenda.CodeSyncVersion},
		{"too large", "POST", protocol.PathPush, `{"version": 1, "office": "` + strings.Repeat("x", protocol.MaxBody) + `", "ops": []}`, 413, agenda.CodeBodyTooLarge},
		{"cursor", "GET", protocol.PathPull + "?cursor=!!!", "", 400, agenda.CodeCursorInvalid},
		{"cursor2", "GET", protocol.PathPull + "?cursor=eHl6", "", 400, agenda.CodeCursorInvalid},
		{"limit", "GET", protocol.PathPull + "?limit=1001", "", 400, agenda.CodeLimitInvalid},
		{"method", "GET", protocol.PathPush, "", 405, agenda.CodeMethodNotAllowed},
		{"route", "GET", "/v1/autre", "", 404, agenda.CodeRouteUnknown},
	} {
		req, _ := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer "+o.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var er protocol.ErrorReply
		json.NewDecoder(resp.Body).Decode(&er)
		resp.Body.Close()
		if resp.StatusCode != tc.status || er.Error.Code != tc.code {
			t.Errorf("%s: %d %+v, want %d %s", tc.name, resp.StatusCode, er, tc.status, tc.code)
		}
	}
	// A batch with one malformed op is refused whole.
	bad := ops[1]
	bad.Payload = []byte(`{"id": "x"}`)
	st, _, er := push(t, base, o.token, []protocol.Op{ops[0], bad})
	if st != 400 || er.Error.Code != agenda.CodeSyncPayloadInvalid {
		t.Fatalf("malformed batch: %d %+v", st, er)
	}
	if n := count(t, sqlPool(t, dsn), "SELECT count(*) FROM applied_ops"); n != 0 {
		t.Fatalf("%d ops applied from a refused batch", n)
	}
}

// Rate limit per token: past the burst, 429 with Retry-After; another token is not slowed.
func TestRateLimit(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s := openStore(t, dsn)
	ts := httptest.NewServer(New(Config{Store: s, Rate: 1, Burst: 3}))
	defer ts.Close()
	a, _ := newOffice(t, s, nil, 0)
	b, _ := newOffice(t, s, nil, 0)
	var last int
	for range 4 {
		last, _ = call(t, http.MethodGet, ts.URL+protocol.PathPull, a.token, nil, nil)
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("4th request in a burst of 3: %d", last)
	}
	if st, _ := call(t, http.MethodGet, ts.URL+protocol.PathPull, b.token, nil, nil); st != http.StatusOK {
		t.Fatalf("another token: %d", st)
	}
}

// Two offices of one organisation push a booking of the same slot at once: one is accepted, the
// other is rejected with slot_taken, and the feed has one RDV. A booking onto an en_ligne plage
// is refused with canal_en_ligne; a stale settings edit with conflict.
func TestTwoOfficesOneSlot(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	x, ops := newOffice(t, s, nil, 2)
	mustPush(t, base, x.token, ops)
	y, _ := newOffice(t, s, x, 0)
	for round := range 5 {
		start := at(day.AddDays(7*round), 10, 0)
		bx, _ := x.book(t, start, 0)
		by, _ := y.book(t, start, 1)
		var wg sync.WaitGroup
		results := make([]protocol.Result, 2)
		for i, c := range []struct {
			o  *office
			op protocol.Op
		}{{x, bx}, {y, by}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, reply, er := push(t, base, c.o.token, []protocol.Op{c.op})
				if st != http.StatusOK {
					t.Errorf("push: %d %+v", st, er)
					return
				}
				results[i] = reply.Results[0]
			}()
		}
		wg.Wait()
		if results[0].Accepted == results[1].Accepted {
			t.Fatalf("round %d: %+v", round, results)
		}
		for _, r := range results {
			if !r.Accepted && r.Code != agenda.CodeSlotTaken {
				t.Fatalf("round %d: loser %+v", round, r)
			}
		}
	}
	db := sqlPool(t, dsn)
	if n := count(t, db, "SELECT count(*) FROM rdvs"); n != 5 {
		t.Fatalf("%d RDVs", n)
	}
	online, _ := x.book(t, at(day, 14, 30), 0)
	st, reply, er := push(t, base, x.token, []protocol.Op{online})
	if st != 200 || reply.Results[0].Accepted || reply.Results[0].Code != agenda.CodeCanalEnLigne {
		t.Fatalf("book on an en_ligne plage: %d %+v %+v", st, er, reply)
	}
	// A move onto the en_ligne plage is refused too; onto a free guichet slot accepted.
	b, r := x.book(t, at(day, 11, 0), 0)
	mustPush(t, base, x.token, []protocol.Op{b})
	moved := r
	moved.StartsAt, moved.EndsAt, moved.Version = at(day, 15, 0), at(day, 15, 30), 2
	mv := mkop(t, x.org, protocol.EntityRdv, protocol.OpMove, r.ID, 1, protocol.FromRdv(moved))
	if _, reply, _ := push(t, base, x.token, []protocol.Op{mv}); reply.Results[0].Code != agenda.CodeCanalEnLigne {
		t.Fatalf("move onto en_ligne: %+v", reply)
	}
	moved.StartsAt, moved.EndsAt = at(day, 11, 30), at(day, 12, 0)
	mv = mkop(t, x.org, protocol.EntityRdv, protocol.OpMove, r.ID, 1, protocol.FromRdv(moved))
	if reply := mustPush(t, base, x.token, []protocol.Op{mv}); reply.Results[0].NewVersion != 2 {
		t.Fatalf("move: %+v", reply)
	}
	// Cancelling with a stale base version: conflict; with the right one: accepted.
	cancelled := moved
	cancelled.Version = 2
	now := time.Now().UTC().Truncate(time.Millisecond)
	cancelled.SetStatus(agenda.StatusRevoked, now)
	stale := mkop(t, x.org, protocol.EntityRdv, protocol.OpStatus, r.ID, 1, protocol.FromRdv(cancelled))
	if _, reply, _ := push(t, base, x.token, []protocol.Op{stale}); reply.Results[0].Code != agenda.CodeConflict {
		t.Fatalf("stale status: %+v", reply)
	}
	cancelled.Version = 3
	mustPush(t, base, x.token, []protocol.Op{mkop(t, x.org, protocol.EntityRdv, protocol.OpStatus, r.ID, 2, protocol.FromRdv(cancelled))})
	if n := count(t, db, "SELECT count(*) FROM rdv_agents WHERE rdv_id = $1 AND NOT active", r.ID); n != 1 {
		t.Fatalf("cancelled RDV still holds its slot")
	}
	// Both offices edit the lieu from version 1: the second is stale.
	edit := func(name string) protocol.Op {
		return mkop(t, x.org, protocol.EntityLieu, protocol.OpUpsert, x.lieu, 1, protocol.FromLieu(agenda.Lieu{ID: x.lieu, OrganisationID: x.org,
			Name: name, Street: "1 place", PostalCode: "75001", City: "Paris", Enabled: true}))
	}
	mustPush(t, base, x.token, []protocol.Op{edit("Mairie centrale")})
	if _, reply, _ := push(t, base, y.token, []protocol.Op{edit("Mairie principale")}); reply.Results[0].Code != agenda.CodeConflict {
		t.Fatalf("stale lieu edit: %+v", reply)
	}
}

// Two server processes (two pools, two HTTP servers) on one database serve one office
// alternately: pushes and replays on either give the same results, and the feed read page by
// page across both, with the cursors of either, holds every change once, in order.
func TestTwoProcesses(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s1, base1 := central(t, dsn)
	_, base2 := central(t, dsn)
	bases := []string{base1, base2}
	o, ops := newOffice(t, s1, nil, 0)
	mustPush(t, base2, o.token, ops)
	var all []protocol.Op
	var firsts []protocol.PushReply
	for i := range 6 {
		batch := []protocol.Op{o.usagerOp(t, "U"), o.usagerOp(t, "V")}
		b, _ := o.book(t, at(day.AddDays(i), 9, 0), len(o.usagers)-1)
		batch = append(batch, b)
		firsts = append(firsts, mustPush(t, bases[i%2], o.token, batch))
		all = append(all, batch...)
	}
	for i := range 6 { // replay every batch on the other process
		st, again, er := push(t, bases[(i+1)%2], o.token, all[3*i:3*i+3])
		if st != 200 || !reflect.DeepEqual(again, firsts[i]) {
			t.Fatalf("replay on the other process: %d %+v %+v", st, er, again)
		}
	}
	feed, cursor := pullAll(t, bases, o.token, "", 4, len(ops)+len(all))
	if len(feed) != len(ops)+len(all) {
		t.Fatalf("feed: %d changes, want %d", len(feed), len(ops)+len(all))
	}
	seen := map[string]bool{}
	for i, c := range feed {
		key := string(c.Entity) + c.EntityID + string(c.Kind)
		if seen[key] {
			t.Fatalf("change %d read twice: %s", i, key)
		}
		seen[key] = true
		if _, err := protocol.Decode(protocol.Op{ID: newID(), OrganisationID: o.org, Entity: c.Entity, EntityID: c.EntityID, Kind: c.Kind,
			Payload: c.Payload, BaseVersion: max(c.Version-1, 0)}); err != nil {
			t.Fatalf("change %d does not decode: %v", i, err)
		}
	}
	for _, op := range all {
		if !seen[string(op.Entity)+op.EntityID+string(op.Kind)] {
			t.Fatalf("op %s missing from the feed", op.ID)
		}
	}
	// Nothing more after the last cursor, on either process.
	for _, b := range bases {
		var reply protocol.PullReply
		call(t, http.MethodGet, b+protocol.PathPull+"?cursor="+cursor, o.token, nil, &reply)
		if len(reply.Changes) != 0 || reply.More || reply.Cursor != cursor {
			t.Fatalf("after the end: %+v", reply)
		}
	}
	offices, err := s1.ListOffices(context.Background())
	if err != nil || len(offices) != 1 || offices[0].LastPushAt == nil || offices[0].LastPullAt == nil || offices[0].Placeholder {
		t.Fatalf("offices: %+v %v", offices, err)
	}
}

// Cursors are opaque and round-trip.
func TestCursor(t *testing.T) {
	for _, c := range []pgstore.Cursor{{}, {Txid: 1, Seq: 0}, {Txid: 1 << 60, Seq: 42}} {
		got, err := DecodeCursor(EncodeCursor(c))
		if err != nil || got != c {
			t.Errorf("%+v → %q → %+v %v", c, EncodeCursor(c), got, err)
		}
	}
	for _, bad := range []string{"x", "MTIz", "YS5i", "LTEuMg"} {
		if _, err := DecodeCursor(bad); agenda.CodeOf(err) != agenda.CodeCursorInvalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if !slices.Equal([]byte(EncodeCursor(pgstore.Cursor{Txid: 7, Seq: 9})), []byte("Ny45")) {
		t.Errorf("%q", EncodeCursor(pgstore.Cursor{Txid: 7, Seq: 9}))
	}
}
