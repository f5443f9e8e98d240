package client_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/client/clienttest"
	"rdvguichet/sync/protocol"

	_ "modernc.org/sqlite"
)

// Every op kind the office writes is pushed, applied once and acked with its new version; the
// next pull brings the office's own changes back without writing a single outbox op (no echo).
func TestPushAcksEveryOpKind(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	o.clock.Set(at(0, 9, 10))
	r1 := o.book(t, at(0, 9, 30), o.agent.ID)
	ok(o.db.MarkArrived(ctx, r1.ID, nil, at(0, 9, 20)))
	r2 := o.book(t, at(1, 10, 0), o.guichet.ID)
	ok(o.db.Move(ctx, r2.ID, at(1, 11, 0), "", agenda.ByAgent(o.agent.ID), false))
	ok(o.db.Cancel(ctx, r2.ID, agenda.ByAgent(o.agent.ID), true))
	abs := ok(o.db.SaveAbsence(ctx, agenda.Absence{OrganisationID: o.org.ID, AgentID: o.guichet.ID, Title: "Formation",
		FirstDay: monday.AddDays(3), EndDay: monday.AddDays(3), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0)}))
	if err := o.db.DeleteAbsence(ctx, abs.ID); err != nil {
		t.Fatal(err)
	}
	if err := o.db.DeletePlage(ctx, o.plages[1].ID); err != nil {
		t.Fatal(err)
	}
	ok(o.db.AddReceipt(ctx, store.Receipt{OrganisationID: o.org.ID, RdvID: r1.ID, UsagerID: o.usager.ID, Event: "rdv_created",
		Channel: "sms", Result: "sent", Recipient: o.usager.Phone}))
	total := o.pending(t)

	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pushed != total || rep.Accepted != total || rep.Rejected != 0 || o.pending(t) != 0 {
		t.Fatalf("report %+v, %d ops, %d still pending", rep, total, o.pending(t))
	}
	apps := c.Applications()
	acked := ok(o.db.OutboxByState(ctx, "acked", 0))
	pairs := map[protocol.Pair]bool{}
	for _, op := range acked {
		if apps[op.OpID] != 1 {
			t.Errorf("op %s %s applied %d times", op.Entity, op.Op, apps[op.OpID])
		}
		if op.NewVersion != op.BaseVersion+1 || op.Result == "" {
			t.Errorf("op %s %s acked with %+v", op.Entity, op.Op, op)
		}
		pairs[protocol.Pair{Entity: protocol.Entity(op.Entity), Kind: protocol.OpKind(op.Op)}] = true
	}
	for _, p := range protocol.Pairs() {
		if !pairs[p] {
			t.Errorf("pair %s %s never pushed", p.Entity, p.Kind)
		}
	}
	if len(apps) != total {
		t.Errorf("%d ops applied at the central, %d written", len(apps), total)
	}
	// The feed holds the office's own changes: pulled, written, no echo, no message.
	if rep.Pulled != total || rep.Conflicts != 0 {
		t.Errorf("pulled %d of %d, conflicts %d", rep.Pulled, total, rep.Conflicts)
	}
	notes := ok(o.db.PendingNotifications(ctx, 1000))
	rep2, err := o.client(url, nil).Round(ctx)
	if err != nil || rep2.Pushed != 0 || rep2.Pulled != 0 || o.outboxTotal(t) != total {
		t.Fatalf("second round %+v %v, outbox %d", rep2, err, o.outboxTotal(t))
	}
	if n := ok(o.db.PendingNotifications(ctx, 1000)); len(n) != len(notes) {
		t.Errorf("pulling planned messages: %d → %d", len(notes), len(n))
	}
	st := ok(o.db.SyncStatus(ctx))
	if st.Cursor == "" || st.LastSuccessAt == nil || st.LastPushAt == nil || st.LastPullAt == nil || st.LastErrorCode != "" || st.Pending != 0 {
		t.Errorf("status %+v", st)
	}
}

