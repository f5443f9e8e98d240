// Package sim is the deterministic simulation of issue 11: three offices (each its own SQLite
// file and sync/client) and two central processes (sync/server handlers, each with its own
// pgstore.Store) over one PostgreSQL database, joined by an in-process transport that drops,
// duplicates, delays and reorders requests and restarts the central processes, all driven by
// one seeded PRNG. Thousands of random bookings, moves, cancellations and status changes at the
// offices and online at the central, then healing, then the checks (check.go). It needs a
// PostgreSQL (RDV_TEST_PG) and skips without one.
//
//	SYNC_SIM_SEED=n     replays one seed (printed on failure)
//	SYNC_SIM_STEPS=n    the number of random steps per seed (default 700)
//	SYNC_SIM_SEEDS=n    runs seeds 1..n (default 2)
package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/server"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"

	_ "modernc.org/sqlite"
)

func TestSimulation(t *testing.T) {
	testkit.DSN(t)
	seeds := []uint64{1, 2}
	if s := os.Getenv("SYNC_SIM_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SYNC_SIM_SEEDS=%q", s)
		}
		seeds = nil
		for i := 1; i <= n; i++ {
			seeds = append(seeds, uint64(i))
		}
	}
	if s := os.Getenv("SYNC_SIM_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		seeds = []uint64{n}
	}
	steps := 700
	if testing.Short() {
		steps = 300
	}
	if s := os.Getenv("SYNC_SIM_STEPS"); s != "" {
		steps, _ = strconv.Atoi(s)
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("seed %d failed; replay: SYNC_SIM_SEED=%d SYNC_SIM_STEPS=%d go test -count=1 -run TestSimulation ./sync/sim/", seed, seed, steps)
				}
			}()
			simulate(t, testkit.FreshDB(t), seed, steps)
		})
	}
}

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// monday is Monday 2 March 2026 (no holiday for weeks); the simulation starts at 07:00 Paris.
var monday = agenda.Date{Year: 2026, Month: time.March, Day: 2}

// central is the two « rdv-central » processes: a store (a pool) and a handler each, over one
// database. A restart replaces one of them by a new store and handler.
type central struct {
	t        *testing.T
	dsn      string
	clock    agenda.Clock
	stores   [2]*pgstore.Store
	handlers [2]http.Handler
	batch    [2]int
}

func (c *central) start(i int, batchOps int) {
	s, err := pgstore.Open(context.Background(), c.dsn, c.clock)
	if err != nil {
		c.t.Fatal(err)
	}
	s.SetBatchLimits(batchOps, 0)
	old := c.stores[i]
	c.stores[i], c.handlers[i], c.batch[i] = s, server.New(server.Config{Store: s, Rate: -1, PublicRate: -1}), batchOps
	if old != nil {
		old.Close()
	}
}

func (c *central) close() {
	for _, s := range c.stores {
		if s != nil {
			s.Close()
		}
	}
}

// transport is the network between the offices and the central: every request goes to one of
// the two processes; until healed, a request may be dropped before the central, dropped after
// the central applied it (the office sees a reset), duplicated, held back and delivered later
// (after newer requests: reordered), answered 503 by a proxy, or meet a central that restarts.
// Every choice comes from the seeded rng; everything runs in the test's goroutine.
type transport struct {
	c      *central
	rng    *rand.Rand
	healed bool
	late   []held
	stats  map[string]int
}

type held struct {
	req  *http.Request
	body []byte
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "simulated timeout" }
func (timeoutErr) Timeout() bool { return true }

func (tr *transport) serve(req *http.Request, body []byte) *httptest.ResponseRecorder {
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	tr.c.handlers[tr.rng.IntN(2)].ServeHTTP(rec, r)
	return rec
}

