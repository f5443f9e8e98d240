package ical

import (
	"os/exec"
	"strings"
	"testing"
)

// The central writes invitations and feeds without SQLite: this package reads through Reader and
// FeedReader, never through a store (« one set of rules for every seller »).
func TestNoStoreDependency(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool absent: test skipped")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", "rdvguichet/backend/ical").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch {
		case p == "rdvguichet/backend/store", p == "database/sql", strings.HasPrefix(p, "modernc.org/sqlite"):
			t.Errorf("backend/ical depends on %s", p)
		}
	}
}
