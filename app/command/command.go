// Package command is rdv-guichet's administration command line wired to the app's services: the
// same commands in the window's binary (the one Windows installs) and in the command line's own
// binary, which links no GUI toolkit (cmd/rdv-guichet, docs/decisions/0011).
package command

import (
	"context"
	"io"
	"log"

	"rdvguichet/app"
	"rdvguichet/app/principal"
	"rdvguichet/backend/cli"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/store"
)

// Dispatch reads the command line as cli.Dispatch does, with the commands that need the app's
// services (serve, the printer check) wired in.
func Dispatch(args []string, stdout, stderr io.Writer) (opts cli.DesktopOptions, exit int, window bool) {
	cli.Serve, cli.CheckPrinting = serve, app.CheckPrinterSettings
	return cli.Dispatch(args, stdout, stderr)
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
