// Package depcheck is the test of the rule « the core does no I/O »: a package shared by the office
// and the central must not depend on a database, a SQLite driver, the network or the office's store.
package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

// IO lists what a pure package must not import: the SQL interface, any SQLite driver, HTTP, and
// the office's SQLite store.
var IO = []string{"database/sql", "modernc.org/sqlite", "net/http", "rdvguichet/backend/store"}

// Forbid fails t when pkg depends, directly or not, on one of forbidden or a package below it.
// It runs `go list -deps`, and skips when the go tool is absent.
func Forbid(t testing.TB, pkg string, forbidden ...string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool absent")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
