package cli

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
)

// someRdv returns the id of a live RDV of the demo file.
func someRdv(t *testing.T, db string) string {
	t.Helper()
	d, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rdvs, err := d.ListRdvsBetween(t.Context(), tuesday, tuesday.AddDate(0, 0, 14), store.RdvFilter{})
	if err != nil || len(rdvs) == 0 {
		t.Fatalf("no RDV in the demo: %v", err)
	}
	return rdvs[0].ID
}

// issue 10, #1: convocation and ics refuse an existing --out unless --force, and never write
// over the data file they read nor its journals, whatever the spelling of the path.
func TestIssue10Case1DocumentsNeverOverwriteTheAgenda(t *testing.T) {
	db := demoDB(t)
	rdv := someRdv(t, db)
	before, _ := os.ReadFile(db)
	dir := filepath.Dir(db)
	link := filepath.Join(t.TempDir(), "convocation.pdf")
	os.Symlink(db, link)
	for _, out := range []string{db, filepath.Join(dir, ".", filepath.Base(db)), link, db + "-wal", db + "-shm"} {
		for _, cmd := range [][]string{
			{"convocation", "--db", db, "--rdv", rdv, "--out", out, "--force"},
			{"ics", "--db", db, "--rdv", rdv, "--out", out, "--force"},
			{"convocation", "--db", db, "--rdv", rdv, "--out", out},
		} {
			code, _, errs := runCLI(t, tuesday, cmd...)
			if code != 1 || !strings.Contains(errs, "est le fichier de l’agenda") {
				t.Errorf("%v: exit %d, %q", cmd, code, errs)
			}
		}
	}
	// The commands write the check-in secret into the agenda, so its bytes may change: what
	// counts is that it is still the agenda.
	if after, _ := os.ReadFile(db); !bytes.HasPrefix(after, []byte("SQLite format 3\x00")) || len(after) < len(before)/2 {
		t.Fatal("the agenda was overwritten")
	}
	if code, out, errs := runCLI(t, tuesday, "check", "--db", db); code != 0 {
		t.Fatalf("check after: %d %s %s", code, out, errs)
	}
	pdf := filepath.Join(t.TempDir(), "c.pdf")
	os.WriteFile(pdf, []byte("à garder"), 0o600)
	code, _, errs := runCLI(t, tuesday, "convocation", "--db", db, "--rdv", rdv, "--out", pdf)
	if b, _ := os.ReadFile(pdf); code != 1 || string(b) != "à garder" || !strings.Contains(errs, "--force") {
		t.Fatalf("existing --out: exit %d, %q, file %q", code, errs, b)
	}
	if code, _, errs := runCLI(t, tuesday, "ics", "--db", db, "--rdv", rdv, "--out", pdf, "--force"); code != 0 {
		t.Fatalf("--force: %d %s", code, errs)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR")) {
		t.Fatalf("--force did not replace: %q", b)
	}
	if st, _ := os.Stat(pdf); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("issue 10, #10: document mode %v", st.Mode().Perm())
	}
	// backup refuses the data file (and any existing file) too.
	if code, _, errs := runCLI(t, tuesday, "backup", "--db", db, "--out", link); code != 1 || !strings.Contains(errs, "est le fichier de l’agenda") {
		t.Fatalf("backup over the agenda: %d %q", code, errs)
	}
}