// A refused op stays in the outbox with its code and params (« à traiter »), never dropped; the
// ops after it are pushed.
func TestRejectedOpKeptWithCode(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	rdv := o.book(t, at(1, 9, 0), o.agent.ID)
	c.Reject = func(op protocol.Op) (agenda.Code, map[string]string, bool) {
		if op.Entity == protocol.EntityRdv {
			return agenda.CodeSlotTaken, map[string]string{"start": "09:00"}, true
		}
		return "", nil, false
	}
	total := o.pending(t)
	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1 || rep.Accepted != total-1 || o.pending(t) != 0 {
		t.Fatalf("report %+v", rep)
	}
	rej := ok(o.db.RejectedOutbox(ctx, 0))
	if len(rej) != 1 || rej[0].EntityID != rdv.ID || rej[0].Code != agenda.CodeSlotTaken || rej[0].Params["start"] != "09:00" || rej[0].DoneAt == nil {
		t.Fatalf("rejected %+v", rej)
	}
	// The local RDV is still there: the agent deals with it from « à traiter ».
	if _, err := o.db.GetRdv(ctx, rdv.ID); err != nil {
		t.Fatal(err)
	}
	if st := ok(o.db.SyncStatus(ctx)); st.Rejected != 1 {
		t.Errorf("status %+v", st)
	}
	// A replayed answer changes nothing.
	if err := o.db.AckOutbox(ctx, rej[0].OpID, 3); err != nil {
		t.Fatal(err)
	}
	if rej2 := ok(o.db.RejectedOutbox(ctx, 0)); len(rej2) != 1 || rej2[0].Code != agenda.CodeSlotTaken {
		t.Fatalf("after a replayed ack %+v", rej2)
	}
	if err := o.db.AckOutbox(ctx, "0190e7a4-0000-7000-8000-000000000000", 1); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("ack of an unknown op: %v", err)
	}
}

