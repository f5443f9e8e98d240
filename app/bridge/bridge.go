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
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"sort"
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

// Methods are the bound values' methods by the name the frontend calls them,
// "<package>.<Type>.<Method>", as Wails binds them. The postes' server (app/principal) calls them
// too, from a poste secondaire's window.
type Methods map[string]reflect.Value

// MethodsOf binds values as Wails does: each exported method of each pointer. A typed nil
// pointer gives the names (Names) without values to call.
func MethodsOf(bound ...any) Methods {
	m := Methods{}
	for _, b := range bound {
		v := reflect.ValueOf(b)
		t := v.Type()
		prefix := typeName(t.Elem()) + "."
		for i := 0; i < t.NumMethod(); i++ {
			m[prefix+t.Method(i).Name] = v.Method(i)
		}
	}
	return m
}

// typeName is "<package>.<Type>": the package's last path element, as Wails names it.
func typeName(t reflect.Type) string {
	pkg := t.PkgPath()
	return pkg[strings.LastIndex(pkg, "/")+1:] + "." + t.Name()
}

// Names returns the methods' names, sorted.
func (m Methods) Names() []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ErrUnknownMethod is the refusal of a name that is not bound.
var ErrUnknownMethod = errors.New("méthode inconnue")

// ArgsError is the refusal of arguments that do not fit the method.
type ArgsError struct{ msg string }

func (e *ArgsError) Error() string { return e.msg }

// Call calls the method name with args (JSON) as Wails does: result is the method's first
// result (nil without one), failed its trailing error if it returned one. err is a refusal of the
// call itself: ErrUnknownMethod or an *ArgsError.
func (m Methods) Call(name string, args []json.RawMessage) (result any, failed error, err error) {
	f, ok := m[name]
	if !ok {
		return nil, nil, ErrUnknownMethod
	}
	ft := f.Type()
	if len(args) != ft.NumIn() {
		return nil, nil, &ArgsError{fmt.Sprintf("%s attend %d arguments, reçu %d", name, ft.NumIn(), len(args))}
	}
	in := make([]reflect.Value, ft.NumIn())
	for i := range in {
		p := reflect.New(ft.In(i))
		if err := json.Unmarshal(args[i], p.Interface()); err != nil {
			return nil, nil, &ArgsError{fmt.Sprintf("argument %d de %s : %v", i+1, name, err)}
		}
		in[i] = p.Elem()
	}
	out := f.Call(in)
	if n := len(out); n > 0 && ft.Out(n-1) == reflect.TypeFor[error]() {
		failed, _ = out[n-1].Interface().(error)
		out = out[:n-1]
	}
	if len(out) > 0 && failed == nil {
		result = out[0].Interface()
	}
	return result, failed, nil
}

// Server dispatches calls to the bound values and serves the built frontend.
type Server struct {
	methods Methods
	assets  fs.FS
	shim    []byte

	mu      sync.Mutex
	streams map[chan string]struct{} // the pages' event streams
}

// New serves the bound values' methods and the frontend in assets.
func New(assets fs.FS, bound ...any) *Server {
	s := &Server{methods: MethodsOf(bound...), assets: assets, streams: map[chan string]struct{}{}}
	names := map[string]map[string][]string{}
	for _, n := range s.methods.Names() {
		parts := strings.SplitN(n, ".", 3)
		if names[parts[0]] == nil {
			names[parts[0]] = map[string][]string{}
		}
		names[parts[0]][parts[1]] = append(names[parts[0]][parts[1]], parts[2])
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
	result, failed, err := s.methods.Call(req.Name, req.Args)
	switch {
	case errors.Is(err, ErrUnknownMethod):
		reply(w, http.StatusNotFound, map[string]any{"error": "méthode inconnue : " + req.Name})
	case err != nil:
		reply(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
	case failed != nil:
		reply(w, http.StatusInternalServerError, map[string]any{"error": failed.Error()})
	default:
		reply(w, http.StatusOK, map[string]any{"result": result})
	}
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
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
		http.Error(w, "flux d’événements impossible", http.StatusInternalServerError)
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
