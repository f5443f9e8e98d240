package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/server"
	"rdvguichet/sync/testkit"
)

// A plage moved from the online channel to the counter, with the real programs: until the
// central has acknowledged the op, the office sells none of its slots and the central still
// does (it has not applied the change); after the sync, the central no longer sells them and
// the office's counter does.
func TestChannelTransfer(t *testing.T) {
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	file, org, token := registerOffice(t, dsn)
	syncOffice(t, file, base, token)
	ctx := context.Background()

	// An online slot of the demo, and the plages that sell it.
	api := base + server.PathPublic + org
	var motifs server.MotifsReply
	getJSON(t, api+"/motifs", &motifs)
	if len(motifs.Motifs) == 0 {
		t.Fatal("the demo sells no motif online")
	}
	motif := motifs.Motifs[0].ID
	online := func(start time.Time) bool {
		t.Helper()
		var slots server.CreneauxReply
		getJSON(t, fmt.Sprintf("%s/creneaux?motif=%s&from=%s&days=1", api, motif, agenda.DateOf(start.In(paris()))), &slots)
		return slices.ContainsFunc(slots.Creneaux, func(c server.PublicCreneau) bool { return c.Start.Equal(start) })
	}
	db := openOffice(t, file)
	first, err := db.FindFree(ctx, store.SlotQuery{MotifID: motif, N: 1, Origine: agenda.OrigineEnLigne})
	if err != nil || len(first) == 0 {
		t.Fatalf("no online slot at the office: %v", err)
	}
	slot := first[0]
	counter := func(db *store.DB) int { // agents the counter offers at the slot's start
		t.Helper()
		free, err := db.FindFree(ctx, store.SlotQuery{MotifID: motif, LieuID: slot.LieuID, From: slot.Start, N: 50, Origine: agenda.OrigineGuichet})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range free {
			if c.Start.Equal(slot.Start) {
				n++
			}
		}
		return n
	}
	before := counter(db)
	if !online(slot.Start) {
		t.Fatal("the central does not sell the office's online slot")
	}

	// Every online plage of the motif goes to the counter.
	plages, err := db.ListPlages(ctx, org, "")
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for _, p := range plages {
		if p.Canal == agenda.CanalEnLigne && slices.Contains(p.MotifIDs, motif) {
			p.Canal = agenda.CanalGuichet
			if p, err = db.SavePlage(ctx, p); err != nil || !p.EnTransfert {
				t.Fatalf("transfer: %+v %v", p, err)
			}
			moved++
		}
	}
	if n := counter(db); n != before {
		t.Fatalf("the counter sells %d agents at %v before the central's acknowledgement, %d before the transfer", n, slot.Start, before)
	}
	if !online(slot.Start) {
		t.Fatal("the central stopped selling before it applied the transfer")
	}
	db.Close()

	if r, _ := syncOffice(t, file, base, token); r.Pushed != moved || r.Rejected != 0 {
		t.Fatalf("sync: %+v, want the %d plages pushed and accepted", r, moved)
	}
	if online(slot.Start) {
		t.Fatal("the central sells a plage given back to the counter")
	}
	db = openOffice(t, file)
	defer db.Close()
	if n := counter(db); n <= before {
		t.Fatalf("after the acknowledgement the counter sells %d agents at %v, %d before", n, slot.Start, before)
	}
}

func openOffice(t testing.TB, file string) *store.DB {
	t.Helper()
	db, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func paris() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}
