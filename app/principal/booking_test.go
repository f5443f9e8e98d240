package principal_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"rdvguichet/app"
	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

// result decodes a call's result into out, failing on any failure.
func result(t *testing.T, what string, reply poste.CallReply, err error, out any) {
	t.Helper()
	if err != nil || reply.Error != nil {
		t.Fatalf("%s: %+v %v", what, reply.Error, err)
	}
	if err := json.Unmarshal(reply.Result, out); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// kioskMotif is a kiosk motif without ANTS titles (no pré-demande to type).
func kioskMotif(t *testing.T, borne *poste.Client) app.KioskMotif {
	t.Helper()
	var home app.KioskHome
	reply, err := call(t, borne, "app.KioskService.Home")
	result(t, "home", reply, err, &home)
	for _, m := range home.Motifs {
		if !m.Ants {
			return m
		}
	}
	t.Fatal("no kiosk motif without ANTS titles")
	return app.KioskMotif{}
}

// kioskTimes are the free times the kiosk offers for motif, day after day.
func kioskTimes(t *testing.T, borne *poste.Client, motif string) []app.KioskTime {
	t.Helper()
	var days []app.KioskDay
	reply, err := call(t, borne, "app.KioskService.Days", motif, 1)
	result(t, "days", reply, err, &days)
	var out []app.KioskTime
	for _, d := range days {
		var times []app.KioskTime
		reply, err := call(t, borne, "app.KioskService.Times", motif, d.Date, 1)
		result(t, "times", reply, err, &times)
		out = append(out, times...)
	}
	return out
}

func kioskRequest(motif string, at app.KioskTime, lastName string) app.KioskBookRequest {
	return app.KioskBookRequest{MotifID: motif, Start: at.Start, LieuID: at.LieuID, Documents: 1,
		LastName: lastName, FirstName: "Hélène", Phone: "06 12 34 56 78", PreDemandes: []string{}}
}

// A kiosk poste and a counter poste book the same slot at the same moment: exactly one gets it,
// the other is told the slot was just taken and offered the next free ones.
func TestKioskAndCounterRaceForOneSlot(t *testing.T) {
	o := newOffice(t)
	o.start()
	borne := o.pair("Borne du hall", store.RoleBorne)
	guichet := o.pair("Guichet 2", store.RoleGuichet)
	var startup app.Startup
	reply, err := call(t, guichet, "app.AgentService.SignIn", "karim", demo.Password)
	result(t, "sign-in", reply, err, &startup)

	// A time the kiosk offers where a single agent is free: one seat, two buyers.
	motif := kioskMotif(t, borne)
	offered := map[string]app.KioskTime{}
	for _, k := range kioskTimes(t, borne, motif.ID) {
		offered[k.Start] = k
	}
	var slots []app.SlotView
	reply, err = call(t, guichet, "app.AgentService.FindSlots", app.SlotQuery{MotifID: motif.ID, Limit: 200})
	result(t, "slots", reply, err, &slots)
	free := map[string][]app.SlotView{}
	for _, s := range slots {
		free[s.Start] = append(free[s.Start], s)
	}
	var slot app.SlotView
	for start, ss := range free {
		if _, ok := offered[start]; ok && len(ss) == 1 {
			slot = ss[0]
			break
		}
	}
	if slot.Start == "" {
		t.Fatal("no time with a single free agent offered at the kiosk")
	}

	var wg sync.WaitGroup
	var kioskRes app.KioskBookResult
	var agentRes app.BookResult
	var kioskReply, agentReply poste.CallReply
	var kioskErr, agentErr error
	ready := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		<-ready
		kioskReply, kioskErr = call(t, borne, "app.KioskService.Book", kioskRequest(motif.ID, offered[slot.Start], "BORNE"))
	}()
	go func() {
		defer wg.Done()
		<-ready
		agentReply, agentErr = call(t, guichet, "app.AgentService.Book", app.BookInput{MotifID: motif.ID, LieuID: slot.LieuID, AgentID: slot.AgentID,
			Start: slot.Start, Documents: 1, NewUsager: &app.UsagerForm{LastName: "GUICHET", FirstName: "Paul", Phone: "06 98 76 54 32"}})
	}()
	close(ready)
	wg.Wait()
	result(t, "kiosk booking", kioskReply, kioskErr, &kioskRes)
	result(t, "counter booking", agentReply, agentErr, &agentRes)

	kioskWon, agentWon := kioskRes.Ticket != nil, agentRes.Rdv != nil
	if kioskWon == agentWon {
		t.Errorf("exactly one booking must succeed: kiosk %+v, counter %+v (slot %+v, kiosk ticket %+v)", kioskRes, agentRes, slot, kioskRes.Ticket)
	}
	taken := messages.Text(messages.French, agenda.CodeSlotTaken, nil)
	switch {
	case kioskWon && (!agentRes.Conflict || len(agentRes.Alternatives) == 0 || !strings.HasPrefix(agentRes.Message, taken)):
		t.Errorf("the counter's refusal: %+v", agentRes)
	case agentWon && (!kioskRes.Conflict || len(kioskRes.Alternatives) == 0 || !strings.HasPrefix(kioskRes.Message, taken)):
		t.Errorf("the kiosk's refusal: %+v", kioskRes)
	}
	if n := activeAt(t, o.db, slot); n != 1 {
		t.Errorf("%d active RDVs on the slot, want 1", n)
	}
}

