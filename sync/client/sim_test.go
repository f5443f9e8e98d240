package client_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/client/clienttest"
	"rdvguichet/sync/protocol"
)

// lossy is a deterministic transport between the office and the fake central: it drops
// requests before or after the central handled them, answers 503, duplicates requests, and
// holds some requests back to deliver them again later (a late duplicate, after the office has
// moved on). Its choices come from the seeded rng; the client calls it from one goroutine.
type lossy struct {
	h      http.Handler
	rng    *rand.Rand
	healed bool
	late   []*http.Request
	stats  map[string]int
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "simulated timeout" }
func (timeoutErr) Timeout() bool { return true }

func (l *lossy) serve(req *http.Request, body []byte) *httptest.ResponseRecorder {
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	l.h.ServeHTTP(rec, r)
	return rec
}

func (l *lossy) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	if l.healed {
		return l.serve(req, body).Result(), nil
	}
	// A request held back earlier arrives now, long after its office gave up on it.
	if len(l.late) > 0 && l.rng.IntN(3) == 0 {
		old := l.late[0]
		l.late = l.late[1:]
		oldBody, _ := io.ReadAll(old.Body)
		l.serve(old, oldBody)
		l.stats["late delivered"]++
	}
	x := l.rng.IntN(100)
	switch {
	case x < 10:
		l.stats["dropped before"]++
		return nil, errors.New("connection reset (simulated, before the central)")
	case x < 20:
		l.serve(req, body)
		l.stats["dropped after"]++
		return nil, errors.New("connection reset (simulated, after the central applied)")
	case x < 26:
		l.serve(req, body)
		l.stats["duplicated"]++
		return l.serve(req, body).Result(), nil
	case x < 32:
		held := req.Clone(context.Background())
		held.Body = io.NopCloser(bytes.NewReader(body))
		l.late = append(l.late, held)
		l.stats["delayed (timeout)"]++
		return nil, timeoutErr{}
	case x < 36:
		l.stats["503"]++
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusServiceUnavailable)
		return rec.Result(), nil
	}
	return l.serve(req, body).Result(), nil
}

// TestSimulation runs a few hundred random local changes, central-side changes (online bookings
// and cancellations, new usagers) and sync rounds over a lossy transport, then heals the
// transport and checks: every local op was acked and applied exactly once at the central, none
// was refused, and the office holds exactly the central's rows at the central's versions.
// SYNC_SIM_SEED=n replays one seed; SYNC_SIM_STEPS changes the length.
func TestSimulation(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4}
	if s := os.Getenv("SYNC_SIM_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		seeds = []uint64{n}
	}
	steps := 300
	if s := os.Getenv("SYNC_SIM_STEPS"); s != "" {
		steps, _ = strconv.Atoi(s)
	}
	if testing.Short() {
		steps = 80
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("replay: SYNC_SIM_SEED=%d SYNC_SIM_STEPS=%d go test -run TestSimulation ./sync/client/", seed, steps)
				}
			}()
			simulate(t, seed, steps)
		})
	}
}

