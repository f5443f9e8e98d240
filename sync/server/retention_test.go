package server

import (
	"context"
	"testing"
	"time"

	"rdvguichet/sync/testkit"
)

// The central's retention purge reads the office's date of an usager's last change, which every
// op carries (protocol.Op.CreatedAt), not the time the central received it: an usager an office
// created three years ago and never booked, uploaded today by its first sync, is purged at the
// central as at the office. An op without that date (zero: a sender that does not fill it) is
// still applied, dated by the central; a date ahead of the central's clock counts as now.
func TestRetentionReadsTheOfficesDate(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	pg := sqlPool(t, dsn)
	o, ops := newOffice(t, s, nil, 0)
	now := time.Now().UTC().Truncate(time.Millisecond)
	dated := func(first string, at time.Time) {
		op := o.usagerOp(t, first)
		op.CreatedAt = at
		ops = append(ops, op)
	}
	dated("Ancien", now.AddDate(-3, 0, 0)) // o.usagers[0]: past the 2 years at the office
	dated("SansDate", time.Time{})         // o.usagers[1]: the central's date
	dated("Futur", now.AddDate(10, 0, 0))  // o.usagers[2]: a clock ahead counts as now
	dated("Recent", now.AddDate(-1, 0, 0)) // o.usagers[3]: within the retention
	mustPush(t, base, o.token, ops)

	reports, err := s.DailyPurge(context.Background())
	if err != nil || len(reports) != 1 || reports[0].Usagers != 1 {
		t.Fatalf("daily purge: %v %+v, want 1 usager purged", err, reports)
	}
	for i, want := range []int{0, 1, 1, 1} {
		if n := count(t, pg, "SELECT count(*) FROM usagers WHERE id = $1", o.usagers[i]); n != want {
			t.Errorf("usager %d: %d rows, want %d", i, n, want)
		}
	}
}
