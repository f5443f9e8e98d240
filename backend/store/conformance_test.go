package store

import (
	"context"
	"path/filepath"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/storetest"
)

// The SQLite store passes the stores' conformance suite (backend/storetest), as the central's
// PostgreSQL store must.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock agenda.Clock) storetest.Harness {
		db, err := Open(filepath.Join(t.TempDir(), "rdv.sqlite"), Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return storetest.Harness{Store: db, Ops: func(ctx context.Context) ([]storetest.Op, error) {
			pending, err := db.PendingOutbox(ctx, 100000)
			ops := make([]storetest.Op, len(pending))
			for i, p := range pending {
				ops[i] = storetest.Op{Entity: p.Entity, EntityID: p.EntityID, Kind: p.Op}
			}
			return ops, err
		}}
	})
}
