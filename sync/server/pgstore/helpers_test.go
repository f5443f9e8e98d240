package pgstore

import (
	"context"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5/pgxpool"
)

// freshDB creates an empty database for one test on the test server, dropped at the end, and
// returns its pool configuration.
func freshDB(t testing.TB) *pgxpool.Config {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(testkit.FreshDB(t))
	if err != nil {
		t.Fatal(err)
	}
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
