package reminders

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a Paris wall-clock instant in March 2026 (Monday 2 March is day 2).
func at(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, paris) }

// both channels on, defaults otherwise (reminder 48 h, at once if booked 24–48 h ahead, quiet 20:00–08:00).
func both() Policy {
	p := DefaultPolicy()
	p.EmailEnabled, p.SMSEnabled = true, true
	return p
}

var reachable = Contact{Phone: "+33612345678", Email: "a@example.fr", SMS: true, Mail: true}

func rdv(start time.Time, version int, statuses ...agenda.Status) agenda.Rdv {
	r := agenda.Rdv{ID: "r1", OrganisationID: "o1", LieuID: "l1", StartsAt: start, EndsAt: start.Add(30 * time.Minute),
		Status: agenda.StatusUnknown, Version: version}
	if len(statuses) == 0 {
		statuses = []agenda.Status{agenda.StatusUnknown}
	}
	for i, s := range statuses {
		r.Participations = append(r.Participations, agenda.Participation{UsagerID: fmt.Sprintf("u%d", i+1), Status: s})
	}
	return r
}

// show writes a message as « channel event[-variant] due-local », and a cancellation as
// « cancel usager channel|* events: text ».
func show(p Plan) []string {
	var out []string
	for _, c := range p.Cancellations {
		ch := c.Channel
		if ch == "" {
			ch = "*"
		}
		out = append(out, fmt.Sprintf("cancel %s %s %s: %s", c.UsagerID, ch, strings.Join(c.Events, ","), c.Text))
	}
	for _, m := range p.Messages {
		ev := m.Event
		if m.Variant != "" {
			ev += "-" + m.Variant
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", m.UsagerID, m.Channel, ev, m.DueAt.In(paris).Format("Mon 02 15:04")))
	}
	return out
}

func TestForChange(t *testing.T) {
	moved := rdv(at(5, 10, 0), 1)
	movedAfter := rdv(at(6, 14, 0), 2)
	sent := []Existing{
		{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelEmail, State: StateSent},
		{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelSMS, State: StateSent},
		{UsagerID: "u1", Event: EventRappel, Channel: ChannelEmail, State: StatePending},
	}
	pending := []Existing{
		{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelEmail, State: StatePending},
		{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelSMS, State: StateSent},
	}
	booked := rdv(at(5, 10, 0), 1)
	cancelled := rdv(at(5, 10, 0), 2, agenda.StatusExcused)
	seen := rdv(at(5, 10, 0), 2, agenda.StatusSeen)
	sameDay := both()
	sameDay.SameDaySMS = true
	onlyEmail := both()
	onlyEmail.SMSEnabled = false
	cancelText := "confirmation,modification,rappel: rendez-vous annulé"
	imported := func(r agenda.Rdv) agenda.Rdv { r.Origine = agenda.OrigineImport; return r }

	for _, c := range []struct {
		name     string
		before   *agenda.Rdv
		after    agenda.Rdv
		now      time.Time
		policy   Policy
		by       agenda.Actor
		contact  Contact
		existing []Existing
		want     []string
	}{
		{name: "booked 1 h before: confirmation only (the RDV is too close for a reminder)",
			after: rdv(at(2, 11, 0), 1), now: at(2, 10, 0),
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 sms confirmation Mon 02 10:00"}},
		{name: "booked 30 h before: reminder at once",
			after: rdv(at(3, 16, 0), 1), now: at(2, 10, 0),
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Mon 02 10:00",
				"u1 sms confirmation Mon 02 10:00", "u1 sms rappel Mon 02 10:00"}},
		{name: "booked 3 days before: reminder 48 h before",
			after: rdv(at(5, 10, 0), 1), now: at(2, 10, 0),
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Tue 03 10:00",
				"u1 sms confirmation Mon 02 10:00", "u1 sms rappel Tue 03 10:00"}},
		{name: "booked 2 weeks before: reminder 48 h before, the SMS one after the quiet hours",
			after: rdv(at(16, 8, 30), 1), now: at(2, 10, 0),
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Sat 14 08:30",
				"u1 sms confirmation Mon 02 10:00", "u1 sms rappel Sat 14 08:30"}},
		{name: "booked at 22:00: the SMS confirmation waits for 08:00",
			after: rdv(at(6, 9, 0), 1), now: at(2, 22, 0),
			want: []string{"u1 email confirmation Mon 02 22:00", "u1 email rappel Wed 04 09:00",
				"u1 sms confirmation Tue 03 08:00", "u1 sms rappel Wed 04 09:00"}},
		{name: "booked at 22:00 for 07:30: an SMS that could only leave after the start is dropped",
			after: rdv(at(3, 7, 30), 1), now: at(2, 22, 0), policy: func() Policy { p := both(); p.MinReminderHours = 0; return p }(),
			want: []string{"u1 email confirmation Mon 02 22:00", "u1 email rappel Mon 02 22:00"}},
		{name: "imported 3 days before: no confirmation (the usager has the RDV already), reminders at their time",
			after: imported(rdv(at(5, 10, 0), 1)), now: at(2, 10, 0),
			want: []string{"u1 email rappel Tue 03 10:00", "u1 sms rappel Tue 03 10:00"}},
		{name: "imported 30 h before: nothing at once, the reminder's time has passed",
			after: imported(rdv(at(3, 16, 0), 1)), now: at(2, 10, 0)},
		{name: "imported with the same-day SMS: it leaves on the day",
			after: imported(rdv(at(3, 16, 0), 1)), now: at(2, 10, 0), policy: sameDay,
			want: []string{"u1 sms rappel-jour Tue 03 13:00"}},
		{name: "booked after the start: nothing",
			after: rdv(at(2, 9, 0), 1), now: at(2, 10, 0)},
		{name: "channels off: nothing", policy: DefaultPolicy(),
			after: rdv(at(5, 10, 0), 1), now: at(2, 10, 0)},
		{name: "opted out of SMS, landline: e-mail only", contact: Contact{Phone: "+33140000000", Email: "a@example.fr", Mail: true, SMS: true},
			after: rdv(at(5, 10, 0), 1), now: at(2, 10, 0),
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Tue 03 10:00"}},
		{name: "no contact: nothing", contact: Contact{},
			after: rdv(at(5, 10, 0), 1), now: at(2, 10, 0)},
		{name: "same-day SMS, 3 h before",
			after: rdv(at(5, 14, 0), 1), now: at(2, 10, 0), policy: sameDay,
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Tue 03 14:00",
				"u1 sms confirmation Mon 02 10:00", "u1 sms rappel Tue 03 14:00", "u1 sms rappel-jour Thu 05 11:00"}},
		{name: "same-day SMS in the quiet hours: at 08:00",
			after: rdv(at(5, 10, 0), 1), now: at(2, 10, 0), policy: sameDay,
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Tue 03 10:00",
				"u1 sms confirmation Mon 02 10:00", "u1 sms rappel Tue 03 10:00", "u1 sms rappel-jour Thu 05 08:00"}},
		{name: "same-day SMS that would fall the day before: none",
			after: rdv(at(5, 1, 0), 1), now: at(2, 10, 0), policy: sameDay,
			want: []string{"u1 email confirmation Mon 02 10:00", "u1 email rappel Tue 03 01:00",
				"u1 sms confirmation Mon 02 10:00", "u1 sms rappel Tue 03 08:00"}},
		{name: "moved after the confirmation left: modification, reminders recomputed",
			before: &moved, after: movedAfter, now: at(2, 10, 0), existing: sent,
			want: []string{
				"cancel u1 email confirmation,modification,rappel: remplacé : rendez-vous déplacé (version 2)",
				"cancel u1 sms confirmation,modification,rappel: remplacé : rendez-vous déplacé (version 2)",
				"u1 email modification Mon 02 10:00", "u1 email rappel Wed 04 14:00",
				"u1 sms modification Mon 02 10:00", "u1 sms rappel Wed 04 14:00"}},
		{name: "moved while the e-mail confirmation is still pending: a fresh confirmation by e-mail",
			before: &moved, after: movedAfter, now: at(2, 10, 0), existing: pending,
			want: []string{
				"cancel u1 email confirmation,modification,rappel: remplacé : rendez-vous déplacé (version 2)",
				"cancel u1 sms confirmation,modification,rappel: remplacé : rendez-vous déplacé (version 2)",
				"u1 email confirmation Mon 02 10:00", "u1 email rappel Wed 04 14:00",
				"u1 sms modification Mon 02 10:00", "u1 sms rappel Wed 04 14:00"}},
		{name: "moved with SMS off: cancellations on both channels, messages by e-mail only",
			before: &moved, after: movedAfter, now: at(2, 10, 0), existing: sent, policy: onlyEmail,
			want: []string{
				"cancel u1 email confirmation,modification,rappel: remplacé : rendez-vous déplacé (version 2)",
				"cancel u1 sms confirmation,modification,rappel: remplacé : rendez-vous déplacé (version 2)",
				"u1 email modification Mon 02 10:00", "u1 email rappel Wed 04 14:00"}},
		{name: "cancelled by the service after the confirmation left: annulation on both channels",
			before: &booked, after: cancelled, now: at(2, 10, 0), by: agenda.ByAgent("a1"), existing: sent,
			want: []string{"cancel u1 email " + cancelText, "cancel u1 sms " + cancelText,
				"u1 email annulation Mon 02 10:00", "u1 sms annulation Mon 02 10:00"}},
		{name: "cancelled by the usager at the kiosk: no SMS annulation",
			before: &booked, after: cancelled, now: at(2, 10, 0), by: agenda.Kiosk, existing: sent,
			want: []string{"cancel u1 email " + cancelText, "cancel u1 sms " + cancelText,
				"u1 email annulation Mon 02 10:00"}},
		{name: "cancelled online: no SMS annulation either",
			before: &booked, after: cancelled, now: at(2, 10, 0), by: agenda.Online, existing: sent,
			want: []string{"cancel u1 email " + cancelText, "cancel u1 sms " + cancelText,
				"u1 email annulation Mon 02 10:00"}},
		{name: "cancelled before anything left: the usager never heard of it, no annulation",
			before: &booked, after: cancelled, now: at(2, 10, 0), by: agenda.ByAgent("a1"),
			existing: []Existing{{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelEmail, State: StatePending}},
			want:     []string{"cancel u1 email " + cancelText, "cancel u1 sms " + cancelText}},
		{name: "cancelled after an uncertain SMS: annulation (it may have arrived)",
			before: &booked, after: cancelled, now: at(2, 22, 0), by: agenda.ByAgent("a1"),
			existing: []Existing{{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelSMS, State: StateUncertain}},
			want:     []string{"cancel u1 email " + cancelText, "cancel u1 sms " + cancelText, "u1 sms annulation Tue 03 08:00"}},
		{name: "seen: pending reminders cancelled on every channel",
			before: &booked, after: seen, now: at(5, 10, 5), existing: sent,
			want: []string{"cancel u1 * rappel: rendez-vous renseigné"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.policy
			if p == (Policy{}) {
				p = both()
			}
			contact := c.contact
			if c.name[:10] != "no contact" && contact == (Contact{}) {
				contact = reachable
			}
			if c.by == (agenda.Actor{}) {
				c.by = agenda.ByAgent("a1")
			}
			in := Input{Before: c.before, After: c.after, Policy: p, Location: paris, Now: c.now, By: c.by,
				Contacts: map[string]Contact{"u1": contact}, Existing: c.existing}
			got := show(ForChange(in))
			if !slices.Equal(got, c.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(c.want, "\n\t"))
			}
			// The planner is a function: the same facts give the same plan (the keys make a replay a no-op).
			if again := show(ForChange(in)); !slices.Equal(again, got) {
				t.Errorf("second run differs: %v", again)
			}
		})
	}
}