// Every entity the central sends is written as it is there, with its version; the local
// password hash and login stay; a tombstone deletes; nothing goes to the outbox.
func TestPullEachEntityKind(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	if _, err := o.client(url, nil).Round(ctx); err != nil {
		t.Fatal(err)
	}
	ops := o.outboxTotal(t)
	org := o.org.ID

	orgW := protocol.FromOrganisation(o.org)
	orgW.Name, orgW.SlotGridMinutes = "Mairie de Test (centrale)", 15
	c.Put(protocol.EntityOrganisation, protocol.OpUpsert, org, org, orgW)
	lieu := protocol.LieuV1{ID: "0190e7a4-1111-7000-8000-000000000001", OrganisationID: org, Name: "Annexe", City: "Paris", Enabled: true}
	c.Put(protocol.EntityLieu, protocol.OpUpsert, org, lieu.ID, lieu)
	ag := protocol.FromAgent(o.agent)
	ag.Name, ag.Login, ag.Email = "Claire Martin-Durand", "autre-login", "claire@example.fr"
	c.Put(protocol.EntityAgent, protocol.OpUpsert, org, ag.ID, ag)
	newAgent := protocol.AgentV1{ID: "0190e7a4-1111-7000-8000-000000000002", OrganisationID: org, Kind: "guichet", Name: "Guichet en ligne", Role: "agent", Active: true}
	c.Put(protocol.EntityAgent, protocol.OpUpsert, org, newAgent.ID, newAgent)
	mot := protocol.FromMotif(o.motif)
	mot.BookableOnline, mot.Pieces = true, []string{"Photo"}
	c.Put(protocol.EntityMotif, protocol.OpUpsert, org, mot.ID, mot)
	pl := protocol.PlageV1{ID: "0190e7a4-1111-7000-8000-000000000003", OrganisationID: org, AgentID: newAgent.ID, LieuID: lieu.ID, Title: "En ligne",
		MotifIDs: []string{o.motif.ID}, FirstDay: monday.String(), Start: "09:00", End: "12:00",
		Recurrence: &protocol.RecurrenceV1{Every: "week", Interval: 1, Weekdays: []int{1, 3}},
		Exceptions: []protocol.ExceptionV1{{Date: monday.AddDays(2).String(), Cancelled: true, Start: "00:00", End: "00:00"}}, Canal: "en_ligne"}
	c.Put(protocol.EntityPlage, protocol.OpUpsert, org, pl.ID, pl)
	absence := protocol.AbsenceV1{ID: "0190e7a4-1111-7000-8000-000000000004", OrganisationID: org, AgentID: newAgent.ID, Title: "Congé",
		FirstDay: monday.AddDays(4).String(), EndDay: monday.AddDays(4).String(), Start: "09:00", End: "12:00"}
	c.Put(protocol.EntityAbsence, protocol.OpUpsert, org, absence.ID, absence)
	us := protocol.UsagerV1{ID: "0190e7a4-1111-7000-8000-000000000005", OrganisationID: org, FirstName: "Jean", LastName: "Valjean", Phone: "+33611111111", NotifySMS: true}
	c.Put(protocol.EntityUsager, protocol.OpUpsert, org, us.ID, us)
	online := protocol.RdvV1{ID: "0190e7a4-1111-7000-8000-000000000006", OrganisationID: org, MotifID: o.motif.ID, LieuID: lieu.ID,
		AgentIDs: []string{newAgent.ID}, StartsAt: at(2, 9, 0), EndsAt: at(2, 9, 30), Status: "unknown",
		Participations: []protocol.ParticipationV1{{UsagerID: us.ID, Status: "unknown"}}, Origine: "en_ligne", Version: 1}
	c.Put(protocol.EntityRdv, protocol.OpBook, org, online.ID, online)
	receipt := protocol.ReceiptV1{ID: "0190e7a4-1111-7000-8000-000000000007", OrganisationID: org, RdvID: online.ID, UsagerID: us.ID,
		Event: "rdv_created", Channel: "sms", Result: "sent", Recipient: us.Phone, CreatedAt: at(0, 8, 0)}
	c.Put(protocol.EntityReceipt, protocol.OpUpsert, org, receipt.ID, receipt)
	c.Put(protocol.EntityPlage, protocol.OpDelete, org, o.plages[1].ID, protocol.Tombstone{ID: o.plages[1].ID})
	// The usager cancels online: a second change of the same RDV in the same page.
	online.Status, online.Participations[0].Status = "excused", "excused"
	cancelled := at(0, 8, 0)
	online.CancelledAt = &cancelled
	c.Put(protocol.EntityRdv, protocol.OpStatus, org, online.ID, online)

	notes := len(ok(o.db.PendingNotifications(ctx, 1000)))
	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pulled != 12 || rep.Applied != 12 || rep.Conflicts != 0 || rep.Skipped != 0 {
		t.Fatalf("report %+v", rep)
	}
	if n := o.outboxTotal(t); n != ops {
		t.Fatalf("pulled rows wrote %d outbox ops", n-ops)
	}
	if n := len(ok(o.db.PendingNotifications(ctx, 1000))); n != notes {
		t.Fatalf("pulled RDV planned %d messages", n-notes)
	}
	if got := ok(o.db.GetOrganisation(ctx, org)); got.Name != orgW.Name || got.SlotGridMinutes != 15 {
		t.Errorf("organisation %+v", got)
	}
	if got := ok(o.db.GetLieu(ctx, lieu.ID)); protocol.FromLieu(got) != lieu {
		t.Errorf("lieu %+v", got)
	}
	a, hash, err := o.db.GetAgentByLogin(ctx, org, "cmartin")
	if err != nil || a.Name != ag.Name || a.Email != ag.Email || hash != "argon2id$secret" {
		t.Errorf("agent %+v hash %q: the login and the hash are the office's (%v)", a, hash, err)
	}
	if got := ok(o.db.GetAgent(ctx, newAgent.ID)); protocol.FromAgent(got) != newAgent {
		t.Errorf("new agent %+v", got)
	}
	if got := ok(o.db.GetMotif(ctx, mot.ID)); !got.BookableOnline || len(got.Pieces) != 1 {
		t.Errorf("motif %+v", got)
	}
	if got := ok(o.db.GetPlage(ctx, pl.ID)); !sameJSON(t, protocol.FromPlage(got), pl) {
		t.Errorf("plage %+v", got)
	}
	if _, err := o.db.GetPlage(ctx, o.plages[1].ID); agenda.KindOf(err) != agenda.NotFound {
		t.Errorf("tombstone: %v", err)
	}
	if got := ok(o.db.GetAbsence(ctx, absence.ID)); protocol.FromAbsence(got) != absence {
		t.Errorf("absence %+v", got)
	}
	if got := ok(o.db.GetUsager(ctx, us.ID)); protocol.FromUsager(got) != us {
		t.Errorf("usager %+v", got)
	}
	got := ok(o.db.GetRdv(ctx, online.ID))
	online.Version = 2
	if !sameJSON(t, protocol.FromRdv(got), online) {
		t.Errorf("rdv %+v", got)
	}
	if rs := ok(o.db.ListReceipts(ctx, online.ID)); len(rs) != 1 || rs[0].Event != "rdv_created" {
		t.Errorf("receipts %+v", rs)
	}
	// The RDV is in the agenda (cancelled ones greyed).
	day := ok(o.db.ListRdvsBetween(ctx, at(2, 0, 0), at(3, 0, 0), store.RdvFilter{IncludeCancelled: true}))
	if len(day) != 1 || day[0].ID != online.ID {
		t.Errorf("agenda %+v", day)
	}
}

