package reminders

import (
	"time"

	"rdvguichet/backend/agenda"
)

// Input is what the planner knows of one change. The store loads it in the change's transaction.
type Input struct {
	// Before is the RDV before the change, nil for a new one; After is the RDV as it is now (for
	// ForResend and ForMissing, the RDV).
	Before *agenda.Rdv
	After  agenda.Rdv
	Policy Policy
	// Location is the organisation's zone (agenda.Organisation.Location): quiet hours and the
	// RDV's day are local.
	Location *time.Location
	Now      time.Time
	// By made the change: an usager who cancelled themselves gets no SMS about it.
	By agenda.Actor
	// Contacts of the RDV's usagers, already resolved through their responsibles; an usager
	// missing here cannot be reached.
	Contacts map[string]Contact
	// Existing are the messages already written for this RDV (any state, any version).
	Existing []Existing
}

// Existing is what the planner reads of a message already written.
type Existing struct {
	UsagerID string
	Event    Event
	Variant  string
	Channel  Channel
	State    State
}

// Message is a message the change owes: the store writes it unless its Key exists.
type Message struct {
	UsagerID   string
	Event      Event
	Variant    string
	Channel    Channel
	Recipient  string
	DueAt      time.Time
	StartsAt   time.Time
	RdvVersion int
	Key        string
	BySelf     bool
}

// Cancellation cancels the pending messages of an usager on a channel ("" = every channel)
// whose event is one of Events.
type Cancellation struct {
	UsagerID string
	Channel  Channel
	Events   []Event
	Reason   Reason
	Text     string // stored in last_error, shown to the agents
}

// Plan is what a change writes: the cancellations first, then the messages.
type Plan struct {
	Cancellations []Cancellation
	Messages      []Message
}

// Empty reports whether the plan writes nothing.
func (p Plan) Empty() bool { return len(p.Cancellations) == 0 && len(p.Messages) == 0 }

// planner builds one Plan.
type planner struct {
	in  Input
	rdv agenda.Rdv
	out Plan
}

func newPlanner(in Input) *planner {
	if in.Location == nil {
		in.Location = time.UTC
	}
	return &planner{in: in, rdv: in.After}
}

// ForChange plans the messages that the change from in.Before (nil for a new RDV) to in.After
// owes each usager, and cancels those it makes obsolete:
//
//   - a participation becoming active (booking, joining a session, back from cancelled):
//     confirmation, plus the reminder(s);
//   - an active participation whose RDV moved (start or lieu): modification (or a fresh
//     confirmation when the first one has not left yet), and the reminders recomputed;
//   - a participation cancelled (excused or revoked): pending messages cancelled, and an
//     annulation on each channel where something had already been sent (nothing when the
//     usager never heard of the RDV); by SMS only when the service cancelled;
//   - seen / noshow: pending reminders cancelled.
//
// Nothing is sent for an RDV that has started.
func ForChange(in Input) Plan {
	p := newPlanner(in)
	for _, t := range transitions(in.Before, in.After) {
		switch t.kind {
		case becameActive:
			p.activated(t.part)
		case movedWhileActive:
			p.moved(t.part)
		case becameCancelled:
			p.cancelled(t.part)
		case becameRecorded:
			p.cancel(t.part.UsagerID, "", ReasonRecorded, ReasonRecorded.Text(), EventRappel)
		}
	}
	return p.out
}

// Concerned returns the usagers to whom the change from before to after may owe or cancel
// messages: the store loads the contacts of these only (a collective session's other
// participants are not concerned by a newcomer).
func Concerned(before *agenda.Rdv, after agenda.Rdv) []string {
	var out []string
	for _, t := range transitions(before, after) {
		out = append(out, t.part.UsagerID)
	}
	return out
}

type transitionKind int

const (
	becameActive     transitionKind = iota + 1 // booked, joined, back from cancelled
	movedWhileActive                           // active, new start or lieu
	becameCancelled                            // excused or revoked
	becameRecorded                             // seen or noshow
)

type transition struct {
	part agenda.Participation
	kind transitionKind
}

