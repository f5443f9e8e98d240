package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// cardsOracle is what ListAgendaCards must return: the RDVs of ListAgendaRdvs with the names
// UsagersByID gives their participants (its implementation before it became one query).
func cardsOracle(t *testing.T, db *DB, orgID, lieuID string, from, to time.Time, cancelled bool) []AgendaCard {
	t.Helper()
	ctx := context.Background()
	rdvs, err := db.ListAgendaRdvs(ctx, orgID, lieuID, from, to, cancelled)
	if err != nil {
		t.Fatal(err)
	}
	usagers, err := db.UsagersByID(ctx, ParticipantIDs(rdvs))
	if err != nil {
		t.Fatal(err)
	}
	var out []AgendaCard
	for _, r := range rdvs {
		c := AgendaCard{ID: r.ID, MotifID: r.MotifID, StartsAt: r.StartsAt, EndsAt: r.EndsAt,
			Status: r.Status, DocumentsNumber: r.DocumentsNumber, AgentIDs: r.AgentIDs}
		for _, p := range r.Participations {
			u := usagers[p.UsagerID]
			c.People = append(c.People, CardPerson{LastName: u.LastName, FirstName: u.FirstName, ArrivedAt: p.ArrivedAt})
		}
		out = append(out, c)
	}
	return out
}

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
			t.Fatal(c.name, err)
		}
		if len(got) != c.n {
			t.Fatalf("%s: %d cards, want %d", c.name, len(got), c.n)
		}
		if want := cardsOracle(t, f.db, c.org, c.lieu, from, to, c.cancelled); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", c.name, got, want)
		}
	}
	got, _ := f.db.ListAgendaCards(ctx, f.org.ID, "", from, to, false)
	if s := got[0]; len(s.People) != 3 || s.People[0].LastName != "Martin" || s.People[2].LastName != "Zimmer" || s.People[1].ArrivedAt == nil {
		t.Fatalf("the session's people, in the order they joined, with the arrival: %+v", s.People)
	}
	if len(got[1].AgentIDs) != 2 {
		t.Fatalf("the RDV held by two agendas: %+v", got[1].AgentIDs)
	}
}