func sameJSON(t testing.TB, a, b any) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Logf("got  %s\nwant %s", ja, jb)
		return false
	}
	return true
}

// An RDV sold by the central on a slot a local active RDV holds is set aside with slot_taken,
// the rest of the page is applied and its cursor stored; a later change of that RDV that fits
// (cancelled) settles the conflict.
func TestPulledOverlapGoesToConflicts(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	local := o.book(t, at(1, 9, 0), o.agent.ID)
	if _, err := o.client(url, nil).Round(ctx); err != nil {
		t.Fatal(err)
	}
	online := protocol.RdvV1{ID: "0190e7a4-2222-7000-8000-000000000001", OrganisationID: o.org.ID, MotifID: o.motif.ID, LieuID: o.lieu.ID,
		AgentIDs: []string{o.agent.ID}, StartsAt: at(1, 9, 15), EndsAt: at(1, 9, 45), Status: "unknown",
		Participations: []protocol.ParticipationV1{{UsagerID: o.usager.ID, Status: "unknown"}}, Origine: "en_ligne", Version: 1}
	c.Put(protocol.EntityRdv, protocol.OpBook, o.org.ID, online.ID, online)
	us := protocol.UsagerV1{ID: "0190e7a4-2222-7000-8000-000000000002", OrganisationID: o.org.ID, FirstName: "Paul", LastName: "Martin"}
	c.Put(protocol.EntityUsager, protocol.OpUpsert, o.org.ID, us.ID, us)

	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Conflicts != 1 || rep.Applied != 1 {
		t.Fatalf("report %+v", rep)
	}
	cs := ok(o.db.SyncConflicts(ctx, 0))
	if len(cs) != 1 || cs[0].Code != agenda.CodeSlotTaken || cs[0].EntityID != online.ID || cs[0].Params["entity"] != "rdv" || len(cs[0].Payload) == 0 {
		t.Fatalf("conflicts %+v", cs)
	}
	if _, err := o.db.GetUsager(ctx, us.ID); err != nil {
		t.Fatalf("the page stopped at the conflict: %v", err)
	}
	if _, err := o.db.GetRdv(ctx, online.ID); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("overlapping RDV written: %v", err)
	}
	if got := ok(o.db.GetRdv(ctx, local.ID)); got.Status.Cancelled() {
		t.Fatal("local RDV touched")
	}
	st := ok(o.db.SyncStatus(ctx))
	if st.Cursor != c.Feed()[len(c.Feed())-1].Cursor || st.Conflicts != 1 {
		t.Fatalf("status %+v", st)
	}
	// The usager cancels it online: now it fits, it is written (greyed) and the conflict closes.
	online.Status, online.Participations[0].Status = "excused", "excused"
	c.Put(protocol.EntityRdv, protocol.OpStatus, o.org.ID, online.ID, online)
	if _, err := o.client(url, nil).Round(ctx); err != nil {
		t.Fatal(err)
	}
	if cs := ok(o.db.SyncConflicts(ctx, 0)); len(cs) != 0 {
		t.Fatalf("conflict still open %+v", cs)
	}
	if got := ok(o.db.GetRdv(ctx, online.ID)); got.Status != agenda.StatusExcused || got.Version != 2 {
		t.Fatalf("rdv %+v", got)
	}
}

