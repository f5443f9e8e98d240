package app

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/store"
)

// events records what the hub emits to the window.
type events struct {
	mu  sync.Mutex
	got []string
	ch  chan string
}

func newEvents() *events { return &events{ch: make(chan string, 100)} }

func (e *events) Emit(event string) {
	e.mu.Lock()
	e.got = append(e.got, event)
	e.mu.Unlock()
	e.ch <- event
}

func (e *events) expect(t *testing.T, within time.Duration, what string) {
	t.Helper()
	select {
	case ev := <-e.ch:
		if ev != EventDataChanged {
			t.Fatalf("%s: event %q, want %q", what, ev, EventDataChanged)
		}
	case <-time.After(within):
		t.Fatalf("%s: no event within %s", what, within)
	}
}

func expectSignal(t *testing.T, ch <-chan struct{}, within time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(within):
		t.Fatalf("%s: no signal within %s", what, within)
	}
}

func expectQuiet(t *testing.T, ch <-chan struct{}, during time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("%s: a signal came", what)
	case <-time.After(during):
	}
}

// A check-in at the lobby kiosk, another process on the same file, reaches the agent window and
// the subscribers within the 2 s of issue 12; so does a booking made in the window itself.
func TestHubTellsTheWindowAndSubscribersOfAKioskCheckIn(t *testing.T) {
	services, db := demoServices(t)
	window := newEvents()
	services.Events.Start(t.Context(), window)
	defer services.Events.Stop()
	sub, unsubscribe := services.Events.Subscribe()
	defer unsubscribe()
	time.Sleep(3 * watchEvery) // the watcher has read its first data_version
	expectQuiet(t, sub, 5*watchEvery, "nothing written")

	// The kiosk's process: its own *store.DB and services on the same file.
	kioskDB, err := store.Open(db.Path(), store.Options{Clock: services.office.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer kioskDB.Close()
	k := New(kioskDB, services.office.clock, nil).Kiosk
	rdv, _, code := checkInFixture(t, k, kioskDB, 0)
	if res, err := k.CheckIn(code); err != nil || !res.Arrived {
		t.Fatalf("check-in: %+v, %v", res, err)
	}
	window.expect(t, 2*time.Second, "check-in at the kiosk")
	expectSignal(t, sub, 2*time.Second, "check-in at the kiosk")
	waiting, err := services.Agent.WaitingRoom()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(waiting, func(w WaitingView) bool { return w.Rdv.ID == rdv.ID }) {
		t.Fatalf("waiting room after the event: %+v, want %s in it", waiting, rdv.ID)
	}

	if err := db.SetSetting(t.Context(), "essai", "1"); err != nil {
		t.Fatal(err)
	}
	window.expect(t, 2*time.Second, "a write of this process")
}

// What the screens reload at an event writes nothing: otherwise each event would bring another,
// and the window would reload five times a second for ever.
func TestReloadsAfterAnEventWriteNothing(t *testing.T) {
	services, _ := demoServices(t)
	window := newEvents()
	services.Events.Start(t.Context(), window)
	defer services.Events.Stop()
	sub, unsubscribe := services.Events.Subscribe()
	defer unsubscribe()
	time.Sleep(3 * watchEvery)

	a := services.Agent
	waiting, err := a.WaitingRoom()
	if err != nil || len(waiting) == 0 {
		t.Fatalf("waiting room: %d, %v", len(waiting), err)
	}
	id := waiting[0].Rdv.ID
	reloads := []func() error{
		func() error { _, err := a.WaitingRoom(); return err },
		func() error { _, err := a.ToFill(); return err },
		func() error {
			_, err := a.Agenda(AgendaQuery{Start: "2026-03-10", End: "2026-03-11"})
			return err
		},
		func() error { _, err := a.DayList(DayListQuery{Date: "2026-03-10"}); return err },
		func() error { _, err := a.RdvDetail(id); return err },
		func() error { _, err := services.Notifications.Messages(id); return err },
	}
	for i, reload := range reloads {
		if err := reload(); err != nil {
			t.Fatalf("reload %d: %v", i, err)
		}
	}
	expectQuiet(t, sub, 5*watchEvery, "the screens' reloads")
}

// A subscriber that has not taken its signal gets no second one, and never holds the hub back:
// the window and the other subscribers still get theirs. After unsubscribe, nothing comes.
func TestHubCoalescesPerSubscriber(t *testing.T) {
	h := &Hub{subs: map[chan struct{}]struct{}{}}
	window := newEvents()
	h.emit = window
	slow, _ := h.Subscribe()
	gone, unsubscribe := h.Subscribe()
	unsubscribe()
	unsubscribe() // twice is harmless
	for range 3 {
		h.changed()
	}
	if len(slow) != 1 {
		t.Fatalf("a slow subscriber holds %d signals, want 1", len(slow))
	}
	if len(gone) != 0 {
		t.Fatal("an ended subscription was signalled")
	}
	if len(window.got) != 3 {
		t.Fatalf("the window got %d events, want 3 (it debounces itself)", len(window.got))
	}
}

// When the watcher fails, the hub says so, watches again after a pause and tells the listeners
// that something may have changed unseen; Stop waits for the watcher.
func TestHubWatchesAgainAfterAFailure(t *testing.T) {
	h := &Hub{subs: map[chan struct{}]struct{}{}, every: time.Millisecond}
	var mu sync.Mutex
	calls := 0
	running := make(chan struct{}, 10)
	h.watch = func(ctx context.Context, _ time.Duration, _ func()) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			return errors.New("disque débranché")
		}
		running <- struct{}{}
		<-ctx.Done()
		return nil
	}
	sub, unsubscribe := h.Subscribe()
	defer unsubscribe()
	h.Start(context.Background(), nil)
	expectSignal(t, sub, 3*rewatchAfter, "after a failed watch")
	select {
	case <-running:
	case <-time.After(3 * rewatchAfter):
		t.Fatal("the hub did not watch again")
	}
	h.Stop()
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 {
		t.Fatalf("%d watches, want 2", calls)
	}
}
