package store

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// watching runs WatchChanges on db in the background; the returned channel receives one value
// per call of changed, and stop ends the watch and returns its result.
func watching(t *testing.T, db *DB, every time.Duration) (<-chan struct{}, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 100)
	done := make(chan error, 1)
	go func() { done <- db.WatchChanges(ctx, every, func() { calls <- struct{}{} }) }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			t.Fatal("WatchChanges did not return after its context ended")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return calls, stop
}

// settle waits until the watcher has read its first data_version: a commit made after it is
// reported. (The first poll runs before the first tick; two ticks are enough.)
func settle(every time.Duration) { time.Sleep(3 * every) }

func expectCall(t *testing.T, calls <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-calls:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no change reported within 5 s", what)
	}
}

func expectNoCall(t *testing.T, calls <-chan struct{}, during time.Duration, what string) {
	t.Helper()
	select {
	case <-calls:
		t.Fatalf("%s: a change was reported", what)
	case <-time.After(during):
	}
}

func TestWatchChangesSeesCommitsOfThisHandleAndAnother(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	const every = 20 * time.Millisecond
	calls, stop := watching(t, f.db, every)
	settle(every)
	expectNoCall(t, calls, 10*every, "no commit")

	if err := f.db.SetSetting(ctx, "essai", "1"); err != nil {
		t.Fatal(err)
	}
	expectCall(t, calls, "a commit through the watched handle")

	// Another *DB on the file stands for another process (the lobby kiosk's).
	other, err := Open(f.path, Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	settle(every)
	drain(calls)
	if err := other.SetSetting(ctx, "essai", "2"); err != nil {
		t.Fatal(err)
	}
	expectCall(t, calls, "a commit through another handle")

	// Reads change nothing.
	if _, _, err := other.Setting(ctx, "essai"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.Setting(ctx, "essai"); err != nil {
		t.Fatal(err)
	}
	expectNoCall(t, calls, 10*every, "reads only")

	if err := stop(); err != nil {
		t.Fatalf("WatchChanges returned %v after its context ended, want nil", err)
	}
	if err := f.db.SetSetting(ctx, "essai", "3"); err != nil {
		t.Fatal(err)
	}
	expectNoCall(t, calls, 10*every, "a commit after the watch stopped")
}

func drain(calls <-chan struct{}) {
	for {
		select {
		case <-calls:
		default:
			return
		}
	}
}

// A burst of commits between two polls is one change; a poll with no commit since the last one
// reports nothing. The ticks are driven by hand and the burst is written while the watcher is held
// inside changed, so that the test does not depend on timing.
func TestWatchCoalescesABurstBetweenTwoPolls(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	conn, closeConn, err := f.db.watchConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConn()
	ticks := make(chan time.Time)
	entered, release := make(chan struct{}), make(chan struct{})
	n := 0
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- watch(wctx, conn, ticks, func() { n++; entered <- struct{}{}; <-release })
	}()
	// A tick is taken only when the watcher waits: the poll before it (or the first
	// data_version) is over.
	ticks <- time.Time{}
	if err := f.db.SetSetting(ctx, "rafale", "début"); err != nil {
		t.Fatal(err)
	}
	for seen := false; !seen; {
		select {
		case ticks <- time.Time{}:
		case <-entered:
			seen = true
		}
	}
	for i := range 20 {
		if err := f.db.SetSetting(ctx, "rafale", strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	release <- struct{}{}
	ticks <- time.Time{} // the poll after the burst
	<-entered
	release <- struct{}{}
	ticks <- time.Time{} // a poll with nothing new…
	ticks <- time.Time{} // …is over
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("one commit then a burst of 20 gave %d calls, want 2", n)
	}
}
