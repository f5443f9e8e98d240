// Package testkit is what the tests of the sync packages share: an empty PostgreSQL database per
// test on the test server (RDV_TEST_PG, started by build/scripts/pg-test.sh). Their clock is
// backend/clock.Manual. Only tests import it.
package testkit

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// DSN returns the DSN of the test server (RDV_TEST_PG), or skips the test: a plain go test
// without PostgreSQL still passes.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("RDV_TEST_PG")
	if dsn == "" {
		t.Skip("RDV_TEST_PG non défini : pas de PostgreSQL pour ce test (export RDV_TEST_PG=\"$(build/scripts/pg-test.sh start)\")")
	}
	return dsn
}

// FreshDB creates an empty database on the test server (DSN) for one test, dropped at its end,
// and returns the database's DSN.
func FreshDB(t testing.TB) string {
	t.Helper()
	dsn := DSN(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("PostgreSQL de test injoignable (%s) : %v", dsn, err)
	}
	defer admin.Close(ctx)
	name := "rdv_t_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
