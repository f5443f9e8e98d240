package store

import (
	"testing"

	"rdvguichet/backend/agenda"
)

// A plage whose canal changes at an office that syncs is en transfert until the central
// acknowledges the change: the counter and the kiosk sell none of its slots, whichever way it
// goes, and its latest op's acknowledgement ends it. An office alone changes channel at once.
func TestPlageTransfer(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	morning := f.plages[0] // agent 0, weekdays 9:00–12:00
	offered := func(o agenda.Origine) bool {
		t.Helper()
		slots, err := f.db.FindFree(ctx, SlotQuery{MotifID: f.motif.ID, AgentID: f.agents[0].ID, From: at(1, 9, 0), N: 1, Origine: o})
		if err != nil {
			t.Fatal(err)
		}
		return len(slots) > 0 && slots[0].Start.Equal(at(1, 9, 0))
	}
	save := func(c agenda.Canal) agenda.PlageOuverture {
		t.Helper()
		p, err := f.db.GetPlage(ctx, morning.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Canal = c
		saved, err := f.db.SavePlage(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := f.db.GetPlage(ctx, p.ID); got.EnTransfert != saved.EnTransfert {
			t.Fatalf("saved en transfert %v, read %v", saved.EnTransfert, got.EnTransfert)
		}
		return saved
	}

	// Alone, the office is the only seller: the change is immediate.
	if p := save(agenda.CanalEnLigne); p.EnTransfert || offered(agenda.OrigineGuichet) {
		t.Fatalf("alone: en transfert %v, counter offers 9:00 %v", p.EnTransfert, offered(agenda.OrigineGuichet))
	}
	save(agenda.CanalGuichet)
	f.ackAll(t)

	if err := f.db.SetSyncServer(ctx, "https://central.example.fr"); err != nil {
		t.Fatal(err)
	}
	if p := save(agenda.CanalEnLigne); !p.EnTransfert {
		t.Fatal("guichet → en_ligne: not en transfert")
	}
	if offered(agenda.OrigineGuichet) || offered(agenda.OrigineKiosk) {
		t.Fatal("the office sells a plage en transfert")
	}
	if _, err := f.book(at(1, 9, 0), f.agents[0].ID); agenda.CodeOf(err) != agenda.CodeOutsidePlages {
		t.Fatalf("booking in a plage en transfert: %v", err)
	}
	// Back to guichet before the answer: still en transfert until the latest op is answered.
	first, err := f.db.PendingOutbox(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	save(agenda.CanalGuichet)
	if err := f.db.AckOutbox(ctx, first[0].OpID, first[0].BaseVersion+1); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.db.GetPlage(ctx, morning.ID); !p.EnTransfert || offered(agenda.OrigineGuichet) {
		t.Fatal("acknowledging an earlier op ended the transfer")
	}
	f.ackAll(t)
	if p, _ := f.db.GetPlage(ctx, morning.ID); p.EnTransfert || !offered(agenda.OrigineGuichet) {
		t.Fatal("the acknowledgement did not give the plage back to the counter")
	}
	// A change that keeps the canal is no transfer.
	p, _ := f.db.GetPlage(ctx, morning.ID)
	p.Title = "Accueil du matin"
	if saved, err := f.db.SavePlage(ctx, p); err != nil || saved.EnTransfert {
		t.Fatalf("title changed: %+v %v", saved, err)
	}
}

// One occurrence moved from the online pages to the counter (ADR 0008): the en_ligne plage
// cancels that day, a one-day guichet plage takes its hours. The central sells the occurrence
// until it has applied the cancellation, so the counter's plage sells nothing there until the
// central acknowledges it — in whichever order the agent saved the two.
func TestOccurrenceMovedFromOnlineToCounter(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	morning := f.plages[0] // agent 0, weekdays 9:00–12:00
	counterSells := func(day int) bool {
		t.Helper()
		slots, err := f.db.FindFree(ctx, SlotQuery{MotifID: f.motif.ID, AgentID: f.agents[0].ID, From: at(day, 9, 0), N: 1,
			Origine: agenda.OrigineGuichet})
		if err != nil {
			t.Fatal(err)
		}
		return len(slots) > 0 && slots[0].Start.Before(at(day, 12, 0))
	}
	save := func(p agenda.PlageOuverture) agenda.PlageOuverture {
		t.Helper()
		saved, err := f.db.SavePlage(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	cancelDay := func(day int) {
		t.Helper()
		p, err := f.db.GetPlage(ctx, morning.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Exceptions = append(p.Exceptions, agenda.Exception{Date: monday.AddDays(day), Cancelled: true})
		save(p)
	}
	oneDay := func(day int) agenda.PlageOuverture {
		return save(agenda.PlageOuverture{OrganisationID: f.org.ID, AgentID: f.agents[0].ID, LieuID: f.lieu.ID, Title: "Guichet exceptionnel",
			MotifIDs: []string{f.motif.ID}, FirstDay: monday.AddDays(day), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Canal: agenda.CanalGuichet})
	}
	enTransfert := func(id string) bool {
		t.Helper()
		p, err := f.db.GetPlage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.EnTransfert
	}

	if err := f.db.SetSyncServer(ctx, "https://central.example.fr"); err != nil {
		t.Fatal(err)
	}
	p, _ := f.db.GetPlage(ctx, morning.ID)
	p.Canal = agenda.CanalEnLigne
	save(p)
	f.ackAll(t)

	// The cancellation first, then the counter's plage.
	cancelDay(1)
	tuesday := oneDay(1)
	if !tuesday.EnTransfert || counterSells(1) {
		t.Fatalf("the counter sells a moved occurrence the central has not given up: en transfert %v, sells %v", tuesday.EnTransfert, counterSells(1))
	}
	if _, err := f.book(at(1, 9, 0), f.agents[0].ID); agenda.CodeOf(err) != agenda.CodeOutsidePlages {
		t.Fatalf("booking in the moved occurrence before the acknowledgement: %v", err)
	}
	f.ackAll(t)
	if enTransfert(tuesday.ID) || !counterSells(1) {
		t.Fatal("the acknowledgement did not give the occurrence to the counter")
	}

	// The counter's plage first, then the cancellation.
	wednesday := oneDay(2)
	cancelDay(2)
	if !enTransfert(wednesday.ID) || counterSells(2) {
		t.Fatal("the counter sells an occurrence whose cancellation online waits for the central")
	}
	f.ackAll(t)
	if enTransfert(wednesday.ID) || !counterSells(2) {
		t.Fatal("the acknowledgement did not give the second occurrence to the counter")
	}

	// Saving the online plage again without new exceptions (its title) stops no counter plage.
	p, _ = f.db.GetPlage(ctx, morning.ID)
	p.Title = "Accueil en ligne"
	save(p)
	if enTransfert(tuesday.ID) || enTransfert(wednesday.ID) {
		t.Fatal("an online plage saved without new exceptions put the counter's plages en transfert")
	}
	f.ackAll(t)

	// A counter plage on a day the online plage still holds waits for no one.
	if thursday := oneDay(3); thursday.EnTransfert {
		t.Fatal("a counter plage beside an online occurrence that did not move is en transfert")
	}
}