// activeAt counts the active RDVs of the slot's agent starting at the slot, in the data file.
func activeAt(t *testing.T, path string, slot app.SlotView) int {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start, _ := time.Parse(time.RFC3339, slot.Start)
	org, err := db.OfficeOrganisation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rdvs, err := db.ListAgendaRdvs(context.Background(), org.ID, "", start, start.Add(time.Minute), false)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rdvs {
		if r.StartsAt.Equal(start) && len(r.AgentIDs) == 1 && r.AgentIDs[0] == slot.AgentID {
			n++
		}
	}
	return n
}

// rdvsOf counts the RDVs of the usagers named lastName, in the data file.
func rdvsOf(t *testing.T, path, lastName string) int {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	us, err := db.SearchUsagers(context.Background(), lastName, 10)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range us {
		rdvs, err := db.ListUsagerRdvs(context.Background(), u.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		n += len(rdvs)
	}
	return n
}

// The principal is killed (SIGKILL) while a kiosk's booking is on its way, at several moments;
// it restarts; the kiosk's retry carries the same idempotency key: exactly one RDV each time.
func TestPrincipalKilledDuringBooking(t *testing.T) {
	o := newOffice(t)
	o.start()
	borne := o.pair("Borne du hall", store.RoleBorne)
	motif := kioskMotif(t, borne)
	times := kioskTimes(t, borne, motif.ID)
	delays := []time.Duration{0, time.Millisecond, 3 * time.Millisecond, 6 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}
	if len(times) < len(delays) {
		t.Fatalf("%d free times", len(times))
	}
	lost := 0
	for i, d := range delays {
		name := fmt.Sprintf("PANNE%c", 'A'+i)
		// The poste retries for 15 s: long enough for the principal to come back, even on a busy machine.
		borne.SetBackoff(repeat(150, 100*time.Millisecond)...)
		done := make(chan error, 1)
		var reply poste.CallReply
		go func() {
			var err error
			reply, err = callKey(t, borne, uuid.NewString(), "app.KioskService.Book", kioskRequest(motif.ID, times[i], name))
			done <- err
		}()
		time.Sleep(d)
		o.kill()
		o.start()
		// The answer is the booking, or — when the principal stopped between the booking's
		// commit and its answer's — the honest « recorded, check » rather than a second booking.
		err := <-done
		var res app.KioskBookResult
		switch {
		case agenda.CodeOf(err) == agenda.CodePosteReponse || errorCode(err) == agenda.CodePosteReponse:
			lost++
		case err != nil:
			t.Fatalf("%s (kill after %v): %v", name, d, err)
		case reply.Error != nil:
			t.Errorf("%s: %+v", name, reply.Error)
		default:
			if err := json.Unmarshal(reply.Result, &res); err != nil || res.Ticket == nil {
				t.Errorf("%s: %s %v", name, reply.Result, err)
			}
		}
		if n := rdvsOf(t, o.db, name); n != 1 {
			t.Errorf("%s (kill after %v): %d RDVs, want exactly 1", name, d, n)
		}
	}
	t.Logf("%d of %d answers lost between the booking and its record", lost, len(delays))
}

// errorCode is the code of the principal's refusal err ("" for another error).
func errorCode(err error) agenda.Code {
	var r *poste.Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

// A retry with the same key gets the same answer, and books nothing more.
func TestSameKeySameAnswer(t *testing.T) {
	o := newOffice(t)
	o.start()
	borne := o.pair("Borne du hall", store.RoleBorne)
	motif := kioskMotif(t, borne)
	at := kioskTimes(t, borne, motif.ID)[0]
	key := uuid.NewString()
	first, err1 := callKey(t, borne, key, "app.KioskService.Book", kioskRequest(motif.ID, at, "DOUBLON"))
	o.kill()
	o.start() // the answer is kept in the data file
	second, err2 := callKey(t, borne, key, "app.KioskService.Book", kioskRequest(motif.ID, at, "DOUBLON"))
	if err1 != nil || err2 != nil || string(first.Result) != string(second.Result) || first.Result == nil {
		t.Fatalf("first %s %v, second %s %v", first.Result, err1, second.Result, err2)
	}
	if n := rdvsOf(t, o.db, "DOUBLON"); n != 1 {
		t.Errorf("%d RDVs, want 1", n)
	}
	// The same key for another method is a mistake, not a replay.
	_, err := callKey(t, borne, key, "app.KioskService.CheckIn", "XXXX")
	refusedWith(t, "key reused for another method", err, agenda.CodePosteRequete)
}

func repeat(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}
