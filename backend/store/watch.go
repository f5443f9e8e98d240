package store

import (
	"context"
	"database/sql"
	"time"
)

// WatchChanges calls changed after commits to the data file, whoever made them: this DB's writer,
// another process on the same file (the lobby kiosk's, the command line's), another *DB. It
// returns nil when ctx ends, or the error that stopped it (the caller may watch again: a commit
// made meanwhile is not reported).
//
// It polls PRAGMA data_version every `every` on a connection of its own. SQLite documents that the
// value read twice on one connection differs when another connection committed in between, and
// not for that connection's own commits: the watcher's connection never writes, so it sees every
// commit, including this process's. A poll is a read of the WAL index in shared memory (a few
// microseconds, measured in docs/benchmarks.md); it holds no lock a writer waits for. A burst of
// commits between two polls gives one call, so changed runs at most once per `every`, on the
// watcher's goroutine: it must not block.
func (db *DB) WatchChanges(ctx context.Context, every time.Duration, changed func()) error {
	const op = "store.WatchChanges"
	conn, closeConn, err := db.watchConn(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	defer closeConn()
	t := time.NewTicker(every)
	defer t.Stop()
	if err := watch(ctx, conn, t.C, changed); err != nil {
		return mapErr(op, err)
	}
	return nil
}

// watchConn opens the watcher's own read connection, apart from the readers' pool: its
// data_version is only comparable with itself, so it must stay one connection for the whole watch.
func (db *DB) watchConn(ctx context.Context) (*sql.Conn, func(), error) {
	d := dsn(db.path, false, false)
	if db.ro {
		d = dsnReadOnly(db.path, false)
	}
	pool, err := sql.Open("sqlite", d)
	if err != nil {
		return nil, nil, err
	}
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return conn, func() { conn.Close(); pool.Close() }, nil
}

// watch reads the first data_version at once, then compares at each tick: the commits made
// before the call are not reported, those made after it are. It returns nil when ctx ends, even
// in the middle of a poll.
func watch(ctx context.Context, conn *sql.Conn, ticks <-chan time.Time, changed func()) error {
	last, err := dataVersion(ctx, conn)
	for err == nil {
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
		}
		var v int64
		if v, err = dataVersion(ctx, conn); err == nil && v != last {
			last = v
			changed()
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func dataVersion(ctx context.Context, conn *sql.Conn) (int64, error) {
	var v int64
	err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}
