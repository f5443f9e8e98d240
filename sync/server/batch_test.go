package server

import (
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

// A push is applied in a few transactions, one savepoint per op (pgstore.ApplyBatch). The same
// batch pushed at once six times to two processes whose transactions are cut at different places
// (every 7 ops, every 5 ops) is applied once: one applied_ops row per op, one change per
// accepted op, every reply the same; the refused ops in the middle of the batch (slot_taken
// against an op of the same transaction, canal_en_ligne) are undone alone and their refusals
// recorded, the ops around them stand.
func TestBatchConcurrentPushes(t *testing.T) {
	dsn := freshDB(t)
	s1, base1 := central(t, dsn)
	s2, base2 := central(t, dsn)
	s1.SetBatchLimits(7, time.Second)
	s2.SetBatchLimits(5, time.Second)
	db := sqlPool(t, dsn)
	o, settings := newOffice(t, s1, nil, 3)
	mustPush(t, base1, o.token, settings)

	var batch []protocol.Op
	want := map[int]agenda.Code{} // position → refusal
	bookings := 0
	for i := range 40 {
		batch = append(batch, o.usagerOp(t, "Lot"))
		b, _ := o.book(t, at(day.AddDays(i), 9, 0), i%3)
		batch = append(batch, b)
		bookings++
		switch i % 8 {
		case 3: // the same slot again: refused by the exclusion constraint
			again, _ := o.book(t, at(day.AddDays(i), 9, 0), (i+1)%3)
			want[len(batch)] = agenda.CodeSlotTaken
			batch = append(batch, again)
		case 6: // a slot of the en_ligne plage: the central sells it
			web, _ := o.book(t, at(day.AddDays(i), 14, 0), 0)
			want[len(batch)] = agenda.CodeCanalEnLigne
			batch = append(batch, web)
		}
	}
	bases := []string{base1, base2}
	replies := make([]protocol.PushReply, 6)
	var wg sync.WaitGroup
	for g := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, reply, er := push(t, bases[g%2], o.token, batch)
			if st != http.StatusOK {
				t.Errorf("push %d: %d %+v", g, st, er)
			}
			replies[g] = reply
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for g, r := range replies {
		if !reflect.DeepEqual(r, replies[0]) {
			t.Fatalf("reply %d differs from reply 0", g)
		}
	}
	accepted := 0
	for i, r := range replies[0].Results {
		if r.OpID != batch[i].ID {
			t.Fatalf("result %d names %s, not %s", i, r.OpID, batch[i].ID)
		}
		if code, refused := want[i]; refused {
			if r.Accepted || r.Code != code {
				t.Errorf("op %d: %+v, want %s", i, r, code)
			}
			continue
		}
		if !r.Accepted {
			t.Errorf("op %d refused: %+v", i, r)
		}
		accepted++
	}
	if n := count(t, db, "SELECT count(*) FROM applied_ops WHERE organisation_id = $1", o.org); n != len(settings)+len(batch) {
		t.Errorf("applied_ops %d, want %d", n, len(settings)+len(batch))
	}
	if n := count(t, db, "SELECT count(*) FROM changes WHERE organisation_id = $1", o.org); n != len(settings)+accepted {
		t.Errorf("%d changes, want %d", n, len(settings)+accepted)
	}
	if n := count(t, db, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", o.org); n != bookings {
		t.Errorf("%d RDVs, want %d", n, bookings)
	}
	if n := count(t, db, "SELECT count(*) FROM applied_ops WHERE organisation_id = $1 AND result = '{}'", o.org); n != 0 {
		t.Errorf("%d ops recorded without a result", n)
	}
}
