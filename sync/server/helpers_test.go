package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server/pgstore"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// openStore opens a store on dsn (one pool: one « process »), closed at the end.
func openStore(t testing.TB, dsn string) *pgstore.Store {
	t.Helper()
	return openStoreAt(t, dsn, clock.System{})
}

// openStoreAt is openStore with the store's clock.
func openStoreAt(t testing.TB, dsn string, clk agenda.Clock) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dsn, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// sqlPool is a direct connection to the test database, for counting rows.
func sqlPool(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func count(t testing.TB, p *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := p.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// office is an office's organisation as its outbox describes it: the ids of its settings, and
// the ops it has to push.
type office struct {
	org, lieu, agent, motif, plageEnLigne string
	usagers                               []string
	token                                 string
	id                                    string
}

// day is a Tuesday well in the future: no rule of time gets in the way.
var day = agenda.Date{Year: 2031, Month: time.March, Day: 4}

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

func at(d agenda.Date, h, m int) time.Time { return d.At(agenda.Clk(h, m), paris).UTC() }

func mkop(t testing.TB, org string, entity protocol.Entity, kind protocol.OpKind, id string, base int, wire any) protocol.Op {
	t.Helper()
	payload, err := protocol.Encode(entity, kind, org, id, wire)
	if err != nil {
		t.Fatalf("encode %s %s: %v", entity, kind, err)
	}
	return protocol.Op{ID: newID(), OrganisationID: org, Entity: entity, EntityID: id, Kind: kind, Payload: payload,
		BaseVersion: base, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
}

// newOffice registers an office of a new organisation (or of org when set) and returns it with
// the ops that create its settings and n usagers (for a second office of one organisation:
// settings false, it shares the first's ids).
func newOffice(t testing.TB, s *pgstore.Store, from *office, n int) (*office, []protocol.Op) {
	t.Helper()
	o := &office{org: newID(), lieu: newID(), agent: newID(), motif: newID(), plageEnLigne: newID()}
	if from != nil {
		c := *from
		o = &c
	}
	of, token, err := s.AddOffice(context.Background(), o.org, "Bureau "+o.org[len(o.org)-4:])
	if err != nil {
		t.Fatal(err)
	}
	o.token, o.id = token, of.ID
	if from != nil {
		return o, nil
	}
	var ops []protocol.Op
	ops = append(ops, mkop(t, o.org, protocol.EntityOrganisation, protocol.OpUpsert, o.org, 0, protocol.FromOrganisation(agenda.Organisation{
		ID: o.org, Name: "Mairie de Test", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}})))
	ops = append(ops, mkop(t, o.org, protocol.EntityLieu, protocol.OpUpsert, o.lieu, 0, protocol.FromLieu(agenda.Lieu{
		ID: o.lieu, OrganisationID: o.org, Name: "Mairie", Street: "1 place", PostalCode: "75001", City: "Paris", Enabled: true})))
	ops = append(ops, mkop(t, o.org, protocol.EntityAgent, protocol.OpUpsert, o.agent, 0, protocol.FromAgent(agenda.Agent{
		ID: o.agent, OrganisationID: o.org, Kind: agenda.KindGuichet, Name: "Guichet 1", Active: true})))
	ops = append(ops, mkop(t, o.org, protocol.EntityMotif, protocol.OpUpsert, o.motif, 0, protocol.FromMotif(agenda.Motif{
		ID: o.motif, OrganisationID: o.org, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30, LocationType: agenda.PublicOffice,
		MaxPublicDelay: 90 * 24 * time.Hour, BookableOnline: true})))
	weekdays := agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	guichet := newID()
	ops = append(ops, mkop(t, o.org, protocol.EntityPlage, protocol.OpUpsert, guichet, 0, protocol.FromPlage(agenda.PlageOuverture{
		ID: guichet, OrganisationID: o.org, AgentID: o.agent, LieuID: o.lieu, Title: "Matin", MotifIDs: []string{o.motif},
		FirstDay: day.AddDays(-1), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Recurrence: weekdays, Canal: agenda.CanalGuichet})))
	ops = append(ops, mkop(t, o.org, protocol.EntityPlage, protocol.OpUpsert, o.plageEnLigne, 0, protocol.FromPlage(agenda.PlageOuverture{
		ID: o.plageEnLigne, OrganisationID: o.org, AgentID: o.agent, LieuID: o.lieu, Title: "En ligne", MotifIDs: []string{o.motif},
		FirstDay: day.AddDays(-1), Start: agenda.Clk(14, 0), End: agenda.Clk(16, 0), Recurrence: weekdays, Canal: agenda.CanalEnLigne})))
	for i := range n {
		ops = append(ops, o.usagerOp(t, fmt.Sprintf("Usager%d", i)))
	}
	return o, ops
}

func (o *office) usagerOp(t testing.TB, first string) protocol.Op {
	id := newID()
	o.usagers = append(o.usagers, id)
	return mkop(t, o.org, protocol.EntityUsager, protocol.OpUpsert, id, 0, protocol.FromUsager(agenda.Usager{
		ID: id, OrganisationID: o.org, FirstName: first, LastName: "Test", Phone: "+33612345678", Email: first + "@example.org"}))
}

// book is the op of an RDV booked at the office at start with usager u.
func (o *office) book(t testing.TB, start time.Time, u int) (protocol.Op, agenda.Rdv) {
	r := agenda.Rdv{ID: newID(), OrganisationID: o.org, MotifID: o.motif, LieuID: o.lieu, AgentIDs: []string{o.agent},
		StartsAt: start, EndsAt: start.Add(30 * time.Minute), Status: agenda.StatusUnknown, DocumentsNumber: 1,
		Participations: []agenda.Participation{{UsagerID: o.usagers[u], Status: agenda.StatusUnknown}},
		Origine:        agenda.OrigineGuichet, CreatedBy: agenda.ByAgent(o.agent).String(), Version: 1}
	return mkop(t, o.org, protocol.EntityRdv, protocol.OpBook, r.ID, 0, protocol.FromRdv(r)), r
}

// call sends a request and decodes a 200 answer into out, or an ErrorReply.
func call(t testing.TB, method, url, token string, body any, out any) (int, protocol.ErrorReply) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var er protocol.ErrorReply
	if resp.StatusCode == http.StatusOK {
		if out != nil {
			if err := json.Unmarshal(data, out); err != nil {
				t.Fatalf("%s %s: %v in %s", method, url, err, data)
			}
		}
	} else if err := json.Unmarshal(data, &er); err != nil {
		t.Fatalf("%s %s: status %d, body %q", method, url, resp.StatusCode, data)
	}
	return resp.StatusCode, er
}

func push(t testing.TB, base, token string, ops []protocol.Op) (int, protocol.PushReply, protocol.ErrorReply) {
	t.Helper()
	var reply protocol.PushReply
	st, er := call(t, http.MethodPost, base+protocol.PathPush, token, protocol.Push{Version: protocol.Version, Office: "test", Ops: ops}, &reply)
	return st, reply, er
}

// mustPush pushes ops and fails unless every op is accepted.
func mustPush(t testing.TB, base, token string, ops []protocol.Op) protocol.PushReply {
	t.Helper()
	st, reply, er := push(t, base, token, ops)
	if st != http.StatusOK {
		t.Fatalf("push: %d %+v", st, er)
	}
	for i, r := range reply.Results {
		if !r.Accepted || r.OpID != ops[i].ID {
			t.Fatalf("op %d (%s %s) not accepted: %+v", i, ops[i].Entity, ops[i].Kind, r)
		}
	}
	return reply
}

// feedSize is how many changes organisation org has at the central: what a pull from the start
// must wait for.
func feedSize(t testing.TB, p *pgxpool.Pool, org string) int {
	t.Helper()
	return count(t, p, "SELECT count(*) FROM changes WHERE organisation_id = $1", org)
}

// pullAll reads the feed from cursor, page by page, alternating between bases, until it has read
// want changes (an office pulls again later: the feed shows a change only once no older
// transaction of the cluster is still running, and other tests run transactions meanwhile).
func pullAll(t testing.TB, bases []string, token, cursor string, limit, want int) ([]protocol.Change, string) {
	t.Helper()
	var all []protocol.Change
	deadline := time.Now().Add(15 * time.Second)
	for i := 0; ; i++ {
		var reply protocol.PullReply
		url := fmt.Sprintf("%s%s?cursor=%s&limit=%d", bases[i%len(bases)], protocol.PathPull, cursor, limit)
		if st, er := call(t, http.MethodGet, url, token, nil, &reply); st != http.StatusOK {
			t.Fatalf("pull: %d %+v", st, er)
		}
		all = append(all, reply.Changes...)
		cursor = reply.Cursor
		if !reply.More && len(all) >= want {
			return all, cursor
		}
		if !reply.More {
			if time.Now().After(deadline) {
				t.Fatalf("pull: %d changes, want %d", len(all), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
