package notify

import (
	"fmt"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/reminders"
)

// Facts is everything a message says, already looked up. Templates (SMS and e-mail) are pure
// functions of Facts, so tests fill them with the longest realistic values without a database.
type Facts struct {
	Event   string // reminders.Event*
	Variant string // "", reminders.VariantSameDay, "manuel-N"
	RdvID   string
	Version int // RDV version the message was written for: the iCal SEQUENCE

	Organisation string
	OrgEmail     string // Reply-To and the invite's ORGANIZER
	Usager       string // « Hélène Dupont »
	UsagerEmail  string // the invite's ATTENDEE

	Motif         string
	LocationType  agenda.LocationType
	Start         time.Time
	PreviousStart time.Time // modification: the time the usager knew; zero when unknown
	Duration      time.Duration
	Location      *time.Location

	Lieu          string
	Street        string
	PostalCode    string
	City          string
	Accessibility string
	Phone         string // where to call (the lieu's, else the organisation's), E.164
	Pieces        []string
	Instructions  string

	ShortCode string // checkin.ShortCode; "" when no secret
	CancelURL string // the central server's page for this RDV; "" without a central server
}

func (f Facts) loc() *time.Location {
	if f.Location == nil {
		return time.UTC
	}
	return f.Location
}

// When writes the start in French: « mardi 3 mars 2026 à 9 h 30 ».
func (f Facts) When() string { return fr.DateTime(f.Start, f.loc()) }

// Address is the lieu's address on one line.
func (f Facts) Address() string {
	town := strings.TrimSpace(f.PostalCode + " " + f.City)
	parts := []string{}
	for _, p := range []string{f.Street, town} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// nationalPhone writes French numbers (metropolitan and overseas) in the national form people
// dial, « 0238000000 »; others stay international.
func nationalPhone(e164 string) string {
	for _, cc := range []string{"+33", "+262", "+590", "+594", "+596"} {
		if strings.HasPrefix(e164, cc) && len(e164)-len(cc) == 9 {
			return "0" + e164[len(cc):]
		}
	}
	return e164
}

// spacedPhone writes « 02 38 00 00 00 » with no-break spaces (e-mails).
func spacedPhone(e164 string) string {
	d := nationalPhone(e164)
	if len(d) != 10 || d[0] != '0' {
		return d
	}
	var b strings.Builder
	for i := 0; i < 10; i += 2 {
		if i > 0 {
			b.WriteString("\u00a0")
		}
		b.WriteString(d[i : i+2])
	}
	return b.String()
}

var shortWeekdays = [...]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."}

// smsWhen writes the compact SMS date: « mar. 3/03 à 9h30 ».
func smsWhen(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return fmt.Sprintf("%s %d/%02d à %dh%02d", shortWeekdays[t.Weekday()], t.Day(), int(t.Month()), t.Hour(), t.Minute())
}

// cut shortens s to at most n characters (runes), at a word boundary when one is near.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	out := string(r[:n])
	if i := strings.LastIndexAny(out, " -"); i >= len(out)/2 {
		out = out[:i]
	}
	return strings.TrimRight(out, " -,")
}

// SMSText writes the SMS of f in GSM-7 within one SMS (SMSBudget units). It tries the richest
// wording first and drops or shortens, in this order, what the usager can do without: the street,
// the motif, the long names, the lieu's name, the link (the phone stays), until the text fits; the
// last resort keeps the date, the code and the phone and cuts the rest. The prefix is the
// organisation's name: the sender ID of an SMS is too short to say who writes.
func SMSText(f Facts) string {
	when := smsWhen(f.Start, f.loc())
	tel := nationalPhone(f.Phone)
	type level struct {
		org, motif, lieu, street, city int // max lengths; 0 drops the field
		url                            bool
	}
	levels := []level{
		{40, 40, 40, 60, 30, true},
		{40, 40, 40, 0, 30, true},
		{40, 0, 40, 0, 30, true},
		{24, 0, 26, 0, 24, true},
		{24, 0, 0, 0, 24, true},
		{24, 0, 0, 0, 24, false},
		{16, 0, 0, 0, 18, false},
		{11, 0, 0, 0, 0, false},
	}
	var text string
	for _, l := range levels {
		text = ToGSM(smsCompose(f, l.org, l.motif, l.lieu, l.street, l.city, l.url, when, tel))
		if GSMUnits(text) <= SMSBudget {
			return text
		}
	}
	// Unreasonable values (a 100-character phone?): cut, keeping whole characters.
	for GSMUnits(text) > SMSBudget {
		r := []rune(text)
		text = string(r[:len(r)-1])
	}
	return text
}

func smsCompose(f Facts, orgN, motifN, lieuN, streetN, cityN int, withURL bool, when, tel string) string {
	var lines []string
	if orgN > 0 && f.Organisation != "" {
		lines = append(lines, cut(f.Organisation, orgN))
	}
	motif := ""
	if motifN > 0 && f.Motif != "" {
		motif = " " + cut(f.Motif, motifN)
	}
	switch f.Event {
	case reminders.EventConfirmation:
		lines = append(lines, "RDV"+motif+" confirmé le "+when)
	case reminders.EventModification:
		lines = append(lines, "RDV"+motif+" déplacé au "+when)
	case reminders.EventRappel:
		if f.Variant == reminders.VariantSameDay {
			lines = append(lines, "Rappel : RDV"+motif+" aujourd’hui à "+strings.SplitN(when, " à ", 2)[1])
		} else {
			lines = append(lines, "Rappel : RDV"+motif+" le "+when)
		}
	case reminders.EventAnnulation:
		lines = append(lines, "Votre RDV"+motif+" du "+when+" est annulé.")
	}
	if f.Event != reminders.EventAnnulation {
		var place []string
		switch f.LocationType {
		case agenda.Phone:
			place = append(place, "Par téléphone")
		case agenda.Visio:
			place = append(place, "En visio")
		default:
			if lieuN > 0 && f.Lieu != "" {
				place = append(place, cut(f.Lieu, lieuN))
			}
			if streetN > 0 && f.Street != "" {
				place = append(place, cut(f.Street, streetN))
			}
			if cityN > 0 && f.City != "" {
				place = append(place, cut(f.City, cityN))
			}
		}
		if len(place) > 0 {
			lines = append(lines, strings.Join(place, ", "))
		}
		if f.ShortCode != "" {
			lines = append(lines, "Code "+f.ShortCode)
		}
		var how []string
		if withURL && f.CancelURL != "" {
			how = append(how, f.CancelURL)
		}
		if tel != "" {
			how = append(how, tel)
		}
		if len(how) > 0 {
			lines = append(lines, "Annuler : "+strings.Join(how, " ou "))
		}
	} else if tel != "" {
		lines = append(lines, "Pour un nouveau RDV : "+tel)
	}
	return strings.Join(lines, "\n")
}
