//go:build linux

package main

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The command line must not pull in Wails (whose Linux frontend links WebKitGTK and GTK): not
// one package of it among the binary's dependencies.
func TestCommandLineHasNoWailsDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "wailsapp") || strings.Contains(pkg, "webview") {
			t.Errorf("the command line depends on %s", pkg)
		}
	}
}

var built struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}

// build puts this command, compiled once per run as build/scripts/split-cli.sh does, into dir.
func build(t *testing.T, dir string) string {
	t.Helper()
	built.once.Do(func() {
		d, err := os.MkdirTemp("", "rdv-guichet-cli")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(d, "rdv-guichet")
		if out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	b, err := os.ReadFile(built.path)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "rdv-guichet")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// The real binary: it needs no GUI library to start, and its commands run on a real data file.
func TestCommandLineRunsWithoutTheGUIToolkit(t *testing.T) {
	dir := t.TempDir()
	bin := build(t, dir)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	libs, err := f.ImportedLibraries()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range libs {
		if strings.Contains(lib, "webkit") || strings.Contains(lib, "gtk") || strings.Contains(lib, "javascriptcore") {
			t.Errorf("the command line links %s (all: %v)", lib, libs)
		}
	}

	help, err := exec.Command(bin, "aide").Output()
	if err != nil || !strings.Contains(string(help), "creneaux") {
		t.Fatalf("rdv-guichet aide: %v\n%s", err, help)
	}
	db := filepath.Join(dir, "demo.sqlite")
	if out, err := exec.Command(bin, "demo", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("rdv-guichet demo: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "check", "--db", db).CombinedOutput()
	if err != nil {
		t.Fatalf("rdv-guichet check: %v\n%s", err, out)
	}
}

// Without a command, rdv-guichet becomes the window's binary installed beside it, with the same
// arguments and the same process (the window itself is the smoke test's, build/scripts/smoke.sh).
func TestNoCommandOpensTheWindowBinary(t *testing.T) {
	dir := t.TempDir()
	bin := build(t, dir)
	got := filepath.Join(dir, "args")
	window := "#!/bin/sh\necho \"$$ $*\" > " + got + "\n"
	if err := os.WriteFile(filepath.Join(dir, windowBinary), []byte(window), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--db", "x.sqlite", "--borne")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rdv-guichet --borne: %v\n%s", err, out)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	pid, args, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	if args != "--db x.sqlite --borne" {
		t.Errorf("the window got %q", args)
	}
	if want := cmd.Process.Pid; pid != strconv.Itoa(want) {
		t.Errorf("the window ran as process %s, not in rdv-guichet's process %d", pid, want)
	}
}

// Without the window's binary beside it, rdv-guichet says where it looked, in French.
func TestMissingWindowBinaryIsExplained(t *testing.T) {
	bin := build(t, t.TempDir())
	out, err := exec.Command(bin).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "rdv-guichet-fenetre est introuvable") {
		t.Errorf("rdv-guichet without its window: %v\n%s", err, out)
	}
}
