// Command rdvguichetcli is rdv-guichet's command line without its window: the same dispatch as
// the desktop binary (backend/cli), in a program that needs neither Wails, cgo nor the frontend's
// build. The end-to-end tests of the sync (sync/e2e) run it as the office's process; it refuses
// to open the window.
package main

import (
	"fmt"
	"os"
	_ "time/tzdata" // as the desktop binary: no zoneinfo database needed

	"rdvguichet/backend/cli"
)

func main() {
	_, code, window := cli.Dispatch(os.Args[1:], os.Stdout, os.Stderr)
	if window {
		fmt.Fprintln(os.Stderr, "rdvguichetcli : pas de fenêtre dans ce programme, seulement les commandes (rdvguichetcli aide).")
		os.Exit(2)
	}
	os.Exit(code)
}