// transitions classifies what the change did to each participation of after (those it did
// nothing to are left out).
func transitions(before *agenda.Rdv, after agenda.Rdv) []transition {
	var out []transition
	for _, part := range after.Participations {
		isActive := !after.Status.Cancelled() && !part.Status.Cancelled()
		wasActive := false
		var old agenda.Participation
		if before != nil {
			for _, q := range before.Participations {
				if q.UsagerID == part.UsagerID {
					old, wasActive = q, !before.Status.Cancelled() && !q.Status.Cancelled()
				}
			}
		}
		var k transitionKind
		switch {
		case !wasActive && isActive:
			k = becameActive
		case wasActive && isActive && (!before.StartsAt.Equal(after.StartsAt) || before.LieuID != after.LieuID):
			k = movedWhileActive
		case wasActive && !isActive:
			k = becameCancelled
		case isActive && part.Status != agenda.StatusUnknown && old.Status == agenda.StatusUnknown:
			k = becameRecorded
		}
		if k != 0 {
			out = append(out, transition{part, k})
		}
	}
	return out
}

// ForResend plans the agent's « Renvoyer le rappel »: one more reminder, due now (SMS after the
// quiet hours), for each active usager of the RDV on each channel they can be reached on. A
// manual reminder already waiting to leave is not doubled. It refuses, with a code, a cancelled
// RDV (agenda.CodeRdvCancelled), one that has started (CodeReminderTooLate), an office with no
// channel on (CodeNoChannel), and a plan with nothing to send (CodeNothingToRemind).
func ForResend(in Input) (Plan, error) {
	const op = "reminders.ForResend"
	rdv := in.After
	switch {
	case rdv.Status.Cancelled():
		return Plan{}, agenda.Fail(op, agenda.CodeRdvCancelled)
	case rdv.Started(in.Now):
		return Plan{}, agenda.Fail(op, agenda.CodeReminderTooLate)
	case len(in.Policy.Channels()) == 0:
		return Plan{}, agenda.Fail(op, agenda.CodeNoChannel)
	}
	p := newPlanner(in)
	for _, part := range rdv.Participations {
		if part.Status.Cancelled() {
			continue
		}
		for _, ch := range in.Policy.Channels() {
			to := p.contact(part.UsagerID).Recipient(ch)
			if to == "" {
				continue
			}
			waiting := p.has(part.UsagerID, ch, func(e Existing) bool {
				return e.Event == EventRappel && IsManual(e.Variant) && (e.State == StatePending || e.State == StateSending)
			})
			if waiting {
				continue
			}
			k := p.count(part.UsagerID, ch, func(e Existing) bool { return e.Event == EventRappel && IsManual(e.Variant) })
			p.add(part.UsagerID, EventRappel, ManualVariant(k+1), ch, to, in.Now)
		}
	}
	if len(p.out.Messages) == 0 {
		return Plan{}, agenda.Fail(op, agenda.CodeNothingToRemind)
	}
	return p.out, nil
}

// ForMissing plans the reminders of the channels now on that an upcoming RDV has none of: a
// channel switched on after RDVs were booked also reminds them (their bookings only wrote the
// messages of the channels on then). Confirmations are not sent after the fact.
func ForMissing(in Input) Plan {
	p := newPlanner(in)
	if !p.future() {
		return Plan{}
	}
	for _, part := range p.rdv.Participations {
		if part.Status != agenda.StatusUnknown {
			continue
		}
		for _, ch := range in.Policy.Channels() {
			to := p.contact(part.UsagerID).Recipient(ch)
			if to == "" || p.has(part.UsagerID, ch, func(e Existing) bool { return e.Event == EventRappel }) {
				continue
			}
			p.reminders(part.UsagerID, ch, to, true)
		}
	}
	return p.out
}

func (p *planner) future() bool {
	return p.in.Now.Before(p.rdv.StartsAt) && p.rdv.Status == agenda.StatusUnknown
}

func (p *planner) contact(usagerID string) Contact { return p.in.Contacts[usagerID] }

// activated plans a new participation's confirmation and reminders. An imported RDV (booked by
// an import, origine import) was given before the import, on paper or in another tool: its usager
// knows it already, so it gets no confirmation, and its reminders leave at their usual time or
// not at all, never at once. An import of thousands of RDVs thus sends nothing when it is made
// (ADR 0013).
func (p *planner) activated(part agenda.Participation) {
	if !p.future() || part.Status != agenda.StatusUnknown {
		return
	}
	imported := p.in.Before == nil && p.rdv.Origine == agenda.OrigineImport
	c := p.contact(part.UsagerID)
	for _, ch := range p.in.Policy.Channels() {
		to := c.Recipient(ch)
		if to == "" {
			continue
		}
		if !imported {
			p.add(part.UsagerID, EventConfirmation, "", ch, to, p.in.Now)
		}
		p.reminders(part.UsagerID, ch, to, !imported)
	}
}

