package store

import (
	"database/sql"
	"strings"
	"testing"
)

// rawNoFK opens the file as the sqlite3 shell does by default: foreign keys off. The guarantee
// must not depend on them.
func rawNoFK(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestHandWrittenSQLCannotBypassTheGuarantee(t *testing.T) {
	f := newFixture(t, 2)
	agent := f.agents[1].ID
	nine := at(1, 9, 0).UnixMilli()
	const min = int64(60_000)
	for _, fk := range []bool{false, true} {
		raw := rawNoFK(t, f.path)
		if fk {
			raw = rawDB(t, f.path)
		}
		suffix := map[bool]string{false: "-nofk", true: "-fk"}[fk]
		base := nine + map[bool]int64{false: 0, true: 600 * min}[fk]
		mustExec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		refused := func(want, q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(q, args...); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("fk=%v %s: want %s, got %v", fk, q, want, err)
			}
		}
		insert := func(id string, start int64) {
			mustExec(`INSERT INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, 'unknown', 0, 0)`, id, f.org.ID, f.motif.ID, f.lieu.ID, start, start+30*min)
			mustExec(`INSERT INTO rdv_agents(rdv_id, agent_id, organisation_id, starts_at, ends_at, active)
				VALUES (?, ?, ?, ?, ?, 1)`, id, agent, f.org.ID, start, start+30*min)
		}
		r1, r2 := "r1"+suffix, "r2"+suffix
		insert(r1, base)
		insert(r2, base+60*min)
		// Replacing r2 by a row on r1's slot would not fire the UPDATE trigger.
		refused("rdv_identite_figee", `INSERT OR REPLACE INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'unknown', 0, 0)`, r2, f.org.ID, f.motif.ID, f.lieu.ID, base, base+30*min)
		refused("rdv_identite_figee", `UPDATE rdvs SET id = 'autre' WHERE id = ?`, r2)
		// Deleting an RDV frees its slot: the next one there is accepted.
		mustExec(`DELETE FROM rdvs WHERE id = ?`, r2)
		insert("r3"+suffix, base+60*min)
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM rdv_agents WHERE rdv_id = ?`, r2).Scan(&n); err != nil || n != 0 {
			t.Fatalf("fk=%v: busy rows of a deleted RDV: %d, %v", fk, n, err)
		}
	}
}

func TestHandWrittenSQLCannotOverfillASession(t *testing.T) {
	f := newFixture(t, 2)
	raw := rawNoFK(t, f.path)
	nine := at(1, 9, 0).UnixMilli()
	session := func(id string, capacity int) {
		if _, err := raw.Exec(`INSERT INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, collectif, capacity, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'unknown', 1, ?, 0, 0)`, id, f.org.ID, f.motif.ID, f.lieu.ID, nine, nine+3_600_000, capacity); err != nil {
			t.Fatal(err)
		}
	}
	session("c1", 1)
	session("c2", 3)
	seat := func(rdv, usager string) {
		if _, err := raw.Exec(`INSERT INTO participations(rdv_id, usager_id, organisation_id) VALUES (?, ?, ?)`, rdv, usager, f.org.ID); err != nil {
			t.Fatal(err)
		}
	}
	seat("c1", f.usager.ID)
	seat("c2", "u2")
	seat("c2", "u3")
	if _, err := raw.Exec(`UPDATE participations SET rdv_id = 'c1' WHERE rdv_id = 'c2' AND usager_id = 'u2'`); err == nil || !strings.Contains(err.Error(), "collectif_complet") {
		t.Fatalf("moving a seat into a full session: %v", err)
	}
	if _, err := raw.Exec(`UPDATE rdvs SET capacity = 1 WHERE id = 'c2'`); err == nil || !strings.Contains(err.Error(), "capacite_insuffisante") {
		t.Fatalf("capacity below the seats taken: %v", err)
	}
	if _, err := raw.Exec(`UPDATE rdvs SET capacity = 2 WHERE id = 'c2'`); err != nil {
		t.Fatalf("capacity equal to the seats taken: %v", err)
	}
}

func TestInactiveAgentsAndDisabledLieuxSellNothing(t *testing.T) {
	f := newFixture(t, 2)
	ctx := t.Context()
	count := func() map[string]int {
		t.Helper()
		d, err := f.db.LoadCreneauxData(ctx, f.motif.ID, "", at(1, 0, 0), at(2, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, p := range d.Plages {
			n[p.AgentID]++
		}
		return n
	}
	if n := count(); n[f.agents[0].ID] == 0 || n[f.agents[1].ID] == 0 {
		t.Fatalf("both agents should offer slots: %v", n)
	}
	off := f.agents[0]
	off.Active = false
	if _, err := f.db.SaveAgent(ctx, off); err != nil {
		t.Fatal(err)
	}
	if n := count(); n[off.ID] != 0 || n[f.agents[1].ID] == 0 {
		t.Fatalf("a deactivated agent still offers slots: %v", n)
	}
	lieu := f.lieu
	lieu.Enabled = false
	if _, err := f.db.SaveLieu(ctx, lieu); err != nil {
		t.Fatal(err)
	}
	if n := count(); len(n) != 0 {
		t.Fatalf("a disabled lieu still offers slots: %v", n)
	}
}
