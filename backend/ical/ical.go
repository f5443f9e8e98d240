// Package ical writes RDVs as iCalendar (RFC 5545) files, by the rules of domain.md section 5:
//
//   - UID « rdv-<id>@rdv-guichet », the same for the RDV's whole life. The suffix is a constant
//     that must never change, or every calendar would see new events.
//   - SEQUENCE is the RDV's Version. The store raises it by one on every change of the RDV or its
//     participations (booking = 1, move, status change, cancellation, check-in…), so it strictly
//     increases on every significant change as RFC 5546 asks; raising it also on minor changes is
//     harmless.
//   - An usager with an e-mail address gets METHOD:REQUEST with ORGANIZER (the organisation's
//     address, which receives replies) and one ATTENDEE (CN, ROLE=REQ-PARTICIPANT,
//     PARTSTAT=NEEDS-ACTION, RSVP=TRUE): mail clients then show it as an invitation. Without an
//     address there is nobody to invite: METHOD:PUBLISH. A cancelled RDV is METHOD:CANCEL with
//     STATUS:CANCELLED, same UID and a higher SEQUENCE.
//   - Times are written in the organisation's zone (DTSTART;TZID=Europe/Paris) with the matching
//     VTIMEZONE, which go-ical does not write: it is derived here from Go's zone data (see
//     vtimezone). Never floating times.
//   - A VALARM (DISPLAY) one day before, in invitations only.
//
// The agent's feed (Feed) lists the agent's RDVs from one month ago on, cancelled ones kept as
// STATUS:CANCELLED. It carries no personal data of the usagers: no name, initials, phone or
// e-mail, only the motif, time, place and number of persons. A feed ends up on phones and in
// third-party calendar services; the agent opens the app to see who is coming (domain.md 1.9, 5).
//
// Output is folded at 75 octets (RFC 5545 3.1) and uses CRLF. DTSTAMP comes from the caller's
// clock, so files are reproducible.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"rdvguichet/backend/agenda"
)

// UIDSuffix ends every RDV's UID. Never change it: calendars match events by UID.
const UIDSuffix = "@rdv-guichet"

// prodID names the producing software.
const prodID = "-//RDV Guichet//Convocations//FR"

// UID returns the RDV's event UID.
func UID(rdvID string) string { return "rdv-" + rdvID + UIDSuffix }

// Method values (RFC 5546).
const (
	MethodRequest = "REQUEST"
	MethodPublish = "PUBLISH"
	MethodCancel  = "CANCEL"
)

// Person is a calendar user: a name and an address.
type Person struct {
	Name  string
	Email string
}

// Rdv is what an invitation says about an RDV.
type Rdv struct {
	ID           string
	Version      int // SEQUENCE
	Start, End   time.Time
	Cancelled    bool
	Motif        string
	Location     string // the lieu's name and address; "" for a phone RDV
	Pieces       []string
	Instructions string
	Organisation Person // the organiser: the organisation's name and address
	Phone        string // to call to cancel or move, as printed
	Usager       Person // the attendee; no e-mail means PUBLISH
	Persons      int    // number of usagers (the agent's feed shows it instead of names)
}

// Method returns the iTIP method of the RDV's invitation.
func (r Rdv) Method() string {
	switch {
	case r.Cancelled:
		return MethodCancel
	case r.Usager.Email != "" && r.Organisation.Email != "":
		return MethodRequest
	}
	return MethodPublish
}

// Invite writes the invitation (or cancellation) of one RDV for its usager: what goes in the
// e-mail's text/calendar part and .ics attachment. loc is the organisation's zone, now the
// DTSTAMP. It returns the method, which the e-mail's Content-Type must repeat.
func Invite(w io.Writer, r Rdv, loc *time.Location, now time.Time) (string, error) {
	const op = "ical.Invite"
	method := r.Method()
	cal := newCalendar(method)
	cal.Children = append(cal.Children, vtimezone(loc, r.Start))
	ev := event(r, loc, now)
	ev.Props.SetText(goical.PropSummary, "RDV "+r.Motif)
	ev.Props.SetText(goical.PropDescription, description(r))
	if r.Organisation.Email != "" {
		org := goical.NewProp(goical.PropOrganizer)
		org.Value = "mailto:" + r.Organisation.Email
		if cn := paramText(r.Organisation.Name); cn != "" {
			org.Params.Set(goical.ParamCommonName, cn)
		}
		ev.Props.Set(org)
	}
	if r.Usager.Email != "" && method != MethodPublish {
		att := goical.NewProp(goical.PropAttendee)
		att.Value = "mailto:" + r.Usager.Email
		if cn := paramText(r.Usager.Name); cn != "" {
			att.Params.Set(goical.ParamCommonName, cn)
		}
		att.Params.Set(goical.ParamRole, "REQ-PARTICIPANT")
		att.Params.Set(goical.ParamParticipationStatus, "NEEDS-ACTION")
		att.Params.Set(goical.ParamRSVP, "TRUE")
		ev.Props.Set(att)
	}
	if !r.Cancelled {
		ev.Children = append(ev.Children, alarm(r.Motif))
	}
	cal.Children = append(cal.Children, ev)
	if err := encode(w, cal); err != nil {
		return "", agenda.E(op, agenda.Other, err)
	}
	return method, nil
}

// FeedEntry is one RDV of an agent's feed.
type FeedEntry = Rdv

