package store

import (
	"context"
	"testing"

	"rdvguichet/backend/reminders"
)

// RDVs booked while the channels were off get their reminders when a channel is switched on.
func TestRemindersForRdvsBookedBeforeAChannelWasOn(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	r, err := f.book(at(3, 9, 0), f.agents[0].ID) // Thursday 9:00, booked Monday 8:00, channels off
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.db.ScheduleMissingReminders(ctx); err != nil || n != 0 {
		t.Fatalf("channels off: %d scheduled, %v", n, err)
	}
	enableNotifications(t, f.db)
	if n, err := f.db.ScheduleMissingReminders(ctx); err != nil || n != 2 {
		t.Fatalf("after switching e-mail and SMS on: %d scheduled, want 2, %v", n, err)
	}
	ns, _ := f.db.RdvNotifications(ctx, r.ID)
	if len(ns) != 2 {
		t.Fatalf("%d messages, want one reminder per channel (no late confirmation): %+v", len(ns), ns)
	}
	for _, m := range ns {
		if m.Event != reminders.EventRappel || !m.DueAt.Equal(at(1, 9, 0)) {
			t.Errorf("message %s due %v, want a reminder 48 h before", m.Event, m.DueAt)
		}
	}
	if n, err := f.db.ScheduleMissingReminders(ctx); err != nil || n != 0 {
		t.Fatalf("second run: %d scheduled, %v", n, err)
	}
}
