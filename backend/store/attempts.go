package store

import (
	"context"
	"time"
)

// Failed attempts (migration 7): the sign-in and the kiosk's check-in count their refusals in the
// data file, not in a process's memory, so that restarting the app does not lift a wait, and the
// agent app and the kiosk (two processes on one file) see the same counts.

// Scopes of failed_attempts.
const (
	AttemptSignIn = "sign_in"
	AttemptKiosk  = "kiosk"
)

// AttemptRule says when refusals make the caller wait: after Max refusals within Window, the
// caller waits Base after the last one, doubled at each further refusal, at most Cap.
type AttemptRule struct {
	Max    int
	Window time.Duration
	Base   time.Duration
	Cap    time.Duration
}

// Delay is the wait after n refusals within the window (0 below Max).
func (r AttemptRule) Delay(n int) time.Duration {
	if n < r.Max {
		return 0
	}
	d := r.Base
	for i := r.Max; i < n && d < r.Cap; i++ {
		d *= 2
	}
	return min(d, r.Cap)
}

// AttemptWait returns how long (scope, key) must still wait under rule: 0 when it may try now.
func (db *DB) AttemptWait(ctx context.Context, scope, key string, rule AttemptRule) (time.Duration, error) {
	const op = "store.AttemptWait"
	now := db.now()
	var n int
	var last *int64
	err := db.r.QueryRowContext(ctx, `SELECT count(*), max(at) FROM failed_attempts WHERE scope = ? AND key = ? AND at > ?`,
		scope, key, ms(now.Add(-rule.Window))).Scan(&n, &last)
	if err != nil || last == nil {
		return 0, mapErr(op, err)
	}
	until := fromMS(*last).Add(rule.Delay(n))
	if wait := until.Sub(now); wait > 0 {
		return wait, nil
	}
	return 0, nil
}

// RecordFailure records a refused attempt of (scope, key), and forgets those older than a day.
func (db *DB) RecordFailure(ctx context.Context, scope, key string) error {
	return db.write(ctx, "store.RecordFailure", func(tx *txn) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, "DELETE FROM failed_attempts WHERE at < ?", ms(now.Add(-24*time.Hour))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO failed_attempts(scope, key, at) VALUES (?, ?, ?)", scope, key, ms(now))
		return err
	})
}

// ClearFailures forgets the refusals of (scope, key): a successful sign-in.
func (db *DB) ClearFailures(ctx context.Context, scope, key string) error {
	return db.write(ctx, "store.ClearFailures", func(tx *txn) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM failed_attempts WHERE scope = ? AND key = ?", scope, key)
		return err
	})
}
