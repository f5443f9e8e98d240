package reminders

import (
	"testing"

	"rdvguichet/backend/internal/depcheck"
)

// The planner is pure: the central server (PostgreSQL) and the desktop (SQLite) apply it alike.
// It must not depend on a database, a driver, the network, the store or the sender.
func TestNoStorageOrNetworkDependency(t *testing.T) {
	depcheck.Forbid(t, "rdvguichet/backend/reminders", append(depcheck.IO, "rdvguichet/backend/notify")...)
}
