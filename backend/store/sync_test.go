package store

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

func change(t *testing.T, cursor string, entity protocol.Entity, kind protocol.OpKind, org, id string, v any, version int) protocol.Change {
	t.Helper()
	b, err := protocol.Encode(entity, kind, org, id, v)
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Change{Cursor: cursor, Entity: entity, EntityID: id, Kind: kind, Version: version, Payload: b}
}

// A page with one change the office cannot read is refused whole: nothing applied, the cursor
// stays, the code says why. A change about another organisation is refused the same way.
func TestApplyPageRefusedWhole(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	u := protocol.UsagerV1{ID: "0190e7a4-6666-7000-8000-000000000001", OrganisationID: f.org.ID, LastName: "Martin"}
	good := change(t, "c1", protocol.EntityUsager, protocol.OpUpsert, f.org.ID, u.ID, u, 1)
	bad := good
	bad.Cursor, bad.EntityID, bad.Payload = "c2", "0190e7a4-6666-7000-8000-000000000002", json.RawMessage(`{"id":"0190e7a4-6666-7000-8000-000000000002"}`)
	if err := f.db.ApplyRemote(ctx, []protocol.Change{good, bad}, "c2"); agenda.CodeOf(err) != agenda.CodeSyncPayloadInvalid || agenda.ParamsOf(err)["op"] != "2" {
		t.Fatalf("malformed change: %v (%s %v)", err, agenda.CodeOf(err), agenda.ParamsOf(err))
	}
	other := u
	other.OrganisationID = "0190e7a4-6666-7000-8000-0000000000ff"
	foreign := change(t, "c3", protocol.EntityUsager, protocol.OpUpsert, other.OrganisationID, u.ID, other, 1)
	if err := f.db.ApplyRemote(ctx, []protocol.Change{foreign}, "c3"); agenda.CodeOf(err) != agenda.CodeSyncPayloadMismatch {
		t.Fatalf("foreign change: %v", err)
	}
	if _, err := f.db.GetUsager(ctx, u.ID); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("applied from a refused page: %v", err)
	}
	if st, _ := f.db.SyncStatus(ctx); st.Cursor != "" {
		t.Fatalf("cursor moved: %+v", st)
	}
	if err := f.db.ApplyRemote(ctx, []protocol.Change{good}, "c1"); err != nil {
		t.Fatal(err)
	}
	// An empty page with no cursor keeps the stored one.
	if err := f.db.ApplyRemote(ctx, nil, ""); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.db.SyncStatus(ctx); st.Cursor != "c1" || st.LastPullAt == nil {
		t.Fatalf("status %+v", st)
	}
}

// A new server address starts its feed from the beginning; the same one keeps the cursor.
func TestSetSyncServerResetsCursor(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	if err := f.db.SetSyncServer(ctx, "https://a.example.fr"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ApplyRemote(ctx, nil, "c9"); err != nil {
		t.Fatal(err)
	}
	f.db.SetSyncServer(ctx, "https://a.example.fr")
	if st, _ := f.db.SyncStatus(ctx); st.Cursor != "c9" {
		t.Fatalf("%+v", st)
	}
	f.db.SetSyncServer(ctx, "https://b.example.fr")
	if st, _ := f.db.SyncStatus(ctx); st.Cursor != "" || st.ServerURL != "https://b.example.fr" {
		t.Fatalf("%+v", st)
	}
	if o, err := f.db.OfficeOrganisation(ctx); err != nil || o.ID != f.org.ID {
		t.Fatalf("%+v %v", o, err)
	}
}

// The feed echoes the office's own changes. An echo older than the office's row is history: a
// booking's echo arriving after the RDV was moved must not move it back onto its old slot, nor
// land in « À traiter » because another RDV took that slot since.
func TestStaleEchoIsNotApplied(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	booked, err := f.book(at(1, 9, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	moved, err := f.db.Move(ctx, booked.ID, at(1, 10, 0), "", agenda.ByAgent(f.agents[0].ID), false)
	if err != nil {
		t.Fatal(err)
	}
	other := f.newUsager(t, "Léo", "Martin")
	if _, err := f.db.Book(ctx, BookRequest{MotifID: f.motif.ID, AgentID: f.agents[0].ID, Start: at(1, 9, 0), Usagers: []string{other.ID}, By: agenda.ByAgent(f.agents[0].ID)}); err != nil {
		t.Fatal(err)
	}
	f.ackAll(t)
	echo := change(t, "c1", protocol.EntityRdv, protocol.OpBook, f.org.ID, booked.ID, protocol.FromRdv(booked), booked.Version)
	rep, err := f.db.ApplyPage(ctx, []protocol.Change{echo}, "c1")
	if err != nil || rep.Stale != 1 || rep.Applied != 0 || rep.Conflicts != 0 {
		t.Fatalf("echo: %+v, %v", rep, err)
	}
	if got, err := f.db.GetRdv(ctx, booked.ID); err != nil || !got.StartsAt.Equal(moved.StartsAt) || got.Version != moved.Version {
		t.Fatalf("the RDV went back: %+v, %v", got, err)
	}
}

// PendingOutboxAfter reads on from an op: the pending ops after it, in push order, skipping the
// ops before it that are still pending (their answers not recorded yet) and those already answered.
func TestPendingOutboxAfter(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	for _, name := range []string{"Léo", "Lou", "Max", "Noé"} {
		f.newUsager(t, name, "Martin")
	}
	all, err := f.db.PendingOutbox(ctx, 0)
	if err != nil || len(all) < 6 {
		t.Fatalf("%d ops, %v", len(all), err)
	}
	seqs := func(ops []OutboxOp) []int64 {
		var s []int64
		for _, o := range ops {
			s = append(s, o.Seq)
		}
		return s
	}
	if err := f.db.AckOutbox(ctx, all[3].OpID, 1); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.PendingOutboxAfter(ctx, all[1].Seq, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := seqs([]OutboxOp{all[2], all[4], all[5]}); !slices.Equal(seqs(got), want) {
		t.Fatalf("after op 2: %v, want %v", seqs(got), want)
	}
	if got, err := f.db.PendingOutboxAfter(ctx, all[len(all)-1].Seq, 0); err != nil || len(got) != 0 {
		t.Fatalf("after the last op: %v, %v", seqs(got), err)
	}
}
