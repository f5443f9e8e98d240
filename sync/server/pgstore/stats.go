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

// refreshStats analyzes those of statsTables that have grown to more than twice the pages they had
// at their last ANALYZE (and to more than 8 pages, 64 KB). The lookups of foreign keys and triggers
// run plans that each connection keeps (generic plans): made while a table looked small, after an
// ANALYZE of its first rows, they scan the whole table, and kept scanning it while an office's
// first sync grew it to tens of thousands of rows — until autovacuum analyzed it again, a minute or
// more later (docs/benchmarks.md, « The first sync of three years »). An ANALYZE changes the
// table's statistics, which makes every connection plan again. The table's size is read as it is
// now (the activity counters reach the statistics views a second or more late); a table doubles
// between two ANALYZEs: a few, of some ms each, during a first sync.
func (s *Store) refreshStats(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT c.relname::text FROM pg_class c
		WHERE c.relname = ANY($1) AND c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
		  AND pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(2 * c.relpages, 8)`, statsTables)
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