// Messages carry what the store writes: key, version, start, bySelf.
func TestForChangeMessageFields(t *testing.T) {
	r := rdv(at(5, 10, 0), 3)
	p := ForChange(Input{After: r, Policy: both(), Location: paris, Now: at(2, 10, 0), By: agenda.Kiosk,
		Contacts: map[string]Contact{"u1": reachable}})
	if len(p.Messages) != 4 {
		t.Fatalf("%d messages", len(p.Messages))
	}
	m := p.Messages[2]
	if m.Key != "r1/u1/confirmation/sms/v3" || m.RdvVersion != 3 || !m.StartsAt.Equal(r.StartsAt) || !m.BySelf ||
		m.Recipient != "+33612345678" {
		t.Errorf("%+v", m)
	}
	if k := Key("r", "u", EventRappel, VariantSameDay, ChannelSMS, 2); k != "r/u/rappel-jour/sms/v2" {
		t.Errorf("key %s", k)
	}
}

// A collective session: a newcomer is confirmed, the others are not concerned.
func TestCollectiveJoin(t *testing.T) {
	before := rdv(at(5, 10, 0), 1, agenda.StatusUnknown)
	after := rdv(at(5, 10, 0), 2, agenda.StatusUnknown, agenda.StatusUnknown)
	if got := Concerned(&before, after); !slices.Equal(got, []string{"u2"}) {
		t.Fatalf("concerned %v", got)
	}
	p := ForChange(Input{Before: &before, After: after, Policy: both(), Location: paris, Now: at(2, 10, 0),
		Contacts: map[string]Contact{"u1": reachable, "u2": {Email: "b@example.fr", Mail: true}}})
	want := []string{"u2 email confirmation Mon 02 10:00", "u2 email rappel Tue 03 10:00"}
	if got := show(p); !slices.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	same := rdv(at(5, 10, 0), 2)
	if got := Concerned(&same, same); len(got) != 0 {
		t.Errorf("no change concerns %v", got)
	}
}

