package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server/pgstore"
)

// movableClock is a clock the test moves forward.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// An office's last push and last pull are written at most every touchEvery: requests closer
// than that to the recorded time leave it alone, the first one past it records its own time,
// and « office list » shows it.
func TestLastSyncRecordedAtMostEveryFiveSeconds(t *testing.T) {
	dsn := freshDB(t)
	clk := &movableClock{t: time.Now().UTC().Truncate(time.Second)}
	s, err := pgstore.Open(context.Background(), dsn, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ts := httptest.NewServer(New(Config{Store: s, Rate: -1}))
	t.Cleanup(ts.Close)
	o, ops := newOffice(t, s, nil, 2)

	recorded := func() (push, pull time.Time) {
		t.Helper()
		offices, err := s.ListOffices(context.Background())
		if err != nil || len(offices) != 1 {
			t.Fatalf("offices: %v %+v", err, offices)
		}
		if p := offices[0].LastPushAt; p != nil {
			push = *p
		}
		if p := offices[0].LastPullAt; p != nil {
			pull = *p
		}
		return push, pull
	}
	pull := func() {
		t.Helper()
		if st, er := call(t, http.MethodGet, ts.URL+protocol.PathPull, o.token, nil, nil); st != http.StatusOK {
			t.Fatalf("pull: %d %+v", st, er)
		}
	}

	first := clk.Now()
	mustPush(t, ts.URL, o.token, ops[:3])
	pull()
	if p, q := recorded(); !p.Equal(first) || !q.Equal(first) {
		t.Fatalf("after the first push and pull: last push %v, last pull %v, want %v", p, q, first)
	}

	clk.advance(touchEvery - time.Second)
	mustPush(t, ts.URL, o.token, ops[3:5])
	pull()
	if p, q := recorded(); !p.Equal(first) || !q.Equal(first) {
		t.Fatalf("%v later: last push %v, last pull %v, want still %v", touchEvery-time.Second, p, q, first)
	}

	clk.advance(2 * time.Second)
	later := clk.Now()
	mustPush(t, ts.URL, o.token, ops[5:])
	pull()
	if p, q := recorded(); !p.Equal(later) || !q.Equal(later) {
		t.Fatalf("past %v: last push %v, last pull %v, want %v", touchEvery, p, q, later)
	}

	out, code := runCentral(t, "", "office", "list", "--db", dsn)
	shown := later.Local().Format("2006-01-02 15:04:05")
	if code != 0 || strings.Count(out, shown) != 2 {
		t.Fatalf("office list does not show %s as the last push and pull: %d\n%s", shown, code, out)
	}
}
