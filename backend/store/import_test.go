package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/importer"
	"rdvguichet/backend/reminders"
)

// counts returns the number of rows of each table an import writes.
func (f *fixture) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"usagers", "rdvs", "participations", "rdv_agents", "outbox", "rdv_status_history"} {
		var n int
		if err := f.db.r.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func readSheet(t *testing.T, lines ...string) importer.Sheet {
	t.Helper()
	csv := "nom;prénom;date de naissance;téléphone;date;heure;agenda;motif\n"
	for _, l := range lines {
		csv += l + "\n"
	}
	sheet, err := importer.Read([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return sheet
}

// An import is all or nothing: a file with overlaps writes nothing and names their lines (and the
// earlier line it overlaps); its dry run writes nothing and says what it would do; the corrected
// file writes every usager once (the one already in the agenda found, not duplicated), every RDV
// through the booking rules, and their outbox ops.
func TestImportAllOrNothing(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	if _, err := f.book(at(1, 10, 0), f.agents[0].ID); err != nil { // Tuesday 10:00, Claire Martin
		t.Fatal(err)
	}
	before := f.counts(t)
	claire := agenda.ByAgent(f.agents[0].ID)

	bad := readSheet(t,
		"Dupont;Hélène;;06 12 34 56 78;03/03/2026;9 h 00;Claire Martin;Passeport",
		"Martin;Paul;10/05/1960;;03/03/2026;10 h 00;Claire Martin;Passeport", // the booked RDV's slot
		"Martin;Paul;10/05/1960;;04/03/2026;9 h 00;Guichet 2;Passeport",
		"Roux;Léa;;;04/03/2026;9 h 15;Guichet 2;Passeport",  // over line 4
		"Roux;Léa;;;07/03/2026;10 h 00;Guichet 2;Passeport", // a Saturday: outside the plages
	)
	rep, err := f.db.Import(ctx, f.org.ID, bad, claire, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []importer.Problem{{Line: 3, Code: agenda.CodeImportOverlap}, {Line: 5, Code: agenda.CodeImportOverlap, Params: map[string]string{"line": "4"}}}
	if rep.Imported || !slices.EqualFunc(rep.Problems, want, func(a, b importer.Problem) bool {
		return a.Line == b.Line && a.Code == b.Code && a.Params["line"] == b.Params["line"]
	}) {
		t.Fatalf("report %+v, want problems %+v", rep, want)
	}
	if after := f.counts(t); !mapsEqual(after, before) {
		t.Fatalf("a refused import wrote: %v → %v", before, after)
	}

	good := readSheet(t,
		"Dupont;Hélène;;06 12 34 56 78;03/03/2026;9 h 00;Claire Martin;Passeport",
		"Martin;Paul;10/05/1960;;03/03/2026;11 h 00;Claire Martin;Passeport",
		"Martin;Paul;10/05/1960;;04/03/2026;9 h 00;Guichet 2;Passeport",
		"Roux;Léa;;;04/03/2026;9 h 30;Guichet 2;Passeport",
		"Roux;Léa;;;07/03/2026;10 h 00;Guichet 2;Passeport",
	)
	rep, err = f.db.Import(ctx, f.org.ID, good, claire, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported || !rep.DryRun || len(rep.Problems) > 0 || rep.Rdvs != 5 || rep.NewUsagers != 2 ||
		len(rep.Matched) != 1 || rep.Matched[0] != (importer.Matched{Line: 2, Name: "DUPONT Hélène"}) ||
		len(rep.Notices) != 1 || rep.Notices[0].Line != 6 || rep.Notices[0].Code != agenda.CodeOutsidePlages {
		t.Fatalf("dry run: %+v", rep)
	}
	if after := f.counts(t); !mapsEqual(after, before) {
		t.Fatalf("a dry run wrote: %v → %v", before, after)
	}

	rep, err = f.db.Import(ctx, f.org.ID, good, claire, false)
	if err != nil || !rep.Imported || rep.Rdvs != 5 || rep.NewUsagers != 2 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	after := f.counts(t)
	for table, n := range map[string]int{"usagers": 2, "rdvs": 5, "participations": 5, "rdv_agents": 5, "rdv_status_history": 5} {
		if after[table]-before[table] != n {
			t.Errorf("%s: %d more rows, want %d", table, after[table]-before[table], n)
		}
	}
	var imported, helene int
	f.db.r.QueryRowContext(ctx, "SELECT count(*) FROM rdvs WHERE origine = 'import' AND created_by = ?", f.agents[0].ID).Scan(&imported)
	f.db.r.QueryRowContext(ctx, "SELECT count(*) FROM participations WHERE usager_id = ?", f.usager.ID).Scan(&helene)
	if ops := after["outbox"] - before["outbox"]; ops != 7 || imported != 5 || helene != 2 {
		t.Errorf("outbox ops %d (want 2 usagers + 5 rdvs), imported rdvs %d, Hélène's rdvs %d", ops, imported, helene)
	}

	// The same file again: every RDV is now an overlap, and nothing more is written.
	rep, err = f.db.Import(ctx, f.org.ID, good, claire, false)
	if err != nil || rep.Imported || len(rep.Problems) != 5 || rep.Problems[4].Line != 6 || rep.Problems[4].Code != agenda.CodeImportOverlap {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	if again := f.counts(t); !mapsEqual(again, after) {
		t.Errorf("the second import wrote: %v → %v", after, again)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// BenchmarkImport is the preview (dry run) of a file at the bound, importer.MaxLines lines: one
// usager and one RDV each, on one agenda, ten working days ahead: the time the secretary waits
// after choosing the file.
func BenchmarkImport(b *testing.B) {
	f := newFixture(b, 1)
	csv := "nom;prénom;téléphone;date;heure;agenda;motif\n"
	day, slot := 7, 0
	for i := range importer.MaxLines {
		start := at(day, 9, 0).Add(time.Duration(slot) * 30 * time.Minute).In(paris)
		csv += fmt.Sprintf("Usager%d;Prénom;06 %02d %02d %02d %02d;%s;%s;Claire Martin;Passeport\n", i, i/1000000%100, i/10000%100, i/100%100, i%100,
			start.Format("02/01/2006"), start.Format("15:04"))
		if slot++; slot == 16 { // 9 h to 17 h, outside the plages too: forced
			day, slot = day+1, 0
		}
	}
	sheet, err := importer.Read([]byte(csv))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := f.db.Import(context.Background(), f.org.ID, sheet, agenda.ByAgent(f.agents[0].ID), true)
		if err != nil || len(rep.Problems) > 0 || rep.Rdvs != importer.MaxLines {
			b.Fatalf("%v %+v", err, rep.Problems[:min(3, len(rep.Problems))])
		}
	}
}

// An import sends nothing when it is made: its RDVs were given already, so no confirmation, and
// only the reminders still ahead of their usual time (48 h before) are planned; the preview counts
// them (ADR 0013).
func TestImportPlansRemindersAtTheirTime(t *testing.T) {
	f := newFixture(t, 1)
	enableNotifications(t, f.db)
	ctx := context.Background()
	sheet := readSheet(t,
		"Roux;Léa;;06 11 22 33 44;03/03/2026;10 h 00;Claire Martin;Passeport",  // tomorrow: its reminder's time has passed
		"Petit;Noé;;06 55 66 77 88;09/03/2026;10 h 00;Claire Martin;Passeport", // next Monday: reminded on Saturday
	)
	by := agenda.ByAgent(f.agents[0].ID)
	rep, err := f.db.Import(ctx, f.org.ID, sheet, by, true)
	if err != nil || len(rep.Problems) > 0 || rep.Reminders != 1 {
		t.Fatalf("preview: %+v %v, want 1 reminder", rep, err)
	}
	if rep, err = f.db.Import(ctx, f.org.ID, sheet, by, false); err != nil || !rep.Imported || rep.Reminders != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	var event string
	var due int64
	var n int
	if err := f.db.r.QueryRowContext(ctx, "SELECT count(*), max(event), max(due_at) FROM notifications").Scan(&n, &event, &due); err != nil {
		t.Fatal(err)
	}
	if n != 1 || event != string(reminders.EventRappel) || time.UnixMilli(due).Before(at(5, 8, 0)) {
		t.Fatalf("%d messages, %s due %v; want one reminder, due Saturday", n, event, time.UnixMilli(due))
	}
}