// Reminders across the spring switch to summer time (Sunday 29 March 2026 in Paris): « 48 h
// before » is 48 real hours, and the quiet hours are local on both sides of the switch.
func TestDSTWeek(t *testing.T) {
	start := time.Date(2026, 3, 30, 9, 0, 0, 0, paris) // Monday, summer time
	p := ForChange(Input{After: rdv(start, 1), Policy: both(), Location: paris, Now: at(16, 10, 0),
		Contacts: map[string]Contact{"u1": reachable}})
	want := []string{"u1 email confirmation Mon 16 10:00", "u1 email rappel Sat 28 08:00",
		"u1 sms confirmation Mon 16 10:00", "u1 sms rappel Sat 28 08:00"}
	if got := show(p); !slices.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	// An SMS reminder due Saturday 23:00 (winter time) waits for Sunday 08:00 (summer time).
	late := time.Date(2026, 3, 31, 0, 0, 0, 0, paris).Add(-48*time.Hour - time.Hour)
	p = ForChange(Input{After: rdv(late.Add(48*time.Hour), 1), Policy: both(), Location: paris, Now: at(16, 10, 0),
		Contacts: map[string]Contact{"u1": {Phone: "+33612345678", SMS: true}}})
	if n := len(p.Messages); n != 2 || !p.Messages[1].DueAt.Equal(time.Date(2026, 3, 29, 8, 0, 0, 0, paris)) ||
		p.Messages[1].DueAt.UTC().Hour() != 6 {
		t.Errorf("%+v", p.Messages)
	}
}