// A row with pending local ops is not overwritten by a pulled version; once its ops are answered
// the central's version is applied (rebase): refused here, so the central's row wins.
func TestPendingRowNotOverwritten(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	if _, err := o.client(url, nil).Round(ctx); err != nil {
		t.Fatal(err)
	}
	// The central edits the usager (an operator), the office edits it too, offline.
	w := protocol.FromUsager(o.usager)
	w.Email = "central@example.fr"
	c.Put(protocol.EntityUsager, protocol.OpUpsert, o.org.ID, w.ID, w)
	local := o.usager
	local.Email = "guichet@example.fr"
	ok(o.db.SaveUsager(ctx, local))

	feed := c.Feed()
	pr, err := o.db.ApplyPage(ctx, feed[len(feed)-1:], feed[len(feed)-1].Cursor)
	if err != nil || pr.Skipped != 1 || pr.Applied != 0 {
		t.Fatalf("page %+v %v", pr, err)
	}
	if got := ok(o.db.GetUsager(ctx, o.usager.ID)); got.Email != "guichet@example.fr" {
		t.Fatalf("pending row overwritten: %+v", got)
	}
	if st := ok(o.db.SyncStatus(ctx)); st.Deferred != 1 {
		t.Fatalf("status %+v", st)
	}
	// The push is refused (the central's copy moved on): the central's version is applied.
	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1 || rep.Rebased != 1 {
		t.Fatalf("report %+v", rep)
	}
	if got := ok(o.db.GetUsager(ctx, o.usager.ID)); got.Email != "central@example.fr" {
		t.Fatalf("not rebased: %+v", got)
	}
	if rej := ok(o.db.RejectedOutbox(ctx, 0)); len(rej) != 1 || rej[0].Code != agenda.CodeConflict {
		t.Fatalf("rejected %+v", rej)
	}
}

// A push applied by the central whose reply is lost: the retry replays the op (applied once), and
// the central's version, pulled while the op was pending, is applied after the ack.
func TestLostReplyRetryAppliesOnce(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	var pushes atomic.Int32
	c.Fault = func(r *http.Request, n int) clienttest.Fault {
		if r.URL.Path == protocol.PathPush {
			if pushes.Add(1) == 1 {
				return clienttest.DropAfter
			}
		}
		return clienttest.None
	}
	total := o.pending(t)
	_, err := o.client(url, nil).Round(ctx)
	if agenda.CodeOf(err) != agenda.CodeUnavailable || !client.Retryable(err) {
		t.Fatalf("dropped connection: %v (%s)", err, agenda.CodeOf(err))
	}
	if o.pending(t) != total || len(c.Applications()) != total {
		t.Fatalf("pending %d, applied %d of %d", o.pending(t), len(c.Applications()), total)
	}
	// A pull while the ops are pending: every row has pending ops, all deferred.
	feed := c.Feed()
	pr, err := o.db.ApplyPage(ctx, feed, feed[len(feed)-1].Cursor)
	if err != nil || pr.Skipped != len(feed) {
		t.Fatalf("page %+v %v", pr, err)
	}
	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != total || rep.Pulled != 0 || rep.Rebased == 0 {
		t.Fatalf("report %+v", rep)
	}
	for id, n := range c.Applications() {
		if n != 1 {
			t.Errorf("op %s applied %d times", id, n)
		}
	}
	if st := ok(o.db.SyncStatus(ctx)); st.Deferred != 0 || st.Pending != 0 {
		t.Fatalf("status %+v", st)
	}
}

