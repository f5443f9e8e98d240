package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// TestAgendaQueriesUseIndexes checks that the agenda's queries range over an index instead of
// scanning rdvs: the agenda's week must cost the week's rows, not the file's.
func TestAgendaQueriesUseIndexes(t *testing.T) {
	f := newFixture(t, 1)
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{
		"org":       {"SELECT " + rdvCols + " " + agendaByOrg, []any{"o", 1, 0, 0, false}},
		"lieu":      {"SELECT " + rdvCols + " " + agendaByLieu, []any{"l", 1, 0, 0, false, "o"}},
		"toFill":    {"SELECT " + rdvCols + " " + toFill, []any{"o", 1, 0, 10}},
		"builtOrg":  {builtCardsByOrg, []any{"o", 1, 0, 0, false}},
		"builtLieu": {builtCardsByLieu, []any{"o", 1, 0, 0, false, "l"}},
	} {
		rows, err := f.db.r.Query("EXPLAIN QUERY PLAN "+q.sql, q.args...)
		if err != nil {
			t.Fatal(name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		ranged := strings.Contains(text, "USING INDEX") || strings.Contains(text, "USING PRIMARY KEY")
		if !ranged || !strings.Contains(text, "starts_at>") || strings.Contains(text, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: the plan does not range over an index:\n%s", name, text)
		}
	}
}

func TestListAgendaRdvsAndUsagers(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	a, err := f.book(at(0, 9, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.book(at(1, 9, 0), f.agents[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Cancel(ctx, b.ID, agenda.ByAgent(f.agents[0].ID), true); err != nil {
		t.Fatal(err)
	}
	from, to := monday.At(0, paris), monday.AddDays(7).At(0, paris)
	got, err := f.db.ListAgendaRdvs(ctx, f.org.ID, "", from, to, false)
	if err != nil || len(got) != 1 || got[0].ID != a.ID || len(got[0].Participations) != 1 {
		t.Fatalf("active only: %v %+v", err, got)
	}
	got, err = f.db.ListAgendaRdvs(ctx, f.org.ID, f.lieu.ID, from, to, true)
	if err != nil || len(got) != 2 {
		t.Fatalf("with cancelled, by lieu: %v %d", err, len(got))
	}
	if got, _ := f.db.ListAgendaRdvs(ctx, "another", "", from, to, true); len(got) != 0 {
		t.Fatalf("another organisation sees %d RDVs", len(got))
	}
	us, err := f.db.UsagersByID(ctx, ParticipantIDs(got))
	if err != nil || len(us) != 1 || us[f.usager.ID].LastName != "Dupont" {
		t.Fatalf("usagers: %v %+v", err, us)
	}

	f.clock.Set(at(2, 8, 0))
	todo, err := f.db.ListRdvsToFill(ctx, f.org.ID, from, monday.AddDays(2).At(0, paris), 10)
	if err != nil || len(todo) != 1 || todo[0].ID != a.ID {
		t.Fatalf("to fill: %v %+v", err, todo)
	}
}

func TestFindFreeWithDocuments(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	// 09:00–10:00 free, 10:00 taken: three 30-minute titles need 90 minutes in one block.
	if _, err := f.book(at(0, 10, 0), f.agents[0].ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.FindFree(ctx, SlotQuery{MotifID: f.motif.ID, AgentID: f.agents[0].ID, From: at(0, 8, 0), Documents: 3, N: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("%v %+v", err, got)
	}
	if want := at(0, 10, 30); !got[0].Start.Equal(want) || got[0].End.Sub(got[0].Start) != 90*time.Minute {
		t.Fatalf("first 90-minute block: got %v–%v, want %v", got[0].Start, got[0].End, want)
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("demo-guichet")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("not a PHC argon2id string: %s", h)
	}
	if !CheckPassword(h, "demo-guichet") || CheckPassword(h, "demo-guichet ") || CheckPassword("", "") || CheckPassword("$argon2id$x", "a") {
		t.Fatal("CheckPassword")
	}
	if h2, _ := HashPassword("demo-guichet"); h2 == h {
		t.Fatal("two hashes of one password share their salt")
	}
}
