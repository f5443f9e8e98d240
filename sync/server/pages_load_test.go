package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/clock"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"
)

// usagersAtOnce is the size of the measured rush.
const usagersAtOnce = 200

// timed records the server's time of each request (the handler's, without the client's).
type timed struct {
	h  http.Handler
	mu sync.Mutex
	d  []time.Duration
}

func (t *timed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	d := time.Since(start)
	t.mu.Lock()
	t.d = append(t.d, d)
	t.mu.Unlock()
}

// Two hundred usagers book at once through the pages, over loopback, each through every step
// (home, slots, form, summary, confirmation), most of them on the same few slots: no slot is sold
// twice, every refusal is the slot taken meanwhile, and the server's time per page is measured.
// RDV_PAGES_LOAD_SPREAD (a duration) spreads their arrivals; unset, they all start at once. A
// measurement, not a check of make test: it runs only when RDV_PAGES_LOAD is set. Figures in
// docs/benchmarks.md.
func TestPagesRush(t *testing.T) {
	if os.Getenv("RDV_PAGES_LOAD") == "" {
		t.Skip("RDV_PAGES_LOAD non défini : pas de mesure de la ruée sur les pages")
	}
	dsn := testkit.FreshDB(t)
	clk := clock.NewManual(at(day.AddDays(-7), 10, 0))
	s, err := pgstore.Open(context.Background(), dsn, clk)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	org := seedPages(t, s, "Mairie de Saint-Aubin", day.AddDays(-7))
	h := &timed{h: New(Config{Store: s, Rate: -1, PublicRate: -1})}
	ts := httptest.NewServer(h)
	defer ts.Close()
	e := &pagesEnv{s: s, db: sqlPool(t, dsn), base: ts.URL, org: org, clock: clk}

	grid := newBrowser(t).get(e.page("creneau?" + url.Values{"motif": {org.plain}, "lieu": {org.lieu}}.Encode()))
	slots := grid.slots()[:20] // the first day or so: most usagers want the soonest
	var mu sync.Mutex
	outcome := map[int]int{}
	var wg sync.WaitGroup
	start := time.Now()
	spread := time.Duration(0)
	if v := os.Getenv("RDV_PAGES_LOAD_SPREAD"); v != "" {
		spread, _ = time.ParseDuration(v)
	}
	for i := range usagersAtOnce {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(spread * time.Duration(i) / usagersAtOnce)
			b := newBrowser(t)
			b.get(e.page(""))
			g := b.get(e.page("creneau?" + url.Values{"motif": {org.plain}, "lieu": {org.lieu}}.Encode()))
			_, q := g.formTo(t, "/coordonnees")
			q.Set("starts_at", slots[rand.IntN(len(slots))])
			b.get(e.page("coordonnees?" + q.Encode()))
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
			action, fields := sum.formTo(t, "/confirmer")
			r := b.post(e.base+action, fields)
			mu.Lock()
			outcome[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)
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
	q := func(p float64) time.Duration { return h.d[int(p*float64(len(h.d)-1))].Round(10 * time.Microsecond) }
	t.Logf("%d usagers, %d requests in %v: %d booked, %d « slot taken »; server time per page p50 %v, p90 %v, p99 %v, max %v",
		usagersAtOnce, len(h.d), took.Round(time.Millisecond), outcome[http.StatusSeeOther], outcome[http.StatusConflict], q(0.5), q(0.9), q(0.99), q(1))
}
