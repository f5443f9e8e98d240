package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// rawDB opens the file with plain SQL, bypassing every line of Go in this package, to prove that
// the guarantee lives in the database.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestTriggerRefusesOverlapInPlainSQL(t *testing.T) {
	f := newFixture(t, 2)
	raw := rawDB(t, f.path)
	agent := f.agents[1].ID
	nine := at(1, 9, 0).UnixMilli()
	min := int64(60_000)
	insert := func(id string, start, end int64, status string) error {
		tx, err := raw.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec(`INSERT INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`, id, f.org.ID, f.motif.ID, f.lieu.ID, start, end, status); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO rdv_agents(rdv_id, agent_id, organisation_id, starts_at, ends_at, active)
			VALUES (?, ?, ?, ?, ?, ?)`, id, agent, f.org.ID, start, end, b2i(status != "excused" && status != "revoked")); err != nil {
			return err
		}
		return tx.Commit()
	}
	taken := func(err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "creneau_pris") {
			t.Fatalf("want creneau_pris, got %v", err)
		}
	}
	if err := insert("a", nine, nine+30*min, "unknown"); err != nil {
		t.Fatal(err)
	}
	taken(insert("b", nine, nine+30*min, "unknown"))         // same slot
	taken(insert("c", nine+15*min, nine+45*min, "unknown"))  // overlaps the end
	taken(insert("d", nine-15*min, nine+15*min, "unknown"))  // overlaps the start
	taken(insert("e", nine-60*min, nine+120*min, "unknown")) // covers it
	taken(insert("f", nine+10*min, nine+20*min, "seen"))     // inside it; seen still holds the slot
	if err := insert("g", nine+30*min, nine+60*min, "unknown"); err != nil {
		t.Fatalf("back-to-back after: %v", err)
	}
	if err := insert("h", nine-30*min, nine, "noshow"); err != nil {
		t.Fatalf("back-to-back before: %v", err)
	}
	if err := insert("i", nine, nine+30*min, "excused"); err != nil {
		t.Fatalf("a cancelled RDV holds no slot: %v", err)
	}
	// Re-activating the cancelled one, or moving another onto a taken slot, with plain UPDATEs on
	// rdvs: the rdvs trigger carries the change to rdv_agents, whose trigger refuses it.
	_, err := raw.Exec("UPDATE rdvs SET status = 'unknown' WHERE id = 'i'")
	taken(err)
	_, err = raw.Exec("UPDATE rdvs SET starts_at = ?, ends_at = ? WHERE id = 'g'", nine+20*min, nine+50*min)
	taken(err)
	if _, err := raw.Exec("UPDATE rdvs SET status = 'revoked' WHERE id = 'a'"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE rdvs SET status = 'unknown' WHERE id = 'i'"); err != nil {
		t.Fatalf("slot freed by the revocation: %v", err)
	}
	// The denormalised row cannot lie about its RDV.
	if _, err := raw.Exec("UPDATE rdv_agents SET active = 0 WHERE rdv_id = 'i'"); err == nil || !strings.Contains(err.Error(), "rdv_agents_incoherent") {
		t.Fatalf("incoherent update accepted: %v", err)
	}
	var n int
	raw.QueryRow("SELECT count(*) FROM rdv_agents WHERE agent_id = ? AND active = 1", agent).Scan(&n)
	if n != 3 { // g, h, i
		t.Fatalf("%d active rows", n)
	}
	// Through the Go API, the trigger's refusal is the French Conflict.
	_, err = f.db.Book(context.Background(), BookRequest{MotifID: f.motif.ID, AgentID: agent, Start: at(1, 9, 0), Usagers: []string{f.usager.ID}, By: agenda.ByAgent(f.agents[0].ID), Override: true})
	wantConflict(t, err)
	if agenda.CodeOf(err) != agenda.CodeSlotTaken {
		t.Fatal(err)
	}
}

func TestCollectifCapacity(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	start := at(2, 14, 0)
	session, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: start, By: agenda.ByAgent(f.agents[0].ID)})
	if err != nil {
		t.Fatal(err)
	}
	if !session.Collectif || session.Capacity != 3 || len(session.Participations) != 0 {
		t.Fatalf("session %+v", session)
	}
	var us []agenda.Usager
	for i := range 4 {
		us = append(us, f.newUsager(t, "Usager", "Atelier"+string(rune('A'+i))))
	}
	for i := range 3 {
		r, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, Start: start, Usagers: []string{us[i].ID}, Origine: agenda.OrigineKiosk, By: agenda.Kiosk})
		if err != nil {
			t.Fatalf("seat %d: %v", i, err)
		}
		if r.ID != session.ID || len(r.Participations) != i+1 {
			t.Fatalf("seat %d joined %s with %d participations", i, r.ID, len(r.Participations))
		}
	}
	_, err = f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, Start: start, Usagers: []string{us[3].ID}, Origine: agenda.OrigineKiosk, By: agenda.Kiosk})
	wantConflict(t, err)

	// Plain SQL cannot squeeze a fourth seat in either.
	raw := rawDB(t, f.path)
	_, err = raw.Exec("INSERT INTO participations(rdv_id, usager_id, organisation_id, status) VALUES (?, ?, ?, 'unknown')", session.ID, us[3].ID, f.org.ID)
	if err == nil || !strings.Contains(err.Error(), "collectif_complet") {
		t.Fatalf("want collectif_complet, got %v", err)
	}
	// A cancelled seat frees a place; re-activating it when the place is gone is refused.
	if _, err := f.db.SetParticipationStatus(ctx, session.ID, us[0].ID, agenda.StatusExcused, agenda.Kiosk); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, Start: start, Usagers: []string{us[3].ID}, Origine: agenda.OrigineKiosk, By: agenda.Kiosk}); err != nil {
		t.Fatalf("freed seat: %v", err)
	}
	_, err = raw.Exec("UPDATE participations SET status = 'unknown' WHERE rdv_id = ? AND usager_id = ?", session.ID, us[0].ID)
	if err == nil || !strings.Contains(err.Error(), "collectif_complet") {
		t.Fatalf("want collectif_complet on re-activation, got %v", err)
	}
}

// 200 goroutines want the same slot: one RDV, 199 clear refusals.
func TestConcurrentBookingsOneWinner(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	start := at(3, 10, 30)
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			_, errs[i] = f.db.Book(ctx, BookRequest{MotifID: f.motif.ID, LieuID: f.lieu.ID, AgentID: f.agents[1].ID, Start: start,
				Usagers: []string{f.usager.ID}, By: agenda.ByAgent(f.agents[0].ID)})
		}()
	}
	close(gate)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case isConflict(err):
			conflicts++
			if agenda.CodeOf(err) != agenda.CodeSlotTaken {
				t.Fatalf("code: %v", err)
			}
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflicts != n-1 {
		t.Fatalf("%d successes, %d conflicts", ok, conflicts)
	}
	rdvs, err := f.db.ListRdvsBetween(ctx, start.Add(-time.Hour), start.Add(time.Hour), RdvFilter{IncludeCancelled: true})
	if err != nil || len(rdvs) != 1 {
		t.Fatalf("%d RDVs in the db (%v)", len(rdvs), err)
	}
	if n, _ := f.db.PendingOutboxCount(ctx); n == 0 {
		t.Fatal("no outbox op")
	}
}

// Cancelling frees the slot for a new booking; moving goes through the same check; re-activating
// an RDV whose slot was taken since is a Conflict.
func TestMoveAndCancel(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	a, b := f.agents[0].ID, f.agents[1].ID
	r1, err := f.book(at(1, 9, 0), a)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.book(at(1, 9, 0), a)
	wantConflict(t, err)
	if _, err := f.db.Cancel(ctx, r1.ID, agenda.ByAgent(a), true); err != nil {
		t.Fatal(err)
	}
	got, _ := f.db.GetRdv(ctx, r1.ID)
	if got.Status != agenda.StatusExcused || got.CancelledAt == nil || got.Version != 2 {
		t.Fatalf("cancelled RDV %+v", got)
	}
	if _, err := f.book(at(1, 9, 0), a); err != nil {
		t.Fatalf("cancel did not free the slot: %v", err)
	}
	// Back to unknown (« Réinitialiser ») is allowed by the rules but the slot is gone.
	_, err = f.db.SetStatus(ctx, r1.ID, agenda.StatusUnknown, agenda.ByAgent(a))
	wantConflict(t, err)

	r3, err := f.book(at(1, 10, 0), b)
	if err != nil {
		t.Fatal(err)
	}
	// Move r3 onto r2 (agent a, 09:00): taken. Onto 09:30 with agent a: free.
	_, err = f.db.Move(ctx, r3.ID, at(1, 9, 0), a, agenda.ByAgent(a), false)
	wantConflict(t, err)
	_, err = f.db.Move(ctx, r3.ID, at(1, 9, 15), a, agenda.ByAgent(a), false) // overlaps r2 by 15 min
	wantConflict(t, err)
	moved, err := f.db.Move(ctx, r3.ID, at(1, 9, 30), a, agenda.ByAgent(a), false)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.StartsAt.Equal(at(1, 9, 30)) || moved.AgentIDs[0] != a || moved.Version != r3.Version+1 {
		t.Fatalf("moved %+v", moved)
	}
	// Its old slot (agent b, 10:00) is free again; moving within its own time is fine too.
	if _, err := f.book(at(1, 10, 0), b); err != nil {
		t.Fatalf("old slot not freed: %v", err)
	}
	if moved, err = f.db.Move(ctx, moved.ID, at(1, 9, 45), "", agenda.ByAgent(a), false); err != nil {
		t.Fatalf("move overlapping its own old time: %v", err)
	}
	// Outside the plages: refused, unless an agent forces it (not over another RDV).
	_, err = f.db.Move(ctx, moved.ID, at(1, 12, 30), "", agenda.ByAgent(a), false)
	if kindOf(err) != agenda.Invalid {
		t.Fatalf("outside plages: %v", err)
	}
	if _, err := f.db.Move(ctx, moved.ID, at(1, 12, 30), "", agenda.ByAgent(a), true); err != nil {
		t.Fatalf("override: %v", err)
	}
	hist, err := f.db.RdvHistory(ctx, r1.ID)
	if err != nil || len(hist) < 2 || hist[0].From != "" || hist[1].To != agenda.StatusExcused {
		t.Fatalf("history %+v %v", hist, err)
	}
}
