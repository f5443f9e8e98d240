package convocation

import (
	"testing"

	"rdvguichet/backend/internal/depcheck"
)

// The central prints convocations without SQLite: this package reads through Reader, never
// through a store (« one set of rules for every seller »).
func TestNoStoreDependency(t *testing.T) {
	depcheck.Forbid(t, "rdvguichet/backend/convocation", "rdvguichet/backend/store", "database/sql", "modernc.org/sqlite")
}