func simulate(t *testing.T, seed uint64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	o := newOffice(t)
	c := clienttest.New(token)
	tr := &lossy{h: c, rng: rng, stats: map[string]int{}}
	cl := &client.Client{BaseURL: "http://central.test", Token: token, HTTP: &http.Client{Transport: tr}, DB: o.db, Clock: o.clock,
		BatchSize: 7, PageSize: 5}
	org := o.org.ID
	// The central sells its slots on its own guichet: online bookings never overlap the office's.
	webAgent := ok(o.db.SaveAgent(ctx, agenda.Agent{OrganisationID: org, Kind: agenda.KindGuichet, Name: "Guichet en ligne", Active: true}))
	newID := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		u, _ := uuid.FromBytes(b[:])
		u[6] = (u[6] & 0x0f) | 0x70
		u[8] = (u[8] & 0x3f) | 0x80
		return u.String()
	}
	usagers := []string{o.usager.ID}
	var localRdvs, absences []string
	type onlineRdv struct {
		w         protocol.RdvV1
		cancelled bool
	}
	var online []*onlineRdv
	var webUsagers []string
	slot := func() time.Time {
		day := rng.IntN(10)
		if wd := monday.AddDays(day).Weekday(); wd == time.Saturday || wd == time.Sunday {
			day -= 2
		}
		return at(day, 9+rng.IntN(7), 30*rng.IntN(2))
	}
	allowed := map[agenda.Code]bool{agenda.CodeUnavailable: true, agenda.CodeSyncReplyInvalid: true}
	rounds, failed := 0, 0
	for step := range steps {
		switch k := rng.IntN(20); {
		case k < 3:
			u := ok(o.db.SaveUsager(ctx, agenda.Usager{OrganisationID: org, FirstName: "Usager", LastName: "N" + strconv.Itoa(step), Phone: "+3361234" + fmt.Sprintf("%04d", step)}))
			usagers = append(usagers, u.ID)
		case k < 5:
			u := ok(o.db.GetUsager(ctx, usagers[rng.IntN(len(usagers))]))
			u.Email = fmt.Sprintf("u%d@example.fr", step)
			ok(o.db.SaveUsager(ctx, u))
		case k < 9:
			agent := []string{o.agent.ID, o.guichet.ID}[rng.IntN(2)]
			r, err := o.db.Book(ctx, bookReq(o, agent, slot(), usagers[rng.IntN(len(usagers))]))
			if err == nil {
				localRdvs = append(localRdvs, r.ID)
			}
		case k < 11 && len(localRdvs) > 0:
			o.db.Move(ctx, localRdvs[rng.IntN(len(localRdvs))], slot(), "", agenda.ByAgent(o.agent.ID), false)
		case k < 12 && len(localRdvs) > 0:
			o.db.Cancel(ctx, localRdvs[rng.IntN(len(localRdvs))], agenda.ByAgent(o.agent.ID), rng.IntN(2) == 0)
		case k < 13:
			if len(absences) > 0 && rng.IntN(2) == 0 {
				i := rng.IntN(len(absences))
				if err := o.db.DeleteAbsence(ctx, absences[i]); err != nil {
					t.Fatal(err)
				}
				absences = append(absences[:i], absences[i+1:]...)
			} else {
				d := monday.AddDays(rng.IntN(20))
				a := ok(o.db.SaveAbsence(ctx, agenda.Absence{OrganisationID: org, AgentID: o.guichet.ID, Title: "Absence " + strconv.Itoa(step),
					FirstDay: d, EndDay: d, Start: agenda.Clk(13, 0), End: agenda.Clk(14, 0)}))
				absences = append(absences, a.ID)
			}
		case k < 15:
			// At the central: an usager books online (a new usager each time), or cancels.
			if len(online) > 0 && rng.IntN(3) == 0 {
				r := online[rng.IntN(len(online))]
				if !r.cancelled {
					r.cancelled = true
					r.w.Status, r.w.Participations[0].Status = "excused", "excused"
					when := o.clock.Now().UTC().Truncate(time.Millisecond)
					r.w.CancelledAt = &when
					r.w.Version = c.Put(protocol.EntityRdv, protocol.OpStatus, org, r.w.ID, r.w)
				}
				continue
			}
			u := protocol.UsagerV1{ID: newID(), OrganisationID: org, FirstName: "Internaute", LastName: "W" + strconv.Itoa(step), Email: fmt.Sprintf("w%d@example.fr", step), NotifyEmail: true}
			c.Put(protocol.EntityUsager, protocol.OpUpsert, org, u.ID, u)
			webUsagers = append(webUsagers, u.ID)
			start := at(rng.IntN(10), 9, 0).Add(time.Duration(len(online)) * 30 * time.Minute)
			w := protocol.RdvV1{ID: newID(), OrganisationID: org, MotifID: o.motif.ID, LieuID: o.lieu.ID, AgentIDs: []string{webAgent.ID},
				StartsAt: start, EndsAt: start.Add(30 * time.Minute), Status: "unknown",
				Participations: []protocol.ParticipationV1{{UsagerID: u.ID, Status: "unknown"}}, Origine: "en_ligne", Version: 1}
			w.Version = c.Put(protocol.EntityRdv, protocol.OpBook, org, w.ID, w)
			online = append(online, &onlineRdv{w: w})
		default:
			rounds++
			if _, err := cl.Round(ctx); err != nil {
				failed++
				if !allowed[agenda.CodeOf(err)] {
					t.Fatalf("step %d: round failed with %s: %v", step, agenda.CodeOf(err), err)
				}
			}
		}
	}
	// Heal: the held-back requests arrive, then rounds run until nothing is left to do.
	for _, r := range tr.late {
		b, _ := io.ReadAll(r.Body)
		tr.serve(r, b)
	}
	tr.healed = true
	for i := 0; ; i++ {
		rep, err := cl.Round(ctx)
		if err != nil {
			t.Fatalf("healed round: %v", err)
		}
		if rep.Pushed == 0 && rep.Pulled == 0 && o.pending(t) == 0 {
			break
		}
		if i > 10 {
			t.Fatalf("no convergence after %d healed rounds: %+v", i, rep)
		}
	}
	t.Logf("%d steps, %d rounds (%d failed), transport %v, %d ops, %d central rows", steps, rounds, failed, tr.stats, o.outboxTotal(t), len(c.Live()))

	// Every local op acked, applied exactly once at the central; none refused.
	if rej := ok(o.db.RejectedOutbox(ctx, 0)); len(rej) != 0 {
		t.Fatalf("refused ops: %+v", rej)
	}
	acked := ok(o.db.OutboxByState(ctx, "acked", 1000000))
	apps := c.Applications()
	if len(acked) != len(apps) {
		t.Errorf("%d ops acked, %d applied at the central", len(acked), len(apps))
	}
	for _, op := range acked {
		if apps[op.OpID] != 1 {
			t.Errorf("op %s (%s %s) applied %d times", op.OpID, op.Entity, op.Op, apps[op.OpID])
		}
	}
	if st := ok(o.db.SyncStatus(ctx)); st.Conflicts != 0 || st.Deferred != 0 || st.Pending != 0 {
		t.Errorf("status %+v", st)
	}
	checkConverged(t, o, c)
}

