package reminders

import (
	"slices"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

func TestForResend(t *testing.T) {
	r := rdv(at(5, 10, 0), 2, agenda.StatusUnknown, agenda.StatusExcused)
	revoked := r
	revoked.Status = agenda.StatusRevoked
	manualSent := []Existing{{UsagerID: "u1", Event: EventRappel, Variant: "manuel-1", Channel: ChannelEmail, State: StateSent},
		{UsagerID: "u1", Event: EventRappel, Variant: "manuel-1", Channel: ChannelSMS, State: StateCancelled}}
	manualWaiting := []Existing{{UsagerID: "u1", Event: EventRappel, Variant: "manuel-1", Channel: ChannelEmail, State: StatePending},
		{UsagerID: "u1", Event: EventRappel, Variant: "manuel-1", Channel: ChannelSMS, State: StateSending}}
	for _, c := range []struct {
		name     string
		rdv      agenda.Rdv
		now      time.Time
		policy   Policy
		contact  Contact
		existing []Existing
		want     []string
		code     agenda.Code
	}{
		{name: "one reminder per channel, the cancelled participant left out", rdv: r, now: at(2, 10, 0),
			want: []string{"u1 email rappel-manuel-1 Mon 02 10:00", "u1 sms rappel-manuel-1 Mon 02 10:00"}},
		{name: "the SMS waits for the end of the quiet hours", rdv: r, now: at(2, 21, 0),
			want: []string{"u1 email rappel-manuel-1 Mon 02 21:00", "u1 sms rappel-manuel-1 Tue 03 08:00"}},
		{name: "numbered after the manual reminders already written", rdv: r, now: at(2, 10, 0), existing: manualSent,
			want: []string{"u1 email rappel-manuel-2 Mon 02 10:00", "u1 sms rappel-manuel-2 Mon 02 10:00"}},
		{name: "not doubled while one waits", rdv: r, now: at(2, 10, 0), existing: manualWaiting, code: agenda.CodeNothingToRemind},
		{name: "unreachable usager", rdv: r, now: at(2, 10, 0), contact: Contact{Phone: "+33140000000", SMS: true}, code: agenda.CodeNothingToRemind},
		{name: "cancelled RDV", rdv: revoked, now: at(2, 10, 0), code: agenda.CodeRdvCancelled},
		{name: "started RDV", rdv: r, now: at(5, 10, 0), code: agenda.CodeReminderTooLate},
		{name: "no channel on", rdv: r, now: at(2, 10, 0), policy: DefaultPolicy(), code: agenda.CodeNoChannel},
		{name: "an SMS that could only leave after the start", rdv: rdv(at(3, 7, 0), 1), now: at(2, 21, 0),
			contact: Contact{Phone: "+33612345678", SMS: true}, code: agenda.CodeNothingToRemind},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := c.policy
			if p == (Policy{}) {
				p = both()
			}
			contact := c.contact
			if contact == (Contact{}) {
				contact = reachable
			}
			plan, err := ForResend(Input{After: c.rdv, Policy: p, Location: paris, Now: c.now, By: agenda.ByAgent("a1"),
				Contacts: map[string]Contact{"u1": contact, "u2": reachable}, Existing: c.existing})
			if agenda.CodeOf(err) != c.code {
				t.Fatalf("error %v, want code %q", err, c.code)
			}
			if err != nil && agenda.KindOf(err) != agenda.Invalid {
				t.Errorf("kind %v", agenda.KindOf(err))
			}
			if got := show(plan); !slices.Equal(got, c.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(c.want, "\n\t"))
			}
		})
	}
}

func TestForMissing(t *testing.T) {
	r := rdv(at(5, 10, 0), 1, agenda.StatusUnknown, agenda.StatusUnknown)
	in := Input{After: r, Policy: both(), Location: paris, Now: at(2, 10, 0),
		Contacts: map[string]Contact{"u1": reachable, "u2": reachable},
		// u1 was reminded by e-mail (booked while only e-mail was on); u2 was booked with both off.
		Existing: []Existing{{UsagerID: "u1", Event: EventConfirmation, Channel: ChannelEmail, State: StateSent},
			{UsagerID: "u1", Event: EventRappel, Channel: ChannelEmail, State: StatePending}}}
	want := []string{"u1 sms rappel Tue 03 10:00", "u2 email rappel Tue 03 10:00", "u2 sms rappel Tue 03 10:00"}
	if got := show(ForMissing(in)); !slices.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	// Nothing for an RDV that has started or been recorded, nor when every channel is off.
	in.Now = at(5, 10, 0)
	if p := ForMissing(in); !p.Empty() {
		t.Errorf("started: %v", show(p))
	}
	in.Now, in.Policy = at(2, 10, 0), DefaultPolicy()
	if p := ForMissing(in); !p.Empty() {
		t.Errorf("channels off: %v", show(p))
	}
}

func TestRecheck(t *testing.T) {
	r := rdv(at(5, 10, 0), 1)
	n := Notification{RdvID: "r1", UsagerID: "u1", Event: EventRappel, StartsAt: r.StartsAt}
	with := func(f func(*agenda.Rdv)) *agenda.Rdv {
		c := r
		c.Participations = slices.Clone(r.Participations)
		f(&c)
		return &c
	}
	annulation := n
	annulation.Event = EventAnnulation
	for _, c := range []struct {
		name string
		n    Notification
		rdv  *agenda.Rdv
		now  time.Time
		want Reason
	}{
		{"may leave", n, &r, at(3, 10, 0), ""},
		{"deleted", n, nil, at(3, 10, 0), ReasonDeleted},
		{"moved since", n, with(func(r *agenda.Rdv) { r.StartsAt = r.StartsAt.Add(time.Hour) }), at(3, 10, 0), ReasonMovedSince},
		{"started", n, &r, at(5, 10, 0), ReasonStarted},
		{"usager removed", n, with(func(r *agenda.Rdv) { r.Participations[0].UsagerID = "u9" }), at(3, 10, 0), ReasonUsagerRemoved},
		{"cancelled since", n, with(func(r *agenda.Rdv) { r.Participations[0].Status = agenda.StatusExcused }), at(3, 10, 0), ReasonCancelledSince},
		{"annulation of an RDV restored", annulation, &r, at(3, 10, 0), ReasonRestored},
		{"annulation of a cancelled RDV", annulation, with(func(r *agenda.Rdv) { r.Status = agenda.StatusRevoked }), at(3, 10, 0), ""},
		{"recorded", n, with(func(r *agenda.Rdv) { r.Status = agenda.StatusSeen }), at(3, 10, 0), ReasonAlreadyRecorded},
	} {
		if got := Recheck(c.n, c.rdv, c.now); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// The texts are stored in last_error and shown to the agents as they are: the screens and the
// older rows must keep saying the same thing.
func TestReasonTexts(t *testing.T) {
	for r, want := range map[Reason]string{
		ReasonCancelled:   "rendez-vous annulé",
		ReasonRecorded:    "rendez-vous renseigné",
		ReasonExpired:     "rendez-vous commencé avant l’envoi",
		ReasonUnreachable: "l’usager ne peut plus ou ne souhaite plus être prévenu par ce canal",
		"":                "",
	} {
		if got := r.Text(); got != want {
			t.Errorf("%s: %q", r, got)
		}
	}
	if got := movedText(4); got != "remplacé : rendez-vous déplacé (version 4)" {
		t.Errorf("moved: %q", got)
	}
	for r := range reasonTexts {
		if r.Text() == string(r) || r.Text() == "" {
			t.Errorf("%s has no text", r)
		}
	}
}