// A round cancelled between two pages keeps the first page and its cursor; the next round goes
// on from there and applies nothing twice.
func TestCrashBetweenPagesResumes(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	if _, err := o.client(url, nil).Round(ctx); err != nil {
		t.Fatal(err)
	}
	start := len(c.Feed())
	for i := range 25 {
		u := protocol.UsagerV1{ID: "0190e7a4-3333-7000-8000-0000000000" + two(i), OrganisationID: o.org.ID, FirstName: "Usager", LastName: "N" + two(i)}
		c.Put(protocol.EntityUsager, protocol.OpUpsert, o.org.ID, u.ID, u)
	}
	cctx, cancel := context.WithCancel(ctx)
	cl := o.client(url, nil)
	cl.PageSize = 10
	cl.Progress = func(p client.Progress) {
		if p.Phase == "pull" {
			cancel() // the office closes after the first page
		}
	}
	rep, err := cl.Round(cctx)
	if agenda.CodeOf(err) != agenda.CodeInterrupted || rep.Pulled != 10 {
		t.Fatalf("round %+v %v", rep, err)
	}
	st := ok(o.db.SyncStatus(ctx))
	if want := c.Feed()[start+9].Cursor; st.Cursor != want || st.LastErrorCode != agenda.CodeInterrupted {
		t.Fatalf("cursor %q, want %q (%+v)", st.Cursor, want, st)
	}
	cl.Progress = nil
	rep, err = cl.Round(ctx)
	if err != nil || rep.Pulled != 15 || rep.Pages != 2 {
		t.Fatalf("resumed %+v %v", rep, err)
	}
	if n := len(ok(o.db.SearchUsagers(ctx, "usager", 100))); n != 25 {
		t.Fatalf("%d usagers", n)
	}
	if o.pending(t) != 0 {
		t.Fatal("echo")
	}
}

func two(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// The contract's refusals: a coded ErrorReply stops the round with the central's code; bare 401
// and 403 get the office's codes; 5xx, timeouts and dropped connections are unavailable and
// leave the ops pending; a duplicated request or reply never applies an op twice.
func TestErrorsAndRetries(t *testing.T) {
	cases := []struct {
		name      string
		fault     clienttest.Fault
		token     string
		code      agenda.Code
		retryable bool
	}{
		{"wrong token", clienttest.None, "autre", "token_unknown", false},
		{"bare 401", clienttest.Unauthorized, token, agenda.CodeSyncUnauthorized, false},
		{"bare 403", clienttest.Forbidden, token, agenda.CodeSyncForbidden, false},
		{"coded 500", clienttest.Fail500, token, agenda.CodeUnavailable, true},
		{"bare 503", clienttest.Bare503, token, agenda.CodeUnavailable, true},
		{"dropped before", clienttest.DropBefore, token, agenda.CodeUnavailable, true},
		{"dropped after", clienttest.DropAfter, token, agenda.CodeUnavailable, true},
		{"timeout", clienttest.Slow, token, agenda.CodeUnavailable, true},
		{"duplicated reply", clienttest.DuplicateBody, token, agenda.CodeSyncReplyInvalid, false},
		{"duplicated request", clienttest.DuplicateRequest, token, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			o := newOffice(t)
			c, url := central(t)
			c.SlowDelay = 300 * time.Millisecond
			var faulty atomic.Bool
			faulty.Store(true)
			c.Fault = func(r *http.Request, n int) clienttest.Fault {
				if faulty.Load() {
					return tc.fault
				}
				return clienttest.None
			}
			total := o.pending(t)
			cl := o.client(url, &http.Client{Timeout: 150 * time.Millisecond})
			cl.Token = tc.token
			rep, err := cl.Round(ctx)
			if agenda.CodeOf(err) != tc.code || (err != nil && client.Retryable(err) != tc.retryable) {
				t.Fatalf("error %v: code %q, want %q (retryable %v)", err, agenda.CodeOf(err), tc.code, client.Retryable(err))
			}
			if tc.code != "" {
				if o.pending(t) != total || rep.Accepted != 0 {
					t.Fatalf("ops answered despite %v: %+v", err, rep)
				}
				if st := ok(o.db.SyncStatus(ctx)); st.LastErrorCode != tc.code {
					t.Fatalf("status %+v", st)
				}
			}
			if tc.code == "token_unknown" {
				if ae := new(agenda.Error); !asAgenda(err, &ae) || ae.Kind != agenda.Forbidden {
					t.Fatalf("unknown code's kind: %v", err)
				}
			}
			faulty.Store(false)
			cl.Token = token
			time.Sleep(2 * c.SlowDelay) // let a slow handler finish
			if _, err := cl.Round(ctx); err != nil {
				t.Fatal(err)
			}
			if o.pending(t) != 0 || len(c.Applications()) != total {
				t.Fatalf("pending %d, applied %d of %d", o.pending(t), len(c.Applications()), total)
			}
			for id, n := range c.Applications() {
				if n != 1 {
					t.Errorf("op %s applied %d times", id, n)
				}
			}
		})
	}
}

