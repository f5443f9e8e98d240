package bridge

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// What Go emits reaches every page connected to the event stream, as server-sent events; a page
// that went away is forgotten.
func TestEmitReachesTheEventStreams(t *testing.T) {
	s := New(fstest.MapFS{"index.html": {Data: []byte("<html><head></head></html>")}})
	srv := httptest.NewServer(s)
	defer srv.Close() // after the streams' contexts end (deferred later: run first)

	open := func(ctx context.Context) *bufio.Reader {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/__bridge/events", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
			t.Fatalf("Content-Type %q", ct)
		}
		return bufio.NewReader(res.Body)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	gone, leave := context.WithCancel(ctx)
	first, second := open(gone), open(ctx)
	waitStreams(t, s, 2)

	s.Emit("donnees-modifiees")
	for _, page := range []*bufio.Reader{first, second} {
		line, err := page.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if want := `data: {"name":"donnees-modifiees"}` + "\n"; line != want {
			t.Fatalf("stream line %q, want %q", line, want)
		}
	}
	leave()
	waitStreams(t, s, 1)
}

func waitStreams(t *testing.T, s *Server, n int) {
	t.Helper()
	got := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		s.mu.Lock()
		got = len(s.streams)
		s.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("%d event streams connected, want %d", got, n)
}

// The page gets the shim, with the event stream, at the start of its <head>.
func TestPageGetsTheShim(t *testing.T) {
	s := New(fstest.MapFS{"index.html": {Data: []byte("<html><head><title>x</title></head></html>")}})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	page := rec.Body.String()
	if !strings.HasPrefix(page, "<html><head><script>") || !strings.Contains(page, "new EventSource('/__bridge/events')") {
		t.Fatalf("page without the shim and its event stream:\n%.300s", page)
	}
}
