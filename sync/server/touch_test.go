package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/clock"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"
)

// An office's last push and last pull are written at most every touchEvery: requests closer
// than that to the recorded time leave it alone, the first one past it records its own time,
// and « office list » shows it.
func TestLastSyncRecordedAtMostEveryFiveSeconds(t *testing.T) {
	dsn := testkit.FreshDB(t)
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	s, url := centralAt(t, dsn, clk)
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
		if st, er := call(t, http.MethodGet, url+protocol.PathPull, o.token, nil, nil); st != http.StatusOK {
			t.Fatalf("pull: %d %+v", st, er)
		}
	}

	first := clk.Now()
	mustPush(t, url, o.token, ops[:3])
	pull()
	if p, q := recorded(); !p.Equal(first) || !q.Equal(first) {
		t.Fatalf("after the first push and pull: last push %v, last pull %v, want %v", p, q, first)
	}

	clk.Advance(touchEvery - time.Second)
	mustPush(t, url, o.token, ops[3:5])
	pull()
	if p, q := recorded(); !p.Equal(first) || !q.Equal(first) {
		t.Fatalf("%v later: last push %v, last pull %v, want still %v", touchEvery-time.Second, p, q, first)
	}

	clk.Advance(2 * time.Second)
	later := clk.Now()
	mustPush(t, url, o.token, ops[5:])
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