func TestQuietUntil(t *testing.T) {
	p := DefaultPolicy()
	night := Policy{QuietStart: agenda.Clk(0, 0), QuietEnd: agenda.Clk(7, 0)}
	for _, c := range []struct {
		p        Policy
		at, want time.Time
		quiet    bool
	}{
		{p, at(2, 21, 0), at(3, 8, 0), true},
		{p, at(2, 7, 59), at(2, 8, 0), true},
		{p, at(2, 8, 0), at(2, 8, 0), false},
		{p, at(2, 19, 59), at(2, 19, 59), false},
		{p, at(2, 20, 0), at(3, 8, 0), true},
		{p, at(2, 23, 59), at(3, 8, 0), true},
		{p, at(3, 0, 0), at(3, 8, 0), true},
		{p, at(31, 23, 0), time.Date(2026, 4, 1, 8, 0, 0, 0, paris), true}, // across a month
		// The night of the spring switch: 08:00 summer time is 06:00 UTC.
		{p, at(28, 22, 0), time.Date(2026, 3, 29, 6, 0, 0, 0, time.UTC), true},
		// The night of the autumn switch (25 October 2026): 08:00 winter time is 07:00 UTC.
		{p, time.Date(2026, 10, 24, 21, 0, 0, 0, paris), time.Date(2026, 10, 25, 7, 0, 0, 0, time.UTC), true},
		{night, at(2, 6, 0), at(2, 7, 0), true},
		{night, at(2, 23, 0), at(2, 23, 0), false},
		{night, at(2, 7, 0), at(2, 7, 0), false},
	} {
		got, quiet := c.p.QuietUntil(c.at, paris)
		if quiet != c.quiet || !got.Equal(c.want) {
			t.Errorf("%v: %v %v, want %v %v", c.at, got, quiet, c.want, c.quiet)
		}
	}
	p.QuietStart, p.QuietEnd = 0, 0
	if _, quiet := p.QuietUntil(at(2, 23, 0), paris); quiet {
		t.Error("equal bounds disable quiet hours")
	}
}

