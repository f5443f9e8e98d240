package cli

import (
	"context"
	"encoding/json"
	"log"
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

// Issue 16, #6: the day's purge deletes in proportion to the file's age: like the checks, it
// waits for the window to be up, then runs.
func TestDailyPurgeWaitsForTheWindow(t *testing.T) {
	later := tuesday.AddDate(3, 0, 0) // the demo's RDVs are past the retention
	db, err := store.Open(demoDB(t), store.Options{Clock: fixedClock{later}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs syncBuffer
	up := make(chan struct{})
	stop := StartDailyPurge(db, log.New(&logs, "", 0), up)
	defer stop()
	time.Sleep(300 * time.Millisecond)
	if day, _, _ := db.Setting(context.Background(), "rgpd_last_purge_day"); day != "" {
		t.Fatalf("the purge ran before the window was up (day %s)", day)
	}
	close(up)
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(logs.String(), "purge quotidienne :"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no purge once the window was up; log %q", logs.String())
		}
	}
}
