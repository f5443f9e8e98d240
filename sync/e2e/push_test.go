package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/testkit"
)

// pushOps is the size of the measured push.
const pushOps = 10000

// Ten thousand ops written at the office (usagers, through the office's store) go up to a real
// rdv-central over loopback, and come back as the feed's echo. The figures go to
// docs/benchmarks.md (« Sync (issue 11) »). A measurement, not a check of make test (about a
// minute): it runs only when RDV_SYNC_BENCH is set.
func TestPushTenThousand(t *testing.T) {
	if os.Getenv("RDV_SYNC_BENCH") == "" {
		t.Skip("RDV_SYNC_BENCH non défini : pas de mesure de l'envoi de 10 000 opérations")
	}
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	file, org, token := registerOffice(t, dsn)
	syncOffice(t, file, base, token) // the demo goes up first: the push measured holds only the new ops

	ctx := context.Background()
	db, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	for i := range pushOps {
		u := agenda.Usager{OrganisationID: org, FirstName: fmt.Sprintf("Prénom%d", i), LastName: "Charge",
			Phone: fmt.Sprintf("+336%08d", i), NotifySMS: true}
		if _, err := db.SaveUsager(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	written := time.Since(start)
	if n, err := db.PendingOutboxCount(ctx); err != nil || n != pushOps {
		t.Fatalf("pending ops %d (%v), want %d", n, err, pushOps)
	}

	var pushed time.Duration
	start = time.Now()
	c := &client.Client{BaseURL: base, Token: token, HTTP: &http.Client{Timeout: client.DefaultTimeout}, DB: db,
		Progress: func(p client.Progress) {
			if p.Phase == "push" && p.Done == p.Total {
				pushed = time.Since(start)
			}
		}}
	rep, err := c.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	round := time.Since(start)
	if rep.Pushed != pushOps || rep.Accepted != pushOps || rep.Pulled != pushOps {
		t.Fatalf("round: %+v", rep)
	}
	t.Logf("%d ops: written at the office in %v; pushed in %v (%.0f ops/s); round with the pull of their echo %v",
		pushOps, written.Round(time.Millisecond), pushed.Round(time.Millisecond), pushOps/pushed.Seconds(), round.Round(time.Millisecond))
	// The central's own account of the pushes (its request-duration histogram, every push of the
	// test): how much of the office's wait is the central's work.
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(metrics), "\n") {
		if strings.HasPrefix(line, `rdv_central_request_duration_seconds_sum{route="/v1/push"`) ||
			strings.HasPrefix(line, `rdv_central_request_duration_seconds_count{route="/v1/push"`) {
			t.Logf("central: %s", line)
		}
	}
}
