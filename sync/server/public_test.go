package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"
)

// fixedClock is a clock that does not move.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// onlineCentral starts a central whose clock reads a week before day (inside the motif's public
// window), with an office of a new organisation whose settings are pushed: a guichet plage
// 9:00–12:00 and an en_ligne plage 14:00–16:00 on weekdays, one online motif of 30 minutes.
func onlineCentral(t testing.TB, cfg Config) (*pgstore.Store, string, *office, *bytes.Buffer) {
	t.Helper()
	dsn := testkit.FreshDB(t)
	s := openStoreAt(t, dsn, fixedClock{at(day.AddDays(-7), 10, 0)})
	logs := &bytes.Buffer{}
	cfg.Store, cfg.Rate = s, -1
	cfg.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := httptest.NewServer(New(cfg))
	t.Cleanup(ts.Close)
	o, ops := newOffice(t, s, nil, 0)
	mustPush(t, ts.URL, o.token, ops)
	return s, ts.URL, o, logs
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// publicCall sends a request to the online API and returns its status and body.
func publicCall(t testing.TB, client *http.Client, method, url string, body any, header ...string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

func decode[T any](t testing.TB, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return v
}

func codeOf(t testing.TB, data []byte) agenda.Code {
	t.Helper()
	return decode[protocol.ErrorReply](t, data).Error.Code
}

func (o *office) bookOnline(start time.Time, first string) BookRequest {
	return BookRequest{Motif: o.motif, Lieu: o.lieu, Start: start,
		Usager: PublicUsager{FirstName: first, LastName: "Secret", Phone: "06 12 34 56 78", Email: strings.ToLower(first) + "@example.org"}}
}

// The online API end to end: the motifs sold online, the slots of the en_ligne plage only, a
// booking with its cancel link, the refusals by code, the feed, and logs without personal data.
func TestOnlineBooking(t *testing.T) {
	s, base, o, logs := onlineCentral(t, Config{PublicRate: -1})
	ctx := context.Background()
	api := base + PathPublic + o.org
	c := http.DefaultClient

	st, data := publicCall(t, c, http.MethodGet, api+"/motifs", nil)
	motifs := decode[MotifsReply](t, data)
	if st != http.StatusOK || len(motifs.Motifs) != 1 || motifs.Motifs[0].ID != o.motif || len(motifs.Motifs[0].Lieux) != 1 ||
		motifs.Motifs[0].Lieux[0].ID != o.lieu || motifs.Organisation != "Mairie de Test" {
		t.Fatalf("motifs: %d %s", st, data)
	}

	st, data = publicCall(t, c, http.MethodGet, fmt.Sprintf("%s/creneaux?motif=%s&from=%s&days=1", api, o.motif, day), nil)
	slots := decode[CreneauxReply](t, data)
	var starts []string
	for _, cr := range slots.Creneaux {
		starts = append(starts, cr.Start.In(paris).Format("15:04"))
	}
	if st != http.StatusOK || strings.Join(starts, " ") != "14:00 14:30 15:00 15:30" {
		t.Fatalf("creneaux: %d %v %s", st, starts, data)
	}

	for _, q := range []struct {
		query string
		code  agenda.Code
		st    int
	}{
		{"creneaux?from=" + day.String(), agenda.CodePublicParam, 400},
		{"creneaux?motif=" + o.motif + "&days=32", agenda.CodeDaysRange, 400},
		{"creneaux?motif=" + o.motif + "&days=0", agenda.CodeDaysRange, 400},
		{"creneaux?motif=" + o.motif + "&from=demain", agenda.CodePublicParam, 400},
		{"creneaux?motif=" + o.agent, agenda.CodeNotFound, 404},
	} {
		if st, data := publicCall(t, c, http.MethodGet, api+"/"+q.query, nil); st != q.st || codeOf(t, data) != q.code {
			t.Errorf("%s: %d %s, want %d %s", q.query, st, data, q.st, q.code)
		}
	}
	// Another organisation's path does not reach this motif.
	if st, data := publicCall(t, c, http.MethodGet, base+PathPublic+newID()+"/creneaux?motif="+o.motif, nil); st != 404 {
		t.Fatalf("foreign organisation: %d %s", st, data)
	}

	st, data = publicCall(t, c, http.MethodPost, api+"/rdvs", o.bookOnline(at(day, 14, 0), "Adèle"))
	if st != http.StatusCreated {
		t.Fatalf("book: %d %s", st, data)
	}
	booked := decode[BookReply](t, data)
	if len(booked.CancelToken) != 43 || !booked.Start.Equal(at(day, 14, 0)) || booked.Lieu != o.lieu {
		t.Fatalf("book: %s", data)
	}
	rdv, err := s.GetRdv(ctx, booked.ID)
	if err != nil || rdv.Origine != agenda.OrigineEnLigne || len(rdv.Participations) != 1 || rdv.AgentIDs[0] != o.agent {
		t.Fatalf("rdv at the central: %+v %v", rdv, err)
	}
	db := s.Pool()
	if n := count(t, db, "SELECT count(*) FROM online_cancel_links WHERE rdv_id = $1 AND token_hash = sha256($2::bytea)", booked.ID, booked.CancelToken); n != 1 {
		t.Fatalf("cancel link rows with the token's hash: %d", n)
	}
	if n := count(t, db, "SELECT count(*) FROM online_cancel_links WHERE position(convert_to($1, 'UTF8') in token_hash) > 0", booked.CancelToken); n != 0 {
		t.Fatal("the token itself is stored")
	}
	// The feed has the usager, then the RDV: what the office pulls.
	feed, _ := pullAll(t, []string{base}, o.token, "", protocol.MaxPull, feedSize(t, db, o.org))
	var tail []string
	for _, ch := range feed[len(feed)-2:] {
		tail = append(tail, string(ch.Entity)+" "+string(ch.Kind)+" "+ch.EntityID)
	}
	if want := []string{"usager upsert " + rdv.Participations[0].UsagerID, "rdv book " + booked.ID}; strings.Join(tail, ",") != strings.Join(want, ",") {
		t.Fatalf("feed tail %v, want %v", tail, want)
	}

	for _, x := range []struct {
		name string
		req  any
		st   int
		code agenda.Code
	}{
		{"same slot", o.bookOnline(at(day, 14, 0), "Bruno"), 409, agenda.CodeSlotTaken},
		{"guichet plage", o.bookOnline(at(day, 9, 0), "Bruno"), 400, agenda.CodeOutsidePlages},
		{"no contact", BookRequest{Motif: o.motif, Start: at(day, 15, 0), Usager: PublicUsager{FirstName: "A", LastName: "B"}}, 400, agenda.CodeContactRequired},
		{"bad phone", BookRequest{Motif: o.motif, Start: at(day, 15, 0), Usager: PublicUsager{FirstName: "A", LastName: "B", Phone: "12"}}, 400, agenda.CodePhoneInvalid},
		{"no start", BookRequest{Motif: o.motif, Usager: PublicUsager{FirstName: "A", LastName: "B", Phone: "0612345678"}}, 400, agenda.CodePublicParam},
		{"unknown field", map[string]any{"motif": o.motif, "agent": o.agent}, 400, agenda.CodePublicParam},
		{"no name", BookRequest{Motif: o.motif, Start: at(day, 15, 0), Usager: PublicUsager{Phone: "0612345678"}}, 400, agenda.CodeInvalidField},
	} {
		st, data := publicCall(t, c, http.MethodPost, api+"/rdvs", x.req)
		if st != x.st || (x.code != "" && codeOf(t, data) != x.code) {
			t.Errorf("%s: %d %s, want %d %s", x.name, st, data, x.st, x.code)
		}
	}

	if st, data := publicCall(t, c, http.MethodPost, api+"/rdvs", BookRequest{Motif: o.motif, Start: at(day, 15, 0),
		Usager: PublicUsager{Phone: "0612345678"}}); st != 400 || decode[protocol.ErrorReply](t, data).Error.Params["fields"] != "firstName,lastName" {
		t.Fatalf("no name: %d %s", st, data)
	}

	cancel := api + "/rdvs/" + booked.ID + "/cancel"
	// The token altered in its last character (which holds 4 bits: one of 16 letters and digits).
	altered := booked.CancelToken[:42] + map[bool]string{true: "E", false: "A"}[strings.HasSuffix(booked.CancelToken, "A")]
	for _, tok := range []string{"", altered, strings.Repeat("x", 43)} {
		if st, data := publicCall(t, c, http.MethodPost, cancel, CancelRequest{Token: tok}); st != 403 || codeOf(t, data) != agenda.CodeCancelLinkInvalid {
			t.Fatalf("wrong token %q: %d %s", tok, st, data)
		}
	}
	if st, data := publicCall(t, c, http.MethodPost, api+"/rdvs/"+newID()+"/cancel", CancelRequest{Token: booked.CancelToken}); st != 403 {
		t.Fatalf("unknown rdv: %d %s", st, data)
	}
	st, data = publicCall(t, c, http.MethodPost, cancel, CancelRequest{Token: booked.CancelToken})
	if st != http.StatusOK || decode[CancelReply](t, data).Status != string(agenda.StatusExcused) {
		t.Fatalf("cancel: %d %s", st, data)
	}
	if st, data := publicCall(t, c, http.MethodPost, cancel, CancelRequest{Token: booked.CancelToken}); st == http.StatusOK {
		t.Fatalf("second cancel: %d %s", st, data)
	}
	// The slot is free again, and sold again.
	st, data = publicCall(t, c, http.MethodPost, api+"/rdvs", o.bookOnline(at(day, 14, 0), "Bruno"))
	if st != http.StatusCreated {
		t.Fatalf("book after cancel: %d %s", st, data)
	}
	feed, _ = pullAll(t, []string{base}, o.token, "", protocol.MaxPull, feedSize(t, db, o.org))
	last := feed[len(feed)-3]
	if last.Entity != protocol.EntityRdv || last.Kind != protocol.OpStatus || last.EntityID != booked.ID {
		t.Fatalf("the cancellation is not in the feed: %+v", last)
	}

	if st, data := publicCall(t, c, http.MethodGet, api+"/rdvs", nil); st != http.StatusMethodNotAllowed {
		t.Fatalf("GET rdvs: %d %s", st, data)
	}
	if st, data := publicCall(t, c, http.MethodGet, api+"/autre", nil); st != http.StatusNotFound {
		t.Fatalf("unknown route: %d %s", st, data)
	}
	for _, secret := range []string{"Adèle", "Bruno", "Secret", "example.org", "612345678", booked.CancelToken} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the logs hold %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs.String(), "online booking") {
		t.Fatalf("no log of the bookings:\n%s", logs)
	}
}

// Five hundred usagers book one slot at once: one RDV, 499 slot_taken.
func TestOnlineBookingRace(t *testing.T) {
	s, base, o, _ := onlineCentral(t, Config{PublicRate: -1})
	const n = 500
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0}}
	defer client.CloseIdleConnections()
	start := time.Now()
	var wg sync.WaitGroup
	statuses := make([]int, n)
	codes := make([]agenda.Code, n)
	ready := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-ready
			st, data := publicCall(t, client, http.MethodPost, base+PathPublic+o.org+"/rdvs", o.bookOnline(at(day, 15, 0), fmt.Sprintf("U%d", i)))
			statuses[i] = st
			if st != http.StatusCreated {
				codes[i] = codeOf(t, data)
			}
		})
	}
	close(ready)
	wg.Wait()
	won, taken := 0, 0
	for i := range n {
		switch {
		case statuses[i] == http.StatusCreated:
			won++
		case statuses[i] == http.StatusConflict && codes[i] == agenda.CodeSlotTaken:
			taken++
		default:
			t.Errorf("booking %d: %d %s", i, statuses[i], codes[i])
		}
	}
	t.Logf("%d concurrent online bookings of one slot in %v: %d won, %d slot_taken", n, time.Since(start).Round(time.Millisecond), won, taken)
	if won != 1 || taken != n-1 {
		t.Fatalf("won %d, slot_taken %d", won, taken)
	}
	var rdvs, links int
	db := s.Pool()
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM rdvs WHERE organisation_id = $1", o.org).Scan(&rdvs); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM online_cancel_links WHERE organisation_id = $1", o.org).Scan(&links); err != nil {
		t.Fatal(err)
	}
	if rdvs != 1 || links != 1 {
		t.Fatalf("rdvs %d, cancel links %d", rdvs, links)
	}
}

// One client IP gets its burst, then 429 with Retry-After; behind a trusted proxy the limit
// counts the address the proxy appended to X-Forwarded-For.
func TestOnlineRateLimit(t *testing.T) {
	_, base, o, _ := onlineCentral(t, Config{PublicRate: 0.01, PublicBurst: 3, TrustProxy: true})
	url := base + PathPublic + o.org + "/motifs"
	for i := range 3 {
		if st, data := publicCall(t, http.DefaultClient, http.MethodGet, url, nil, "X-Forwarded-For", "203.0.113.9, 198.51.100.1"); st != 200 {
			t.Fatalf("request %d: %d %s", i, st, data)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9, 198.51.100.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth request: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// The first address of the header is the client's claim, not counted; the proxy's last one is.
	if st, _ := publicCall(t, http.DefaultClient, http.MethodGet, url, nil, "X-Forwarded-For", "203.0.113.9, 198.51.100.2"); st != 200 {
		t.Fatalf("another client: %d", st)
	}
}
