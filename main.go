// RDV Guichet's window: the desktop app of a mairie or France Services counter and, with a first
// argument naming a command, its administration command line. On Linux the command line is a
// binary of its own, cmd/rdv-guichet, that links no WebKitGTK and runs this one for the window
// (docs/decisions/0011); on Windows this binary is the only one.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	_ "time/tzdata" // Windows PCs have no zoneinfo database

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"rdvguichet/app"
	"rdvguichet/app/command"
	"rdvguichet/app/principal"
	"rdvguichet/app/window"
	"rdvguichet/backend/cli"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

//go:embed all:frontend/dist
var assets embed.FS

// generatingBindings is true when `wails generate module` runs this program (build tag
// "bindings", bindings.go) to write frontend/wailsjs: it must see the services of both windows.
var generatingBindings = false

func main() {
	opts, code, opensWindow := command.Dispatch(os.Args[1:], os.Stdout, os.Stderr)
	if !opensWindow {
		os.Exit(code)
	}
	if err := runDesktop(opts); err != nil {
		fmt.Fprintln(os.Stderr, "rdv-guichet :", cli.Message(err))
		os.Exit(1)
	}
}

func runDesktop(opts cli.DesktopOptions) error {
	// A PC paired with a poste principal opens the principal's agenda (rdv-guichet poste pair);
	// --db names a data file of this PC and opens it instead.
	if opts.DB == "" && !generatingBindings {
		cfgPath, err := poste.ConfigPath()
		if err != nil {
			return err
		}
		cfg, paired, err := poste.LoadConfig(cfgPath)
		if err != nil {
			return err
		}
		if paired {
			return runSecondary(cfg, cfgPath)
		}
	}
	kiosk := &opts.Kiosk
	path := opts.DB
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return err
		}
	}
	// A new data file opens on the first start's chooser (the demo, the assistant « Configurer ma
	// commune », or the pairing of a poste secondaire): nothing is created before the user chooses.
	wall := clock.System{}
	db, err := store.Open(path, store.Options{Clock: wall})
	if err != nil {
		return err
	}
	defer db.Close()
	services := app.New(db, wall, log.New(os.Stdout, "", 0))
	if opts.Pair {
		services.OfferPairing()
	}
	// The integrity checks and the day's backup run beside the window once it has loaded (then
	// hourly, a stat once done); damage is shown to the agent, nothing keeps the counter from working.
	stopDaily := cli.StartDaily(db, log.Default(), services.WindowUp(), services.ReportDataFault)
	defer stopDaily()
	defer cli.StartDailyPurge(db, log.Default(), services.WindowUp())() // the RGPD retention purge, once a day

	// The background sync stops, its round in flight ended, before the data file closes.
	defer services.StopBackground()
	// The agents' window serves the office's postes when an administrator turned it on.
	postes := principal.New(db, wall, log.Default(), services.Events)
	services.SetServing(postes)
	defer postes.Stop()
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return err
	}
	if *kiosk && !generatingBindings {
		// The lobby binds the KioskService alone: no sign-in screen, no agent data. The agents'
		// window sends the SMS and e-mails, for the kiosk's bookings too.
		return wails.Run(window.Kiosk(dist, services.Startup, services.KioskBindings()))
	}
	startup := func(ctx context.Context) {
		services.Startup(ctx)
		services.StartBackground(ctx)
		// The waiting room and the agenda refresh when the file changes (the kiosk checks
		// usagers in from another process). The kiosk's window gets no such event: each of its
		// screens reads afresh, and its booking re-checks the slot when the usager confirms.
		services.Events.Start(ctx, window.Emitter(ctx))
		if opts.DB == "" {
			services.SetReopen(func() error { return reopen(ctx) })
		}
	}
	bind := services.Bindings()
	if generatingBindings {
		bind = append(bind, services.KioskBindings()...)
		bind = append(bind, app.NewRemote(nil, poste.Config{}, nil, nil, ""))
	}
	agents := window.Agents(dist, startup, bind)
	// No event is sent to a window that is going away.
	agents.OnShutdown = func(context.Context) { services.Events.Stop() }
	return wails.Run(agents)
}

// reopen starts this program anew, which opens as the poste secondaire it was just paired as
// (runDesktop finds poste.json), and closes this window.
func reopen(ctx context.Context) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if err := exec.Command(exe, os.Args[1:]...).Start(); err != nil {
		return err
	}
	runtime.Quit(ctx)
	return nil
}

// runSecondary opens the window of a poste secondaire: the principal's agent window or kiosk, as
// its role says, every call forwarded to the principal (app.RemoteService).
func runSecondary(cfg poste.Config, cfgPath string) error {
	client, err := cfg.Client()
	if err != nil {
		return err
	}
	// The documents its agents save go to this PC's data folder, as on a principal.
	data, err := store.DefaultPath()
	if err != nil {
		return err
	}
	remote := app.NewRemote(client, cfg, func(c poste.Config) error { return c.Save(cfgPath) }, app.SystemPrinters, filepath.Dir(data))
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return err
	}
	log.Printf("Poste secondaire « %s » (%s) : agenda du poste principal %s.", cfg.Name, cfg.Role, cfg.Address)
	if cfg.Role == store.RoleBorne {
		return wails.Run(window.Kiosk(dist, nil, []any{remote}))
	}
	// A counter's screens reload on the principal's change events, as the principal's window does.
	relay := func(ctx context.Context) { go app.RelayEvents(ctx, client, window.Emitter(ctx)) }
	return wails.Run(window.Agents(dist, relay, []any{remote}))
}