// deliverLate delivers one held request, chosen at random (its answer goes nowhere).
func (tr *transport) deliverLate() {
	i := tr.rng.IntN(len(tr.late))
	h := tr.late[i]
	tr.late = append(tr.late[:i], tr.late[i+1:]...)
	tr.serve(h.req, h.body)
	tr.stats["late delivered"]++
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	if tr.healed {
		return tr.serve(req, body).Result(), nil
	}
	if len(tr.late) > 0 && tr.rng.IntN(4) == 0 {
		tr.deliverLate()
	}
	switch x := tr.rng.IntN(100); {
	case x < 3:
		i := tr.rng.IntN(2)
		tr.c.start(i, 1+tr.rng.IntN(12))
		tr.stats["central restarted"]++
	case x < 12:
		tr.stats["dropped before"]++
		return nil, errors.New("connection reset (simulated, before the central)")
	case x < 22:
		tr.serve(req, body)
		tr.stats["dropped after"]++
		return nil, errors.New("connection reset (simulated, after the central answered)")
	case x < 28:
		tr.serve(req, body)
		tr.stats["duplicated"]++
	case x < 35:
		r := req.Clone(context.Background())
		tr.late = append(tr.late, held{r, body})
		tr.stats["delayed (timeout)"]++
		return nil, timeoutErr{}
	case x < 38:
		tr.stats["503"]++
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusServiceUnavailable)
		return rec.Result(), nil
	}
	return tr.serve(req, body).Result(), nil
}

// office is one office: its file, its client, and the agenda's ids it books with.
type office struct {
	n      int
	path   string
	db     *store.DB
	cl     *client.Client
	rdvs   []string // RDVs this office booked
	usager []string // usagers this office created
}

// world is the organisation the three offices share (created at office 0, pulled by the others).
type world struct {
	org, lieu, motif string
	agents           []string // an agent with a guichet plage and an en_ligne plage, two guichets
	admin            string
	afternoon        string // the agent's 14:00–16:00 plage, en_ligne at first: office 0 moves it between channels
}