// Feed writes an agent's calendar (METHOD:PUBLISH) for a webcal subscription or a file: events
// without usager data (see the package comment), cancelled ones kept with STATUS:CANCELLED so
// that subscribed calendars drop them.
func Feed(w io.Writer, name string, rdvs []FeedEntry, loc *time.Location, now time.Time) error {
	const op = "ical.Feed"
	cal := newCalendar(MethodPublish)
	// Clients refresh subscriptions slowly: ask for hourly (RFC 7986, and Outlook's X- names).
	setRaw(cal, "X-WR-CALNAME", escapeText(name))
	setRaw(cal, "X-WR-TIMEZONE", loc.String())
	setRaw(cal, "X-PUBLISHED-TTL", "PT1H")
	refresh := goical.NewProp(goical.PropRefreshInterval)
	refresh.Params.Set(goical.ParamValue, "DURATION") // required by RFC 7986
	refresh.Value = "PT1H"
	cal.Props.Set(refresh)
	ref := now
	if len(rdvs) > 0 {
		ref = rdvs[0].Start
	}
	// Written even for an empty feed: a VCALENDAR must hold a component.
	cal.Children = append(cal.Children, vtimezone(loc, ref))
	for _, r := range rdvs {
		ev := event(r, loc, now)
		summary := "RDV " + r.Motif
		if r.Persons > 1 {
			summary += fmt.Sprintf(" (%d personnes)", r.Persons)
		}
		if r.Cancelled {
			summary += " — annulé"
		}
		ev.Props.SetText(goical.PropSummary, summary)
		ev.Props.SetText(goical.PropTransparency, "OPAQUE")
		cal.Children = append(cal.Children, ev)
	}
	if err := encode(w, cal); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	return nil
}

func newCalendar(method string) *goical.Calendar {
	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropProductID, prodID)
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(goical.PropMethod, method)
	return cal
}

// event holds what invitations and feeds share.
func event(r Rdv, loc *time.Location, now time.Time) *goical.Component {
	ev := goical.NewEvent()
	ev.Props.SetText(goical.PropUID, UID(r.ID))
	ev.Props.SetDateTime(goical.PropDateTimeStamp, now.UTC())
	ev.Props.SetDateTime(goical.PropDateTimeStart, r.Start.In(loc))
	ev.Props.SetDateTime(goical.PropDateTimeEnd, r.End.In(loc))
	seq := goical.NewProp(goical.PropSequence)
	seq.Value = strconv.Itoa(max(r.Version, 0))
	ev.Props.Set(seq)
	if r.Cancelled {
		ev.SetStatus(goical.EventCancelled)
	} else {
		ev.SetStatus(goical.EventConfirmed)
	}
	if r.Location != "" {
		ev.Props.SetText(goical.PropLocation, r.Location)
	}
	return ev.Component
}

// alarm reminds the usager one day before (a display alarm: the calendar shows it).
func alarm(motif string) *goical.Component {
	a := goical.NewComponent(goical.CompAlarm)
	a.Props.SetText(goical.PropAction, "DISPLAY")
	a.Props.SetText(goical.PropDescription, "Rappel : RDV "+motif+" demain")
	trig := goical.NewProp(goical.PropTrigger)
	trig.Value = "-P1D" // go-ical's SetDuration would write -PT86400S
	a.Props.Set(trig)
	return a
}

// description is the invitation's text: pièces, instructions and how to cancel.
func description(r Rdv) string {
	var b strings.Builder
	if r.Cancelled {
		b.WriteString("Ce rendez-vous est annulé.\n")
	}
	if len(r.Pieces) > 0 && !r.Cancelled {
		b.WriteString("Pièces à fournir :\n")
		for _, p := range r.Pieces {
			b.WriteString("- " + p + "\n")
		}
	}
	if r.Instructions != "" && !r.Cancelled {
		b.WriteString("\n" + r.Instructions + "\n")
	}
	var ways []string
	if r.Phone != "" {
		ways = append(ways, "appelez le "+r.Phone)
	}
	if r.Organisation.Email != "" {
		ways = append(ways, "écrivez à "+r.Organisation.Email)
	}
	if len(ways) > 0 {
		if r.Cancelled {
			b.WriteString("Pour prendre un nouveau rendez-vous, " + strings.Join(ways, " ou ") + ".")
		} else {
			b.WriteString("\nPour annuler ou déplacer ce rendez-vous, " + strings.Join(ways, " ou ") + ".")
		}
	}
	return strings.TrimSpace(b.String())
}

// setRaw sets a property whose value is already in iCalendar syntax (go-ical adds VALUE=TEXT to
// properties it does not know when set with SetText).
func setRaw(c *goical.Calendar, name, value string) {
	p := goical.NewProp(name)
	p.Value = value
	c.Props.Set(p)
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// paramText makes a name safe as a parameter value: go-ical refuses double quotes in them, and
// control characters have no business there.
func paramText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// encode writes cal with lines folded at 75 octets, never inside a UTF-8 sequence.
func encode(w io.Writer, cal *goical.Calendar) error {
	var buf bytes.Buffer
	if err := goical.NewEncoder(&buf).Encode(cal); err != nil {
		return err
	}
	_, err := w.Write(fold(buf.Bytes()))
	return err
}

func fold(in []byte) []byte {
	out := make([]byte, 0, len(in)+len(in)/64)
	for len(in) > 0 {
		i := bytes.Index(in, []byte("\r\n"))
		line := in
		if i >= 0 {
			line, in = in[:i], in[i+2:]
		} else {
			in = nil
		}
		limit := 75
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut]...)
			out = append(out, "\r\n "...)
			line = line[cut:]
			limit = 74 // the leading space counts
		}
		out = append(out, line...)
		out = append(out, "\r\n"...)
	}
	return out
}
