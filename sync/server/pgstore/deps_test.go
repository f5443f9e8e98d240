package pgstore

import (
	"os/exec"
	"strings"
	"testing"
)

// The central's store runs the core's rules, not the office's store: it must not reach the
// SQLite store or its driver (which would also put a SQLite engine in rdv-central).
func TestNoOfficeStoreDependency(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", "rdvguichet/sync/server/pgstore").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "modernc.org/sqlite") || dep == "rdvguichet/backend/store" || strings.HasPrefix(dep, "rdvguichet/backend/store/") {
			t.Errorf("sync/server/pgstore depends on %s", dep)
		}
	}
}