// ok returns v, or panics with err (a setup step or a read that must not fail).
func ok[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func simulate(t *testing.T, dsn string, seed uint64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0x5eed5eed))
	clock := clock.NewManual(monday.At(agenda.Clk(7, 0), paris).UTC()) // the offices' and the central's: a few minutes a step
	c := &central{t: t, dsn: dsn, clock: clock}
	c.start(0, 1+rng.IntN(12))
	c.start(1, 1+rng.IntN(12))
	defer c.close()
	tr := &transport{c: c, rng: rng, stats: map[string]int{}}
	dir := t.TempDir()

	// Office 0 creates the organisation's agenda; it goes up over a reliable link, then offices
	// 1 and 2 start from a copy of office 0's file (an office installed from a backup) with their
	// own tokens.
	o0 := &office{n: 0, path: filepath.Join(dir, "office0.sqlite")}
	o0.db = ok(store.Open(o0.path, store.Options{Clock: clock}))
	defer o0.db.Close()
	w := setup(t, o0.db)
	offices := []*office{o0}
	tr.healed = true
	for i := range 3 {
		_, token, err := c.stores[0].AddOffice(ctx, w.org, "Bureau "+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			o := &office{n: i, path: filepath.Join(dir, fmt.Sprintf("office%d.sqlite", i))}
			if err := o0.db.Backup(o.path); err != nil {
				t.Fatal(err)
			}
			o.db = ok(store.Open(o.path, store.Options{Clock: clock}))
			defer o.db.Close()
			offices = append(offices, o)
		}
		o := offices[i]
		o.cl = &client.Client{BaseURL: "http://central.test", Token: token, HTTP: &http.Client{Transport: tr}, DB: o.db, Clock: clock,
			Office: "office-" + strconv.Itoa(i), BatchSize: 3 + rng.IntN(20), PageSize: 4 + rng.IntN(30)}
		if i == 0 {
			if _, err := o.cl.Round(ctx); err != nil {
				t.Fatalf("first sync: %v", err)
			}
		}
	}
	tr.healed = false

	var online []onlineRdv
	var sim stats
	slot := func(from time.Time) time.Time {
		for {
			d := agenda.DateOf(from.In(paris)).AddDays(rng.IntN(8))
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			s := d.At(agenda.Clk(9+rng.IntN(8), 30*rng.IntN(2)), paris).UTC()
			if s.After(from.Add(time.Hour)) {
				return s
			}
		}
	}
	pick := func(ids []string) string { return ids[rng.IntN(len(ids))] }
	by := agenda.ByAgent(w.admin)
	note := func(what string, err error) {
		if err != nil {
			sim.local[what+" refused"]++
		} else {
			sim.local[what]++
		}
	}
	sim.local = map[string]int{}
	for step := range steps {
		clock.Advance(time.Duration(1+rng.IntN(4)) * time.Minute)
		o := offices[rng.IntN(3)]
		now := clock.Now()
		switch k := rng.IntN(24); {
		case k < 2:
			u, err := o.db.SaveUsager(ctx, agenda.Usager{OrganisationID: w.org, FirstName: "Usager", LastName: fmt.Sprintf("B%dN%d", o.n, step),
				Phone: fmt.Sprintf("+3361%07d", step)})
			if err == nil {
				o.usager = append(o.usager, u.ID)
			}
			note("usager", err)
		case k < 3 && len(o.usager) > 0:
			u, err := o.db.GetUsager(ctx, pick(o.usager))
			if err == nil {
				u.Email = fmt.Sprintf("u%d@example.fr", step)
				_, err = o.db.SaveUsager(ctx, u)
			}
			note("usager edit", err)
		case k < 9 && len(o.usager) > 0:
			r, err := o.db.Book(ctx, store.BookRequest{MotifID: w.motif, LieuID: w.lieu, AgentID: pick(w.agents), Start: slot(now),
				Usagers: []string{pick(o.usager)}, By: by})
			if err == nil {
				o.rdvs = append(o.rdvs, r.ID)
			}
			note("book", err)
		case k < 11 && len(o.rdvs)+len(online) > 0:
			id := o.someRdv(rng, online)
			agent := ""
			if rng.IntN(3) == 0 {
				agent = pick(w.agents)
			}
			_, err := o.db.Move(ctx, id, slot(now), agent, by, rng.IntN(4) == 0)
			note("move", err)
		case k < 12 && len(o.rdvs)+len(online) > 0:
			_, err := o.db.Cancel(ctx, o.someRdv(rng, online), by, rng.IntN(2) == 0)
			note("cancel", err)
		case k < 14 && len(o.rdvs)+len(online) > 0:
			st := []agenda.Status{agenda.StatusSeen, agenda.StatusNoshow, agenda.StatusRevoked, agenda.StatusUnknown}[rng.IntN(4)]
			_, err := o.db.SetStatus(ctx, o.someRdv(rng, online), st, by)
			note("status", err)
		case k < 16:
			// Online, at one of the two processes: a new usager books a slot of the en_ligne plage.
			start := slot(now)
			start = agenda.DateOf(start.In(paris)).At(agenda.Clk(14+rng.IntN(2), 30*rng.IntN(2)), paris).UTC()
			r, token, err := c.stores[rng.IntN(2)].BookOnline(ctx, w.org, booking.Request{MotifID: w.motif, LieuID: w.lieu, Start: start,
				NewUsager: &agenda.Usager{FirstName: "Internaute", LastName: fmt.Sprintf("W%d", step), Email: fmt.Sprintf("w%d@example.org", step), NotifyEmail: true}})
			if err == nil {
				online = append(online, onlineRdv{id: r.ID, token: token})
				sim.onlineChanges += 2 // the usager, the RDV
			}
			note("online book", err)
		case k < 17 && len(online) > 0:
			r := online[rng.IntN(len(online))]
			_, err := c.stores[rng.IntN(2)].CancelOnline(ctx, w.org, r.id, r.token)
			if err == nil {
				sim.onlineChanges++
			}
			note("online cancel", err)
		case k == 17 && o.n == 0 && rng.IntN(4) == 0:
			// The afternoon plage changes channel: en transfert at office 0 until the central
			// acknowledges it (the other offices learn it at their pull).
			p, err := o.db.GetPlage(ctx, w.afternoon)
			if err == nil {
				p.Canal = map[agenda.Canal]agenda.Canal{agenda.CanalGuichet: agenda.CanalEnLigne, agenda.CanalEnLigne: agenda.CanalGuichet}[p.Canal]
				_, err = o.db.SavePlage(ctx, p)
			}
			note("channel transfer", err)
		default:
			sim.rounds++
			if _, err := o.cl.Round(ctx); err != nil {
				sim.failed++
				if !client.Retryable(err) && agenda.CodeOf(err) != agenda.CodeSyncReplyInvalid {
					t.Fatalf("step %d: office %d's round failed with %s: %v", step, o.n, agenda.CodeOf(err), err)
				}
			}
		}
	}

	// Heal: the held-back requests arrive, then the link is reliable and the offices sync in
	// turn until each has nothing to push and has read the whole feed.
	for len(tr.late) > 0 {
		tr.deliverLate()
	}
	tr.healed = true
	heal(t, c, w, offices)
	t.Logf("seed %d: %d steps, %d rounds (%d failed), transport %v, local %v, central batches %v",
		seed, steps, sim.rounds, sim.failed, tr.stats, sim.local, c.batch)
	check(t, c, w, offices, sim)
}

