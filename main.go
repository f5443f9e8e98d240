// RDV Guichet: the desktop app of a mairie or France Services counter and, with a first argument
// naming a command, its administration command line.
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
	"rdvguichet/app/principal"
	"rdvguichet/backend/agenda"
	"rdvguichet/backend/cli"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

//go:embed all:frontend/dist
var assets embed.FS

// generatingBindings is true when `wails generate module` runs this program (build tag
// "bindings", bindings.go) to write frontend/wailsjs: it must see the services of both windows.
var generatingBindings = false

func main() {
	cli.Serve, cli.CheckPrinting = serve, app.CheckPrinterSettings
	opts, code, window := cli.Dispatch(os.Args[1:], os.Stdout, os.Stderr)
	if !window {
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
	wall := clock.System{}
	if err := demoOnFirstStart(path, wall); err != nil {
		return err
	}
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
	defer cli.StartDailyPurge(db, log.Default())() // the RGPD retention purge, once a day

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
		return wails.Run(app.KioskWindowOptions(dist, services.Startup, services.KioskBindings()))
	}
	startup := func(ctx context.Context) {
		services.Startup(ctx)
		services.StartBackground(ctx)
		// The waiting room and the agenda refresh when the file changes (the kiosk checks
		// usagers in from another process). The kiosk's window gets no such event: each of its
		// screens reads afresh, and its booking re-checks the slot when the usager confirms.
		services.Events.Start(ctx, app.WailsEmitter(ctx))
		if opts.DB == "" {
			services.SetReopen(func() error { return reopen(ctx) })
		}
	}
	bind := services.Bindings()
	if generatingBindings {
		bind = append(bind, services.KioskBindings()...)
		bind = append(bind, app.NewRemote(nil, poste.Config{}, nil, nil, ""))
	}
	agents := app.WindowOptions(dist, startup, bind)
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
		return wails.Run(app.KioskWindowOptions(dist, nil, []any{remote}))
	}
	// A counter's screens reload on the principal's change events, as the principal's window does.
	relay := func(ctx context.Context) { go app.RelayEvents(ctx, client, app.WailsEmitter(ctx)) }
	return wails.Run(app.WindowOptions(dist, relay, []any{remote}))
}

// serve is « rdv-guichet serve »: the postes' server and the window's background work (the
// reminders, the sync with the central server), without a window, until ctx ends.
func serve(ctx context.Context, db *store.DB, listen string, logger *log.Logger) error {
	wall := clock.System{}
	services := app.New(db, wall, nil)
	postes := principal.New(db, wall, logger, services.Events)
	services.SetServing(postes)
	// The counters' screens reload on the file's changes, relayed by the server (StopBackground
	// stops the watch).
	services.Events.Start(ctx, nil)
	if err := postes.Start(listen); err != nil {
		return err
	}
	defer postes.Stop()
	go app.RunNotifications(ctx, services.Notifications)
	services.StartSync(ctx)
	defer services.StopBackground()
	<-ctx.Done()
	logger.Print("postes : arrêt demandé")
	return nil
}

// demoOnFirstStart creates the demo agenda when the data file does not exist yet, so that a new
// install opens on something to look at (the set-up screen comes with the installer's issue).
func demoOnFirstStart(path string, now agenda.Clock) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	sum, err := demo.Create(context.Background(), path, now.Now(), cli.DemoDays)
	if err != nil {
		return err
	}
	log.Printf("Premier démarrage : agenda de démonstration « %s » créé dans %s (%d rendez-vous).", sum.Organisation, path, sum.Rdvs)
	return nil
}
