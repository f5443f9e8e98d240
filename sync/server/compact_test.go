package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/clock"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"
)

// The feed's compaction deletes an RDV's superseded changes below the cursor of every office
// that syncs: an office that pulled recently holds it back; one idle for longer than the limit
// does not, and still converges from its old cursor, as does a new office from the start.
func TestFeedCompaction(t *testing.T) {
	dsn := testkit.FreshDB(t)
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	s, url := centralAt(t, dsn, clk)
	base := []string{url}
	pg := sqlPool(t, dsn)
	ctx := context.Background()

	a, ops := newOffice(t, s, nil, 1)
	book, rdv := a.book(t, at(day, 9, 0), 0)
	mustPush(t, url, a.token, append(ops, book))
	b, _ := newOffice(t, s, a, 0)
	_, cursorA := pullAll(t, base, a.token, "", 100, feedSize(t, pg, a.org))
	// The next pull records where a stands: what it has applied.
	clk.Advance(touchEvery)
	pullAll(t, base, a.token, cursorA, 100, 0)

	// The RDV moves three times after a's cursor; b pulls everything.
	for i, h := range []int{10, 11, 9} {
		moved := rdv
		moved.StartsAt, moved.EndsAt, moved.Version = at(day, h, 30), at(day, h+1, 0), i+2
		mustPush(t, url, a.token, []protocol.Op{mkop(t, a.org, protocol.EntityRdv, protocol.OpMove, rdv.ID, i+1, protocol.FromRdv(moved))})
		rdv = moved
	}
	rdvChanges := func() int {
		return count(t, pg, "SELECT count(*) FROM changes WHERE entity = 'rdv' AND entity_id = $1", rdv.ID)
	}
	_, end := pullAll(t, base, b.token, "", 100, feedSize(t, pg, a.org))
	clk.Advance(touchEvery)
	pullAll(t, base, b.token, end, 100, 0)

	// a holds the compaction back at its cursor: only the booking, which a has, goes.
	reports, err := s.CompactFeed(ctx, time.Hour)
	if err != nil || len(reports) != 1 || reports[0].Changes != 1 || rdvChanges() != 3 {
		t.Fatalf("compaction while a syncs: %v %+v, %d changes of the RDV left, want 3", err, reports, rdvChanges())
	}
	// Two hours without a pull from a: only b holds it back, at the feed's end.
	clk.Advance(2 * time.Hour)
	pullAll(t, base, b.token, end, 100, 0)
	if reports, err = s.CompactFeed(ctx, time.Hour); err != nil || len(reports) != 1 || reports[0].Changes != 2 || rdvChanges() != 1 {
		t.Fatalf("compaction with a idle: %v %+v, %d changes of the RDV left, want 1", err, reports, rdvChanges())
	}

	// a, from its old cursor, and a new office from the start get the RDV as it is now, once,
	// after the usager it names.
	c, _ := newOffice(t, s, a, 0)
	for who, from := range map[string]struct{ token, cursor string }{"a": {a.token, cursorA}, "c": {c.token, ""}} {
		changes, _ := pullAll(t, base, from.token, from.cursor, 100, 1)
		var got []protocol.Change
		usagerAt := -1
		for i, ch := range changes {
			if ch.Entity == protocol.EntityUsager && ch.EntityID == a.usagers[0] {
				usagerAt = i
			}
			if ch.Entity == protocol.EntityRdv && ch.EntityID == rdv.ID {
				got = append(got, ch)
				if from.cursor == "" && (usagerAt < 0 || usagerAt > i) {
					t.Errorf("%s: the RDV comes before its usager", who)
				}
			}
		}
		if len(got) != 1 || got[0].Version != rdv.Version || !strings.Contains(string(got[0].Payload), rdv.StartsAt.Format("2006-01-02T15:04")) {
			t.Errorf("%s pulls %d changes of the RDV, want its version %d at %v: %+v", who, len(got), rdv.Version, rdv.StartsAt, got)
		}
	}

	// The operator's command: nothing more to delete.
	if out, code := runCentral(t, "", "feed", "compact", "--db", dsn); code != 0 || !strings.Contains(out, "0 changement") {
		t.Fatalf("feed compact: %d\n%s", code, out)
	}
}
