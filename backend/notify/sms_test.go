package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
)

// smsFactorServer follows dev.smsfactor.com « Send SMS »: POST /send, Bearer token, JSON body
// {"sms": {"message": {...}, "recipients": {"gsm": [...]}}}, JSON answer with status and counters.
// The recipient number chooses the answer.
func smsFactorServer(t *testing.T, token string) (*httptest.Server, *[]sfRequest) {
	t.Helper()
	var got []sfRequest
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/send" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"status":-1,"message":"Unauthenticated"}`)
			return
		}
		if r.Header.Get("Accept") != "application/json" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			http.Error(w, "bad headers", http.StatusBadRequest)
			return
		}
		var req sfRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.SMS.Recipients.GSM) != 1 {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, req)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch to := req.SMS.Recipients.GSM[0].Value; to {
		case "33600000001": // invalid number: filtered
			io.WriteString(w, `{"status":1,"message":"OK","ticket":"1","cost":0,"credits":10,"total":1,"sent":0,"blacklisted":0,"duplicated":0,"invalid":1,"npai":0}`)
		case "33600000002": // the usager sent STOP
			io.WriteString(w, `{"status":1,"message":"OK","ticket":"2","cost":0,"credits":10,"total":1,"sent":0,"blacklisted":1,"duplicated":0,"invalid":0,"npai":0}`)
		case "33600000003": // no credits left
			io.WriteString(w, `{"status":-4,"message":"Not enough credits"}`)
		case "33600000004":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "33600000005":
			w.WriteHeader(http.StatusTooManyRequests)
		case "33600000006": // pending validation: leaves, not to be retried
			io.WriteString(w, `{"status":-8,"message":"Pending validation","ticket":"6","cost":1}`)
		case "33600000007": // answer never comes back
			time.Sleep(300 * time.Millisecond)
		case "33600000008":
			io.WriteString(w, `{"status":1,"message":"OK","ticket":"8","cost":1,"sent":0,"flood":1}`)
		default:
			io.WriteString(w, `{"status":1,"message":"OK","ticket":"14672468","cost":1,"credits":642,"total":1,"sent":1,"blacklisted":0,"duplicated":0,"invalid":0,"npai":0,"not_allowed":0,"flood":0,"country_limit":0}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestSMSFactorRequestsAndAnswers(t *testing.T) {
	srv, got := smsFactorServer(t, "tok")
	p := &SMSFactor{Token: "tok", Sender: "StAubin", BaseURL: srv.URL, Client: &http.Client{Timeout: 100 * time.Millisecond}}
	ctx := context.Background()
	res, err := p.Send(ctx, SMS{To: "+33612345678", Text: "Rappel : RDV", Ref: "ref-1"})
	if err != nil || res.Parts != 1 || res.ID != "14672468" {
		t.Fatalf("ok: %+v %v", res, err)
	}
	req := (*got)[0]
	if req.SMS.Message.Text != "Rappel : RDV" || req.SMS.Message.PushType != "alert" || req.SMS.Message.Sender != "StAubin" ||
		req.SMS.Recipients.GSM[0] != (sfGSM{ID: "ref-1", Value: "33612345678"}) {
		t.Errorf("request %+v", req)
	}
	for _, c := range []struct {
		to   string
		kind FailureKind
		text string
	}{
		{"+33600000001", Permanent, "invalide"},
		{"+33600000002", Permanent, "STOP"},
		{"+33600000003", Temporary, "crédits"},
		{"+33600000004", Temporary, "503"},
		{"+33600000005", Temporary, "429"},
		{"+33600000007", Uncertain, "pas répondu"},
		{"+33600000008", Temporary, "anti-flood"},
	} {
		_, err := p.Send(ctx, SMS{To: c.to, Text: "x", Ref: "r"})
		if err == nil || kindOf(err) != c.kind || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: %v (kind %v), want %v with %q", c.to, err, kindOf(err), c.kind, c.text)
		}
	}
	res, err = p.Send(ctx, SMS{To: "+33600000006", Text: "x", Ref: "r"})
	if err != nil || res.Note == "" {
		t.Errorf("pending validation: %+v %v", res, err)
	}
	bad := &SMSFactor{Token: "wrong", BaseURL: srv.URL}
	if _, err := bad.Send(ctx, SMS{To: "+33612345678", Text: "x"}); kindOf(err) != Permanent || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong token: %v", err)
	}
	down := &SMSFactor{Token: "tok", BaseURL: "http://127.0.0.1:1"}
	if _, err := down.Send(ctx, SMS{To: "+33612345678", Text: "x"}); kindOf(err) != Temporary {
		t.Errorf("unreachable: %v", err)
	}
}

// Through the sender: a temporary provider failure is retried, a permanent one stops, an
// uncertain one is never resent, each with its receipt.
func TestSenderWithSMSFactor(t *testing.T) {
	srv, got := smsFactorServer(t, "tok")
	w := newWorld(t)
	ctx := context.Background()
	set, _ := LoadSettings(ctx, w.db)
	set.EmailEnabled = false
	set.SMS = SMSSettings{Provider: "smsfactor", APIKey: "tok", Sender: "StAubin", BaseURL: srv.URL}
	if err := SaveSettings(ctx, w.db, set); err != nil {
		t.Fatal(err)
	}
	w.sender.SMS = nil
	ok := w.book(t, day(10, 9, 0))
	stop := w.book(t, day(10, 10, 0), w.newUsager(t, "Paul", "Stop", "+33600000002", ""))
	busy := w.book(t, day(10, 11, 0), w.newUsager(t, "Anne", "Occupé", "+33600000004", ""))
	w.at(t, day(2, 10, 0))
	w.at(t, day(2, 10, 1))
	states := func(id string) string {
		ns, _ := w.db.RdvNotifications(ctx, id)
		var s []string
		for _, n := range ns {
			s = append(s, n.Event+":"+n.State)
		}
		return strings.Join(s, " ")
	}
	if s := states(ok.ID); s != "confirmation:sent rappel:pending" {
		t.Errorf("ok: %s", s)
	}
	if s := states(stop.ID); s != "confirmation:failed rappel:pending" {
		t.Errorf("STOP: %s", s)
	}
	if s := states(busy.ID); s != "confirmation:pending rappel:pending" {
		t.Errorf("503 twice: %s", s)
	}
	rs, _ := w.db.ListReceipts(ctx, busy.ID)
	if len(rs) != 2 || rs[0].Result != "failure" || rs[0].Provider != "smsfactor" {
		t.Errorf("receipts of the retried SMS: %+v", rs)
	}
	if len(*got) != 4 {
		t.Errorf("%d requests, want 4", len(*got))
	}
}

// Every SMS template, filled with the longest realistic values, is pure GSM-7 and fits one SMS.
func TestSMSTemplatesFitTheirBudget(t *testing.T) {
	longest := Facts{
		Organisation: "France Services de la Communauté de communes du Val de Sèvre et du Haut-Poitou",
		Motif:        "Demande de carte nationale d'identité et de passeport (recueil des empreintes)",
		Lieu:         "Maison France Services – Espace Jean-Baptiste Poquelin dit Molière",
		Street:       "12 bis avenue du Maréchal Jean-Marie-Gabriel de Lattre de Tassigny",
		PostalCode:   "97411",
		City:         "Saint-Paul-Trois-Châteaux-lès-Écouché-sur-Œuvre",
		Phone:        "+262262123456",
		ShortCode:    "K7PQ3XMA",
		CancelURL:    "https://rdv-guichet.communaute-de-communes-exemple.fr/r/K7PQ3XMA",
		Start:        time.Date(2026, 12, 30, 23, 45, 0, 0, paris), // « mer. 30/12 à 23h45 »: the longest date
		Location:     paris,
	}
	short := Facts{Organisation: "Mairie", Motif: "CNI", Lieu: "Mairie", City: "Oô", Phone: "+33238000000",
		ShortCode: "K7PQ3XMA", Start: time.Date(2026, 3, 3, 9, 0, 0, 0, paris), Location: paris}
	for _, base := range []Facts{longest, short} {
		for _, ev := range []struct{ event, variant string }{
			{reminders.EventConfirmation, ""}, {reminders.EventModification, ""}, {reminders.EventRappel, ""},
			{reminders.EventRappel, reminders.VariantSameDay}, {reminders.EventRappel, "manuel-3"}, {reminders.EventAnnulation, ""},
		} {
			for _, lt := range []agenda.LocationType{agenda.PublicOffice, agenda.Phone} {
				f := base
				f.Event, f.Variant, f.LocationType = ev.event, ev.variant, lt
				text := SMSText(f)
				if !IsGSM(text) || GSMUnits(text) > SMSBudget || SMSParts(text) != 1 {
					t.Errorf("%s/%s %s: %d units, GSM %v:\n%s", ev.event, ev.variant, lt, GSMUnits(text), IsGSM(text), text)
				}
				if ev.event != reminders.EventAnnulation && !strings.Contains(text, "K7PQ3XMA") {
					t.Errorf("%s: no short code:\n%s", ev.event, text)
				}
				if !strings.Contains(text, nationalPhone(f.Phone)) {
					t.Errorf("%s: no phone:\n%s", ev.event, text)
				}
				if !strings.Contains(text, smsWhen(f.Start, paris)[strings.Index(smsWhen(f.Start, paris), "à"):]) {
					t.Errorf("%s: no time:\n%s", ev.event, text)
				}
			}
		}
	}
	// Short values keep everything, link included.
	f := short
	f.Event, f.CancelURL, f.Street = reminders.EventConfirmation, "https://rdv.mairie.fr/r/K7PQ3XMA", "1 place de la Mairie"
	if text := SMSText(f); !strings.Contains(text, f.CancelURL) || !strings.Contains(text, "1 place de la Mairie") || !strings.Contains(text, "CNI") {
		t.Errorf("short confirmation lost something:\n%s", text)
	}
}

func TestGSMTransliteration(t *testing.T) {
	in := "Élise Cœur, rendez-vous à Évreux : « pièce d’identité », fenêtre, garçon, naïf, où, très — 9\u202fh\u202f30"
	out := ToGSM(in)
	want := "Élise Coeur, rendez-vous à Évreux : \" pièce d'identité \", fenetre, garcon, naif, où, très - 9 h 30"
	if out != want {
		t.Errorf("ToGSM:\n got  %q\n want %q", out, want)
	}
	if !IsGSM(out) || IsGSM("ê") || IsGSM("«") {
		t.Error("IsGSM")
	}
	if GSMUnits("a€[") != 5 {
		t.Errorf("extension characters count two: %d", GSMUnits("a€["))
	}
	if SMSParts(strings.Repeat("a", 160)) != 1 || SMSParts(strings.Repeat("a", 161)) != 2 || SMSParts(strings.Repeat("a", 307)) != 3 {
		t.Error("SMSParts")
	}
}
