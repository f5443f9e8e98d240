// Package kiosk holds the lobby kiosk's use cases: what an anonymous usager may book there, and
// checking in from a convocation's code. It decides and writes through the store; it writes no
// user text: a refusal is an agenda code (codes_kiosk.go), and the door (app's KioskService)
// chooses its words from the catalogue (backend/messages, locales/*/kiosk.json).
package kiosk

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/store"
)

// Days is how far ahead the kiosk offers days (SCENARIOS.md: the next 3 weeks, today included).
const Days = 21

// MaxDocuments bounds the number of people (titles) of an ANTS booking at the kiosk.
const MaxDocuments = 4

// Desk is the kiosk's use cases over the office's store.
type Desk struct {
	DB    *store.DB
	Clock agenda.Clock
}

// Bookable reports whether the kiosk offers the motif: open to the kiosk, not archived, not a
// collective session.
func Bookable(m agenda.Motif) bool { return m.BookableKiosk && !m.Archived && !m.Collectif }

// Motif returns a motif the kiosk may book and the number of documents to book: 1 for a motif
// without ANTS category, 1 to MaxDocuments persons for an ANTS one.
func (d *Desk) Motif(ctx context.Context, motifID string, documents int) (agenda.Motif, int, error) {
	m, err := d.DB.GetMotif(ctx, motifID)
	if err != nil || !Bookable(m) {
		return agenda.Motif{}, 0, agenda.Fail("kiosk.Motif", agenda.CodeKioskNotBookable)
	}
	if m.AntsCategory == agenda.AntsNone {
		return m, 1, nil
	}
	if documents < 1 || documents > MaxDocuments {
		return agenda.Motif{}, 0, agenda.Fail("kiosk.Motif", agenda.CodeKioskPersons, "max", strconv.Itoa(MaxDocuments))
	}
	return m, documents, nil
}

// Slots returns the free starts of the motif in [from, to) as the kiosk sees them: the public
// view (one slot per start and lieu), within the motif's public booking window.
func (d *Desk) Slots(ctx context.Context, m agenda.Motif, documents int, from, to time.Time) ([]creneaux.Creneau, error) {
	data, err := d.DB.LoadCreneauxData(ctx, m.ID, "", from, to)
	if err != nil {
		return nil, err
	}
	return creneaux.Search(data, creneaux.Request{Motif: m, From: from, To: to, Now: d.Clock.Now(), Origine: agenda.OrigineKiosk, Documents: documents})
}

// Next returns up to 5 free starts of the motif from from on: what the kiosk offers after a
// refused booking.
func (d *Desk) Next(ctx context.Context, motifID string, from time.Time, documents int) ([]creneaux.Creneau, error) {
	return d.DB.FindFree(ctx, store.SlotQuery{MotifID: motifID, From: from, Documents: documents, N: 5, Origine: agenda.OrigineKiosk})
}

// Form is the usager's part of the kiosk's booking form.
type Form struct {
	LastName    string
	FirstName   string
	Phone       string
	Relatives   []Name   // ANTS: the second person on, one per further title
	PreDemandes []string // ANTS: one per person, the first's first
}

// Name is a further person of an ANTS booking at the kiosk: a relative of the first.
type Name struct {
	FirstName string
	LastName  string
}

// Request is a booking the usager confirms at the kiosk.
type Request struct {
	MotifID   string
	LieuID    string
	Start     string // RFC 3339, one of the offered times
	Documents int
	Form
}

// Book books the chosen time for a new usager and, for an ANTS motif, one relative of theirs per
// further title, each with their pré-demande number, in one transaction (origine kiosk). The
// refusals, nothing written:
//   - the motif or the number of persons (kiosk_not_bookable, kiosk_persons, people_titles when
//     the form names another number of people than of titles);
//   - no time (kiosk_choose_time);
//   - the form's fields: an agenda.ValidationError wrapped with kiosk_fields;
//   - the time taken meanwhile (a Conflict: slot_taken…) or no longer offered (kiosk_time_withdrawn:
//     outside the public window since the clock moved, off the grid), after which the kiosk
//     offers other times (Retry).
func (d *Desk) Book(ctx context.Context, org agenda.Organisation, req Request) (agenda.Rdv, agenda.Motif, error) {
	const op = "kiosk.Book"
	m, documents, err := d.Motif(ctx, req.MotifID, req.Documents)
	if err != nil {
		return agenda.Rdv{}, agenda.Motif{}, err
	}
	start, err := time.Parse(time.RFC3339, req.Start)
	if err != nil {
		return agenda.Rdv{}, m, agenda.Fail(op, agenda.CodeKioskChooseTime)
	}
	people, err := People(req.Form, org.ID, m.AntsCategory != agenda.AntsNone)
	var fe agenda.ValidationError
	if err != nil && !errors.As(err, &fe) {
		return agenda.Rdv{}, m, err
	}
	breq, err := booking.WithPeople(store.BookRequest{MotifID: m.ID, LieuID: req.LieuID, Start: start, Documents: documents,
		Origine: agenda.OrigineKiosk, By: agenda.Kiosk}, m, people)
	var pe agenda.ValidationError
	switch {
	case errors.As(err, &pe):
		fe = append(fe, pe...)
	case err != nil:
		return agenda.Rdv{}, m, err
	}
	if len(fe) > 0 {
		return agenda.Rdv{}, m, agenda.Wrap(op, agenda.CodeKioskFields, fe)
	}
	rdv, err := d.DB.Book(ctx, breq)
	var v agenda.ValidationError
	switch {
	case err == nil:
		return rdv, m, nil
	case errors.As(err, &v):
		return agenda.Rdv{}, m, agenda.Wrap(op, agenda.CodeKioskFields, v)
	case agenda.KindOf(err) == agenda.Invalid:
		// The engine's reasons are for agents; the usager picks another time. The cause stays
		// readable in the logs, not in the code (CodeOf returns the innermost one).
		return agenda.Rdv{}, m, agenda.Wrap(op, agenda.CodeKioskTimeGone, errors.New(err.Error()))
	}
	return agenda.Rdv{}, m, err
}

