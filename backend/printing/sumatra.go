package printing

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"rdvguichet/backend/agenda"
)

// Sumatra prints PDFs on Windows through SumatraPDF's command line (domain.md 13): it prints
// silently to a named printer, which the shell "print" verb and WebView2 cannot do reliably.
// SumatraPDF is GPLv3: it is a separate program the installer may ship next to ours, never linked.
type Sumatra struct {
	Exe     string // SumatraPDF.exe; "" = FindSumatra()
	Printer string // "" = the default printer (-print-to-default)
	// Settings is -print-settings; "" = "fit,monochrome" (black text, the page scaled to the paper).
	Settings string
	TempDir  string // where the PDF is written for Sumatra to read; "" = os.TempDir()
}

// FindSumatra looks for SumatraPDF.exe next to our executable, then in the per-user and
// per-machine install folders, then in PATH. It returns "" when none is found.
func FindSumatra() string {
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, filepath.Join(filepath.Dir(exe), "SumatraPDF.exe"))
	}
	for _, env := range []string{"LOCALAPPDATA", "ProgramFiles", "ProgramFiles(x86)"} {
		if dir := os.Getenv(env); dir != "" {
			candidates = append(candidates, filepath.Join(dir, "SumatraPDF", "SumatraPDF.exe"))
		}
	}
	for _, c := range candidates {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	if p, err := exec.LookPath("SumatraPDF.exe"); err == nil {
		return p
	}
	return ""
}

// Args returns Sumatra's arguments for printing file (exported for the documentation and tests).
func (s *Sumatra) Args(file string) []string {
	settings := s.Settings
	if settings == "" {
		settings = "fit,monochrome"
	}
	var args []string
	if s.Printer != "" {
		args = append(args, "-print-to", s.Printer)
	} else {
		args = append(args, "-print-to-default")
	}
	return append(args, "-print-settings", settings, "-silent", "-exit-when-done", file)
}

// Print writes the PDF to a temporary file, runs Sumatra on it and removes it. Sumatra returns
// once the job is spooled.
func (s *Sumatra) Print(ctx context.Context, doc Document) error {
	const op = "printing.Sumatra"
	if err := checkDoc(op, doc); err != nil {
		return err
	}
	if doc.Kind != PDF {
		return agenda.Errorf(op, agenda.Invalid, "SumatraPDF n’imprime que des PDF ; les tickets ESC/POS passent par la file brute")
	}
	exe := s.Exe
	if exe == "" {
		exe = FindSumatra()
	}
	if exe == "" {
		return agenda.Errorf(op, agenda.Unavailable, "impression impossible : SumatraPDF n’est pas installé (il imprime les PDF sans boîte de dialogue)")
	}
	f, err := os.CreateTemp(s.TempDir, "rdv-guichet-*.pdf")
	if err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(doc.Data); err != nil {
		f.Close()
		return agenda.E(op, agenda.Other, err)
	}
	if err := f.Close(); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	cmd := exec.CommandContext(ctx, exe, s.Args(f.Name())...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if msg == "" || !errors.As(err, &ee) {
			msg = err.Error()
		}
		where := "l’imprimante par défaut"
		if s.Printer != "" {
			where = "l’imprimante « " + s.Printer + " »"
		}
		return agenda.Errorf(op, agenda.Unavailable, "impression impossible sur %s : %s", where, msg)
	}
	return nil
}
