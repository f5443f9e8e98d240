package pgstore

import (
	"context"
	"testing"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A transaction aborted by a serialization failure or a deadlock runs again; after maxAttempts
// the caller is told database_busy. Other refusals are not retried.
func TestWriteRetries(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	runs := 0
	err := s.write(ctx, "test", func(tx pgx.Tx) error {
		runs++
		if runs < 3 {
			return &pgconn.PgError{Code: []string{"40001", "40P01"}[runs-1]}
		}
		return nil
	})
	if err != nil || runs != 3 {
		t.Fatalf("runs %d, err %v", runs, err)
	}
	runs = 0
	err = s.write(ctx, "test", func(tx pgx.Tx) error {
		runs++
		return &pgconn.PgError{Code: "40P01"}
	})
	if runs != maxAttempts || agenda.CodeOf(err) != agenda.CodeDatabaseBusy {
		t.Fatalf("runs %d, err %v", runs, err)
	}
	runs = 0
	err = s.write(ctx, "test", func(tx pgx.Tx) error {
		runs++
		return &pgconn.PgError{Code: "23P01"}
	})
	if runs != 1 || agenda.CodeOf(err) != agenda.CodeSlotTaken {
		t.Fatalf("runs %d, err %v", runs, err)
	}
}
