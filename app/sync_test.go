package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/secret"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client/clienttest"
	"rdvguichet/sync/protocol"
)

// syncDemo is the demo signed in as claire, with the background sync started (nothing runs until
// a server is saved) and stopped at the end, and a fake central accepting "jeton".
func syncDemo(t *testing.T) (*Services, *store.DB, *movableClock, *clienttest.Central, *httptest.Server) {
	t.Helper()
	services, db, clock := openDemo(t)
	services.SetSyncPace(time.Hour) // rounds on Kick and at the (re)start only
	services.StartSync(t.Context())
	t.Cleanup(services.StopBackground)
	central := clienttest.New("jeton")
	srv := central.Server()
	t.Cleanup(srv.Close)
	if _, err := services.Agent.SignIn("claire", demo.Password); err != nil {
		t.Fatal(err)
	}
	return services, db, clock, central, srv
}

// waitStatus polls Status until ok says it is what the test waits for.
func waitStatus(t *testing.T, s *SyncService, what string, ok func(SyncStatusView) bool) SyncStatusView {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, err := s.Status()
		if err != nil {
			t.Fatal(err)
		}
		if ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %+v", what, v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Paramètres › Serveur central: administrators only; the connection is tested before anything is
// saved, and each refusal comes back beside its field in French; once saved, the loop syncs.
func TestSyncSettingsTestedBeforeSaved(t *testing.T) {
	services, db, _, _, srv := syncDemo(t)
	svc := services.Sync

	if _, err := services.Agent.SignIn("karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	const adminOnly = "Cette action est réservée aux administrateurs."
	if _, err := svc.Settings(); doorMessage(err) != adminOnly {
		t.Fatalf("agent reading the settings: %v", err)
	}
	if _, err := svc.SaveServer(srv.URL, "jeton"); doorMessage(err) != adminOnly {
		t.Fatalf("agent saving: %v", err)
	}
	if err := svc.Disconnect(); doorMessage(err) != adminOnly {
		t.Fatalf("agent disconnecting: %v", err)
	}
	// Any agent sees the badge: nothing while no server is configured.
	if v, err := svc.Status(); err != nil || v.State != "off" || v.Label != "" {
		t.Fatalf("status, not configured: %v %+v", err, v)
	}
	if err := svc.SyncNow(); doorCode(err) != string(agenda.CodeSyncNotConfigured) {
		t.Fatalf("sync now, not configured: %v", err)
	}
	if _, err := services.Agent.SignIn("claire", demo.Password); err != nil {
		t.Fatal(err)
	}

	v, err := svc.Settings()
	org, _ := db.OfficeOrganisation(t.Context())
	if err != nil || v.Connected || v.TokenSet || v.OrganisationID != org.ID || v.OrganisationID == "" {
		t.Fatalf("settings: %v %+v", err, v)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, c := range []struct {
		url, token, field, code, message string
	}{
		{"rdv-central.exemple.fr", "jeton", "serverUrl", "invalid_field", "Indiquez une adresse http:// ou https://"},
		{srv.URL, "", "token", "invalid_field", "Indiquez le jeton du guichet"},
		{srv.URL, "mauvais", "token", "token_unknown", "Jeton du bureau inconnu du serveur central"}, // the real central's code
		{closed.URL, "jeton", "serverUrl", "unavailable", "Service momentanément indisponible"},
	} {
		res, err := svc.SaveServer(c.url, c.token)
		if err != nil || len(res.Errors) != 1 || res.Errors[0].Field != c.field || string(res.Errors[0].Code) != c.code ||
			!strings.HasPrefix(res.Errors[0].Message, c.message) {
			t.Errorf("SaveServer(%q, %q): %v %+v", c.url, c.token, err, res)
		}
	}
	if v, _ := svc.Settings(); v.Connected || v.TokenSet || v.ServerURL != "" {
		t.Fatalf("a refused test saved something: %+v", v)
	}

	// The real central's refusal of a token keeps its code and its text.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeTokenUnknown, Message: "unknown token"}})
	}))
	defer refusing.Close()
	if res, _ := svc.SaveServer(refusing.URL, "jeton"); len(res.Errors) != 1 || res.Errors[0].Code != agenda.CodeTokenUnknown ||
		res.Errors[0].Message != "Jeton du bureau inconnu du serveur central : vérifiez la configuration de la synchronisation." {
		t.Fatalf("token_unknown: %+v", res)
	}

	if res, err := svc.SaveServer(srv.URL+"/", " jeton "); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res)
	}
	if v, _ := svc.Settings(); !v.Connected || !v.TokenSet || v.ServerURL != srv.URL+"/" {
		t.Fatalf("saved: %+v", v)
	}
	// The token is stored sealed (backend/secret) and never shown again.
	if tok, _, _ := db.Setting(t.Context(), store.SyncTokenKey); !secret.Sealed(tok) || strings.Contains(tok, "jeton") {
		t.Fatalf("stored token %q", tok)
	} else if clear, err := secret.OpenString(tok); err != nil || clear != "jeton" {
		t.Fatalf("stored token opens as %q, %v", clear, err)
	}
	st := waitStatus(t, svc, "first round", func(v SyncStatusView) bool { return v.State == "ok" && v.Pending == 0 })
	if st.Label != "Synchronisé à l’instant" || st.ToTreat != 0 {
		t.Fatalf("after the first round: %+v", st)
	}
	// An empty token keeps the stored one.
	if res, err := svc.SaveServer(srv.URL, ""); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save keeping the token: %v %+v", err, res)
	}

	if err := svc.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if v, _ := svc.Status(); v.State != "off" {
		t.Fatalf("status after disconnect: %+v", v)
	}
	if v, _ := svc.Settings(); v.Connected || v.TokenSet || v.ServerURL != srv.URL {
		t.Fatalf("settings after disconnect (the address stays): %+v", v)
	}
	if err := svc.SyncNow(); doorCode(err) != string(agenda.CodeSyncNotConfigured) {
		t.Fatalf("sync now after disconnect: %v", err)
	}
}

