package pgstore

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// statsPush is the size of a push after which ApplyBatch looks at the statistics.
const statsPush = 100

// statsTables are the tables that the foreign keys and triggers of an RDV's rows look up by key
// (rdvs, participations, rdv_agents) or that participations reference (usagers).
var statsTables = []string{"participations", "rdv_agents", "rdvs", "usagers"}

// refreshStats analyzes those of statsTables that changed by more rows than they held at their
// last ANALYZE (and by at least 500). The lookups of foreign keys and triggers run plans that each
// connection keeps (generic plans): made while a table looked small, after an ANALYZE of its
// first rows, they scan the whole table, and keep scanning it while it grows to tens of
// thousands of rows during an office's first sync — until autovacuum analyzes it again, a
// minute or more later. The first sync of three years went from about a minute to seconds of
// PostgreSQL's time for these lookups (docs/benchmarks.md, « The first sync of three years »).
// An ANALYZE changes the table's statistics, which makes every connection plan again. A table
// doubles between two of them: a few ANALYZEs, of a few tens of ms each, for a first sync.
func (s *Store) refreshStats(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
		WHERE s.relname = ANY($1) AND s.n_mod_since_analyze > greatest(c.reltuples, 500)`, statsTables)
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(stale) == 0 {
		return err
	}
	_, err = s.pool.Exec(ctx, "ANALYZE "+strings.Join(stale, ", "))
	return err
}
