package cli

import (
	"context"
	"log"
	"sync"
	"time"

	"rdvguichet/backend/messages"
	"rdvguichet/backend/store"
)

// dailyEvery is how often the window's process looks whether the day's care is due: one stat
// when it is done, so an office PC left on overnight still gets its check and backup.
const dailyEvery = time.Hour

// StartDaily runs the day's care of the data file beside the window, never before it: the full
// integrity check (an index-only fault is repaired after a backup, and said in the log in
// French), then the daily backup; then again every hour, which costs a stat until the next day.
// A failure never stops the counter: it is logged, and the next round or « rdv-guichet check »
// tries again. The returned stop cancels a check in progress and waits for it; call it before
// closing db.
func StartDaily(db *store.DB, logger *log.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(dailyEvery)
		defer tick.Stop()
		for {
			dailyOnce(ctx, db, logger)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

func dailyOnce(ctx context.Context, db *store.DB, logger *log.Logger) {
	res, err := db.Daily(ctx, store.DailyBackupKeep)
	if code, params := res.Integrity.Notice(); code != "" {
		logger.Print(messages.Text(messages.French, code, params))
	}
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Printf("vérification et sauvegarde quotidiennes impossibles : %s", Message(err))
	case res.Written != "":
		logger.Printf("sauvegarde quotidienne : %s", res.Written)
	}
}