// The badge: « Synchronisé il y a 2 min », then, the central gone, « Hors ligne depuis 8 h 45 —
// 2 changements en attente »: the booking (its new usager and the RDV) committed at the counter meanwhile.
func TestSyncBadgeOfflineAndCounterNeverWaits(t *testing.T) {
	services, _, clock, _, srv := syncDemo(t)
	svc := services.Sync
	if res, err := svc.SaveServer(srv.URL, "jeton"); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res)
	}
	waitStatus(t, svc, "first round", func(v SyncStatusView) bool { return v.State == "ok" && v.Pending == 0 })
	clock.add(2 * time.Minute)
	if v, _ := svc.Status(); v.Label != "Synchronisé il y a 2 min" {
		t.Fatalf("two minutes later: %+v", v)
	}

	srv.CloseClientConnections()
	srv.Close()
	clock.add(time.Minute)
	book(t, services, "Dupont")
	if err := svc.SyncNow(); err != nil {
		t.Fatal(err)
	}
	v := waitStatus(t, svc, "offline", func(v SyncStatusView) bool { return v.State == "offline" })
	nn := fr.NNBSP
	if want := "Hors ligne depuis 8" + nn + "h" + nn + "45 — 2 changements en attente"; v.Label != want || v.Pending != 2 || v.Code != "unavailable" {
		t.Fatalf("offline: %+v, want %q", v, want)
	}
}

// book books the first free slot of the demo's first motif for a new usager, at the counter.
func book(t *testing.T, services *Services, lastName string) BookResult {
	t.Helper()
	ws, err := services.Agent.Workspace()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ws.Motifs {
		slots, err := services.Agent.FindSlots(SlotQuery{MotifID: m.ID, Documents: 1, Limit: 1})
		if err != nil || len(slots) == 0 {
			continue
		}
		s := slots[0]
		res, err := services.Agent.Book(BookInput{MotifID: m.ID, LieuID: s.LieuID, AgentID: s.AgentID, Start: s.Start, Documents: 1,
			NewUsager: &UsagerForm{FirstName: "Hélène", LastName: lastName}})
		if err != nil || res.Rdv == nil {
			t.Fatalf("book: %v %+v", err, res)
		}
		return res
	}
	t.Fatal("no free slot in the demo")
	return BookResult{}
}