func bookReq(o *office, agent string, start time.Time, usager string) (r store.BookRequest) {
	r.MotifID, r.LieuID, r.AgentID, r.Start, r.Usagers, r.By = o.motif.ID, o.lieu.ID, agent, start, []string{usager}, agenda.ByAgent(o.agent.ID)
	return r
}

var tables = map[protocol.Entity]string{
	protocol.EntityOrganisation: "organisations", protocol.EntityLieu: "lieux", protocol.EntityAgent: "agents",
	protocol.EntityMotif: "motifs", protocol.EntityPlage: "plages_ouverture", protocol.EntityAbsence: "absences",
	protocol.EntityUsager: "usagers", protocol.EntityRdv: "rdvs",
}

// checkConverged compares the office's rows with the central's: same rows, same versions, same
// wire form.
func checkConverged(t *testing.T, o *office, c *clienttest.Central) {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+o.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	live := map[protocol.Entity]int{}
	for _, k := range c.Live() {
		table := tables[k.Entity]
		if table == "" {
			continue
		}
		live[k.Entity]++
		row := c.Rows()[k]
		var version int
		if err := raw.QueryRow("SELECT version FROM "+table+" WHERE id = ?", k.ID).Scan(&version); err != nil {
			t.Errorf("%s %s: missing at the office (%v)", k.Entity, k.ID, err)
			continue
		}
		if version != row.Version {
			t.Errorf("%s %s: version %d at the office, %d at the central", k.Entity, k.ID, version, row.Version)
		}
		var local any
		switch k.Entity {
		case protocol.EntityOrganisation:
			local = protocol.FromOrganisation(ok(o.db.GetOrganisation(ctx, k.ID)))
		case protocol.EntityLieu:
			local = protocol.FromLieu(ok(o.db.GetLieu(ctx, k.ID)))
		case protocol.EntityAgent:
			local = protocol.FromAgent(ok(o.db.GetAgent(ctx, k.ID)))
		case protocol.EntityMotif:
			m := protocol.FromMotif(ok(o.db.GetMotif(ctx, k.ID)))
			if len(m.Pieces) == 0 {
				m.Pieces = nil // the store reads no pieces as [], the wire wrote null: the same list
			}
			local = m
		case protocol.EntityPlage:
			local = protocol.FromPlage(ok(o.db.GetPlage(ctx, k.ID)))
		case protocol.EntityAbsence:
			local = protocol.FromAbsence(ok(o.db.GetAbsence(ctx, k.ID)))
		case protocol.EntityUsager:
			local = protocol.FromUsager(ok(o.db.GetUsager(ctx, k.ID)))
		case protocol.EntityRdv:
			local = protocol.FromRdv(ok(o.db.GetRdv(ctx, k.ID)))
		}
		typ := protocol.PayloadType(k.Entity, row.Kind)
		want := reflect.New(typ).Interface()
		if err := json.Unmarshal(row.Payload, want); err != nil {
			t.Fatal(err)
		}
		if !sameJSON(t, local, reflect.ValueOf(want).Elem().Interface()) {
			t.Errorf("%s %s differs", k.Entity, k.ID)
		}
	}
	for e, table := range tables {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != live[e] {
			t.Errorf("%s: %d rows at the office, %d at the central", e, n, live[e])
		}
	}
}
