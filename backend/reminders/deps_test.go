package reminders

import (
	"os/exec"
	"strings"
	"testing"
)

// The planner is pure: the central server (PostgreSQL) and the desktop (SQLite) apply it alike.
// It must not depend on a database, a driver or the network.
func TestNoStorageOrNetworkDependency(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", "rdvguichet/backend/reminders").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "database/sql", dep == "net/http", strings.HasPrefix(dep, "modernc.org/sqlite"),
			strings.HasPrefix(dep, "database/sql/"), strings.HasPrefix(dep, "net/http/"),
			dep == "rdvguichet/backend/store", dep == "rdvguichet/backend/notify":
			t.Errorf("backend/reminders depends on %s", dep)
		}
	}
}
