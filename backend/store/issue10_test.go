package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
)

// breakBusyIndex leaves the index rdv_agents_busy without the entry of one active RDV of agent,
// as a disk or a copy that lost one index page write would, and returns that RDV's start.
//
// How, deterministically and in SQLite itself: with the data file closed, the index's CREATE
// statement is changed through PRAGMA writable_schema to key on organisation_id instead of
// agent_id; a new connection reads that schema, so the row inserted next gets an index entry
// with the wrong key; the original statement is then put back. The index has as many entries as
// the table (a missing entry would be « wrong # of entries », which quick_check counts), but one
// of them is wrong: PRAGMA quick_check (run at every open) does not compare entries with rows,
// PRAGMA integrity_check reports « row N missing from index rdv_agents_busy », and the overlap
// trigger, looking the agent up in the index, does not see the RDV.
func breakBusyIndex(t *testing.T, f *fixture, agent string) (start int64) {
	t.Helper()
	f.db.Close()
	var original string
	schema := func(sqlText string) {
		raw := rawNoFK(t, f.path)
		if original == "" {
			if err := raw.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'rdv_agents_busy'`).Scan(&original); err != nil {
				t.Fatal(err)
			}
			if sqlText == "" {
				sqlText = strings.Replace(original, "(agent_id,", "(organisation_id,", 1)
				if sqlText == original {
					t.Fatalf("index statement changed: %s", original)
				}
			}
		}
		for _, q := range []string{"PRAGMA writable_schema = ON",
			"UPDATE sqlite_schema SET sql = '" + strings.ReplaceAll(sqlText, "'", "''") + "' WHERE name = 'rdv_agents_busy'",
			"PRAGMA writable_schema = OFF"} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		raw.Close()
	}
	schema("")
	start = at(1, 9, 0).UnixMilli()
	raw := rawNoFK(t, f.path)
	insertRdv(t, raw, f, "casse", agent, start)
	raw.Close()
	schema(original)
	return start
}

// insertRdv writes an active RDV of agent at start by hand, as the sqlite3 shell would.
func insertRdv(t *testing.T, raw *sql.DB, f *fixture, id, agent string, start int64) error {
	t.Helper()
	const half = int64(30 * 60_000)
	if _, err := raw.Exec(`INSERT INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'unknown', 0, 0)`, id, f.org.ID, f.motif.ID, f.lieu.ID, start, start+half); err != nil {
		t.Fatal(err)
	}
	_, err := raw.Exec(`INSERT INTO rdv_agents(rdv_id, agent_id, organisation_id, starts_at, ends_at, active)
		VALUES (?, ?, ?, ?, ?, 1)`, id, agent, f.org.ID, start, start+half)
	return err
}

// issue 10, #2: an index that lost an entry passes the quick_check of every start, and the
// overlap trigger, which reads that index, would then let the slot be sold twice. The full
// integrity check run before the daily backup finds it, backs the file up, rebuilds the indexes
// and the trigger refuses the double booking again.
func TestIssue10Case2IndexFaultRepairedBeforeDailyBackup(t *testing.T) {
	f := newFixture(t, 2)
	agent := f.agents[1].ID
	start := breakBusyIndex(t, f, agent)

	db, err := Open(f.path, Options{Clock: f.clock}) // quick_check passes
	if err != nil {
		t.Fatalf("the quick check at open should not see an index fault: %v", err)
	}
	defer db.Close()
	if rep, err := db.Check(); err != nil || !strings.Contains(rep.Integrity, "missing from index rdv_agents_busy") {
		t.Fatalf("the full check should see it: %+v %v", rep, err)
	}
	res, err := db.Daily(t.Context(), DailyBackupKeep)
	if err != nil {
		t.Fatalf("daily: %v", err)
	}
	if !res.Integrity.IndexOnly || !res.Integrity.Repaired || res.Written == "" {
		t.Fatalf("daily result %+v", res)
	}
	if code, params := res.Integrity.Notice(); code != agenda.CodeDatabaseRepaired || params["backup"] == "" {
		t.Fatalf("notice %s %v", code, params)
	}
	if _, err := os.Stat(res.Integrity.Backup); err != nil {
		t.Fatalf("no backup before the repair: %v", err)
	}
	if rep, err := db.Check(); err != nil || rep.Integrity != "ok" {
		t.Fatalf("after REINDEX: %+v %v", rep, err)
	}
	db.Close()
	raw := rawNoFK(t, f.path)
	if err := insertRdv(t, raw, f, "double", agent, start+10*60_000); err == nil || !strings.Contains(err.Error(), "creneau_pris") {
		t.Fatalf("the slot was sold twice after the daily check: %v", err)
	}
}

// issue 10, #2: the same fault seen by a read-only check is reported, not repaired; damage that
// is not an index's is database_damaged with what the restore text needs, and nothing is rebuilt.
func TestIssue10Case2CheckReportsAndRefusesDamage(t *testing.T) {
	f := newFixture(t, 2)
	start := breakBusyIndex(t, f, f.agents[1].ID)
	ro, err := Open(f.path, Options{Clock: f.clock, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ro.VerifyIntegrity(t.Context(), true)
	ro.Close()
	if err != nil || !rep.IndexOnly || rep.Repaired {
		t.Fatalf("read-only: %+v %v", rep, err)
	}
	// What the fault costs when nobody repairs it: the trigger lets the slot be sold twice.
	raw := rawNoFK(t, f.path)
	if err := insertRdv(t, raw, f, "double", f.agents[1].ID, start); err != nil {
		t.Fatalf("the broken index should blind the trigger (else this test shows nothing): %v", err)
	}
	raw.Close()
	if !indexOnly("row 3 missing from index rdv_agents_busy\nwrong # of entries in index rdv_agents_busy") ||
		indexOnly("*** in database main ***\nOn tree page 12 cell 0: invalid page number 99") ||
		indexOnly("row 3 missing from index x\nNULL value in rdvs.id") {
		t.Fatal("indexOnly")
	}
	// Damage in the table pages: VerifyIntegrity refuses with database_damaged.
	g := newFixture(t, 2)
	for i := range 300 {
		g.newUsager(t, "Prénom", "Nom"+strings.Repeat("x", i%50))
	}
	g.db.Close()
	st, _ := os.Stat(g.path)
	fh, _ := os.OpenFile(g.path, os.O_RDWR, 0)
	for off := int64(8 * 4096); off+4096 < st.Size(); off += 6 * 4096 {
		fh.WriteAt(bytes.Repeat([]byte{0xde, 0xad}, 64), off+2000)
	}
	fh.Close()
	db, err := Open(g.path, Options{Clock: g.clock, NoMigrate: true})
	if err != nil {
		if agenda.CodeOf(err) != agenda.CodeDatabaseDamaged {
			t.Fatalf("open: %v", err)
		}
		return
	}
	defer db.Close()
	rep, err = db.VerifyIntegrity(t.Context(), true)
	if agenda.CodeOf(err) != agenda.CodeDatabaseDamaged || rep.Repaired || rep.IndexOnly {
		t.Fatalf("damage: %+v %v", rep, err)
	}
	if p := agenda.ParamsOf(err); p["path"] != g.path || p["backups"] != db.BackupDir() {
		t.Fatalf("params %v", p)
	}
}

// issue 10, #4: restore takes the lock every open holds: it refuses while the file is open
// (rows committed meanwhile would be lost), and works once it is closed.
func TestIssue10Case4RestoreRefusedWhileOpen(t *testing.T) {
	f := newFixture(t, 2)
	dst := filepath.Join(t.TempDir(), "sauvegarde.sqlite")
	if err := f.db.Backup(dst); err != nil {
		t.Fatal(err)
	}
	r, err := f.book(at(1, 9, 0), f.agents[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	// A second open of the same file in the same process shares the lock.
	other, err := Open(f.path, Options{Clock: f.clock})
	if err != nil {
		t.Fatalf("two opens of one file: %v", err)
	}
	other.Close()
	if _, err := RestoreWith(f.path, dst, Options{Clock: f.clock}); agenda.CodeOf(err) != agenda.CodeDatabaseInUse {
		t.Fatalf("restore over an open file: %v", err)
	}
	if _, err := f.db.GetRdv(t.Context(), r.ID); err != nil {
		t.Fatalf("the open file lost a row: %v", err)
	}
	f.db.Close()
	if _, err := RestoreWith(f.path, dst, Options{Clock: f.clock}); err != nil {
		t.Fatalf("restore once closed: %v", err)
	}
}

// issue 10, #4: what is not an RDV Guichet backup is refused and nothing is replaced: an empty
// file, a text file, another SQLite database, an agenda without organisation.
func TestIssue10Case4RestoreRefusesWhatIsNotABackup(t *testing.T) {
	f := newFixture(t, 2)
	f.db.Close()
	before, _ := os.ReadFile(f.path)
	dir := t.TempDir()
	empty := filepath.Join(dir, "vide.sqlite")
	os.WriteFile(empty, nil, 0o600)
	text := filepath.Join(dir, "notes.sqlite")
	os.WriteFile(text, []byte(strings.Repeat("pas une base\n", 100)), 0o600)
	other := filepath.Join(dir, "compta.sqlite")
	raw, _ := sql.Open("sqlite", other)
	raw.Exec("CREATE TABLE factures(id INTEGER PRIMARY KEY, montant REAL); INSERT INTO factures VALUES (1, 12.5)")
	raw.Close()
	noOrg := filepath.Join(dir, "sans-organisation.sqlite")
	db, err := Open(noOrg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct {
		from string
		code agenda.Code
	}{
		{empty, agenda.CodeBackupNotAgenda},
		{text, agenda.CodeBackupNotAgenda},
		{other, agenda.CodeBackupNotAgenda},
		{noOrg, agenda.CodeBackupEmpty},
		{filepath.Join(dir, "absente.sqlite"), agenda.CodeBackupMissing},
		{f.path, agenda.CodeBackupIsDatabase},
	} {
		if _, err := RestoreWith(f.path, c.from, Options{Clock: f.clock}); agenda.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", filepath.Base(c.from), err, c.code)
		}
	}
	if after, _ := os.ReadFile(f.path); !bytes.Equal(before, after) {
		t.Fatal("the data file changed")
	}
	if m, _ := filepath.Glob(f.path + ".*"); len(m) > 1 { // the .lock only
		t.Fatalf("left beside the data file: %v", m)
	}
}

// issue 10, #4 and #10: restore opens the backup read-only and immutable (no -wal or -shm
// appears beside it), writes the restored file 0600, and cleans up after itself: a restore that
// is interrupted removes its temporary file, and the leftovers of one that was killed are
// removed by the next.
func TestIssue10Case4And10RestoreTouchesNothingElse(t *testing.T) {
	f := newFixture(t, 2)
	bdir := t.TempDir()
	dst := filepath.Join(bdir, "sauvegarde.sqlite")
	if err := f.db.Backup(dst); err != nil {
		t.Fatal(err)
	}
	f.db.Close()
	// A killed restore left its copy and the copy's journal.
	for _, n := range []string{".restauration-20260101T000000Z.tmp", ".restauration-20260101T000000Z.tmp-journal"} {
		os.WriteFile(f.path+n, []byte("reste"), 0o600)
	}
	// An interrupted one (Ctrl+C) stops and removes its own.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RestoreContext(ctx, f.path, dst, Options{Clock: f.clock}); agenda.CodeOf(err) != agenda.CodeInterrupted {
		t.Fatalf("cancelled restore: %v", err)
	}
	if m, _ := filepath.Glob(f.path + ".restauration-*"); len(m) != 0 {
		t.Fatalf("left after an interrupted restore: %v", m)
	}
	kept, err := RestoreWith(f.path, dst, Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(f.path + ".restauration-*"); len(m) != 0 {
		t.Fatalf("left after a restore: %v", m)
	}
	if entries, _ := os.ReadDir(bdir); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("the backup's folder changed: %v", names)
	}
	if runtime.GOOS != "windows" {
		for _, p := range []string{f.path, kept} {
			if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v", filepath.Base(p), st.Mode().Perm())
			}
		}
	}
}

// issue 10, #8: a « ? » (or « # », « % ») in the path is part of the file name: the driver used
// to cut the path there and write « agenda ».
func TestIssue10Case8AnyPathWorks(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"agenda?v2.sqlite", "mairie #2 100% été.sqlite", "a&mode=ro.sqlite"} {
		path := filepath.Join(dir, name)
		f := newFixtureAt(t, path, 1)
		if _, err := f.book(at(1, 9, 0), f.agents[0].ID); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.db.Close()
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("%s not written: %v", name, err)
		}
	}
	for _, wrong := range []string{"agenda", "mairie ", "a"} {
		if _, err := os.Stat(filepath.Join(dir, wrong)); err == nil {
			t.Fatalf("the path was cut: %s written", wrong)
		}
	}
}

// issue 10, #8: a read-only open (« check ») writes nothing: no schema in an empty file, no
// migration of an old one, no backup before a migration.
func TestIssue10Case8ReadOnlyOpenWritesNothing(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "vide.sqlite")
	os.WriteFile(empty, nil, 0o600)
	if _, err := Open(empty, Options{ReadOnly: true}); agenda.CodeOf(err) != agenda.CodeNotAnAgenda {
		t.Fatalf("empty file: %v", err)
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Fatal("schema written into the empty file")
	}
	old := filepath.Join(dir, "ancien.sqlite")
	ms, _ := migrations()
	raw, _ := sql.Open("sqlite", old)
	if _, err := raw.Exec(ms[0].sql + "; PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(old, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := db.Check(); err != nil || rep.SchemaVersion != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	db.Close()
	if v := userVersion(t, old); v != 1 {
		t.Fatalf("migrated to %d", v)
	}
	if b := backups(t, dir, "*avant-migration*"); len(b) != 0 {
		t.Fatalf("backup written: %v", b)
	}
}

// issue 10, #10: the agenda holds personal data: the file and its journals, the backups (daily,
// before a migration) are created 0600, and an existing file open to others is closed at open.
func TestIssue10Case10FilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	f := newFixture(t, 1)
	if _, err := f.db.Daily(t.Context(), 3); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "b.sqlite")
	if err := f.db.Backup(out); err != nil {
		t.Fatal(err)
	}
	daily, _ := filepath.Glob(filepath.Join(f.db.BackupDir(), "*.sqlite"))
	for _, p := range append([]string{f.path, f.path + "-wal", f.path + "-shm", out}, daily...) {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, st.Mode().Perm())
		}
	}
	f.db.Close()
	os.Chmod(f.path, 0o644)
	db, err := Open(f.path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, _ := os.Stat(f.path); st.Mode().Perm() != 0o600 {
		t.Errorf("existing file left %v", st.Mode().Perm())
	}
}

// issue 10, #1: the one way to create an output file: never over the data file or its
// journals (whatever the spelling), an existing file only with Force, 0600, no temporary file
// left.
func TestIssue10Case1WriteNewFile(t *testing.T) {
	f := newFixture(t, 1)
	dir := filepath.Dir(f.path)
	write := func(tmp string) error { return os.WriteFile(tmp, []byte("document"), 0o600) }
	link := filepath.Join(t.TempDir(), "lien.pdf")
	if err := os.Symlink(f.path, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sous")
	os.Mkdir(sub, 0o700)
	for _, p := range []string{f.path, f.path + "-wal", f.path + "-shm", link,
		filepath.Join(sub, "..", filepath.Base(f.path)), f.path + "-journal"} {
		for _, force := range []bool{false, true} {
			if err := WriteNewFile(p, OutputOptions{Force: force, Protect: []string{f.path}}, write); agenda.CodeOf(err) != agenda.CodeOutputIsDatabase {
				t.Errorf("%s force=%v: %v", p, force, err)
			}
		}
	}
	if rep, err := f.db.Check(); err != nil || rep.Integrity != "ok" {
		t.Fatalf("the data file was touched: %+v %v", rep, err)
	}
	out := filepath.Join(t.TempDir(), "c.pdf")
	if err := WriteNewFile(out, OutputOptions{}, write); err != nil {
		t.Fatal(err)
	}
	if err := WriteNewFile(out, OutputOptions{}, write); agenda.CodeOf(err) != agenda.CodeOutputExists {
		t.Fatalf("existing file without force: %v", err)
	}
	if err := WriteNewFile(out, OutputOptions{Force: true}, func(tmp string) error { return os.WriteFile(tmp, []byte("v2"), 0o644) }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "v2" {
		t.Fatalf("force: %q", b)
	}
	if st, _ := os.Stat(out); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}
