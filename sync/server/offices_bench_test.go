package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"
)

// TestTwoHundredOffices measures 200 offices syncing at once through the HTTP handler (loopback,
// httptest): each runs rounds of a small push (3 usagers, 2 RDVs) then pulls its organisation's
// feed from its cursor until the central has no more, all 200 together. It reports the latency of
// each request (p50, p99, max), pushes and pulls apart. 50 organisations of 4 offices each. A
// measurement, not a check of make test: it runs only when RDV_SYNC_BENCH is set.
// RDV_SYNC_BENCH_ROUNDS sets the rounds per office (default 5); the pool's size comes from the
// DSN (pool_max_conns; pgxpool's default is max(4, CPUs)).
func TestTwoHundredOffices(t *testing.T) {
	if os.Getenv("RDV_SYNC_BENCH") == "" {
		t.Skip("RDV_SYNC_BENCH non défini : pas de mesure des 200 bureaux")
	}
	const orgs, perOrg = 50, 4
	rounds := 5
	if s := os.Getenv("RDV_SYNC_BENCH_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	// RDV_SYNC_BENCH_SPREAD (a duration): each office waits a random time up to it before each
	// round (offices that sync « at once » within that window); 0, the default, is a closed loop.
	var spread time.Duration
	if v := os.Getenv("RDV_SYNC_BENCH_SPREAD"); v != "" {
		spread, _ = time.ParseDuration(v)
	}
	dsn := testkit.FreshDB(t)
	if p := os.Getenv("RDV_SYNC_BENCH_POOL"); p != "" {
		dsn += "&pool_max_conns=" + p
	}
	s, base := central(t, dsn)
	var offices []*office
	for range orgs {
		first, settings := newOffice(t, s, nil, perOrg)
		mustPush(t, base, first.token, settings)
		offices = append(offices, first)
		for range perOrg - 1 {
			o, _ := newOffice(t, s, first, 0)
			o.usagers = slices.Clone(first.usagers[:perOrg]) // its own slice: the offices append at once
			offices = append(offices, o)
		}
	}
	// Each office books its own days: office j of an organisation, round r, day 4r + j.
	type sample struct {
		push bool
		d    time.Duration
	}
	var mu sync.Mutex
	var samples []sample
	var wg sync.WaitGroup
	startLine := make(chan struct{})
	began := time.Now()
	for i, o := range offices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{}} // its own connection, as an office has
			cursor := ""
			var mine []sample
			<-startLine
			for r := range rounds {
				if spread > 0 {
					time.Sleep(rand.N(spread))
				}
				var ops []protocol.Op
				for k := range 3 {
					ops = append(ops, o.usagerOp(t, fmt.Sprintf("B%dR%dK%d", i, r, k)))
				}
				for k := range 2 {
					b, _ := o.book(t, at(day.AddDays(perOrg*r+i%perOrg), 9+k, 0), k%perOrg)
					ops = append(ops, b)
				}
				t0 := time.Now()
				st, reply, er := pushWith(t, client, base, o.token, ops)
				mine = append(mine, sample{true, time.Since(t0)})
				if st != http.StatusOK || len(reply.Results) != len(ops) {
					t.Errorf("office %d push: %d %+v", i, st, er)
					return
				}
				for {
					var page protocol.PullReply
					t0 := time.Now()
					st, er := callWith(t, client, http.MethodGet, fmt.Sprintf("%s%s?cursor=%s", base, protocol.PathPull, cursor), o.token, nil, &page)
					mine = append(mine, sample{false, time.Since(t0)})
					if st != http.StatusOK {
						t.Errorf("office %d pull: %d %+v", i, st, er)
						return
					}
					cursor = page.Cursor
					if !page.More {
						break
					}
				}
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		}()
	}
	close(startLine)
	wg.Wait()
	took := time.Since(began)
	var pushes, pulls, all []time.Duration
	for _, s := range samples {
		all = append(all, s.d)
		if s.push {
			pushes = append(pushes, s.d)
		} else {
			pulls = append(pulls, s.d)
		}
	}
	q := func(ds []time.Duration, p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
	}
	for _, row := range []struct {
		name string
		ds   []time.Duration
	}{{"push (5 ops)", pushes}, {"pull", pulls}, {"all", all}} {
		t.Logf("%-12s %5d requests: p50 %v, p99 %v, max %v", row.name, len(row.ds), q(row.ds, 0.5), q(row.ds, 0.99), q(row.ds, 1))
	}
	t.Logf("%d offices × %d rounds, each after a pause of up to %v, in %v (%.0f requests/s)", len(offices), rounds, spread, took.Round(time.Millisecond), float64(len(all))/took.Seconds())
}

// callWith is call for a goroutine: its own client, no t.Fatal.
func callWith(t testing.TB, c *http.Client, method, url, token string, body any, out any) (int, protocol.ErrorReply) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, protocol.ErrorReply{Error: protocol.ErrorBody{Message: err.Error()}}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, protocol.ErrorReply{Error: protocol.ErrorBody{Message: err.Error()}}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return 0, protocol.ErrorReply{Error: protocol.ErrorBody{Message: err.Error()}}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var er protocol.ErrorReply
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, protocol.ErrorReply{Error: protocol.ErrorBody{Message: err.Error()}}
		}
	} else {
		json.Unmarshal(data, &er)
	}
	return resp.StatusCode, er
}

func pushWith(t testing.TB, c *http.Client, base, token string, ops []protocol.Op) (int, protocol.PushReply, protocol.ErrorReply) {
	var reply protocol.PushReply
	st, er := callWith(t, c, http.MethodPost, base+protocol.PathPush, token, protocol.Push{Version: protocol.Version, Office: "test", Ops: ops}, &reply)
	return st, reply, er
}
