package pgstore

import (
	"context"
	"os"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// testDSN returns the DSN of the test server (RDV_TEST_PG), or skips: a plain go test ./...
// without PostgreSQL still passes.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("RDV_TEST_PG")
	if dsn == "" {
		t.Skip("RDV_TEST_PG non défini : pas de PostgreSQL pour ce test (export RDV_TEST_PG=\"$(build/scripts/pg-test.sh start)\")")
	}
	return dsn
}

// freshDB creates an empty database for one test on the test server, dropped at the end, and
// returns its pool configuration.
func freshDB(t testing.TB) *pgxpool.Config {
	t.Helper()
	dsn := testDSN(t)
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
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Database = name
	return cfg
}

// openFresh opens a store on a fresh database, closed at the end.
func openFresh(t testing.TB, clock agenda.Clock) (*Store, *pgxpool.Config) {
	t.Helper()
	cfg := freshDB(t)
	s, err := OpenConfig(context.Background(), cfg.Copy(), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, cfg
}

func TestSlugify(t *testing.T) {
	for name, want := range map[string]string{
		"Mairie de Saint-Étienne-du-Rouvray":    "mairie-de-saint-etienne-du-rouvray",
		"  Commune d'Œuilly — Mairie annexe ! ": "commune-d-oeuilly-mairie-annexe",
		"L'Haÿ-les-Roses":                       "l-hay-les-roses",
		"東京":                                    "organisation",
		strings.Repeat("Très long nom ", 10):    "tres-long-nom-tres-long-nom-tres-long-nom-tres-l",
	} {
		if got := Slugify(name); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", name, got, want)
		}
	}
}