// Retry reports whether, after Book's refusal err, the kiosk offers the next free times: the
// time was taken meanwhile or is no longer offered.
func Retry(err error) bool {
	return agenda.KindOf(err) == agenda.Conflict || agenda.CodeOf(err) == agenda.CodeKioskTimeGone
}

// People reads the people of a kiosk booking, in order: the usager who books, with names and
// phone (required: it is the only way to reach them), then for an ANTS motif their relatives, one
// per further title, with names only (fields "people.i.lastName", "people.i.firstName"). Each
// person's pré-demande number is checked with the others' by booking.WithPeople. The refusal is
// an agenda.ValidationError: the form's own rules carry kiosk codes, the usager's
// (agenda.Usager.Validate) theirs.
func People(f Form, orgID string, ants bool) ([]booking.Person, error) {
	var fe agenda.ValidationError
	add := func(field string, code agenda.Code) { fe = append(fe, agenda.FieldError{Field: field, Code: code}) }
	u := agenda.Usager{OrganisationID: orgID, FirstName: strings.TrimSpace(f.FirstName), LastName: strings.TrimSpace(f.LastName)}
	if strings.TrimSpace(f.Phone) == "" {
		add("phone", agenda.CodeKioskPhoneNeeded)
	} else if p, err := agenda.NormalizePhone(f.Phone, "FR"); err != nil {
		add("phone", agenda.CodeKioskPhoneBad)
	} else {
		u.Phone, u.NotifySMS = p, true
	}
	// checked adds the usager's own rules on the fields the form has not refused already.
	checked := func(u agenda.Usager, prefix string) {
		var v agenda.ValidationError
		if errors.As(u.Validate(), &v) {
			for _, e := range v {
				e.Field = prefix + e.Field
				if !slices.ContainsFunc(fe, func(o agenda.FieldError) bool { return o.Field == e.Field }) {
					fe = append(fe, e)
				}
			}
		}
	}
	checked(u, "")
	people := []booking.Person{{New: &u}}
	if ants {
		for i, n := range f.Relatives {
			r := agenda.Usager{OrganisationID: orgID, FirstName: strings.TrimSpace(n.FirstName), LastName: strings.TrimSpace(n.LastName)}
			checked(r, "people."+strconv.Itoa(i+1)+".")
			people = append(people, booking.Person{New: &r})
		}
		for i := range people {
			if i < len(f.PreDemandes) {
				people[i].PreDemande = f.PreDemandes[i]
			}
		}
	}
	if len(fe) > 0 {
		return people, fe
	}
	return people, nil
}

// Arrival is a recorded check-in: the RDV (its participants marked arrived, in one transaction)
// and what the greeting needs. The kiosk's screen faces the lobby: it greets by initials only.
type Arrival struct {
	Rdv      agenda.Rdv
	Initials string // « H. L. »; "" when the usager has no names
}