func (p *planner) moved(part agenda.Participation) {
	c := p.contact(part.UsagerID)
	for _, ch := range []Channel{ChannelEmail, ChannelSMS} {
		confPending := p.has(part.UsagerID, ch, func(e Existing) bool {
			return e.Event == EventConfirmation && e.State == StatePending
		})
		p.cancel(part.UsagerID, ch, ReasonMoved, movedText(p.rdv.Version), EventConfirmation, EventModification, EventRappel)
		to := c.Recipient(ch)
		if to == "" || !p.future() || !p.in.Policy.Enabled(ch) {
			continue
		}
		ev := EventModification
		if confPending {
			ev = EventConfirmation // the usager has not heard of the old time: confirm the new one
		}
		p.add(part.UsagerID, ev, "", ch, to, p.in.Now)
		p.reminders(part.UsagerID, ch, to, true)
	}
}

func (p *planner) cancelled(part agenda.Participation) {
	c := p.contact(part.UsagerID)
	for _, ch := range []Channel{ChannelEmail, ChannelSMS} {
		p.cancel(part.UsagerID, ch, ReasonCancelled, ReasonCancelled.Text(), EventConfirmation, EventModification, EventRappel)
		// Did the usager hear of the RDV on this channel (or may they have)?
		heard := p.has(part.UsagerID, ch, func(e Existing) bool {
			return e.Event != EventAnnulation && (e.State == StateSent || e.State == StateSending || e.State == StateUncertain)
		})
		to := c.Recipient(ch)
		if !heard || to == "" || !p.in.Policy.Enabled(ch) || !p.in.Now.Before(p.rdv.StartsAt) {
			continue
		}
		if ch == ChannelSMS && p.in.By.SelfService() {
			continue // RDV Service Public: no SMS to someone who cancelled themselves
		}
		p.add(part.UsagerID, EventAnnulation, "", ch, to, p.in.Now)
	}
}

// reminders plans the reminder of one usager on one channel, and the same-day SMS.
// reminders plans the reminder(s) of an RDV on one channel. One due already (booked inside the
// delay) leaves at once when atOnce, unless the RDV is too close for it to matter; without atOnce
// it is not sent.
func (p *planner) reminders(usagerID string, ch Channel, to string, atOnce bool) {
	start, now, pol := p.rdv.StartsAt, p.in.Now, p.in.Policy
	due := start.Add(-pol.Reminder())
	if due.Before(now) {
		if !atOnce || start.Sub(now) < time.Duration(pol.MinReminderHours)*time.Hour {
			due = time.Time{}
		} else {
			due = now
		}
	}
	if !due.IsZero() {
		p.add(usagerID, EventRappel, "", ch, to, due)
	}
	if ch == ChannelSMS && pol.SameDaySMS {
		d := start.Add(-time.Duration(max(pol.SameDayHours, 0)) * time.Hour)
		loc := p.in.Location
		if !d.Before(now) && agenda.DateOf(d.In(loc)) == agenda.DateOf(start.In(loc)) {
			p.add(usagerID, EventRappel, VariantSameDay, ch, to, d)
		}
	}
}

// add plans one message. SMS due in the quiet hours are delayed to their end; a message that
// could then only leave after the RDV's start is dropped.
func (p *planner) add(usagerID string, event Event, variant string, ch Channel, to string, due time.Time) {
	if ch == ChannelSMS {
		if end, quiet := p.in.Policy.QuietUntil(due, p.in.Location); quiet {
			due = end
		}
	}
	if !due.Before(p.rdv.StartsAt) {
		return
	}
	p.out.Messages = append(p.out.Messages, Message{UsagerID: usagerID, Event: event, Variant: variant, Channel: ch,
		Recipient: to, DueAt: due, StartsAt: p.rdv.StartsAt, RdvVersion: p.rdv.Version,
		Key: Key(p.rdv.ID, usagerID, event, variant, ch, p.rdv.Version), BySelf: p.in.By.SelfService()})
}

func (p *planner) cancel(usagerID string, ch Channel, reason Reason, text string, events ...Event) {
	p.out.Cancellations = append(p.out.Cancellations, Cancellation{UsagerID: usagerID, Channel: ch, Events: events, Reason: reason, Text: text})
}

func (p *planner) count(usagerID string, ch Channel, match func(Existing) bool) int {
	n := 0
	for _, e := range p.in.Existing {
		if e.UsagerID == usagerID && e.Channel == ch && match(e) {
			n++
		}
	}
	return n
}

func (p *planner) has(usagerID string, ch Channel, match func(Existing) bool) bool {
	return p.count(usagerID, ch, match) > 0
}
