package pgstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/reminders"
)

// The central plans the messages of online bookings only; a channel switched on later reminds
// the online bookings made while it was off, once.
func TestCentralPlansOnlineBookingsOnly(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	d := newDesk(t, s, 1)
	if _, err := s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: d.org.ID, AgentID: d.agent.ID, LieuID: d.lieu.ID, Title: "En ligne",
		MotifIDs: []string{d.motif.ID}, FirstDay: tuesday, Start: agenda.Clk(14, 0), End: agenda.Clk(15, 0), Canal: agenda.CanalEnLigne}); err != nil {
		t.Fatal(err)
	}
	online, _, err := s.BookOnline(ctx, d.org.ID, booking.Request{MotifID: d.motif.ID, LieuID: d.lieu.ID, Start: at(14, 0), Documents: 1,
		NewUsager: &agenda.Usager{FirstName: "Adèle", LastName: "Enligne", Email: "adele@example.org", NotifyEmail: true}})
	if err != nil {
		t.Fatal(err)
	}
	messages := func(rdvID string, event reminders.Event) int {
		t.Helper()
		return count(t, s, "SELECT count(*) FROM notifications WHERE rdv_id = $1 AND event = $2", rdvID, event)
	}
	if n := messages(online.ID, reminders.EventConfirmation); n != 0 {
		t.Fatalf("%d confirmations with the notifications off", n)
	}
	if err := s.SetNotificationSettings(ctx, d.org.ID, []byte(`{"emailEnabled": true, "reminderHours": 48, "minReminderHours": 24}`)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int{1, 0} { // the second run finds nothing missing
		if n, err := s.ScheduleMissingReminders(ctx, d.org.ID); err != nil || n != want {
			t.Fatalf("missing reminders: %d %v, want %d", n, err, want)
		}
	}
	if n := messages(online.ID, reminders.EventRappel); n != 1 {
		t.Fatalf("%d reminders of the online booking, want 1 (e-mail)", n)
	}
	office, err := s.Book(ctx, d.request(at(9, 0), 0))
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM notifications WHERE rdv_id = $1", office.ID); n != 0 {
		t.Fatalf("the central planned %d messages for a counter booking", n)
	}
}

// At most once at the central (ADR 0003): a message claimed by a process that died before
// recording it becomes uncertain, with a receipt in the feed, and is never claimed again; the
// dead attempt cannot record it any more; a second claim of a claimed message gets nothing.
func TestCentralClaimIsAtMostOnce(t *testing.T) {
	s, cfg := openFresh(t, clock)
	ctx := context.Background()
	d := newDesk(t, s, 0)
	if _, err := s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: d.org.ID, AgentID: d.agent.ID, LieuID: d.lieu.ID, Title: "En ligne",
		MotifIDs: []string{d.motif.ID}, FirstDay: tuesday, Start: agenda.Clk(14, 0), End: agenda.Clk(15, 0), Canal: agenda.CanalEnLigne}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNotificationSettings(ctx, d.org.ID, []byte(`{"emailEnabled": true, "reminderHours": 48, "minReminderHours": 24}`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.BookOnline(ctx, d.org.ID, booking.Request{MotifID: d.motif.ID, LieuID: d.lieu.ID, Start: at(14, 0), Documents: 1,
		NewUsager: &agenda.Usager{FirstName: "Adèle", LastName: "Enligne", Email: "adele@example.org", NotifyEmail: true}}); err != nil {
		t.Fatal(err)
	}
	box := s.Outbox(d.org.ID)
	due, err := box.DueNotifications(ctx, clock.t, 10)
	if err != nil || len(due) == 0 || due[0].Event != reminders.EventConfirmation {
		t.Fatalf("due: %+v %v", due, err)
	}
	claimed, ok, err := box.ClaimNotification(ctx, due[0].ID, "tentative-1")
	if err != nil || !ok || claimed.State != reminders.StateSending {
		t.Fatalf("claim: %+v %v %v", claimed, ok, err)
	}
	if _, ok, err := box.ClaimNotification(ctx, due[0].ID, "tentative-2"); err != nil || ok {
		t.Fatalf("second claim: %v %v", ok, err)
	}

	// The process died there. Another one, eleven minutes later, resolves it.
	later, err := OpenConfig(ctx, cfg.Copy(), fixedClock{clock.t.Add(11 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	box2 := later.Outbox(d.org.ID)
	n, err := box2.RecoverStaleNotifications(ctx, clock.t.Add(time.Minute), func(string) string { return "smtp" })
	if err != nil || n != 1 {
		t.Fatalf("recovered %d, %v", n, err)
	}
	if _, ok, err := box2.ClaimNotification(ctx, due[0].ID, "tentative-3"); err != nil || ok {
		t.Fatalf("an uncertain message claimed again: %v %v", ok, err)
	}
	err = box.FinishNotification(ctx, due[0].ID, "tentative-1", reminders.Outcome{State: reminders.StateSent})
	if agenda.KindOf(err) != agenda.Conflict || !errors.Is(err, reminders.ErrAttemptLost) {
		t.Fatalf("the dead attempt recorded its outcome: %v", err)
	}
	if n := count(t, s, "SELECT count(*) FROM changes WHERE entity = 'receipt' AND payload->>'result' = 'processed'"); n != 1 {
		t.Fatalf("%d receipts of the uncertain message in the feed", n)
	}
}
