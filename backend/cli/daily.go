package cli

import (
	"context"
	"log"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/store"
)

// dailyEvery is how often the window's process looks whether the day's care is due: one stat
// when it is done, so an office PC left on overnight still gets its check and backup.
const dailyEvery = time.Hour

// StartDaily runs the checks of the data file beside the window, once windowUp is closed (the
// window has loaded: store.Open reads nothing proportional to the file, these do): on the first
// start of the day the full integrity check (an index-only fault is repaired after a backup, and
// said in the log in French) then the daily backup, on the other starts the quick check; then the
// day's care again every hour, which costs a stat until the next day. Damage is logged and given
// to fault (the window shows it to the agent); any other failure is logged, and the next round or
// « rdv-guichet check » tries again: none stops the counter. The returned stop cancels a check in
// progress and waits for it; call it before closing db.
func StartDaily(db *store.DB, logger *log.Logger, windowUp <-chan struct{}, fault func(error)) (stop func()) {
	return besideWindow(windowUp, func(ctx context.Context, start bool) { dailyOnce(ctx, db, logger, start, fault) })
}

// besideWindow runs round once windowUp is closed (nothing proportional to the file may delay
// the window), then every dailyEvery, start true the first time. The returned stop cancels a
// round in progress and waits for it.
func besideWindow(windowUp <-chan struct{}, round func(ctx context.Context, start bool)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			return
		case <-windowUp:
		}
		tick := time.NewTicker(dailyEvery)
		defer tick.Stop()
		for start := true; ; start = false {
			round(ctx, start)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// dailyOnce is one round: the agenda's cards if a file from before them lacks them, the day's
// care, and at start the quick check when the day's full check had already run (an earlier start
// today).
func dailyOnce(ctx context.Context, db *store.DB, logger *log.Logger, start bool, fault func(error)) {
	// A file from before the agenda's read model gets its cards first: the grid reads the tables
	// meanwhile, slower but right.
	if err := db.BuildAgendaCards(ctx); err != nil && ctx.Err() == nil {
		logger.Printf("préparation de l’agenda impossible (l’agenda reste juste, en plus lent) : %s", Message(err))
	}
	res, err := db.Daily(ctx, store.DailyBackupKeep)
	report(logger, res.Integrity)
	if start && err == nil && res.Integrity.Found == "" {
		var rep store.IntegrityReport
		rep, err = db.StartupCheck(ctx)
		report(logger, rep)
	}
	switch {
	case err != nil && ctx.Err() == nil && agenda.CodeOf(err) == agenda.CodeDatabaseDamaged:
		logger.Printf("vérification du fichier de données : %s", Message(err))
		fault(err)
	case err != nil && ctx.Err() == nil:
		logger.Printf("vérification et sauvegarde quotidiennes impossibles : %s", Message(err))
	case res.Written != "":
		logger.Printf("sauvegarde quotidienne : %s", res.Written)
	}
}

// report logs the notice of a repair, if any.
func report(logger *log.Logger, rep store.IntegrityReport) {
	if code, params := rep.Notice(); code != "" {
		logger.Print(messages.Text(messages.French, code, params))
	}
}
