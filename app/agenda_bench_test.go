package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// benchRdvs is the size of the busy agenda: the demo scaled to a million RDVs.
const benchRdvs = 1_000_000

// BenchmarkAgenda1M opens the day and the week of a busy agenda in a data file of a million RDVs:
// the demo (three agendas, 30 days around today) plus seven guichets booked back to back, 30
// RDVs a day, five days a week, over eighteen years around today. The file is built once, with
// direct SQL inserts that go through the booking triggers (rdv_agents' overlap and coherence
// checks). The target is the week under 200 ms from click to paint; this is the Go side of it,
// with the JSON encoding the window's bridge does.
func BenchmarkAgenda1M(b *testing.B) {
	now := time.Date(2026, 3, 10, 8, 45, 0, 0, paris())
	// $RDV_BUSY_FILE, when set, is the file TestBuildBusyAgendaFile wrote: runs before and after a
	// change then read the same file instead of building one each.
	path := os.Getenv("RDV_BUSY_FILE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "busy.sqlite")
		start := time.Now()
		if err := buildBusyAgenda(path, now); err != nil {
			b.Fatal(err)
		}
		b.Logf("fichier de %d rendez-vous construit en %s", benchRdvs, time.Since(start).Round(time.Second))
	}
	db, err := store.Open(path, store.Options{Clock: fixedClock{now}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// A file built before the agenda's read model gets its cards, as beside the window.
	start := time.Now()
	if err := db.BuildAgendaCards(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.Logf("cartes de l’agenda prêtes en %s", time.Since(start).Round(time.Millisecond))
	svc := signedIn(b, db, now)
	for _, c := range []struct {
		name       string
		start, end string
	}{{"jour", "2026-03-10", "2026-03-11"}, {"semaine", "2026-03-09", "2026-03-16"}} {
		q := AgendaQuery{Start: c.start, End: c.end}
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				v, err := svc.Agenda(q)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(v); err != nil {
					b.Fatal(err)
				}
				n = len(v.Rdvs)
			}
			b.ReportMetric(float64(n), "rdv/op")
		})
	}
}

// TestBuildBusyAgendaFile writes the million-RDV file to $RDV_BUSY_FILE for the browser
// benchmark (`make bench`: frontend/bench), or gives an existing one its agenda cards. Skipped
// when the variable is not set.
func TestBuildBusyAgendaFile(t *testing.T) {
	path := os.Getenv("RDV_BUSY_FILE")
	if path == "" {
		t.Skip("RDV_BUSY_FILE non défini : fichier du banc d’essai non construit")
	}
	if _, err := os.Stat(path); err != nil {
		if err := buildBusyAgenda(path, time.Date(2026, 3, 10, 8, 45, 0, 0, paris())); err != nil {
			t.Fatal(err)
		}
	}
	// A file built before the agenda's read model gets its cards, as the window does beside it
	// (the UI benchmark's server does not run the daily round).
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.BuildAgendaCards(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}

// signedIn returns the service with a session for the demo's administrator.
func signedIn(tb testing.TB, db *store.DB, now time.Time) *AgentService {
	tb.Helper()
	svc := New(db, fixedClock{now}, nil).Agent
	orgs, err := db.ListOrganisations(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	a, _, err := db.GetAgentByLogin(context.Background(), orgs[0].ID, "claire")
	if err != nil {
		tb.Fatal(err)
	}
	svc.session.agent, svc.session.last, svc.session.timeout = &a, now, time.Hour
	return svc
}

// buildBusyAgenda writes the demo, seven more guichets, and bulk RDVs up to benchRdvs.
func buildBusyAgenda(path string, now time.Time) error {
	ctx := context.Background()
	sum, err := demo.Create(ctx, path, now, 30)
	if err != nil {
		return err
	}
	db, err := store.Open(path, store.Options{Clock: fixedClock{now}})
	if err != nil {
		return err
	}
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	org := orgs[0]
	for i := range 7 {
		if _, err := db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindGuichet, Name: "Guichet bench " + string(rune('1'+i)), Role: agenda.RoleAgent, Active: true}); err != nil {
			return err
		}
	}
	motifs, err := db.ListMotifs(ctx, org.ID, false)
	if err != nil {
		return err
	}
	lieux, err := db.ListLieux(ctx, org.ID, false)
	if err != nil {
		return err
	}
	db.Close()

	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	n := benchRdvs - sum.Rdvs
	const perWeek = 7 * 30 * 5
	loc := now.Location()
	today := agenda.DateOf(now)
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7)).AddDays(-7 * (n / perWeek / 2))
	base := monday.At(agenda.Clk(8, 0), loc).UnixMilli()
	nowMS := now.UnixMilli()
	steps := []struct {
		sql  string
		args []any
	}{
		{`CREATE TEMP TABLE bench_u AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM usagers`, nil},
		{`CREATE TEMP TABLE bench_a AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM agents WHERE name LIKE 'Guichet bench %'`, nil},
		// RDV i: guichet i % 7, slot (i / 7) % 30 of 20 minutes from 08:00, weekday (i / 210) % 5 of
		// week i / 1050 (DST is ignored: the bench only needs the rows, not their wall-clock times).
		{`INSERT INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, context, documents_number,
			collectif, capacity, created_by, origine, version, created_at, updated_at)
			WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1),
			t(i, s) AS (SELECT i, ? + (i / 1050) * 604800000 + ((i / 210) % 5) * 86400000 + ((i / 7) % 30) * 1200000 FROM n)
			SELECT printf('bench-%08d', i), ?, ?, ?, s, s + 1200000, CASE WHEN s < ? THEN 'seen' ELSE 'unknown' END, '', 1,
				0, 0, '', 'guichet', 1, ?, ? FROM t`, []any{n, base, org.ID, motifs[4].ID, lieux[0].ID, nowMS, nowMS, nowMS}},
		{`INSERT INTO rdv_agents(rdv_id, agent_id, organisation_id, starts_at, ends_at, active)
			SELECT r.id, a.id, r.organisation_id, r.starts_at, r.ends_at, 1 FROM rdvs r
			JOIN bench_a a ON a.k = CAST(substr(r.id, 7) AS INTEGER) % 7 WHERE r.id LIKE 'bench-%'`, nil},
		{`INSERT INTO participations(rdv_id, usager_id, organisation_id, status)
			SELECT r.id, u.id, r.organisation_id, r.status FROM rdvs r
			JOIN bench_u u ON u.k = CAST(substr(r.id, 7) AS INTEGER) % (SELECT count(*) FROM bench_u) WHERE r.id LIKE 'bench-%'`, nil},
	}
	tx, err := raw.Begin()
	if err != nil {
		return err
	}
	for _, s := range steps {
		if _, err := tx.Exec(s.sql, s.args...); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}
