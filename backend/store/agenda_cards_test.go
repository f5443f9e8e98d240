package store

import (
	"context"
	"reflect"
	"testing"

	"rdvguichet/backend/agenda"
)

func TestListAgendaCardsSayWhatTheRdvsSay(t *testing.T) {
	f := newFixture(t, 3)
	ctx := context.Background()
	by := agenda.ByAgent(f.agents[0].ID)
	// A collective session whose participants joined in an order that is not their ids' order.
	people := []agenda.Usager{f.newUsager(t, "Zoé", "Zimmer"), f.newUsager(t, "Ali", "Alaoui"), f.newUsager(t, "Marc", "Martin")}
	var session agenda.Rdv
	for i := len(people) - 1; i >= 0; i-- {
		r, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[1].ID, Start: at(0, 14, 0),
			Usagers: []string{people[i].ID}, By: by})
		if err != nil {
			t.Fatal(err)
		}
		session = r
	}
	if _, err := f.db.MarkArrived(ctx, session.ID, []string{people[1].ID}, at(0, 13, 55)); err != nil {
		t.Fatal(err)
	}
	// An RDV held by two agendas (a guichet and the agent), one cancelled, one the next week.
	two, err := f.book(at(1, 9, 0), f.agents[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, f.path).Exec(`INSERT INTO rdv_agents(rdv_id, agent_id, organisation_id, starts_at, ends_at, active) VALUES (?, ?, ?, ?, ?, 1)`,
		two.ID, f.agents[0].ID, f.org.ID, ms(two.StartsAt), ms(two.EndsAt)); err != nil {
		t.Fatal(err)
	}
	cancelled, err := f.book(at(2, 10, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Cancel(ctx, cancelled.ID, by, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.book(at(7, 9, 0), f.agents[0].ID); err != nil {
		t.Fatal(err)
	}

	from, to := monday.At(0, paris), monday.AddDays(7).At(0, paris)
	compare := func(mode string) {
		t.Helper()
		for _, c := range []struct {
			name, org, lieu string
			cancelled       bool
			n               int
		}{
			{"active", f.org.ID, "", false, 2},
			{"with cancelled", f.org.ID, "", true, 3},
			{"by lieu", f.org.ID, f.lieu.ID, true, 3},
			{"another lieu", f.org.ID, "elsewhere", true, 0},
			{"another organisation", "another", "", true, 0},
		} {
			got, err := f.db.ListAgendaCards(ctx, c.org, c.lieu, from, to, c.cancelled)
			if err != nil {
				t.Fatal(mode, c.name, err)
			}
			if len(got) != c.n {
				t.Fatalf("%s, %s: %d cards, want %d", mode, c.name, len(got), c.n)
			}
			want, err := f.db.cardsFromTables(ctx, c.org, c.lieu, from, to, c.cancelled)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, %s:\n got %+v\nwant %+v", mode, c.name, got, want)
			}
		}
	}
	// A new file's cards are complete from the start (the triggers wrote them).
	if drift := cardsDrift(t, f.db); drift != 0 {
		t.Fatalf("%d cards out of step", drift)
	}
	compare("read model")
	// A file from before the read model: its cards missing, the tables are read; once built,
	// the read model again.
	raw := rawDB(t, f.path)
	if _, err := raw.Exec("DELETE FROM agenda_cards; DELETE FROM settings WHERE key = ?", cardsBuiltKey); err != nil {
		t.Fatal(err)
	}
	f.db.cardsComplete.Store(false)
	compare("tables")
	if err := f.db.BuildAgendaCards(ctx); err != nil {
		t.Fatal(err)
	}
	if !f.db.cardsComplete.Load() || cardsDrift(t, f.db) != 0 {
		t.Fatalf("after the build: complete %v, %d cards out of step", f.db.cardsComplete.Load(), cardsDrift(t, f.db))
	}
	compare("built")
	got, _ := f.db.ListAgendaCards(ctx, f.org.ID, "", from, to, false)
	if s := got[0]; len(s.People) != 3 || s.People[0].LastName != "Martin" || s.People[2].LastName != "Zimmer" || s.People[1].ArrivedAt == nil {
		t.Fatalf("the session's people, in the order they joined, with the arrival: %+v", s.People)
	}
	if len(got[1].AgentIDs) != 2 {
		t.Fatalf("the RDV held by two agendas: %+v", got[1].AgentIDs)
	}
}

// cardsDrift counts the cards of agenda_cards that differ from what agenda_card_source computes,
// either way: 0 when the triggers kept the read model in step with the tables.
func cardsDrift(t interface{ Fatal(...any) }, db *DB) int {
	var n int
	if err := db.r.QueryRow(`SELECT (SELECT count(*) FROM (SELECT * FROM agenda_cards EXCEPT SELECT * FROM agenda_card_source))
		+ (SELECT count(*) FROM (SELECT * FROM agenda_card_source EXCEPT SELECT * FROM agenda_cards))`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The triggers keep every card in step through what changes one: a move, a cancellation, an
// arrival, a new name, an usager erased, an RDV purged.
func TestAgendaCardsFollowEveryChange(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	by := agenda.ByAgent(f.agents[0].ID)
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(what, err)
		}
		if n := cardsDrift(t, f.db); n != 0 {
			t.Fatalf("after %s: %d cards out of step", what, n)
		}
	}
	r, err := f.book(at(0, 9, 0), f.agents[0].ID)
	step("a booking", err)
	_, err = f.db.Move(ctx, r.ID, at(1, 10, 0), f.agents[1].ID, by, false)
	step("a move to another day and agenda", err)
	_, err = f.db.MarkArrived(ctx, r.ID, []string{f.usager.ID}, at(1, 9, 55))
	step("an arrival", err)
	u := f.usager
	u.LastName = "Dupont-Moreau"
	_, err = f.db.SaveUsager(ctx, u)
	step("a new name", err)
	other := f.newUsager(t, "Ali", "Alaoui")
	_, err = f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(2, 14, 0), Usagers: []string{other.ID}, By: by})
	step("a session", err)
	_, err = f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(2, 14, 0), Usagers: []string{f.usager.ID}, By: by})
	step("a second seat", err)
	_, err = f.db.Cancel(ctx, r.ID, by, true)
	step("a cancellation", err)
	_, err = f.db.EraseUsager(ctx, other.ID, by)
	step("an usager erased", err)
	_, err = rawDB(t, f.path).Exec("DELETE FROM rdvs WHERE id = ?", r.ID)
	step("an RDV deleted", err)
	var n int
	f.db.r.QueryRow("SELECT count(*) FROM agenda_cards").Scan(&n)
	if n != 1 {
		t.Fatalf("%d cards, want the session's", n)
	}
}
