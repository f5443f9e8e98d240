package server

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"
)

// usagersAtOnce is the size of the measured rush.
const usagersAtOnce = 200

// timed records the server's time of each request (the handler's, without the client's), in
// all and by step (the method and the page: "GET creneau").
type timed struct {
	h      http.Handler
	mu     sync.Mutex
	d      []time.Duration
	byStep map[string][]time.Duration
}

func (t *timed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	d := time.Since(start)
	step := r.Method + " " + r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	t.mu.Lock()
	t.d = append(t.d, d)
	t.byStep[step] = append(t.byStep[step], d)
	t.mu.Unlock()
}

// quantile is the p-quantile of sorted durations.
func quantile(d []time.Duration, p float64) time.Duration {
	return d[int(p*float64(len(d)-1))].Round(10 * time.Microsecond)
}

// runningClock is the store's clock during a rush: it starts at a fixed instant and runs with
// the wall clock, so that the pages' one-second cache expires as it would in production.
type runningClock struct {
	at    time.Time
	start time.Time
}

func (c runningClock) Now() time.Time { return c.at.Add(time.Since(c.start)) }

// rushModel is how the usagers of a rush arrive and read: all start within Arrivals (evenly
// spread); between two pages each one reads and types for a time drawn in [ThinkMin, ThinkMax]
// (seeded: the same run gives the same times). ThinkMax zero: pages back to back.
type rushModel struct {
	Arrivals           time.Duration
	ThinkMin, ThinkMax time.Duration
	Seed               uint64
}

// bound is the longest a rush may take: the arrivals, four think times, and a minute of server
// time for the 1,001 requests. A rush beyond it fails.
func (m rushModel) bound() time.Duration { return m.Arrivals + 4*m.ThinkMax + time.Minute }

// Two hundred usagers book at once through the pages, over loopback, each through every step
// (home, slots, form, summary, confirmation), most of them on the same few slots: no slot is sold
// twice, every refusal is the slot taken meanwhile, and the server's time per page is measured.
// Pages back to back: RDV_PAGES_LOAD_SPREAD (a duration) spreads their arrivals; unset, they all
// start at once. A measurement, not a check of make test: it runs only when RDV_PAGES_LOAD is set.
// RDV_PAGES_LOAD_POOL sets the pool's connections (pgxpool's default: max(4, CPUs)). Figures in
// docs/benchmarks.md.
func TestPagesRush(t *testing.T) {
	spread, _ := time.ParseDuration(os.Getenv("RDV_PAGES_LOAD_SPREAD"))
	pagesRush(t, rushModel{Arrivals: spread})
}

// TestPagesRushThinking is the rush as people on their phones make it: the 200 usagers start
// within the same second and race for the same slots, but each reads and types between pages,
// 2 to 8 s at random (RDV_PAGES_LOAD_THINK=min-max changes it, RDV_PAGES_LOAD_SEED the draw).
// A run takes about 35 s.
func TestPagesRushThinking(t *testing.T) {
	m := rushModel{Arrivals: time.Second, ThinkMin: 2 * time.Second, ThinkMax: 8 * time.Second, Seed: 13}
	if v := os.Getenv("RDV_PAGES_LOAD_THINK"); v != "" {
		lo, hi, _ := strings.Cut(v, "-")
		a, err1 := time.ParseDuration(lo)
		b, err2 := time.ParseDuration(hi)
		if err1 != nil || err2 != nil || b < a {
			t.Fatalf("RDV_PAGES_LOAD_THINK=%q : min-max attendu, par exemple 2s-8s", v)
		}
		m.ThinkMin, m.ThinkMax = a, b
	}
	if v := os.Getenv("RDV_PAGES_LOAD_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		m.Seed = n
	}
	pagesRush(t, m)
}