// issue 10, #4: restore refuses while the agenda is open, and refuses what is not a backup.
func TestIssue10Case4RestoreFromTheCommandLine(t *testing.T) {
	db := demoDB(t)
	backup := filepath.Join(t.TempDir(), "sauvegarde.sqlite")
	if code, _, errs := runCLI(t, tuesday, "backup", "--db", db, "--out", backup); code != 0 {
		t.Fatal(errs)
	}
	open, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, tuesday, "restore", "--db", db, "--from", backup)
	open.Close()
	if code != 1 || !strings.Contains(errs, "est ouvert par RDV Guichet") {
		t.Fatalf("restore while open: %d %q", code, errs)
	}
	empty := filepath.Join(t.TempDir(), "vide.sqlite")
	os.WriteFile(empty, nil, 0o600)
	if code, _, errs := runCLI(t, tuesday, "restore", "--db", db, "--from", empty); code != 1 || !strings.Contains(errs, "n’est pas une sauvegarde RDV Guichet") {
		t.Fatalf("restore of an empty file: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, tuesday, "restore", "--db", db, "--from", backup); code != 0 {
		t.Fatalf("restore: %d %q", code, errs)
	}
}

// issue 10, #7: a mistyped command is a usage error that names the command meant; it never
// opens the window on the default file (nor creates the --db file); unknown options are French.
func TestIssue10Case7MistypedCommandsAndFlags(t *testing.T) {
	x := filepath.Join(t.TempDir(), "x.sqlite")
	t.Setenv("RDV_GUICHET_DB", filepath.Join(t.TempDir(), "defaut.sqlite"))
	var out, errb bytes.Buffer
	_, code, window := Dispatch([]string{"chek", "--db", x}, &out, &errb)
	if window || code != 2 || !strings.Contains(errb.String(), "voulez-vous dire « check »") || !strings.Contains(errb.String(), "restore") {
		t.Fatalf("chek: window %v, exit %d, %q", window, code, errb.String())
	}
	if _, err := os.Stat(x); err == nil {
		t.Fatal("the mistyped command created its --db")
	}
	errb.Reset()
	_, code, window = Dispatch([]string{"sauvegarde"}, &out, &errb)
	if window || code != 2 || !strings.Contains(errb.String(), "commande inconnue « sauvegarde »") || strings.Contains(errb.String(), "voulez-vous") {
		t.Fatalf("unknown word: window %v, exit %d, %q", window, code, errb.String())
	}
	errb.Reset()
	_, code, window = Dispatch([]string{"--bogus"}, &out, &errb)
	if window || code != 2 || !strings.Contains(errb.String(), "option inconnue --bogus") || strings.Contains(errb.String(), "flag") {
		t.Fatalf("--bogus: window %v, exit %d, %q", window, code, errb.String())
	}
	errb.Reset()
	opts, code, window := Dispatch([]string{"--db", x, "--borne"}, &out, &errb)
	if !window || code != 0 || opts.DB != x || !opts.Kiosk {
		t.Fatalf("window flags: %+v %d %v %q", opts, code, window, errb.String())
	}
	// The installer's shortcut of a poste secondaire or a borne (build/windows/installer).
	if opts, _, window := Dispatch([]string{"--appairer"}, &out, &errb); !window || !opts.Pair || opts.Kiosk || opts.DB != "" {
		t.Fatalf("--appairer: %+v %v %q", opts, window, errb.String())
	}
	_, code, window = Dispatch([]string{"--db", x, "check"}, &out, &errb)
	if window || code != 2 || !strings.Contains(errb.String(), "rdv-guichet check --db") {
		t.Fatalf("options before the command: %d %v %q", code, window, errb.String())
	}
	errb.Reset()
	out.Reset()
	if _, code, window := Dispatch([]string{"-h"}, &out, &errb); window || code != 0 || strings.Count(out.String()+errb.String(), "Usage") != 1 {
		t.Fatalf("-h: %d %v %q %q", code, window, out.String(), errb.String())
	}
	if _, err := os.Stat(os.Getenv("RDV_GUICHET_DB")); err == nil {
		t.Fatal("the default agenda was created")
	}
}