// « À traiter »: a booking the central refuses (the slot was sold online) and an online booking
// that overlaps a counter's RDV, each with what it is, why, and what to do; « Marquer comme
// traité » takes them out of the list and of the badge's count.
func TestSyncToTreat(t *testing.T) {
	services, db, _, central, srv := syncDemo(t)
	svc := services.Sync
	if res, err := svc.SaveServer(srv.URL, "jeton"); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res)
	}
	waitStatus(t, svc, "first round", func(v SyncStatusView) bool { return v.State == "ok" && v.Pending == 0 })

	// Refused by the central.
	res := book(t, services, "Refusé")
	central.Reject = func(op protocol.Op) (agenda.Code, map[string]string, bool) {
		return agenda.CodeSlotTaken, nil, op.Kind == protocol.OpBook && op.EntityID == res.Rdv.ID
	}
	if err := svc.SyncNow(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, svc, "refused", func(v SyncStatusView) bool { return v.Rejected == 1 && v.Pending == 0 })

	// Set aside here: the central sells online a slot a counter's RDV holds.
	rdv, err := db.GetRdv(t.Context(), res.Rdv.ID)
	if err != nil {
		t.Fatal(err)
	}
	local := firstOtherRdv(t, services, db, rdv.ID)
	online := local
	online.ID, online.Origine, online.CreatedBy, online.Version = uuid.NewString(), agenda.OrigineEnLigne, "", 0
	online.Context = ""
	central.Put(protocol.EntityRdv, protocol.OpBook, online.OrganisationID, online.ID, protocol.FromRdv(online))
	if err := svc.SyncNow(); err != nil {
		t.Fatal(err)
	}
	st := waitStatus(t, svc, "conflict", func(v SyncStatusView) bool { return v.Conflicts == 1 })
	if st.ToTreat != 2 || st.State != "ok" {
		t.Fatalf("status with two items: %+v", st)
	}

	items, err := svc.ToTreat()
	if err != nil || len(items) != 2 {
		t.Fatalf("to treat: %v %+v", err, items)
	}
	r, k := items[0], items[1]
	if r.Kind != "rejected" || r.Code != "slot_taken" || r.RdvID != res.Rdv.ID || r.Reason != "Ce créneau vient d’être pris." ||
		!strings.HasPrefix(r.What, "Rendez-vous de REFUSÉ Hélène le ") || !strings.Contains(r.What, " à ") ||
		!strings.HasPrefix(r.Advice, "Ce créneau était déjà vendu en ligne : proposez un autre créneau à l’usager") {
		t.Errorf("refused booking: %+v", r)
	}
	if k.Kind != "conflict" || k.Code != "slot_taken" || !strings.HasPrefix(k.What, "Rendez-vous pris en ligne de ") ||
		!strings.HasPrefix(k.Advice, "Un rendez-vous pris en ligne tombe sur un créneau déjà occupé au guichet") {
		t.Errorf("conflict: %+v", k)
	}

	// Karim (an agent) may mark them treated.
	if _, err := services.Agent.SignIn("karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	if err := svc.Dismiss("op:nothing"); doorCode(err) != "not_found" {
		t.Fatalf("dismiss unknown: %v", err)
	}
	if err := svc.Dismiss("n’importe quoi"); doorCode(err) != "not_found" {
		t.Fatalf("dismiss garbage: %v", err)
	}
	for _, it := range items {
		if err := svc.Dismiss(it.ID); err != nil {
			t.Fatalf("dismiss %s: %v", it.ID, err)
		}
	}
	if again, err := svc.ToTreat(); err != nil || len(again) != 0 {
		t.Fatalf("after dismissing: %v %+v", err, again)
	}
	if v, _ := svc.Status(); v.ToTreat != 0 || v.Rejected != 0 || v.Conflicts != 0 {
		t.Fatalf("badge after dismissing: %+v", v)
	}
	if err := svc.Dismiss(r.ID); err != nil {
		t.Fatalf("dismissing twice is harmless: %v", err)
	}
}

