package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
)

func enableNotifications(t *testing.T, db *DB) {
	t.Helper()
	if err := db.SetSetting(context.Background(), NotificationSettingsKey, `{"emailEnabled":true,"smsEnabled":true}`); err != nil {
		t.Fatal(err)
	}
}

// With the channels off (a new installation), bookings write no message.
func TestNotificationsOffByDefault(t *testing.T) {
	f := newFixture(t, 1)
	r, err := f.book(at(3, 9, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	ns, _ := f.db.RdvNotifications(context.Background(), r.ID)
	if len(ns) != 0 {
		t.Fatalf("%d messages with notifications off", len(ns))
	}
}

// A booking writes its confirmation and reminder per channel in its own transaction; the
// idempotency key makes a replay a no-op; a collective join confirms only the newcomer.
func TestEnqueueIdempotentAndPerUsager(t *testing.T) {
	f := newFixture(t, 1)
	enableNotifications(t, f.db)
	ctx := context.Background()
	r, err := f.book(at(3, 9, 0), f.agents[0].ID) // Thursday 9:00, booked Monday 8:00
	if err != nil {
		t.Fatal(err)
	}
	ns, _ := f.db.RdvNotifications(ctx, r.ID)
	if len(ns) != 4 {
		t.Fatalf("%d messages, want confirmation + reminder on two channels: %+v", len(ns), ns)
	}
	for _, n := range ns {
		if n.Event == reminders.EventRappel && !n.DueAt.Equal(at(1, 9, 0)) {
			t.Errorf("reminder due %v, want 48 h before", n.DueAt)
		}
		if n.Key != reminders.Key(r.ID, f.usager.ID, n.Event, "", n.Channel, 1) {
			t.Errorf("key %s", n.Key)
		}
	}
	// Replaying the hook (same RDV, same version) writes nothing more.
	err = f.db.write(ctx, "test", func(tx *txn) error {
		return f.db.enqueueNotifications(ctx, tx, nil, r, agenda.ByAgent("x"), f.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := f.db.RdvNotifications(ctx, r.ID); len(again) != 4 {
		t.Fatalf("replay wrote %d rows", len(again)-4)
	}

	other, err := f.db.SaveUsager(ctx, agenda.Usager{OrganisationID: f.org.ID, FirstName: "Ali", LastName: "Ben", Email: "ali@example.fr", NotifyEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(4, 14, 0), Usagers: []string{f.usager.ID}, By: agenda.ByAgent(f.agents[0].ID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Book(ctx, BookRequest{MotifID: f.coll.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(4, 14, 0), Usagers: []string{other.ID}, By: agenda.ByAgent(f.agents[0].ID)}); err != nil {
		t.Fatal(err)
	}
	ns, _ = f.db.RdvNotifications(ctx, s1.ID)
	per := map[string]int{}
	for _, n := range ns {
		per[n.UsagerID]++
	}
	if per[f.usager.ID] != 4 || per[other.ID] != 2 {
		t.Fatalf("collective: %v", per)
	}
}

// One claim wins; an attempt that lost its claim cannot record; stale claims become uncertain.
func TestClaimFinishRecover(t *testing.T) {
	f := newFixture(t, 1)
	enableNotifications(t, f.db)
	ctx := context.Background()
	if _, err := f.book(at(3, 9, 0), f.agents[0].ID); err != nil {
		t.Fatal(err)
	}
	due, _ := f.db.DueNotifications(ctx, f.clock.Now(), 0)
	if len(due) != 2 {
		t.Fatalf("%d due, want the two confirmations", len(due))
	}
	n := due[0]
	if _, ok, err := f.db.ClaimNotification(ctx, n.ID, "a1"); !ok || err != nil {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if _, ok, _ := f.db.ClaimNotification(ctx, n.ID, "a2"); ok {
		t.Fatal("second claim won too")
	}
	if err := f.db.FinishNotification(ctx, n.ID, "a2", Outcome{State: reminders.StateSent}); !errors.Is(err, ErrAttemptLost) {
		t.Fatalf("foreign attempt recorded: %v", err)
	}
	f.clock.Set(f.clock.Now().Add(time.Hour))
	k, err := f.db.RecoverStaleNotifications(ctx, f.clock.Now().Add(-10*time.Minute), nil)
	if err != nil || k != 1 {
		t.Fatalf("recover: %d %v", k, err)
	}
	if err := f.db.FinishNotification(ctx, n.ID, "a1", Outcome{State: reminders.StateSent}); agenda.KindOf(err) != agenda.Conflict {
		t.Fatalf("late record after recovery: %v", err)
	}
	ns, _ := f.db.RdvNotifications(ctx, n.RdvID)
	for _, m := range ns {
		if m.ID == n.ID && m.State != reminders.StateUncertain {
			t.Fatalf("state %s", m.State)
		}
	}
}
