package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

// docClock is the fixed clock of the documents commands' tests.
type docClock time.Time

func (c docClock) Now() time.Time { return time.Time(c) }

func docRun(t *testing.T, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{stdout: &out, stderr: &errb, clock: docClock(now)}, args)
	return code, out.String(), errb.String()
}

// TestDocumentCommands runs convocation, ics and print on a demo file; print goes to a fake lp
// put first in PATH.
func TestDocumentCommands(t *testing.T) {
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 5, 20, 10, 0, 0, 0, paris)
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.sqlite")
	if _, err := demo.Create(ctx, path, now, 10); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rdvs, err := db.ListRdvsBetween(ctx, now, now.AddDate(0, 0, 10), store.RdvFilter{IncludeCancelled: true})
	if err != nil {
		t.Fatal(err)
	}
	var live, cancelled agenda.Rdv
	for _, r := range rdvs {
		if r.Status.Cancelled() {
			cancelled = r
		} else if live.ID == "" {
			live = r
		}
	}
	agentID := live.AgentIDs[0]
	db.Close()

	pdf := filepath.Join(dir, "c.pdf")
	for _, format := range []string{"a4", "ticket"} {
		code, out, errs := docRun(t, now, "convocation", "--db", path, "--rdv", live.ID, "--format", format, "--out", pdf, "--force")
		if code != 0 || !strings.Contains(out, "écrite dans") {
			t.Fatalf("convocation %s: %d %s %s", format, code, out, errs)
		}
		if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatalf("%s is not a PDF", pdf)
		}
	}
	if code, _, errs := docRun(t, now, "convocation", "--db", path, "--rdv", live.ID, "--format", "a5", "--out", pdf); code != 2 {
		t.Fatalf("bad format: %d %s", code, errs)
	}
	if code, _, errs := docRun(t, now, "convocation", "--db", path, "--rdv", live.ID); code != 2 || !strings.Contains(errs, "--out") {
		t.Fatalf("no --out: %d %s", code, errs)
	}
	if cancelled.ID != "" {
		if code, _, errs := docRun(t, now, "convocation", "--db", path, "--rdv", cancelled.ID, "--out", pdf); code != 1 || !strings.Contains(errs, "annulé") {
			t.Fatalf("cancelled RDV: %d %s", code, errs)
		}
		ics := filepath.Join(dir, "cancel.ics")
		if code, out, errs := docRun(t, now, "ics", "--db", path, "--rdv", cancelled.ID, "--out", ics); code != 0 || !strings.Contains(out, "METHOD:CANCEL") {
			t.Fatalf("ics of a cancelled RDV: %d %s %s", code, out, errs)
		}
	}

	ics := filepath.Join(dir, "rdv.ics")
	if code, out, errs := docRun(t, now, "ics", "--db", path, "--rdv", live.ID, "--out", ics); code != 0 || !strings.Contains(out, "SEQUENCE") {
		t.Fatalf("ics --rdv: %d %s %s", code, out, errs)
	}
	if b, _ := os.ReadFile(ics); !bytes.Contains(b, []byte("UID:rdv-"+live.ID+"@rdv-guichet")) || !bytes.Contains(b, []byte("BEGIN:VTIMEZONE")) {
		t.Fatalf("rdv.ics:\n%s", b)
	}
	feed := filepath.Join(dir, "agent.ics")
	if code, out, errs := docRun(t, now, "ics", "--db", path, "--agent", agentID, "--out", feed); code != 0 || !strings.Contains(out, "rendez-vous") {
		t.Fatalf("ics --agent: %d %s %s", code, out, errs)
	}
	if code, _, _ := docRun(t, now, "ics", "--db", path, "--rdv", live.ID, "--agent", agentID, "--out", feed); code != 2 {
		t.Fatal("--rdv with --agent accepted")
	}

	if runtime.GOOS == "windows" {
		return
	}
	bin := t.TempDir()
	got := filepath.Join(bin, "stdin")
	lp := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + filepath.Join(bin, "args") + "\ncat > " + got + "\necho 'request id is Accueil-42 (1 file(s))'\n"
	if err := os.WriteFile(filepath.Join(bin, "lp"), []byte(lp), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	code, out, errs := docRun(t, now, "print", "--db", path, "--rdv", live.ID, "--printer", "Accueil")
	if code != 0 || !strings.Contains(out, "Accueil-42") {
		t.Fatalf("print: %d %s %s", code, out, errs)
	}
	if b, _ := os.ReadFile(got); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("lp did not receive a PDF")
	}
	if args, _ := os.ReadFile(filepath.Join(bin, "args")); !strings.Contains(string(args), "-d\nAccueil\n") || !strings.Contains(string(args), "media=A4") {
		t.Fatalf("lp args: %s", args)
	}
	code, _, errs = docRun(t, now, "print", "--db", path, "--rdv", live.ID, "--escpos", "--raster")
	if code != 0 {
		t.Fatalf("print --escpos: %d %s", code, errs)
	}
	if b, _ := os.ReadFile(got); !bytes.HasPrefix(b, []byte{0x1b, '@', 0x1b, 't', 19}) {
		t.Fatal("lp did not receive ESC/POS")
	}
	if args, _ := os.ReadFile(filepath.Join(bin, "args")); !strings.Contains(string(args), "-o\nraw\n") {
		t.Fatalf("raw job without -o raw: %s", args)
	}
	if code, _, _ := docRun(t, now, "print", "--db", path, "--rdv", live.ID, "--raster"); code != 2 {
		t.Fatal("--raster without --escpos accepted")
	}
}
