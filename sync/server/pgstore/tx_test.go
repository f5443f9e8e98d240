package pgstore

import (
	"context"
	"strconv"
	"strings"
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

// The feed is read in the numeric order of the writing transactions' ids, across a change of
// their number of digits (txid 9 before txid 10): sorting their text would put "10" first, and
// a reader paging with its cursor would skip or repeat changes.
func TestChangesOrderAcrossTxidDigits(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	org, err := s.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie", TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, "DELETE FROM changes"); err != nil {
		t.Fatal(err)
	}
	txids := []string{"9", "10", "99", "100", "998", "1001"}
	for _, x := range txids {
		if _, err := s.pool.Exec(ctx, `INSERT INTO changes(organisation_id, entity, entity_id, kind, payload, at, txid)
			VALUES ($1, 'organisation', $1, 'upsert', '{}', now(), $2::text::xid8)`, org.ID, x); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	var cursor Cursor
	for range len(txids) + 1 {
		page, err := s.Changes(ctx, org.ID, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			got = append(got, strconv.FormatUint(c.Cursor.Txid, 10))
			cursor = c.Cursor
		}
	}
	if strings.Join(got, " ") != strings.Join(txids, " ") {
		t.Fatalf("feed order %v, want %v", got, txids)
	}
}
