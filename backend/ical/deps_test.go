package ical

import (
	"testing"

	"rdvguichet/backend/internal/depcheck"
)

// The central writes invitations and feeds without SQLite: this package reads through Reader and
// FeedReader, never through a store (« one set of rules for every seller »).
func TestNoStoreDependency(t *testing.T) {
	depcheck.Forbid(t, "rdvguichet/backend/ical", "rdvguichet/backend/store", "database/sql", "modernc.org/sqlite")
}
