package notify

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
)

func day(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, paris) }

func wantLog(t *testing.T, w *world, name, rdvID string, want ...string) {
	t.Helper()
	got := w.log(t, rdvID)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", name, got, want)
	}
}

// RDVs at several distances, one moved and one cancelled: every usager gets exactly the right
// messages at the right times, on both channels, and nothing twice.
func TestScheduleAtSeveralDistances(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.book(t, day(2, 11, 0))  // in 1 h
	b := w.book(t, day(3, 16, 0))  // in 30 h
	c := w.book(t, day(5, 10, 0))  // in 3 days
	d := w.book(t, day(16, 10, 0)) // in 2 weeks
	e := w.book(t, day(5, 14, 0))  // will move
	f := w.book(t, day(6, 10, 0))  // will be cancelled
	g := w.book(t, day(4, 21, 30)) // reminder falls in the quiet hours
	w.at(t, day(2, 10, 0))
	if again := w.at(t, day(2, 10, 0)); len(again) != 0 {
		t.Fatalf("second round at the same instant sent %v", again)
	}

	w.clock.Set(day(2, 12, 0))
	if _, err := w.db.Move(ctx, e.ID, day(6, 15, 0), "", agenda.ByAgent(w.agent.ID), true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Cancel(ctx, f.ID, agenda.ByAgent(w.agent.ID), false); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{day(2, 12, 0), day(2, 21, 30), day(3, 8, 0), day(3, 10, 0), day(3, 14, 0), day(4, 15, 0),
		day(6, 10, 0), day(14, 10, 0), day(31, 10, 0)} {
		w.at(t, at)
	}

	wantLog(t, w, "1 h", a.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created")
	wantLog(t, w, "30 h", b.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Mon 10:00 mail rdv_upcoming_reminder", "Mon 10:00 sms rdv_upcoming_reminder")
	wantLog(t, w, "3 days", c.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Tue 10:00 mail rdv_upcoming_reminder", "Tue 10:00 sms rdv_upcoming_reminder")
	wantLog(t, w, "2 weeks", d.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Sat 10:00 mail rdv_upcoming_reminder", "Sat 10:00 sms rdv_upcoming_reminder")
	wantLog(t, w, "moved", e.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Mon 12:00 mail rdv_updated", "Mon 12:00 sms rdv_updated",
		"Wed 15:00 mail rdv_upcoming_reminder", "Wed 15:00 sms rdv_upcoming_reminder")
	wantLog(t, w, "cancelled", f.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Mon 12:00 mail rdv_cancelled", "Mon 12:00 sms rdv_cancelled")
	wantLog(t, w, "quiet hours", g.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Mon 21:30 mail rdv_upcoming_reminder", "Tue 08:00 sms rdv_upcoming_reminder")

	if n := len(w.sms.out) + len(w.mail.out); n != 28 {
		t.Errorf("%d messages left, want 28", n)
	}
	// The modification e-mail names the time the usager knew; the SMS the new one.
	for _, m := range w.mail.out {
		if strings.Contains(m.Text, "modifié") && !strings.Contains(m.Text, "jeudi 5 mars 2026 à 14"+"\u202fh\u202f00") {
			t.Errorf("modification subject %q", m.Text)
		}
	}
	for _, m := range w.sms.out {
		if !IsGSM(m.Text) || GSMUnits(m.Text) > SMSBudget {
			t.Errorf("SMS not one GSM-7 SMS: %q", m.Text)
		}
	}
	// The moved RDV's old reminder is cancelled, with the reason visible.
	ns, _ := w.db.RdvNotifications(ctx, e.ID)
	var superseded int
	for _, n := range ns {
		if n.Event == reminders.EventRappel && n.State == reminders.StateCancelled && strings.Contains(n.LastError, "déplacé") {
			superseded++
		}
	}
	if superseded != 2 {
		t.Errorf("moved RDV: %d superseded reminders, want 2: %+v", superseded, ns)
	}
}

// The application was closed for two days: at start-up the sender catches up, late confirmations
// and reminders of RDVs still to come leave, those of RDVs that started are dropped.
func TestCatchUpAfterTwoDaysOff(t *testing.T) {
	w := newWorld(t)
	h := w.book(t, day(4, 14, 0)) // Wednesday 14:00; reminder due Monday 14:00
	i := w.book(t, day(2, 13, 0)) // Monday 13:00: over while the app was closed
	acts := w.at(t, day(4, 12, 0))
	wantLog(t, w, "still to come", h.ID, "Wed 12:00 mail rdv_created", "Wed 12:00 sms rdv_created",
		"Wed 12:00 mail rdv_upcoming_reminder", "Wed 12:00 sms rdv_upcoming_reminder")
	wantLog(t, w, "started", i.ID)
	if len(acts) != 4 {
		t.Errorf("actions %+v", acts)
	}
	// The DueNotifications query already leaves out RDVs that started: nothing is pending for i.
	ns, _ := w.db.RdvNotifications(context.Background(), i.ID)
	for _, n := range ns {
		if n.State != reminders.StateCancelled || !strings.Contains(n.LastError, "commencé") {
			t.Errorf("message of a past RDV: %+v", n)
		}
	}
}

// Opt-outs are re-checked at send time; SMS go to mobiles only; a cancellation before anything
// left sends nothing.
func TestOptOutLandlineAndSilentCancel(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	fixe := w.newUsager(t, "Jean", "Fixe", "+33238123456", "")
	r1 := w.book(t, day(5, 10, 0), fixe)
	u := w.usager
	r2 := w.book(t, day(5, 11, 0), u)
	u.NotifySMS = false
	if _, err := w.db.SaveUsager(ctx, u); err != nil {
		t.Fatal(err)
	}
	r3 := w.book(t, day(5, 14, 0))
	if _, err := w.db.Cancel(ctx, r3.ID, agenda.ByAgent(w.agent.ID), false); err != nil {
		t.Fatal(err)
	}
	w.at(t, day(2, 10, 0))
	wantLog(t, w, "landline, no e-mail", r1.ID)
	wantLog(t, w, "opted out of SMS after booking", r2.ID, "Mon 10:00 mail rdv_created")
	wantLog(t, w, "cancelled before anything left", r3.ID)
	ns, _ := w.db.RdvNotifications(ctx, r2.ID)
	for _, n := range ns {
		if n.Channel == reminders.ChannelSMS && n.Event == reminders.EventConfirmation && !strings.Contains(n.LastError, "souhaite plus") {
			t.Errorf("opted-out SMS: %+v", n)
		}
	}
}

// Temporary failures are retried with backoff; permanent ones stop; every attempt has a receipt.
func TestRetryBackoffAndPermanentFailure(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	calls := 0
	w.sms.fail = func(m SMS) error {
		calls++
		if calls <= 2 {
			return &Failure{Kind: Temporary, Code: "503", Err: errors.New("indisponible")}
		}
		return nil
	}
	r := w.book(t, day(10, 10, 0))
	w.at(t, day(2, 10, 0)) // attempt 1 fails → retry at 10:01
	w.at(t, day(2, 10, 0))
	w.at(t, day(2, 10, 1)) // attempt 2 fails → retry at 10:03
	w.at(t, day(2, 10, 2)) // not due
	w.at(t, day(2, 10, 3)) // attempt 3 succeeds
	if calls != 3 {
		t.Fatalf("%d calls, want 3", calls)
	}
	rs, _ := w.db.ListReceipts(ctx, r.ID)
	var failures, sentSMS int
	for _, rc := range rs {
		if rc.Channel == "sms" && rc.Result == "failure" {
			failures++
			if rc.Provider != "fake-sms" || !strings.Contains(rc.Error, "503") {
				t.Errorf("failure receipt %+v", rc)
			}
		}
		if rc.Channel == "sms" && rc.Result == "sent" {
			sentSMS++
			if rc.Count != 1 || rc.Content == "" {
				t.Errorf("sent receipt %+v", rc)
			}
		}
	}
	if failures != 2 || sentSMS != 1 {
		t.Errorf("receipts: %d failures, %d sent: %+v", failures, sentSMS, rs)
	}

	w.sms.fail = func(m SMS) error { return &Failure{Kind: Permanent, Err: errors.New("numéro invalide")} }
	r2 := w.book(t, day(11, 10, 0))
	w.at(t, day(2, 11, 0))
	w.at(t, day(2, 13, 0))
	ns, _ := w.db.RdvNotifications(ctx, r2.ID)
	for _, n := range ns {
		if n.Channel == reminders.ChannelSMS && n.Event == reminders.EventConfirmation && (n.State != reminders.StateFailed || n.Attempts != 1) {
			t.Errorf("permanent failure: %+v", n)
		}
	}
}

// « Renvoyer le rappel » writes one more reminder, sent at once, and refuses to double one that
// waits.
func TestResendReminder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	r := w.book(t, day(10, 10, 0))
	w.at(t, day(2, 10, 0))
	n, err := w.db.ResendReminder(ctx, r.ID, agenda.ByAgent(w.agent.ID))
	if err != nil || n != 2 {
		t.Fatalf("resend: %d %v", n, err)
	}
	if n, err := w.db.ResendReminder(ctx, r.ID, agenda.ByAgent(w.agent.ID)); err == nil || n != 0 {
		t.Fatalf("second resend while the first waits: %d %v", n, err)
	}
	w.at(t, day(2, 10, 5))
	wantLog(t, w, "manual", r.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Mon 10:05 mail rdv_upcoming_reminder", "Mon 10:05 sms rdv_upcoming_reminder")
	if n, err := w.db.ResendReminder(ctx, r.ID, agenda.ByAgent(w.agent.ID)); err != nil || n != 2 {
		t.Fatalf("third resend after the second left: %d %v", n, err)
	}
	if _, err := w.db.Cancel(ctx, r.ID, agenda.ByAgent(w.agent.ID), false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ResendReminder(ctx, r.ID, agenda.ByAgent(w.agent.ID)); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("resend for a cancelled RDV: %v", err)
	}
}

// The same-day SMS leaves on the RDV's day, a few hours before; quiet hours delay it.
func TestSameDaySMS(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	set, _ := LoadSettings(ctx, w.db)
	set.SameDaySMS, set.SameDayHours = true, 3
	if err := SaveSettings(ctx, w.db, set); err != nil {
		t.Fatal(err)
	}
	r := w.book(t, day(10, 14, 0))
	early := w.book(t, day(11, 9, 0)) // 06:00 is quiet: delayed to 08:00
	for _, at := range []time.Time{day(2, 10, 0), day(8, 14, 0), day(9, 9, 0), day(10, 11, 0), day(11, 8, 0)} {
		w.at(t, at)
	}
	wantLog(t, w, "same day", r.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Sun 14:00 mail rdv_upcoming_reminder", "Sun 14:00 sms rdv_upcoming_reminder", "Tue 11:00 sms rdv_upcoming_reminder")
	wantLog(t, w, "same day, early", early.ID, "Mon 10:00 mail rdv_created", "Mon 10:00 sms rdv_created",
		"Mon 09:00 mail rdv_upcoming_reminder", "Mon 09:00 sms rdv_upcoming_reminder", "Wed 08:00 sms rdv_upcoming_reminder")
}
