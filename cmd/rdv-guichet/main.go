//go:build linux

// Command rdv-guichet is RDV Guichet on Linux: the administration command line, which links no
// GUI toolkit (an administrator's script may call it a hundred times), and, without a command,
// the window: it then runs rdv-guichet-fenetre, installed beside it, with the same arguments
// (docs/decisions/0011). On Windows the window's binary is the only one and runs both.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"rdvguichet/app/command"
)

// windowBinary is the window's binary, in the same folder as this one (wails.json's Linux
// post-build hook, build/scripts/split-cli.sh).
const windowBinary = "rdv-guichet-fenetre"

func main() {
	_, code, opensWindow := command.Dispatch(os.Args[1:], os.Stdout, os.Stderr)
	if !opensWindow {
		os.Exit(code)
	}
	fmt.Fprintln(os.Stderr, "rdv-guichet :", openWindow(os.Args[1:]))
	os.Exit(1)
}

// openWindow replaces this process by the window's binary (same process id, so that a service
// manager or a script that started rdv-guichet still holds the window); it returns only on failure.
func openWindow(args []string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("la fenêtre ne peut pas s’ouvrir : %w", err)
	}
	path := filepath.Join(filepath.Dir(self), windowBinary)
	err = syscall.Exec(path, append([]string{path}, args...), os.Environ())
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("la fenêtre ne peut pas s’ouvrir : %s est introuvable (il s’installe à côté de rdv-guichet)", path)
	}
	return fmt.Errorf("la fenêtre ne peut pas s’ouvrir : %s : %w", path, err)
}