// firstOtherRdv returns an active RDV of today other than id (the demo has some).
func firstOtherRdv(t *testing.T, services *Services, db *store.DB, id string) agenda.Rdv {
	t.Helper()
	o := services.office
	c, err := o.catalogue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	d := agenda.DateOf(o.clock.Now().In(c.loc))
	rdvs, err := db.ListAgendaRdvs(t.Context(), c.org.ID, "", d.At(0, c.loc), d.AddDays(7).At(0, c.loc), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rdvs {
		if r.ID != id && !r.Collectif && r.Status == agenda.StatusUnknown {
			return r
		}
	}
	t.Fatal("no other RDV in the demo")
	return agenda.Rdv{}
}

// StopBackground returns once the loop is stopped, even in the middle of a slow round, so that
// the file can close after it.
func TestSyncStopsBeforeTheFileCloses(t *testing.T) {
	services, _, _, central, srv := syncDemo(t)
	if res, err := services.Sync.SaveServer(srv.URL, "jeton"); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res)
	}
	central.SlowDelay = 3 * time.Second
	central.Fault = func(r *http.Request, n int) clienttest.Fault { return clienttest.Slow }
	book(t, services, "Lent")
	services.Sync.SyncNow()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	services.StopBackground()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("stop waited %v", d)
	}
	if services.Sync.loop.kick() {
		t.Fatal("a loop still runs after StopBackground")
	}
}

func TestWhenTheBadgeSaysIt(t *testing.T) {
	loc := paris()
	now := time.Date(2026, 3, 10, 11, 0, 0, 0, loc)
	nn := fr.NNBSP
	for _, c := range []struct {
		t        time.Time
		relative bool
		want     string
	}{
		{now.Add(-20 * time.Second), true, "à l’instant"},
		{now.Add(-2 * time.Minute), true, "il y a 2 min"},
		{time.Date(2026, 3, 10, 9, 5, 0, 0, loc), true, "à 9" + nn + "h" + nn + "05"},
		{time.Date(2026, 3, 10, 10, 42, 0, 0, loc), false, "10" + nn + "h" + nn + "42"},
		{time.Date(2026, 3, 9, 10, 42, 0, 0, loc), false, "le lundi 9 mars 2026 à 10" + nn + "h" + nn + "42"},
	} {
		if got := when(c.t, now, loc, c.relative); got != c.want {
			t.Errorf("when(%v, %v) = %q, want %q", c.t, c.relative, got, c.want)
		}
	}
}

// Every text the sync screens say is in the catalogue (locales/fr/sync_ui.json).
func TestSyncTextsInCatalogue(t *testing.T) {
	for _, id := range []string{"sync_ui_synced", "sync_ui_just_now", "sync_ui_minutes_ago", "sync_ui_at", "sync_ui_on",
		"sync_ui_offline_since", "sync_ui_offline", "sync_ui_first", "sync_ui_failed", "sync_ui_pending_one", "sync_ui_pending_many",
		"sync_ui_url_invalid", "sync_ui_token_missing", "sync_ui_what_rdv_book", "sync_ui_what_usager", "sync_ui_someone",
		"sync_ui_advice_default", "sync_ui_conflict_advice_default", "sync_ui_what_other", "sync_ui_what_receipt"} {
		if !known(id) {
			t.Errorf("%s: no text", id)
		}
	}
	for _, e := range []string{store.EntityOrganisation, store.EntityLieu, store.EntityAgent, store.EntityMotif, store.EntityPlage, store.EntityAbsence} {
		if !known("sync_ui_what_" + e) {
			t.Errorf("entity %s: no text", e)
		}
	}
	for _, op := range []string{store.OpBook, store.OpMove, store.OpStatus, store.OpArrived} {
		if !known("sync_ui_what_rdv_" + op) {
			t.Errorf("rdv op %s: no text", op)
		}
	}
}