func pagesRush(t *testing.T, m rushModel) {
	if os.Getenv("RDV_PAGES_LOAD") == "" {
		t.Skip("RDV_PAGES_LOAD non défini : pas de mesure de la ruée sur les pages")
	}
	dsn := testkit.FreshDB(t)
	if p := os.Getenv("RDV_PAGES_LOAD_POOL"); p != "" {
		dsn += "&pool_max_conns=" + p
	}
	clk := runningClock{at: at(day.AddDays(-7), 10, 0), start: time.Now()}
	s, err := pgstore.Open(context.Background(), dsn, clk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	org := seedPages(t, s, "Mairie de Saint-Aubin", day.AddDays(-7))
	h := &timed{h: New(Config{Store: s, Rate: -1, PublicRate: -1}), byStep: map[string][]time.Duration{}}
	ts := httptest.NewServer(h)
	defer ts.Close()
	e := &pagesEnv{s: s, db: sqlPool(t, dsn), base: ts.URL, org: org}

	grid := newBrowser(t).get(e.page("creneau?" + url.Values{"motif": {org.plain}, "lieu": {org.lieu}}.Encode()))
	slots := grid.slots()[:20] // the first day or so: most usagers want the soonest
	h.mu.Lock()
	h.d = h.d[:0]
	clear(h.byStep)
	h.mu.Unlock()
	var mu sync.Mutex
	outcome := map[int]int{}
	var wg sync.WaitGroup
	load := loadAverage()
	start := time.Now()
	for i := range usagersAtOnce {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(m.Seed, uint64(i)))
			think := func() {
				if m.ThinkMax > 0 {
					time.Sleep(m.ThinkMin + time.Duration(rnd.Int64N(int64(m.ThinkMax-m.ThinkMin)+1)))
				}
			}
			time.Sleep(m.Arrivals * time.Duration(i) / usagersAtOnce)
			b := newBrowser(t)
			b.get(e.page(""))
			think() // reads the démarches
			g := b.get(e.page("creneau?" + url.Values{"motif": {org.plain}, "lieu": {org.lieu}}.Encode()))
			think() // picks a time
			_, q := g.formTo(t, "/coordonnees")
			q.Set("starts_at", slots[rnd.IntN(len(slots))])
			b.get(e.page("coordonnees?" + q.Encode()))
			think() // types their name and phone
			for k, v := range person(fmt.Sprintf("Usager%d", i), "Ruée", fmt.Sprintf("06%08d", i), "") {
				q[k] = v
			}
			sum := b.post(e.page("coordonnees"), q)
			if sum.Status != http.StatusOK {
				mu.Lock()
				outcome[sum.Status]++
				mu.Unlock()
				return
			}
			think() // checks the summary
			action, fields := sum.formTo(t, "/confirmer")
			r := b.post(e.base+action, fields)
			mu.Lock()
			outcome[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)
	if took > m.bound() {
		t.Errorf("the rush took %v, more than its bound %v", took, m.bound())
	}
	for st := range outcome {
		if st != http.StatusSeeOther && st != http.StatusConflict {
			t.Errorf("%d answers %d", outcome[st], st)
		}
	}
	sold := count(t, e.db, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", org.org)
	distinct := count(t, e.db, "SELECT count(DISTINCT starts_at) FROM rdvs WHERE organisation_id = $1 AND status = 'unknown'", org.org)
	if sold != outcome[http.StatusSeeOther] || sold != distinct || sold > len(slots) {
		t.Errorf("%d RDVs for %d confirmations on %d distinct starts (%d slots offered)", sold, outcome[http.StatusSeeOther], distinct, len(slots))
	}
	slices.Sort(h.d)
	q := func(p float64) time.Duration { return quantile(h.d, p) }
	for _, step := range slices.Sorted(maps.Keys(h.byStep)) {
		d := h.byStep[step]
		slices.Sort(d)
		t.Logf("%-16s %4d requests: p50 %v, p90 %v, p99 %v, max %v", step, len(d), quantile(d, 0.5), quantile(d, 0.9), quantile(d, 0.99), quantile(d, 1))
	}
	t.Logf("%+v, pool %s, load average %s → %s: %d usagers, %d requests in %v: %d booked, %d « slot taken »; server time per page p50 %v, p90 %v, p99 %v, max %v",
		m, cmp.Or(os.Getenv("RDV_PAGES_LOAD_POOL"), "default"), load, loadAverage(), usagersAtOnce, len(h.d), took.Round(time.Millisecond),
		outcome[http.StatusSeeOther], outcome[http.StatusConflict], q(0.5), q(0.9), q(0.99), q(1))
}

// loadAverage is the machine's one-minute load average (Linux), "?" elsewhere.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
