// Package bridge serves the app's bound services over HTTP, so that the real frontend can run in a
// browser against the real Go code: end-to-end tests drive Chromium through it, with the same
// structs that main.go binds in the desktop window.
//
// The page gets a script that defines window.go as Wails does, with the bound structs only (the
// frontend picks the agent's or the kiosk's screens by what is bound); each call
// window.go.<pkg>.<Struct>.<Method>(...args) becomes POST /__bridge/call, and a method's trailing
// non-nil error becomes a rejected promise carrying its message, as in Wails.
//
// Events from Go reach the page as they reach the Wails window: the Server is an app.Emitter, and
// what it emits goes down the page's event stream (GET /__bridge/events, server-sent events) to the
// handlers of window.runtime.EventsOn. The page sets window.__bridgeEvents to "open" once the stream
// is connected, so that a test knows an event emitted from then on reaches it.
package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// shim is injected at the start of the page's <head>; BOUND is replaced by the bound methods,
// {"pkg": {"Struct": ["Method", …]}}.
const shim = `<script>
(function () {
  async function call(name, args) {
    const r = await fetch('/__bridge/call', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({name: name, args: args})});
    const body = await r.json();
    if (!r.ok) throw body.error;
    return body.result;
  }
  // Event listeners as Wails keeps them: EventsOn is EventsOnMultiple(name, cb, -1), and each
  // returns the function that removes its listener.
  const handlers = {};
  function on(name, cb, max) {
    const l = {cb: cb, left: max};
    (handlers[name] = handlers[name] || []).push(l);
    return function () { handlers[name] = (handlers[name] || []).filter(function (x) { return x !== l; }); };
  }
  function emit(name, args) {
    (handlers[name] || []).slice().forEach(function (l) {
      if (l.left > 0 && --l.left === 0) handlers[name] = handlers[name].filter(function (x) { return x !== l; });
      l.cb.apply(null, args);
    });
  }
  window.runtime = new Proxy({
    EventsOnMultiple: on,
    EventsOn: function (name, cb) { return on(name, cb, -1); },
    EventsOff: function (name) { delete handlers[name]; },
    EventsEmit: function (name) { emit(name, [].slice.call(arguments, 1)); },
  }, {get: function (t, k) { return k in t ? t[k] : function () {}; }});
  // Go's events: one {"name"} per message (EventSource reconnects by itself).
  const stream = new EventSource('/__bridge/events');
  stream.onopen = function () { window.__bridgeEvents = 'open'; };
  stream.onerror = function () { window.__bridgeEvents = 'closed'; };
  stream.onmessage = function (e) { emit(JSON.parse(e.data).name, []); };
  const bound = BOUND;
  window.go = {};
  Object.keys(bound).forEach(function (pkg) {
    window.go[pkg] = {};
    Object.keys(bound[pkg]).forEach(function (st) {
      window.go[pkg][st] = {};
      bound[pkg][st].forEach(function (m) {
        window.go[pkg][st][m] = function () { return call(pkg + '.' + st + '.' + m, [].slice.call(arguments)); };
      });
    });
  });
})();
</script>`

// Server dispatches calls to the bound values and serves the built frontend.
type Server struct {
	methods map[string]reflect.Value
	assets  fs.FS
	shim    []byte

	mu      sync.Mutex
	streams map[chan string]struct{} // the pages' event streams
}

// New binds values as Wails does: each exported method of each pointer is reachable as
// "<package>.<Type>.<Method>".
func New(assets fs.FS, bound ...any) *Server {
	s := &Server{methods: map[string]reflect.Value{}, assets: assets, streams: map[chan string]struct{}{}}
	names := map[string]map[string][]string{}
	for _, b := range bound {
		v := reflect.ValueOf(b)
		t := v.Type().Elem()
		pkg := t.PkgPath()
		pkg = pkg[strings.LastIndex(pkg, "/")+1:]
		if names[pkg] == nil {
			names[pkg] = map[string][]string{}
		}
		names[pkg][t.Name()] = []string{}
		for i := 0; i < v.NumMethod(); i++ {
			m := v.Type().Method(i).Name
			s.methods[pkg+"."+t.Name()+"."+m] = v.Method(i)
			names[pkg][t.Name()] = append(names[pkg][t.Name()], m)
		}
	}
	list, _ := json.Marshal(names) // names only: cannot fail
	s.shim = []byte(strings.Replace(shim, "BOUND", string(list), 1))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/__bridge/call" && r.Method == http.MethodPost:
		s.call(w, r)
	case r.URL.Path == "/__bridge/events":
		s.events(w, r)
	case r.URL.Path == "/" || r.URL.Path == "/index.html":
		page, err := fs.ReadFile(s.assets, "index.html")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(bytes.Replace(page, []byte("<head>"), append([]byte("<head>"), s.shim...), 1))
	default:
		http.FileServerFS(s.assets).ServeHTTP(w, r)
	}
}

func (s *Server) call(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string            `json:"name"`
		Args []json.RawMessage `json:"args"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		reply(w, http.StatusBadRequest, map[string]any{"error": "requête illisible : " + err.Error()})
		return
	}
	m, ok := s.methods[req.Name]
	if !ok {
		reply(w, http.StatusNotFound, map[string]any{"error": "méthode inconnue : " + req.Name})
		return
	}
	mt := m.Type()
	if len(req.Args) != mt.NumIn() {
		reply(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("%s attend %d arguments, reçu %d", req.Name, mt.NumIn(), len(req.Args))})
		return
	}
	in := make([]reflect.Value, mt.NumIn())
	for i := range in {
		p := reflect.New(mt.In(i))
		if err := json.Unmarshal(req.Args[i], p.Interface()); err != nil {
			reply(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("argument %d de %s : %v", i+1, req.Name, err)})
			return
		}
		in[i] = p.Elem()
	}
	out := m.Call(in)
	if n := len(out); n > 0 && mt.Out(n-1) == reflect.TypeFor[error]() {
		if err, _ := out[n-1].Interface().(error); err != nil {
			reply(w, http.StatusInternalServerError, map[string]any{"error": err.Error()})
			return
		}
		out = out[:n-1]
	}
	var result any
	if len(out) > 0 {
		result = out[0].Interface()
	}
	reply(w, http.StatusOK, map[string]any{"result": result})
}

// Emit sends event to every page connected, as the Wails runtime sends it to the window. A page
// that has not read its stream's last events loses the new one rather than holding Go back.
func (s *Server) Emit(event string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.streams {
		select {
		case ch <- event:
		default:
		}
	}
}

// events is a page's stream of Go's events, until the page goes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "flux d'événements impossible", http.StatusInternalServerError)
		return
	}
	ch := make(chan string, 16)
	s.mu.Lock()
	s.streams[ch] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.streams, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher.Flush() // the page's EventSource opens now
	for {
		select {
		case <-r.Context().Done():
			return
		case event := <-ch:
			msg, _ := json.Marshal(map[string]string{"name": event}) // a string: cannot fail
			fmt.Fprintf(w, "data: %s\n\n", msg)
			flusher.Flush()
		}
	}
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
