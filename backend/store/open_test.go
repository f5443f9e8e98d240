package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	clockpkg "rdvguichet/backend/clock"
)

func backups(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A fresh file gets the whole schema without any backup (there is nothing to save); opening it
// again changes nothing.
func TestOpenFreshAndReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sous-dossier", "rdv.sqlite") // the folder is created
	db, err := Open(path, Options{Clock: clockpkg.NewManual(fixtureNow)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := db.Check()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Integrity != "ok" || rep.SchemaVersion != SchemaVersion() || SchemaVersion() < 1 {
		t.Fatalf("report %+v, schema %d", rep, SchemaVersion())
	}
	var mode string
	var fk, sync int
	err = db.write(context.Background(), "test", func(tx *txn) error {
		tx.QueryRowContext(context.Background(), "PRAGMA journal_mode").Scan(&mode)
		tx.QueryRowContext(context.Background(), "PRAGMA foreign_keys").Scan(&fk)
		return tx.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&sync)
	})
	if err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q %v", mode, err)
	}
	if fk != 1 || sync != 2 {
		t.Fatalf("foreign_keys %d synchronous %d, want 1 and 2 (FULL)", fk, sync)
	}
	db.Close()
	if b := backups(t, filepath.Dir(path), "*avant-migration*"); len(b) != 0 {
		t.Fatalf("backup of an empty file: %v", b)
	}
	db, err = Open(path, Options{Clock: clockpkg.NewManual(fixtureNow)})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if b := backups(t, filepath.Dir(path), "*avant-migration*"); len(b) != 0 {
		t.Fatalf("re-opening an up-to-date file made a backup: %v", b)
	}
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Fatalf("user_version %d", v)
	}
}

