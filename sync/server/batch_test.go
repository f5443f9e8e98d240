package server

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5/pgxpool"
)

// A push is applied in a few transactions, one savepoint per op (pgstore.ApplyBatch). The same
// batch pushed at once six times to two processes whose transactions are cut at different places
// (every 7 ops, every 5 ops) is applied once: one applied_ops row per op, one change per
// accepted op, every reply the same; the refused ops in the middle of the batch (slot_taken
// against an op of the same transaction, canal_en_ligne) are undone alone and their refusals
// recorded, the ops around them stand.
func TestBatchConcurrentPushes(t *testing.T) {
	dsn := testkit.FreshDB(t)
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

// An RDV's whole life in one push — booked, checked in, seen; another booked, moved, refused a
// move onto the en_ligne plage, cancelled, its slot sold again, then brought back over it — gives
// the same answers and the same rows at the central as the same ops pushed one by one. In one
// push the ops after the first read what the transaction itself wrote (pgstore's fast path keeps
// it); one by one, each reads the database. The first batch has only refusals of the rules, the
// second one of the database (the exclusion constraint), whose chunk is applied again op by op.
func TestOnePushAgreesWithOneOpAtATime(t *testing.T) {
	dsnA, dsnB := testkit.FreshDB(t), testkit.FreshDB(t)
	sA, baseA := central(t, dsnA)
	sB, baseB := central(t, dsnB)
	o, settings := newOffice(t, sA, nil, 3)
	oB, _ := newOffice(t, sB, o, 0)
	mustPush(t, baseA, o.token, settings)
	mustPush(t, baseB, oB.token, settings)

	op := func(kind protocol.OpKind, base int, r agenda.Rdv) protocol.Op {
		return mkop(t, o.org, protocol.EntityRdv, kind, r.ID, base, protocol.FromRdv(r))
	}
	next := func(r agenda.Rdv, change func(*agenda.Rdv)) agenda.Rdv {
		r.Participations = slices.Clone(r.Participations)
		change(&r)
		r.Version++
		return r
	}
	b1, r1 := o.book(t, at(day, 9, 0), 0)
	arrived := next(r1, func(r *agenda.Rdv) { t := at(day, 8, 55); r.Participations[0].ArrivedAt = &t })
	seen := next(arrived, func(r *agenda.Rdv) { r.Status, r.Participations[0].Status = agenda.StatusSeen, agenda.StatusSeen })
	b2, r2 := o.book(t, at(day, 10, 0), 1)
	moved := next(r2, func(r *agenda.Rdv) { r.StartsAt, r.EndsAt = at(day, 10, 30), at(day, 11, 0) })
	online := next(moved, func(r *agenda.Rdv) { r.StartsAt, r.EndsAt = at(day, 14, 0), at(day, 14, 30) })
	now := at(day.AddDays(-2), 12, 0)
	cancelled := next(moved, func(r *agenda.Rdv) {
		r.Status, r.Participations[0].Status, r.CancelledAt = agenda.StatusExcused, agenda.StatusExcused, &now
	})
	b3, _ := o.book(t, at(day, 10, 30), 2)
	back := next(cancelled, func(r *agenda.Rdv) {
		r.Status, r.Participations[0].Status, r.CancelledAt = agenda.StatusUnknown, agenda.StatusUnknown, nil
	})
	first := []protocol.Op{b1, op(protocol.OpArrived, 1, arrived), op(protocol.OpStatus, 2, seen), op(protocol.OpStatus, 1, seen),
		b2, op(protocol.OpMove, 1, moved), op(protocol.OpMove, 2, online), op(protocol.OpStatus, 2, cancelled), b3}
	second := []protocol.Op{op(protocol.OpStatus, 3, back), o.usagerOp(t, "Après")}
	// A first sync's shape, whose RDV writes go set-based (pgstore's bulk): bookings each followed
	// by its status, a check-in, a cancelled slot booked again, a move, a usager in the middle.
	var third []protocol.Op
	for i := range 12 {
		b, r := o.book(t, at(day.AddDays(1+i/6), 9, 0).Add(time.Duration(i%6)*30*time.Minute), i%3)
		third = append(third, b)
		switch i % 4 {
		case 0:
			in := next(r, func(r *agenda.Rdv) { t := r.StartsAt.Add(-5 * time.Minute); r.Participations[0].ArrivedAt = &t })
			third = append(third, op(protocol.OpArrived, 1, in),
				op(protocol.OpStatus, 2, next(in, func(r *agenda.Rdv) { r.Status, r.Participations[0].Status = agenda.StatusSeen, agenda.StatusSeen })))
		case 1:
			third = append(third, op(protocol.OpStatus, 1, next(r, func(r *agenda.Rdv) {
				r.Status, r.Participations[0].Status, r.CancelledAt = agenda.StatusNoshow, agenda.StatusNoshow, &now
			})))
		case 2:
			third = append(third, op(protocol.OpStatus, 1, next(r, func(r *agenda.Rdv) {
				r.Status, r.Participations[0].Status, r.CancelledAt = agenda.StatusExcused, agenda.StatusExcused, &now
			})))
			again, _ := o.book(t, r.StartsAt, (i+1)%3)
			third = append(third, again)
		case 3:
			third = append(third, op(protocol.OpMove, 1, next(r, func(r *agenda.Rdv) {
				r.StartsAt, r.EndsAt = r.StartsAt.Add(7*24*time.Hour), r.EndsAt.Add(7*24*time.Hour)
			})), o.usagerOp(t, fmt.Sprintf("Milieu%d", i)))
		}
	}
	refusals := [][]agenda.Code{{3: agenda.CodeConflict, 6: agenda.CodeCanalEnLigne, 8: ""}, {0: agenda.CodeSlotTaken, 1: ""},
		make([]agenda.Code, len(third))}
	// The fast path applies the first and third pushes; the second's refusal by the database sends
	// its chunk the careful way.
	wantCareful := []int64{0, 1, 0}

	for b, batch := range [][]protocol.Op{first, second, third} {
		careful := sA.CarefulChunks()
		st, whole, er := push(t, baseA, o.token, batch)
		if st != http.StatusOK {
			t.Fatalf("push: %d %+v", st, er)
		}
		if n := sA.CarefulChunks() - careful; n != wantCareful[b] {
			t.Errorf("batch %d: %d chunks applied the careful way, want %d", b, n, wantCareful[b])
		}
		for i, op := range batch {
			st, alone, er := push(t, baseB, oB.token, []protocol.Op{op})
			if st != http.StatusOK {
				t.Fatalf("push of op %d: %d %+v", i, st, er)
			}
			if r := whole.Results[i]; r.Code != refusals[b][i] || r.Accepted != (r.Code == "") {
				t.Errorf("batch %d, op %d (%s %s): %+v, want %q", b, i, op.Entity, op.Kind, r, refusals[b][i])
			}
			if !reflect.DeepEqual(whole.Results[i], alone.Results[0]) {
				t.Errorf("op %d (%s %s): in one push %+v, alone %+v", i, op.Entity, op.Kind, whole.Results[i], alone.Results[0])
			}
		}
	}
	for _, q := range []string{
		"SELECT id, status, starts_at, ends_at, cancelled_at, version, created_by, origine FROM rdvs WHERE organisation_id = $1 ORDER BY id",
		"SELECT rdv_id, agent_id, starts_at, active FROM rdv_agents WHERE organisation_id = $1 ORDER BY rdv_id, agent_id",
		"SELECT rdv_id, usager_id, position, status, arrived_at FROM participations WHERE organisation_id = $1 ORDER BY rdv_id, usager_id",
		"SELECT rdv_id, coalesce(usager_id::text, ''), from_status, to_status, moved_from_at, moved_to_at FROM rdv_history WHERE organisation_id = $1 ORDER BY rdv_id, id",
		"SELECT entity, entity_id, kind, base_version, version, payload FROM changes WHERE organisation_id = $1 ORDER BY seq",
		"SELECT op_id, result FROM applied_ops WHERE organisation_id = $1 ORDER BY op_id",
	} {
		if a, b := rowsOf(t, sqlPool(t, dsnA), q, o.org), rowsOf(t, sqlPool(t, dsnB), q, o.org); !reflect.DeepEqual(a, b) {
			t.Errorf("%s\none push:  %v\none by one: %v", q, a, b)
		}
	}
}

// rowsOf returns the rows of query as text, for comparing two databases.
func rowsOf(t testing.TB, db *pgxpool.Pool, query string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A transaction past its time commits the ops it has applied and leaves the others, their
// applied_ops rows given back, to the next one: every op is applied and recorded once.
func TestBatchTimeBound(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	s.SetBatchLimits(50, time.Nanosecond)
	db := sqlPool(t, dsn)
	o, settings := newOffice(t, s, nil, 0)
	mustPush(t, base, o.token, settings)
	var batch []protocol.Op
	for range 120 {
		batch = append(batch, o.usagerOp(t, "Temps"))
	}
	first := mustPush(t, base, o.token, batch)
	if again := mustPush(t, base, o.token, batch); !reflect.DeepEqual(again, first) {
		t.Fatal("the replay answers otherwise")
	}
	if n := count(t, db, "SELECT count(*) FROM applied_ops WHERE organisation_id = $1", o.org); n != len(settings)+len(batch) {
		t.Errorf("applied_ops %d, want %d", n, len(settings)+len(batch))
	}
	if n := count(t, db, "SELECT count(*) FROM changes WHERE organisation_id = $1 AND entity = 'usager'", o.org); n != len(batch) {
		t.Errorf("%d changes of usagers, want %d", n, len(batch))
	}
}

// A large push renews the statistics of the tables it grew (pgstore's refreshStats): the plans
// of the foreign keys' lookups, made when the table was analyzed at a few rows, would otherwise
// scan it whole while an office's first sync fills it.
func TestLargePushRenewsStatistics(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	db := sqlPool(t, dsn)
	o, settings := newOffice(t, s, nil, 3)
	mustPush(t, base, o.token, settings)
	if _, err := db.Exec(context.Background(), "ANALYZE usagers"); err != nil { // as autovacuum would, at 3 rows
		t.Fatal(err)
	}
	pages := func() int {
		var n int
		if err := db.QueryRow(context.Background(), "SELECT relpages FROM pg_class WHERE relname = 'usagers'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := pages()
	for range 2 {
		var ops []protocol.Op
		for i := range protocol.MaxBatch {
			ops = append(ops, o.usagerOp(t, fmt.Sprintf("Grand%d", i)))
		}
		mustPush(t, base, o.token, ops)
	}
	if after := pages(); after <= 2*before || after < 8 {
		t.Errorf("usagers analyzed at %d pages, then at %d after 1,000 more rows: statistics not renewed", before, after)
	}
}