type onlineRdv struct{ id, token string }

type stats struct {
	rounds, failed int
	local          map[string]int
	onlineChanges  int // changes the central wrote on its own (online bookings and cancellations)
}

// someRdv picks an RDV this office booked, or one sold online (which it may not have pulled yet:
// the store then refuses the change, as it would refuse an unknown id).
func (o *office) someRdv(rng *rand.Rand, online []onlineRdv) string {
	if len(online) > 0 && (len(o.rdvs) == 0 || rng.IntN(4) == 0) {
		return online[rng.IntN(len(online))].id
	}
	return o.rdvs[rng.IntN(len(o.rdvs))]
}

// setup creates the organisation's agenda at office 0: a lieu, an agent with a guichet plage
// (9:00–17:00) and an en_ligne plage (14:00–16:00, sold by the central), two guichets with
// guichet plages, a 30-minute motif sold at the guichet and online, an usager.
func setup(t *testing.T, db *store.DB) world {
	ctx := context.Background()
	org := ok(db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Simulation", TimeZone: "Europe/Paris",
		Holidays: agenda.HolidayRules{Departement: "75"}}))
	lieu := ok(db.SaveLieu(ctx, agenda.Lieu{OrganisationID: org.ID, Name: "Hôtel de ville", Street: "1 place de la Mairie",
		PostalCode: "75001", City: "Paris", Enabled: true}))
	admin := ok(db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindAgent, Name: "Claire Martin", Login: "cmartin",
		Role: agenda.RoleAdmin, Active: true}))
	g1 := ok(db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindGuichet, Name: "Guichet 1", Active: true}))
	g2 := ok(db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindGuichet, Name: "Guichet 2", Active: true}))
	motif := ok(db.SaveMotif(ctx, agenda.Motif{OrganisationID: org.ID, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30,
		LocationType: agenda.PublicOffice, MinPublicDelay: 30 * time.Minute, MaxPublicDelay: 90 * 24 * time.Hour, BookableKiosk: true,
		BookableOnline: true}))
	week := agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	plage := func(agent string, from, to int, canal agenda.Canal) string {
		return ok(db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: org.ID, AgentID: agent, LieuID: lieu.ID, Title: "Accueil " + string(canal),
			MotifIDs: []string{motif.ID}, FirstDay: monday, Start: agenda.Clk(from, 0), End: agenda.Clk(to, 0), Recurrence: week, Canal: canal})).ID
	}
	plage(admin.ID, 9, 14, agenda.CanalGuichet)
	afternoon := plage(admin.ID, 14, 16, agenda.CanalEnLigne)
	plage(g1.ID, 9, 17, agenda.CanalGuichet)
	plage(g2.ID, 9, 17, agenda.CanalGuichet)
	ok(db.SaveUsager(ctx, agenda.Usager{OrganisationID: org.ID, FirstName: "Hélène", LastName: "Dupont", Phone: "+33612345678", NotifySMS: true}))
	return world{org: org.ID, lieu: lieu.ID, motif: motif.ID, agents: []string{admin.ID, g1.ID, g2.ID}, admin: admin.ID, afternoon: afternoon}
}