// CheckIn checks in from what the scanner typed (the QR code's token) or from the 8-character
// code printed under it. Only today's RDV (in loc) of the organisation is checked in: all its
// active participants at once (store.MarkArrived). The refusals, nothing changed:
// kiosk_unknown_code (not recognised, another organisation's), kiosk_code_expired (the token's
// day is past), kiosk_rdv_cancelled, kiosk_other_day (param "start": the RDV's, RFC 3339). Short
// codes are looked up among today's RDVs only.
func (d *Desk) CheckIn(ctx context.Context, org agenda.Organisation, loc *time.Location, code string) (Arrival, error) {
	const op = "kiosk.CheckIn"
	wait, err := d.DB.AttemptWait(ctx, store.AttemptKiosk, kioskKey, CheckInRule)
	if err != nil {
		return Arrival{}, err
	}
	if wait > 0 {
		return Arrival{}, agenda.Fail(op, agenda.CodeKioskTooManyCodes, "seconds", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	}
	a, err := d.checkIn(ctx, org, loc, code)
	if c := agenda.CodeOf(err); c == agenda.CodeKioskUnknownCode || c == agenda.CodeKioskCodeExpired {
		if rerr := d.DB.RecordFailure(ctx, store.AttemptKiosk, kioskKey); rerr != nil {
			return Arrival{}, rerr
		}
	}
	return a, err
}

// CheckInRule is the kiosk's limit on codes not recognised (issue 10, #12): after 10 within a
// minute, every kiosk of the data file waits a minute (doubled at each further one, at most 5
// minutes) before reading a code again, so that the 8-character codes of the day cannot be tried
// one after the other. The count is in the data file: restarting the kiosk does not lift it.
var CheckInRule = store.AttemptRule{Max: 10, Window: time.Minute, Base: time.Minute, Cap: 5 * time.Minute}

// kioskKey counts the refusals of every kiosk together: a kiosk cannot tell who stands in front of
// it, and an office's kiosks share one file.
const kioskKey = "*"

// checkIn is CheckIn without the limit.
func (d *Desk) checkIn(ctx context.Context, org agenda.Organisation, loc *time.Location, code string) (Arrival, error) {
	const op = "kiosk.CheckIn"
	// The organisation's keys and the installation's secret (ADR 0012): a convocation of the
	// central's pages, of another office of the organisation or of this one before its first sync.
	keys, err := checkin.LoadKeys(ctx, d.DB)
	if err != nil {
		return Arrival{}, err
	}
	now := d.Clock.Now()
	today := agenda.DateOf(now.In(loc))
	typed := strings.Join(strings.Fields(code), "")
	unknown := agenda.Fail(op, agenda.CodeKioskUnknownCode)
	var rdv agenda.Rdv
	if utf8.RuneCountInString(typed) == checkin.TokenChars {
		claims, err := checkin.VerifyAny(typed, keys.All(), now)
		if errors.Is(err, checkin.ErrExpired) {
			return Arrival{}, agenda.Fail(op, agenda.CodeKioskCodeExpired)
		}
		if err != nil {
			return Arrival{}, unknown
		}
		if rdv, err = d.DB.GetRdv(ctx, claims.RdvID); err != nil {
			if agenda.KindOf(err) != agenda.NotFound {
				return Arrival{}, err
			}
			return Arrival{}, unknown
		}
	} else {
		if rdv, err = d.todayByShortCode(ctx, org, loc, keys.All(), typed, today); err != nil {
			return Arrival{}, err
		}
		if rdv.ID == "" {
			return Arrival{}, unknown
		}
	}
	switch {
	case rdv.OrganisationID != org.ID:
		return Arrival{}, unknown
	case rdv.Status.Cancelled():
		return Arrival{}, agenda.Fail(op, agenda.CodeKioskCancelled)
	case agenda.DateOf(rdv.StartsAt.In(loc)) != today:
		return Arrival{}, agenda.Fail(op, agenda.CodeKioskOtherDay, "start", rdv.StartsAt.Format(time.RFC3339))
	}
	i := slices.IndexFunc(rdv.Participations, func(p agenda.Participation) bool { return !p.Status.Cancelled() })
	if i < 0 {
		return Arrival{}, agenda.Fail(op, agenda.CodeKioskCancelled)
	}
	first := rdv.Participations[i].UsagerID
	if rdv, err = d.DB.MarkArrived(ctx, rdv.ID, nil, time.Time{}); err != nil {
		return Arrival{}, err
	}
	u, err := d.DB.GetUsager(ctx, first)
	if err != nil {
		return Arrival{}, err
	}
	return Arrival{Rdv: rdv, Initials: strings.TrimSpace(initial(u.FirstName) + " " + initial(u.LastName))}, nil
}

// todayByShortCode finds today's RDV with this short code; a zero RDV when none has it. A
// cancelled RDV is found too (checkin.MatchShortCode skips them), so that its holder hears it was
// cancelled rather than that the code is wrong.
func (d *Desk) todayByShortCode(ctx context.Context, org agenda.Organisation, loc *time.Location, keys [][]byte, typed string, today agenda.Date) (agenda.Rdv, error) {
	rdvs, err := d.DB.ListAgendaRdvs(ctx, org.ID, "", today.At(0, loc), today.AddDays(1).At(0, loc), true)
	if err != nil {
		return agenda.Rdv{}, err
	}
	// ListAgendaRdvs returns what overlaps the day: keep what starts on it.
	rdvs = slices.DeleteFunc(rdvs, func(r agenda.Rdv) bool { return agenda.DateOf(r.StartsAt.In(loc)) != today })
	rdv, err := checkin.MatchShortCodeAny(keys, typed, rdvs)
	if err == nil {
		return rdv, nil
	}
	if !errors.Is(err, checkin.ErrNoMatch) {
		return agenda.Rdv{}, nil // malformed, or ambiguous: not recognised
	}
	code, _ := checkin.NormalizeShortCode(typed)
	for _, r := range rdvs {
		for _, key := range keys {
			if r.Status.Cancelled() && checkin.ShortCode(key, r.ID) == code {
				return r, nil
			}
		}
	}
	return agenda.Rdv{}, nil
}

// initial is « H. » for « Hélène », « É. » for « Élodie ».
func initial(name string) string {
	for _, r := range strings.TrimSpace(name) {
		return string(unicode.ToUpper(r)) + "."
	}
	return ""
}