// The stored settings object keeps its field names.
func TestPolicyJSON(t *testing.T) {
	q, err := ParsePolicy(`{"smsEnabled":true,"minReminderHours":0,"smtp":{"host":"x"}}`)
	if err != nil || !q.SMSEnabled || q.MinReminderHours != 0 || q.ReminderHours != 48 || q.QuietStart != agenda.Clk(20, 0) {
		t.Errorf("parse: %+v %v", q, err)
	}
	q, err = ParsePolicy(`{"emailEnabled":true,"reminderHours":24,"sameDaySms":true,"sameDayHours":2,"quietStart":"22:00","quietEnd":"07:00"}`)
	want := Policy{EmailEnabled: true, ReminderHours: 24, MinReminderHours: 24, SameDaySMS: true, SameDayHours: 2,
		QuietStart: agenda.Clk(22, 0), QuietEnd: agenda.Clk(7, 0)}
	if err != nil || q != want {
		t.Errorf("parse: %+v %v", q, err)
	}
	if q, err := ParsePolicy("{"); err == nil || q != DefaultPolicy() {
		t.Errorf("damaged: %+v %v", q, err)
	}
	b, _ := json.Marshal(DefaultPolicy())
	if golden := `{"emailEnabled":false,"smsEnabled":false,"reminderHours":48,"minReminderHours":24,"sameDaySms":false,` +
		`"sameDayHours":3,"quietStart":"20:00","quietEnd":"08:00"}`; string(b) != golden {
		t.Errorf("stored form changed: %s", b)
	}
	if q, err := ParsePolicy(""); err != nil || q != DefaultPolicy() {
		t.Errorf("empty: %+v %v", q, err)
	}
}

func TestRecipient(t *testing.T) {
	for _, c := range []struct {
		c         Contact
		sms, mail string
	}{
		{reachable, "+33612345678", "a@example.fr"},
		{Contact{Phone: "+33612345678", Email: "a@example.fr"}, "", ""},   // opted out of both
		{Contact{Phone: "+33140000000", SMS: true}, "", ""},               // a landline
		{Contact{Phone: "+262692123456", SMS: true}, "+262692123456", ""}, // a mobile in La Réunion
		{Contact{Email: "pas-une-adresse", Mail: true}, "", ""},           // no @
	} {
		if got := c.c.Recipient(ChannelSMS); got != c.sms {
			t.Errorf("%+v sms: %q", c.c, got)
		}
		if got := c.c.Recipient(ChannelEmail); got != c.mail {
			t.Errorf("%+v mail: %q", c.c, got)
		}
	}
}

func TestReceiptNames(t *testing.T) {
	if ReceiptEvent(EventRappel) != "rdv_upcoming_reminder" || ReceiptEvent(EventAnnulation) != "rdv_cancelled" ||
		ReceiptEvent("test") != "test" || ReceiptChannel(ChannelEmail) != "mail" || ReceiptChannel(ChannelSMS) != "sms" {
		t.Error("receipt names changed")
	}
}
