package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"rdvguichet/backend/clock"
	"rdvguichet/sync/server/notifier"
	"rdvguichet/sync/server/pgstore"

	"github.com/prometheus/client_golang/prometheus"
)

// purgeEvery is how often serve looks for organisations not yet purged today: hourly, so that a
// process started at any time purges within the hour, and the day's first run is the only one
// that deletes (pgstore.DailyPurge marks the day under the organisation's row lock).
const purgeEvery = time.Hour

// runPurge runs the retention purge (RGPD) daily until ctx ends. The log says which
// organisation was purged and how many rows went: ids and counts, nothing personal.
func runPurge(ctx context.Context, store *pgstore.Store, logger *slog.Logger) {
	every(ctx, purgeEvery, func() {
		reports, err := store.DailyPurge(ctx)
		for _, r := range reports {
			logger.Info("retention purge", "organisation", r.OrganisationID, "retention_years", r.RetentionYears,
				"rdvs", r.Rdvs, "usagers", r.Usagers, "receipts", r.Receipts, "notifications", r.Notifications, "changes", r.Changes)
		}
		if err != nil && ctx.Err() == nil {
			logger.Error("retention purge failed", "error", err.Error())
		}
	})
}

// compactEvery is how often serve compacts the change feed (pgstore.CompactFeed): processes
// running it at once delete the same rows.
const compactEvery = time.Hour

// runCompaction compacts the feed hourly until ctx ends; the log gives counts by organisation.
func runCompaction(ctx context.Context, store *pgstore.Store, logger *slog.Logger) {
	every(ctx, compactEvery, func() {
		reports, err := store.CompactFeed(ctx, pgstore.DefaultCompactionIdle)
		for _, r := range reports {
			if r.Changes > 0 {
				logger.Info("feed compacted", "organisation", r.OrganisationID, "changes", r.Changes)
			}
		}
		if err != nil && ctx.Err() == nil {
			logger.Error("feed compaction failed", "error", err.Error())
		}
	})
}

// every runs fn at once, then every d, until ctx ends.
func every(ctx context.Context, d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sendEvery is how often serve sends the due messages of online bookings.
const sendEvery = time.Minute

// startJobs starts serve's background work: the daily retention purge, the feed's hourly
// compaction and the sender of the online bookings' messages. Every process runs them; the store makes sure each organisation is
// purged once a day and each message claimed by one process. publicURL is the central's public
// address, for the usager's link in the messages (/r/<token>).
func startJobs(ctx context.Context, store *pgstore.Store, logger *slog.Logger, metrics prometheus.Registerer, publicURL string) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() { runPurge(ctx, store, logger) })
	wg.Go(func() { runCompaction(ctx, store, logger) })
	n := &notifier.Notifier{Store: store, Clock: clock.System{}, Logger: logger, Registerer: metrics, PublicURL: publicURL}
	wg.Go(func() { n.Run(ctx, sendEvery) })
	return &wg
}
