// Package pgstore is the central server's store: the agendas of many organisations in
// PostgreSQL (through pgx), booked with the office's rules. It runs the same booking path as the
// office's SQLite store — load → decide (backend/booking, backend/creneaux) → write, in one
// transaction — and passes the same conformance suite (backend/storetest); it restates no rule.
//
// # The booking guarantee
//
// A slot is sold once, whatever the number of rdv-central processes:
//   - the database refuses it: rdv_agents carries
//     EXCLUDE USING gist (organisation_id WITH =, agent_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (active),
//     and a trigger on participations refuses a seat beyond a collective session's capacity,
//     counted under a lock of the session's row (sql/0001_init.sql);
//   - the booking path serializes per agent: Book locks the rows of the agents it may book
//     (SELECT … FOR NO KEY UPDATE, in id order) before it reads their busy time, so the second
//     of two bookings of one slot reads the first and is refused by the decision with its reason;
//     Move and the status changes lock the RDV's row first;
//   - a refusal comes back as a code whoever saw it first: the exclusion violation (23P01) is
//     slot_taken, the capacity trigger collectif_full; serialization failures and deadlocks
//     (40001, 40P01) retry the whole transaction a few times.
//
// # Multi-tenancy
//
// Every table carries organisation_id, and every key and constraint includes it (Citus-ready).
// The methods of the conformance suite name rows by id only; the first read finds the row's
// organisation and every later statement of the transaction is scoped by it.
//
// # The change feed
//
// Every write appends, in its transaction, one row to changes (a server sequence, the entity,
// its id, the kind of change, the entity after the change as jsonb): what the sync's pull will
// read, and what the conformance suite reads as the store's ops (Ops).
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed sql/*.sql
var migrationFiles embed.FS

// migrationLock is the key of the advisory lock that serializes the migrations of processes
// starting together on one database ("RDVCENTR" read as a big-endian integer).
const migrationLock int64 = 0x52445643454e5452

// Store is the central's store over a pgx pool. It is safe for concurrent use; several Stores
// (several processes) may share one database.
type Store struct {
	pool  *pgxpool.Pool
	clock agenda.Clock

	batchOps  int           // ApplyBatch's ops per transaction (0: DefaultBatchOps)
	batchTime time.Duration // and time per transaction (0: DefaultBatchTime)
	careful   atomic.Int64  // chunks the fast path gave up on (CarefulChunks)
}

// Open connects to the database at dsn (a pgx connection string), applies the migrations it
// lacks and returns the store. clock gives the current instant (clock.System in
// production).
func Open(ctx context.Context, dsn string, clock agenda.Clock) (*Store, error) {
	const op = "pgstore.Open"
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, agenda.Errorf(op, agenda.Invalid, "adresse de la base invalide : %w", err)
	}
	return OpenConfig(ctx, cfg, clock)
}

// OpenConfig is Open with a pool configuration (pool size, timeouts, TLS).
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, clock agenda.Clock) (*Store, error) {
	const op = "pgstore.Open"
	if clock == nil {
		return nil, agenda.Errorf(op, agenda.Invalid, "horloge absente")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, mapErr(op, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, mapErr(op, err)
	}
	return &Store{pool: pool, clock: clock}, nil
}

// Close closes the pool's connections.
func (s *Store) Close() { s.pool.Close() }

// Pool returns the connection pool (for the server's health checks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

func (s *Store) now() time.Time { return s.clock.Now().UTC() }

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations, by version: sql/NNNN_name.sql.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "sql/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s : nom attendu NNNN_nom.sql", n)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := range out {
		if out[i].version != i+1 {
			return nil, fmt.Errorf("migration %s : numéro %d attendu", out[i].name, i+1)
		}
	}
	return out, nil
}

// migrate applies the missing migrations in one transaction, under an advisory lock: of two
// processes starting together, the second waits for the first and then finds nothing to do. A
// database migrated by a newer build is refused rather than used with a schema this build does
// not know.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return err
		}
		if current > len(ms) {
			return fmt.Errorf("la base est au schéma %d, ce programme ne connaît que le schéma %d : mettez à jour rdv-central", current, len(ms))
		}
		for _, m := range ms[current:] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s : %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations(version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
}

// SchemaVersion returns the schema version of the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, mapErr("pgstore.SchemaVersion", err)
	}
	return v, nil
}