// Each migration step from every earlier version: a version-0 file that holds data is backed up
// (VACUUM INTO, named after the target version and the clock) before being migrated. With more
// migrations, this test should build each earlier version by applying the first k files.
func TestMigrateBacksUpFirst(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < len(ms); k++ {
		dir := t.TempDir()
		path := filepath.Join(dir, "rdv.sqlite")
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms[:k] {
			if _, err := raw.Exec(m.sql); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := raw.Exec("PRAGMA user_version = " + strconv.Itoa(k)); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec("CREATE TABLE ancien(note TEXT); INSERT INTO ancien VALUES ('données d''avant')"); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		clock := clockpkg.NewManual(time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC))
		db, err := Open(path, Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		// The backup is named after the version being migrated to (the latest), whatever k is.
		want := filepath.Join(dir, "rdv.sqlite.avant-migration-v"+strconv.Itoa(len(ms))+"-20260302T073000Z.sqlite")
		if _, err := os.Stat(want); err != nil {
			t.Fatalf("from v%d: no backup %s (%v); have %v", k, want, err, backups(t, dir, "*"))
		}
		b, _ := sql.Open("sqlite", want)
		var note string
		if err := b.QueryRow("SELECT note FROM ancien").Scan(&note); err != nil || note != "données d'avant" {
			t.Fatalf("backup content: %q %v", note, err)
		}
		b.Close()
		if v := userVersion(t, path); v != len(ms) {
			t.Fatalf("from v%d: user_version %d", k, v)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rdv.sqlite")
	raw, _ := sql.Open("sqlite", path)
	if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err := Open(path, Options{})
	if kindOf(err) != agenda.Invalid || !strings.Contains(err.Error(), "plus récente") {
		t.Fatalf("got %v", err)
	}
}

// A file damaged in the middle (a disk or a copy gone wrong) is found by the check of each start
// with the French message that tells how to restore; a file that is not SQLite at all is refused
// at open.
func TestDamagedFile(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	for i := range 300 {
		if _, err := f.db.SaveUsager(ctx, agenda.Usager{OrganisationID: f.org.ID, FirstName: "Prénom", LastName: "Nom" + strings.Repeat("x", i%50)}); err != nil {
			t.Fatal(err)
		}
	}
	for d := range 5 {
		for h := 9; h < 12; h++ {
			if _, err := f.book(at(d, h, 0), f.agents[1].ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.db.Close()
	st, err := os.Stat(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() < 16*4096 {
		t.Fatalf("file too small to damage in the middle: %d", st.Size())
	}
	fh, err := os.OpenFile(f.path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := []byte(strings.Repeat("\xde\xad\xbe\xef", 2048))
	for off := int64(4096); off+int64(len(garbage)) < st.Size(); off += 4 * 4096 {
		if _, err := fh.WriteAt(garbage, off); err != nil {
			t.Fatal(err)
		}
	}
	fh.Close()
	// Open reads only the header and the schema version (issue 16): the start-up check, run
	// beside the window, finds the damage.
	db, err := Open(f.path, Options{})
	if err == nil {
		_, err = db.StartupCheck(ctx)
		db.Close()
	}
	if err == nil {
		t.Fatal("a damaged file passed")
	}
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "est endommagé") || !strings.Contains(err.Error(), "« rdv-guichet restore »") {
		t.Fatalf("message: %v", err)
	}
	t.Log(err)

	junk := filepath.Join(t.TempDir(), "notes.sqlite")
	os.WriteFile(junk, []byte("ceci n'est pas une base de données, juste du texte assez long"), 0o600)
	_, err = Open(junk, Options{})
	if err == nil || !strings.Contains(err.Error(), "rdv-guichet restore") {
		t.Fatalf("non-SQLite file: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("RDV_GUICHET_DB", "/tmp/ailleurs.sqlite")
	if p, _ := DefaultPath(); p != "/tmp/ailleurs.sqlite" {
		t.Fatal(p)
	}
	t.Setenv("RDV_GUICHET_DB", "")
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("/srv/data", "rdv-guichet", "rdv-guichet.sqlite"); p != want && os.Getenv("APPDATA") == "" {
		t.Fatalf("%s, want %s", p, want)
	}
}

// Backup then Restore round-trips; a backup never overwrites a file; the replaced file is kept.
func TestBackupRestore(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	r1, err := f.book(at(1, 9, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "sauvegardes", "rdv-2026-03-02.sqlite")
	if err := f.db.Backup(dst); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Backup(dst); agenda.CodeOf(err) != agenda.CodeBackupExists {
		t.Fatalf("overwrite: %v", err)
	}
	r2, err := f.book(at(1, 10, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	f.db.Close()

	kept, err := RestoreWith(f.path, dst, Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(f.path, Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.GetRdv(ctx, r1.ID); err != nil {
		t.Fatalf("restored RDV missing: %v", err)
	}
	if _, err := db.GetRdv(ctx, r2.ID); kindOf(err) != agenda.NotFound {
		t.Fatalf("RDV made after the backup still there: %v", err)
	}
	old, err := Open(kept, Options{Clock: f.clock})
	if err != nil {
		t.Fatalf("kept file: %v", err)
	}
	if _, err := old.GetRdv(ctx, r2.ID); err != nil {
		t.Fatalf("the kept file lost the later RDV: %v", err)
	}
	old.Close()

	// A damaged backup is refused before anything is touched.
	bad := filepath.Join(t.TempDir(), "bad.sqlite")
	os.WriteFile(bad, []byte("SQLite format 3\x00 mais le reste est faux ........................................................................................................"), 0o600)
	if err := Restore(f.path, bad); err == nil {
		t.Fatal("restored a damaged backup")
	}
	if _, err := db.GetRdv(ctx, r1.ID); err != nil {
		t.Fatal(err)
	}
}

// The kiosk and the agent application may start together on a fresh install: concurrent opens
// of one new file all succeed and the schema is applied once.
func TestConcurrentOpenOfNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rdv.sqlite")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := Open(path, Options{})
			if err == nil {
				err = db.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Fatalf("user_version %d", v)
	}
}
