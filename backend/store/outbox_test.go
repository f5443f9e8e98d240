package store

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
	"rdvguichet/sync/protocol"
)

// Every kind of change made through the store's public API leaves outbox rows that protocol's
// strict decoder reads, and the store writes every (entity, kind) the protocol knows and nothing
// else: a new op kind without a decoder, or a new pair the store never writes, fails here.
func TestOutboxSpeaksTheProtocol(t *testing.T) {
	f := newFixture(t, 2)
	enableNotifications(t, f.db)
	ctx := context.Background()
	by := agenda.ByAgent(f.agents[0].ID)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// Settings: edits of everything the fixture created, then creations and deletions.
	org := f.org
	org.BufferMinutes = 5
	_, err := f.db.SaveOrganisation(ctx, org)
	must(err)
	lieu := f.lieu
	lieu.Accessibility = "rampe"
	_, err = f.db.SaveLieu(ctx, lieu)
	must(err)
	agent := f.agents[1]
	agent.Name = "Guichet A"
	_, err = f.db.SaveAgent(ctx, agent)
	must(err)
	motif := f.motif
	motif.Instructions = "Venir 10 minutes avant."
	_, err = f.db.SaveMotif(ctx, motif)
	must(err)
	extra, err := f.db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: f.org.ID, AgentID: f.agents[1].ID, LieuID: f.lieu.ID,
		Title: "Samedi en ligne", MotifIDs: []string{f.motif.ID}, FirstDay: monday.AddDays(5), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0),
		Canal: agenda.CanalEnLigne})
	must(err)
	must(f.db.DeletePlage(ctx, extra.ID))
	abs, err := f.db.SaveAbsence(ctx, agenda.Absence{OrganisationID: f.org.ID, AgentID: f.agents[1].ID, Title: "Formation",
		FirstDay: monday.AddDays(3), EndDay: monday.AddDays(3), Start: agenda.Clk(14, 0), End: agenda.Clk(17, 0)})
	must(err)
	must(f.db.DeleteAbsence(ctx, abs.ID))
	u := f.usager
	u.BirthDate = agenda.Date{Year: 1980, Month: 5, Day: 17}
	_, err = f.db.SaveUsager(ctx, u)
	must(err)
	other := f.newUsager(t, "Ali", "Ben")

	// RDVs: book, move, check-in, status, cancel; a collective session and a seat joined.
	rdv, err := f.book(at(1, 9, 0), f.agents[0].ID)
	must(err)
	rdv, err = f.db.Move(ctx, rdv.ID, at(1, 10, 0), "", by, false)
	must(err)
	rdv, err = f.db.MarkArrived(ctx, rdv.ID, []string{f.usager.ID}, at(1, 9, 50))
	must(err)
	second, err := f.book(at(2, 9, 0), f.agents[1].ID)
	must(err)
	_, err = f.db.Cancel(ctx, second.ID, by, true)
	must(err)
	session, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(4, 14, 0),
		Usagers: []string{f.usager.ID}, By: by})
	must(err)
	session, err = f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(4, 14, 0),
		Usagers: []string{other.ID}, By: by})
	must(err)
	f.clock.Set(at(1, 10, 5))
	rdv, err = f.db.SetStatus(ctx, rdv.ID, agenda.StatusSeen, by)
	must(err)

	// Receipts: logged by hand, and with the outcome of a sent message.
	_, err = f.db.AddReceipt(ctx, Receipt{OrganisationID: f.org.ID, RdvID: rdv.ID, UsagerID: f.usager.ID, Event: "rdv_created",
		Channel: "print", Result: "processed", CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 123456789, paris)})
	must(err)
	due, err := f.db.DueNotifications(ctx, f.clock.Now(), 0)
	must(err)
	if len(due) == 0 {
		t.Fatal("no message due: the receipt of a sent message is not exercised")
	}
	_, ok, err := f.db.ClaimNotification(ctx, due[0].ID, "a1")
	if !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	must(f.db.FinishNotification(ctx, due[0].ID, "a1", Outcome{State: reminders.StateSent, Receipt: &Receipt{OrganisationID: f.org.ID,
		RdvID: due[0].RdvID, UsagerID: due[0].UsagerID, Event: due[0].Event, Channel: reminders.ReceiptChannel(due[0].Channel), Result: "sent",
		Provider: "test", Count: 1, Content: "Bonjour", Recipient: due[0].Recipient}}))

	ops, err := f.db.PendingOutbox(ctx, 0)
	must(err)
	written := map[protocol.Pair]int{}
	last := map[protocol.Pair]any{}
	var wire []protocol.Op
	for _, o := range ops {
		op := protocol.Op{ID: o.OpID, OrganisationID: o.OrganisationID, Entity: protocol.Entity(o.Entity), EntityID: o.EntityID,
			Kind: protocol.OpKind(o.Op), Payload: o.Payload, BaseVersion: o.BaseVersion, CreatedAt: o.CreatedAt}
		v, err := protocol.Decode(op)
		if err != nil {
			t.Errorf("outbox row %d (%s %s) does not decode: %v\n%s", o.Seq, o.Entity, o.Op, err, o.Payload)
			continue
		}
		p := protocol.Pair{Entity: op.Entity, Kind: op.Kind}
		written[p]++
		last[p] = v
		wire = append(wire, op)
	}
	for _, p := range protocol.Pairs() {
		if written[p] == 0 {
			t.Errorf("the store never wrote %s %s: exercise it here", p.Entity, p.Kind)
		}
	}
	if len(written) != len(protocol.Pairs()) {
		t.Errorf("the store wrote %d pairs, the protocol knows %d: %v", len(written), len(protocol.Pairs()), written)
	}
	// The whole outbox is one valid push (one organisation, unique op ids).
	b, _ := json.Marshal(protocol.Push{Version: protocol.Version, Office: "test", Ops: wire})
	if _, err := protocol.DecodePush(b); err != nil {
		t.Errorf("the outbox as a push: %v", err)
	}

	// What travels is the change: spot checks of the decoded payloads.
	rdvOf := func(k protocol.OpKind) protocol.RdvV1 {
		return last[protocol.Pair{Entity: protocol.EntityRdv, Kind: k}].(protocol.RdvV1)
	}
	if got := rdvOf(protocol.OpStatus); !reflect.DeepEqual(got, protocol.FromRdv(rdv)) {
		t.Errorf("status op:\n got %+v\nwant %+v", got, protocol.FromRdv(rdv))
	}
	if got := rdvOf(protocol.OpMove); !got.StartsAt.Equal(at(1, 10, 0)) {
		t.Errorf("move op starts at %v", got.StartsAt)
	}
	if got := rdvOf(protocol.OpArrived); got.Participations[0].ArrivedAt == nil || !got.Participations[0].ArrivedAt.Equal(at(1, 9, 50)) {
		t.Errorf("arrive op %+v", got.Participations)
	}
	joined := false
	for _, o := range ops {
		joined = joined || (o.Op == OpBook && o.EntityID == session.ID && o.BaseVersion == session.Version-1)
	}
	if !joined {
		t.Error("no book op with a base version for the seat joined in the session")
	}
	if got := last[protocol.Pair{Entity: protocol.EntityAbsence, Kind: protocol.OpDelete}]; got != (protocol.Tombstone{ID: abs.ID}) {
		t.Errorf("absence tombstone %+v", got)
	}
	if got := last[protocol.Pair{Entity: protocol.EntityOrganisation, Kind: protocol.OpUpsert}].(protocol.OrganisationV1); got.BufferMinutes != 5 {
		t.Errorf("organisation %+v", got)
	}
}

