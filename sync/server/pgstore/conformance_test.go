package pgstore

import (
	"context"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/storetest"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5"
)

// TestConformance runs the stores' conformance suite on the central's store, each case on a
// fresh database; the change feed is the store's ops.
func TestConformance(t *testing.T) {
	testkit.DSN(t)
	storetest.Run(t, func(t *testing.T, clock agenda.Clock) storetest.Harness {
		s, _ := openFresh(t, clock)
		return storetest.Harness{Store: s, Ops: func(ctx context.Context) ([]storetest.Op, error) {
			rows, err := s.pool.Query(ctx, "SELECT entity, entity_id::text, kind FROM changes ORDER BY seq")
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storetest.Op, error) {
				var op storetest.Op
				err := r.Scan(&op.Entity, &op.EntityID, &op.Kind)
				return op, err
			})
		}}
	})
}