// issue 10, #8: check opens read-only: it writes no schema into an empty file, never migrates,
// and any path works (« ? » is part of the name).
func TestIssue10Case8CheckWritesNothing(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "vide.sqlite")
	os.WriteFile(empty, nil, 0o600)
	code, _, errs := runCLI(t, tuesday, "check", "--db", empty)
	if st, _ := os.Stat(empty); code != 1 || st.Size() != 0 || !strings.Contains(errs, "n’est pas un fichier d’agenda") {
		t.Fatalf("check of an empty file: exit %d, size %d, %q", code, st.Size(), errs)
	}
	odd := filepath.Join(t.TempDir(), "agenda?v2.sqlite")
	data, _ := os.ReadFile(demoDB(t))
	os.WriteFile(odd, data, 0o600)
	if code, out, errs := runCLI(t, tuesday, "check", "--db", odd); code != 0 || !strings.Contains(out, "Intégrité : ok") {
		t.Fatalf("check of agenda?v2: %d %s %s", code, out, errs)
	}
	old := filepath.Join(t.TempDir(), "ancien.sqlite")
	raw, _ := sql.Open("sqlite", old)
	raw.Exec("CREATE TABLE organisations(id TEXT PRIMARY KEY); PRAGMA user_version = 1")
	raw.Close()
	runCLI(t, tuesday, "check", "--db", old)
	raw, _ = sql.Open("sqlite", old)
	var v int
	raw.QueryRow("PRAGMA user_version").Scan(&v)
	raw.Close()
	if v != 1 {
		t.Fatalf("check migrated the file to %d", v)
	}
	if m, _ := filepath.Glob(old + ".avant-migration*"); len(m) != 0 {
		t.Fatalf("check wrote %v", m)
	}
}

// issue 10, #9: no English or technical text reaches the command line's user.
func TestIssue10Case9FrenchMessagesOnly(t *testing.T) {
	db := demoDB(t)
	check := func(name string, code, want int, errs string, wants ...string) {
		t.Helper()
		if code != want {
			t.Errorf("%s: exit %d, want %d (%q)", name, code, want, errs)
		}
		for _, w := range wants {
			if !strings.Contains(errs, w) {
				t.Errorf("%s: %q lacks %q", name, errs, w)
			}
		}
		for _, bad := range []string{"invalid", "flag", "readonly", "store.", "creneaux.", "cli.", "10000", "default"} {
			if strings.Contains(errs, bad) {
				t.Errorf("%s: %q contains %q", name, errs, bad)
			}
		}
	}
	code, _, errs := runCLI(t, tuesday, "creneaux", "--db", db, "--motif", "Passeport", "--documents", "99999999999999999999")
	check("--documents out of range", code, 2, errs, "--documents", "nombre entier")
	code, _, errs = runCLI(t, tuesday, "creneaux", "--db", db, "--motif", "Passeport", "--from", "9999-12-31")
	check("--from 9999", code, 2, errs, "2000", "2100")
	code, _, errs = runCLI(t, tuesday, "book", "--db", db, "--motif", "Passeport", "--start", "9999-12-31T09:00:00+01:00", "--nom", "A", "--prenom", "B")
	check("--start 9999", code, 2, errs, "2100")
	code, _, errs = runCLI(t, tuesday, "check", "--db", t.TempDir())
	check("directory as --db", code, 1, errs, "est un dossier")
	code, _, errs = runCLI(t, tuesday, "check", "-h")
	check("-h", code, 0, errs, "--db")
	if n := strings.Count(errs, "Usage"); n != 1 {
		t.Errorf("-h printed the usage %d times:\n%s", n, errs)
	}
	if m := Message(agenda.E("store.Book", agenda.Other, agenda.E("creneaux.Available", agenda.Invalid, errors.New("motif introuvable")))); m != "motif introuvable" {
		t.Errorf("uncoded error: %q", m)
	}
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		os.Chmod(db, 0o444)
		defer os.Chmod(db, 0o600)
		code, _, errs = runCLI(t, tuesday, "book", "--db", db, "--motif", "Passeport", "--start", "2026-03-12T09:00:00+01:00", "--nom", "A", "--prenom", "B")
		check("read-only file", code, 1, errs, "lecture seule")
	}
}
