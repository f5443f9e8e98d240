package app

import (
	"context"
	"log"
	"sync"
	"time"

	"rdvguichet/backend/store"
)

// EventDataChanged is the event the agent window receives when the office's data file changed,
// whoever wrote it: this window, the lobby kiosk (another process on the same file), the command
// line, the sync. It carries nothing: the screens reload what they show
// (frontend/src/shared/live.ts).
const EventDataChanged = "donnees-modifiees"

const (
	// watchEvery is how often the hub asks SQLite whether the file changed: a change reaches the
	// window within about this much, far under the 2 s the counters are promised (issue 12).
	watchEvery = 200 * time.Millisecond
	// rewatchAfter is the pause before the hub watches again after the watcher failed.
	rewatchAfter = time.Second
)

// Emitter sends an event to a window: the Wails runtime in the desktop app (app/window.Emitter), the
// page's event stream in the browser bridge of the end-to-end tests (app/bridge).
type Emitter interface {
	Emit(event string)
}

// Hub tells who listens that the office's data changed: the window, through its Emitter, and the
// subscribers (the principal's relay to the other postes of the office). It watches the data file
// (store.DB.WatchChanges) between Start and Stop. A subscriber that has not yet taken the last
// signal gets no second one: each listener reloads once per burst of changes, and a slow one never
// holds the watcher back.
type Hub struct {
	every time.Duration
	watch func(ctx context.Context, every time.Duration, changed func()) error

	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	emit   Emitter
	cancel context.CancelFunc
	done   chan struct{}
}

func newHub(db *store.DB) *Hub {
	return &Hub{every: watchEvery, watch: db.WatchChanges, subs: map[chan struct{}]struct{}{}}
}

// Subscribe returns a channel that receives a value after changes to the data file (while the hub
// is started), and the function that ends the subscription: the channel is then never written
// again; calling it twice is harmless.
func (h *Hub) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

// Start watches the data file until ctx ends or Stop, and emits EventDataChanged to emit (nil: no
// window, only the subscribers). A running watch is stopped first.
func (h *Hub) Start(ctx context.Context, emit Emitter) {
	h.Stop()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	h.mu.Lock()
	h.emit, h.cancel, h.done = emit, cancel, done
	h.mu.Unlock()
	go func() {
		defer close(done)
		h.run(ctx)
	}()
}

// Stop ends the watch and returns once the watcher has stopped: before the data file closes.
func (h *Hub) Stop() {
	h.mu.Lock()
	cancel, done := h.cancel, h.done
	h.cancel, h.done, h.emit = nil, nil, nil
	h.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// run watches until ctx ends. When the watcher fails (the file unreadable for a moment), it says
// so, watches again after a pause, and tells the listeners that something may have changed
// unseen.
func (h *Hub) run(ctx context.Context) {
	for {
		err := h.watch(ctx, h.every, h.changed)
		if err == nil {
			return
		}
		log.Printf("suivi des changements : %v", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(rewatchAfter):
		}
		h.changed()
	}
}

// emitNow sends event to the window, if one listens.
func (h *Hub) emitNow(event string) {
	h.mu.Lock()
	emit := h.emit
	h.mu.Unlock()
	if emit != nil {
		emit.Emit(event)
	}
}

// changed signals each subscriber without waiting, and emits to the window.
func (h *Hub) changed() {
	h.mu.Lock()
	emit := h.emit
	for ch := range h.subs {
		select {
		case ch <- struct{}{}:
		default: // already signalled: it has not reloaded yet
		}
	}
	h.mu.Unlock()
	if emit != nil {
		emit.Emit(EventDataChanged)
	}
}
