package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// tuesday is a Tuesday morning in Paris: the DR's plage opens at 8 h 30.
var tuesday = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)

func runCLI(t *testing.T, now time.Time, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(&env{stdout: &out, stderr: &errb, clock: fixedClock{now}}, args)
	return code, out.String(), errb.String()
}

// demoFile is built once per test binary: the demo takes a few seconds to book its RDVs.
var demoFile string

func demoDB(t *testing.T) string {
	t.Helper()
	if demoFile == "" {
		dir, err := os.MkdirTemp("", "cli-demo-")
		if err != nil {
			t.Fatal(err)
		}
		demoFile = filepath.Join(dir, "demo.sqlite")
		if code, out, errs := runCLI(t, tuesday, "demo", "--db", demoFile); code != 0 {
			t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
		}
	}
	copy := filepath.Join(t.TempDir(), "demo.sqlite")
	data, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copy, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return copy
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoFile != "" {
		os.RemoveAll(filepath.Dir(demoFile))
	}
	os.Exit(code)
}

func TestUsageErrorsExitTwoInFrench(t *testing.T) {
	cases := [][]string{
		{"inconnue"},
		{"check", "--nope"},
		{"backup", "--db", "x.sqlite"},
		{"creneaux", "--db", "x.sqlite"},
		{"creneaux", "--db", "x.sqlite", "--motif", "m", "--days", "0"},
		{"creneaux", "--db", "x.sqlite", "--motif", "m", "--canal", "fax"},
		{"book", "--db", "x.sqlite", "--motif", "m", "--start", "demain", "--nom", "A", "--prenom", "B"},
		{"check", "en-trop"},
	}
	for _, args := range cases {
		code, _, errs := runCLI(t, tuesday, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errs)
		}
		if !strings.Contains(errs, "rdv-guichet") || strings.Contains(errs, "flag provided") {
			t.Errorf("%v: stderr %q is not the French usage message", args, errs)
		}
	}
}

func TestFailureExitsOneAndSaysWhat(t *testing.T) {
	code, _, errs := runCLI(t, tuesday, "check", "--db", filepath.Join(t.TempDir(), "absent.sqlite"))
	if code != 1 || !strings.Contains(errs, "introuvable") {
		t.Errorf("check of a missing file: exit %d, stderr %q", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "pas-une-base.sqlite")
	os.WriteFile(bad, []byte(strings.Repeat("ceci n’est pas une base SQLite\n", 500)), 0o600)
	code, _, errs = runCLI(t, tuesday, "check", "--db", bad)
	if code != 1 || !strings.Contains(errs, "échec") {
		t.Errorf("check of a non-SQLite file: exit %d, stderr %q", code, errs)
	}
}

func TestDemoCheckBackupRestore(t *testing.T) {
	db := demoDB(t)
	code, out, errs := runCLI(t, tuesday, "check", "--db", db)
	if code != 0 || !strings.Contains(out, "Intégrité : ok") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI(t, tuesday, "demo", "--db", db); code != 1 || !strings.Contains(errs, "contient déjà") {
		t.Errorf("demo over existing data: exit %d, %q", code, errs)
	}
	backup := filepath.Join(t.TempDir(), "sauvegarde.sqlite")
	if code, out, errs := runCLI(t, tuesday, "backup", "--db", db, "--out", backup); code != 0 {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errs)
	}
	// Book a free slot after the backup, restore, and the booking is gone: the slot is free again.
	free := firstSlot(t, db, "Passeport", "2026-03-12")
	code, out, errs = runCLI(t, tuesday, "book", "--db", db, "--motif", "Passeport", "--start", free,
		"--nom", "Lefèvre", "--prenom", "Hélène", "--tel", "06 12 34 56 78", "--json")
	if code != 0 {
		t.Fatalf("book: exit %d\n%s%s", code, out, errs)
	}
	var r agenda.Rdv
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.ID == "" {
		t.Fatalf("book --json: %v in %q", err, out)
	}
	if code, out, errs := runCLI(t, tuesday, "restore", "--db", db, "--from", backup); code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errs)
	}
	if firstSlot(t, db, "Passeport", "2026-03-12") != free {
		t.Errorf("after restore the slot %s should be free again", free)
	}
}

// firstSlot returns the first free slot of motif on day, as RFC 3339.
func firstSlot(t *testing.T, db, motif, day string) string {
	t.Helper()
	code, out, errs := runCLI(t, tuesday, "creneaux", "--db", db, "--motif", motif, "--from", day, "--days", "1", "--json")
	var slots []creneauJSON
	if err := json.Unmarshal([]byte(out), &slots); code != 0 || err != nil || len(slots) == 0 {
		t.Fatalf("creneaux %s %s: exit %d, %v, %d slots\n%s%s", motif, day, code, err, len(slots), out, errs)
	}
	return slots[0].Start.Format(time.RFC3339)
}

func TestCreneauxThenBookThenConflict(t *testing.T) {
	db := demoDB(t)
	code, out, errs := runCLI(t, tuesday, "creneaux", "--db", db, "--motif", "Carte d’identité", "--from", "2026-03-12", "--days", "7", "--canal", "kiosk", "--json")
	if code != 0 {
		t.Fatalf("creneaux: exit %d\n%s%s", code, out, errs)
	}
	var slots []creneauJSON
	if err := json.Unmarshal([]byte(out), &slots); err != nil || len(slots) == 0 {
		t.Fatalf("creneaux --json: %v, %d slots in %q", err, len(slots), out)
	}
	start := slots[0].Start.Format(time.RFC3339)
	book := []string{"book", "--db", db, "--motif", "Carte d’identité", "--start", start, "--nom", "Girard", "--prenom", "Zoé", "--canal", "kiosk", "--json"}
	if code, out, errs := runCLI(t, tuesday, book...); code != 0 {
		t.Fatalf("book: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, tuesday, book...)
	var failure struct {
		Error struct{ Code, Message string }
	}
	if code != 1 || json.Unmarshal([]byte(out), &failure) != nil || failure.Error.Code != "slot_taken" || failure.Error.Message != "Ce créneau vient d’être pris." {
		t.Errorf("second booking --json: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = runCLI(t, tuesday, book[:len(book)-1]...)
	if code != 1 || !strings.Contains(errs, "échec : Ce créneau vient d’être pris.") {
		t.Errorf("second booking: exit %d, stderr %q", code, errs)
	}
	code, out, _ = runCLI(t, tuesday, "creneaux", "--db", db, "--motif", "Carte d’identité", "--from", "2026-03-12", "--days", "7", "--canal", "kiosk")
	if code != 0 || strings.Contains(out, start) {
		t.Errorf("the booked slot is still listed:\n%s", out)
	}
	if !strings.Contains(out, "\u202fh\u202f") {
		t.Errorf("text output should write French times (9 h 30):\n%s", out)
	}
}