func asAgenda(err error, target **agenda.Error) bool {
	for err != nil {
		if e, ok := err.(*agenda.Error); ok {
			*target = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// One op the central cannot read refuses its batch; the office sets that op aside with the
// central's code and sends the rest.
func TestUnreadableOpSetAside(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	_, url := central(t)
	bad := o.usager
	bad.FirstName = "Zoé"
	ok(o.db.SaveUsager(ctx, bad))
	// Spoil the op's payload behind the store's back, as an old build would have written it.
	ops := ok(o.db.PendingOutbox(ctx, 0))
	last := ops[len(ops)-1]
	if err := spoil(o, last.OpID); err != nil {
		t.Fatal(err)
	}
	rep, err := o.client(url, nil).Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rej := ok(o.db.RejectedOutbox(ctx, 0))
	if rep.Rejected != 1 || len(rej) != 1 || rej[0].OpID != last.OpID || rej[0].Code != agenda.CodeSyncPayloadInvalid || o.pending(t) != 0 {
		t.Fatalf("report %+v rejected %+v", rep, rej)
	}
	if rej[0].Params["op"] == "" {
		t.Fatal(rej[0].Params)
	}
}

// spoil rewrites an op's payload as no build of the protocol would write it.
func spoil(o *office, opID string) error {
	raw, err := sql.Open("sqlite", o.path)
	if err != nil {
		return err
	}
	defer raw.Close()
	_, err = raw.Exec(`UPDATE outbox SET payload = '{"id": "x"}' WHERE op_id = ?`, opID)
	return err
}

// Backoff doubles up to MaxBackoff and never goes below the period.
func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		d := client.Backoff(time.Minute, n)
		if d < time.Minute || d > client.MaxBackoff*11/10 {
			t.Fatalf("backoff %d: %v", n, d)
		}
		if n <= 3 && d < prev {
			t.Fatalf("backoff %d: %v after %v", n, d, prev)
		}
		prev = d
	}
	if d := client.Backoff(time.Hour, 3); d < time.Hour {
		t.Fatalf("long period: %v", d)
	}
}

// Run syncs at once, then again on Kick, and stops with its context.
func TestRunKickAndStop(t *testing.T) {
	o := newOffice(t)
	c, url := central(t)
	cl := o.client(url, nil)
	rounds := make(chan error, 10)
	cl.OnRound = func(r client.Report, err error) { rounds <- err }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { cl.Run(ctx, time.Hour); close(done) }()
	if err := <-rounds; err != nil {
		t.Fatal(err)
	}
	u := protocol.UsagerV1{ID: "0190e7a4-4444-7000-8000-000000000001", OrganisationID: o.org.ID, LastName: "Kick"}
	c.Put(protocol.EntityUsager, protocol.OpUpsert, o.org.ID, u.ID, u)
	cl.Kick()
	if err := <-rounds; err != nil {
		t.Fatal(err)
	}
	if _, err := o.db.GetUsager(context.Background(), u.ID); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// outboxOrder returns the office's op ids in push order (every state).
func (o *office) outboxOrder(t testing.TB) []string {
	t.Helper()
	raw := ok(sql.Open("sqlite", o.path))
	defer raw.Close()
	rows := ok(raw.Query("SELECT op_id FROM outbox ORDER BY seq"))
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// The push is overlapped (the next batch read while the central applies one, the answers
// recorded while the next travels) but the central still sees one push at a time, every op once
// in the office's order, the ops of one usager spread over several batches included; the ops
// written at the office while the round runs go up in the same round, after the others.
func TestPushOneBatchAtATimeInOrder(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c := clienttest.New(token)
	var mu sync.Mutex
	var inFlight, most int
	var sent []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != protocol.PathPush {
			c.ServeHTTP(w, r)
			return
		}
		body := ok(io.ReadAll(r.Body))
		var p protocol.Push
		if err := json.Unmarshal(body, &p); err != nil {
			t.Error(err)
		}
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		for _, op := range p.Ops {
			sent = append(sent, op.ID)
		}
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // long enough for a second push to overlap, were one sent
		r.Body = io.NopCloser(bytes.NewReader(body))
		c.ServeHTTP(w, r)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	u := o.usager
	for i := range 12 {
		u.BirthName = fmt.Sprintf("Passage%d", i)
		u = ok(o.db.SaveUsager(ctx, u))
	}
	cl := o.client(srv.URL, nil)
	cl.BatchSize = 4
	late := 0
	cl.Progress = func(p client.Progress) {
		if p.Phase == "push" && late < 3 { // an agent keeps working during the round
			late++
			u.BirthName = fmt.Sprintf("Pendant%d", late)
			u = ok(o.db.SaveUsager(ctx, u))
		}
	}
	rep, err := cl.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	order := o.outboxOrder(t)
	if rep.Rejected != 0 || rep.Accepted != len(order) || o.pending(t) != 0 || late != 3 {
		t.Fatalf("report %+v for %d ops, %d pending, %d written during the round", rep, len(order), o.pending(t), late)
	}
	if most != 1 {
		t.Fatalf("%d pushes in flight at once", most)
	}
	if !slices.Equal(sent, order) {
		t.Fatalf("the central got\n%v\nthe office wrote\n%v", sent, order)
	}
}

// A push that fails in the middle of the chain ends the round only once every answer received
// before it is recorded (the batch answered while the failing one travelled included), the rest
// pending; the next round sends the rest, and the central applied each op once.
func TestPushFailureMidwayKeepsTheAnswers(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	c, url := central(t)
	u := o.usager
	for i := range 12 {
		u.BirthName = fmt.Sprintf("Passage%d", i)
		u = ok(o.db.SaveUsager(ctx, u))
	}
	var pushes atomic.Int32
	c.Fault = func(r *http.Request, n int) clienttest.Fault {
		if r.URL.Path == protocol.PathPush && pushes.Add(1) == 4 {
			return clienttest.Fail500
		}
		return clienttest.None
	}
	order := o.outboxOrder(t)
	cl := o.client(url, nil)
	cl.BatchSize = 4
	// The third batch's answers are recorded slowly: the round still ends after them.
	var ended atomic.Bool
	cl.Progress = func(p client.Progress) {
		if p.Phase == "push" && p.Done == 12 {
			time.Sleep(100 * time.Millisecond)
		}
		if ended.Load() {
			t.Error("answers recorded after the round ended")
		}
	}
	rep, err := cl.Round(ctx)
	ended.Store(true)
	time.Sleep(150 * time.Millisecond) // a recording still running would report meanwhile
	if agenda.CodeOf(err) != agenda.CodeUnavailable || rep.Accepted != 12 {
		t.Fatalf("push 4 failed: %+v, %v", rep, err)
	}
	// Three batches answered: their ops acked, in push order; the others pending.
	if acked := o.acked(t); !slices.Equal(acked, order[:12]) || o.pending(t) != len(order)-12 {
		t.Fatalf("acked %d ops of %d (%d pending), want the first 12", len(acked), len(order), o.pending(t))
	}
	rep, err = o.client(url, nil).Round(ctx)
	if err != nil || rep.Accepted != len(order)-12 || rep.Rejected != 0 {
		t.Fatalf("second round: %+v, %v", rep, err)
	}
	applied := c.Applications()
	for _, id := range order {
		if applied[id] != 1 {
			t.Errorf("op %s applied %d times", id, applied[id])
		}
	}
}
