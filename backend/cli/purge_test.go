package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/store"
)

// issue 10, #13 (a): `rdv-guichet purge --db F [--dry-run] [--json]`. Three years after the demo's
// weeks, its RDVs are past the retention: --dry-run counts them and deletes nothing, the purge
// deletes them, a second purge finds nothing. On today's code the command does not exist.
func TestPurgeCommand(t *testing.T) {
	db := demoDB(t)
	later := tuesday.AddDate(3, 0, 0)
	code, out, errs := runCLI(t, later, "purge", "--db", db, "--dry-run", "--json")
	var dry store.PurgeReport
	if code != 0 || json.Unmarshal([]byte(out), &dry) != nil || !dry.DryRun || dry.Rdvs == 0 || dry.Usagers == 0 || dry.RetentionYears != 2 {
		t.Fatalf("dry run: exit %d %+v\n%s%s", code, dry, out, errs)
	}
	code, out, errs = runCLI(t, later, "purge", "--db", db)
	if code != 0 || !strings.Contains(out, "Conservation : 2 an(s)") || !strings.Contains(out, "supprimés") {
		t.Fatalf("purge: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, later, "purge", "--db", db, "--json")
	var again store.PurgeReport
	if code != 0 || json.Unmarshal([]byte(out), &again) != nil || again.Rdvs != dry.Rdvs-dry.Rdvs || again.Usagers != 0 {
		t.Fatalf("second purge: %+v %s", again, out)
	}
	// Within the retention nothing goes.
	if code, out, _ := runCLI(t, tuesday.Add(24*time.Hour), "purge", "--db", demoDB(t), "--json"); code != 0 || !strings.Contains(out, `"rdvs": 0`) {
		t.Errorf("within the retention: %s", out)
	}
}