// The store's op and entity names are the protocol's (book.go and notifications.go use them).
func TestStoreNamesAreTheProtocols(t *testing.T) {
	kinds := map[protocol.OpKind]bool{}
	entities := map[protocol.Entity]bool{}
	for _, p := range protocol.Pairs() {
		kinds[p.Kind], entities[p.Entity] = true, true
	}
	for _, k := range []string{OpUpsert, OpDelete, OpBook, OpMove, OpStatus, OpArrived} {
		if !kinds[protocol.OpKind(k)] {
			t.Errorf("op %q unknown to the protocol", k)
		}
	}
	for _, e := range []string{EntityOrganisation, EntityLieu, EntityAgent, EntityMotif, EntityPlage, EntityAbsence, EntityUsager, EntityRdv, EntityReceipt} {
		if !entities[protocol.Entity(e)] {
			t.Errorf("entity %q unknown to the protocol", e)
		}
	}
}

// enqueue refuses what the protocol does not know, and the transaction writes nothing.
func TestEnqueueRefusesUnknownOps(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	before, _ := f.db.PendingOutboxCount(ctx)
	for name, c := range map[string]struct {
		entity, op string
		payload    any
	}{
		"rdv as a row":        {EntityRdv, OpUpsert, agenda.Rdv{ID: "r", OrganisationID: f.org.ID}},
		"unknown kind":        {EntityUsager, "merge", f.usager},
		"unknown entity":      {"table", OpUpsert, f.usager},
		"payload of the pair": {EntityLieu, OpUpsert, f.usager},
		"map payload":         {EntityUsager, OpUpsert, map[string]string{"id": f.usager.ID}},
		"map tombstone":       {EntityPlage, OpDelete, map[string]string{"id": f.usager.ID}},
		"usager delete":       {EntityUsager, OpDelete, protocol.Tombstone{ID: f.usager.ID}},
	} {
		err := f.db.write(ctx, "test", func(tx *txn) error {
			return f.db.enqueue(ctx, tx, f.org.ID, c.entity, f.usager.ID, c.op, 1, c.payload)
		})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if after, _ := f.db.PendingOutboxCount(ctx); after != before {
		t.Errorf("%d rows written", after-before)
	}
	// A delete with no payload is the tombstone of its row.
	p := f.plages[0]
	err := f.db.write(ctx, "test", func(tx *txn) error {
		return f.db.enqueue(ctx, tx, f.org.ID, EntityPlage, p.ID, OpDelete, 1, nil)
	})
	ops, _ := f.db.PendingOutbox(ctx, 0)
	if err != nil || !slices.ContainsFunc(ops, func(o OutboxOp) bool { return o.EntityID == p.ID && string(o.Payload) == `{"id":"`+p.ID+`"}` }) {
		t.Errorf("nil tombstone: %v", err)
	}
}
