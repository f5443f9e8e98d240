package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"log"
	"strconv"
	"strings"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/kiosk"
	"rdvguichet/backend/messages"
)

// KioskService is the lobby kiosk's door: all an anonymous usager may see or do there, and
// nothing else. It has no session, and holds only the office core and the kiosk's use cases
// (backend/kiosk): no other service is reachable from it. It shows the motifs open to the kiosk
// and their free slots, books one for a new usager, and checks an usager in from their
// convocation. It never returns a list of names, another person's RDV, nor agent data: the
// check-in greets by initials, and the only RDV it describes is the one whose code the usager
// holds. Its texts come from the catalogue (locales/*/kiosk.json).
type KioskService struct {
	*office
	desk *kiosk.Desk
	// ready logs « UI_READY » for the first home screen, as the agent window's Ready does (the
	// smoke test of the real binary waits for it).
	ready sync.Once
}

// KioskDays is how far ahead the kiosk offers days (SCENARIOS.md: the next 3 weeks).
const KioskDays = kiosk.Days

// KioskHome is the home screen and the first booking step.
type KioskHome struct {
	Organisation string       `json:"organisation"`
	AccentColor  string       `json:"accentColor"`
	Logo         string       `json:"logo"` // data:image/png;base64,…; "" without a logo
	Motifs       []KioskMotif `json:"motifs"`
}

// KioskMotif is a motif tile: its name and one plain line.
type KioskMotif struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Line string `json:"line"` // « Faire ou renouveler votre carte d'identité »
	Ants bool   `json:"ants"` // ask for the number of people (titles) and their pré-demande numbers
	// Category and DurationMin let the kiosk write the plain line and pick the pictogram in the
	// usager's language: the ANTS category (CNI, PASSPORT, CNI-PASSPORT; "" for none), the length.
	Category    agenda.AntsCategory `json:"category"`
	DurationMin int                 `json:"durationMin"`
}

// KioskDay is a day with free slots.
type KioskDay struct {
	Date  string `json:"date"`  // YYYY-MM-DD
	Label string `json:"label"` // « jeudi 12 mars »
	Today bool   `json:"today"`
}

// KioskTime is a free start; Label is the time (« 10 h 00 ») in Times, the date and time
// (« jeudi 12 mars à 10 h 00 ») among a conflict's alternatives.
type KioskTime struct {
	Start  string `json:"start"` // RFC 3339
	LieuID string `json:"lieuId"`
	Label  string `json:"label"`
	Place  string `json:"place"` // the lieu's name
}

// KioskBookRequest is the booking the usager confirms.
type KioskBookRequest struct {
	MotifID   string `json:"motifId"`
	Start     string `json:"start"`  // RFC 3339, one of Times
	LieuID    string `json:"lieuId"` // the lieu of that time
	Documents int    `json:"documents"`
	LastName  string `json:"lastName"`
	FirstName string `json:"firstName"`
	Phone     string `json:"phone"`
	// Relatives are the second person on of an ANTS booking (one per further title): new usagers,
	// relatives of the first.
	Relatives   []KioskName `json:"relatives"`
	PreDemandes []string    `json:"preDemandes"` // ANTS: one per person, the first's first
	Lang        string      `json:"lang"`        // the kiosk's language: the ticket's line about the pièces
}

// KioskName is a person's names as typed at the kiosk.
type KioskName struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// KioskBookResult is the answer to a booking: the ticket's summary, or the refusal as data
// (Conflict with the next free times, or the fields to correct).
type KioskBookResult struct {
	Ticket       *KioskTicket        `json:"ticket"`
	Conflict     bool                `json:"conflict"`
	Message      string              `json:"message"`
	Alternatives []KioskTime         `json:"alternatives"`
	Errors       []agenda.FieldError `json:"errors"`
	Code         agenda.Code         `json:"code"` // the refusal's code: the kiosk writes it in its language
}

// KioskTicket is what the confirmation screen shows: everything the ticket prints.
type KioskTicket struct {
	Motif     string   `json:"motif"`
	When      string   `json:"when"`  // « jeudi 12 mars à 10 h 00 »
	Start     string   `json:"start"` // RFC 3339 in the office's zone: When in another language
	Place     string   `json:"place"` // « Mairie, 1 place de la Mairie, 45130 Saint-Aubin-sur-Loire »
	Pieces    []string `json:"pieces"`
	ShortCode string   `json:"shortCode"` // « K7PQ 3XMA »
	Printed   bool     `json:"printed"`
	// PrintMessage says what came out of the printer, or that nothing did and what to do.
	PrintMessage string `json:"printMessage"`
	PrintCode    string `json:"printCode"` // PrintMessage's catalogue entry
}

// KioskCheckIn is the answer to a check-in: a sentence for the usager.
type KioskCheckIn struct {
	Arrived bool   `json:"arrived"` // the arrival is recorded: the agent sees it
	Message string `json:"message"`
	// Code and Params let the kiosk write Message in its language: kiosk_welcome (initials, time,
	// where; time is RFC 3339) or a refusal's code (kiosk_other_day: start).
	Code   agenda.Code       `json:"code"`
	Params map[string]string `json:"params"`
}

// anyone is the kiosk's door: no session, the core's context, the door's error.
func anyone[T any](k *KioskService, work func(ctx context.Context) (T, error)) (T, error) {
	return call(k.office, nil, noSession, func(ctx context.Context, _ agenda.Agent) (T, error) { return work(ctx) })
}

// Home returns the home screen: the organisation, its look, and the motifs open to the kiosk.
func (k *KioskService) Home() (KioskHome, error) {
	k.health.windowUp()
	k.ready.Do(func() {
		if k.readyLog != nil {
			k.readyLog.Println("UI_READY borne")
		}
	})
	return anyone(k, func(ctx context.Context) (KioskHome, error) {
		org, _, err := k.org(ctx)
		if err != nil {
			return KioskHome{}, err
		}
		out := KioskHome{Organisation: org.Name, AccentColor: org.AccentColor, Motifs: []KioskMotif{}}
		if len(org.LogoPNG) > 0 {
			out.Logo = "data:image/png;base64," + base64.StdEncoding.EncodeToString(org.LogoPNG)
		}
		motifs, err := k.db.ListMotifs(ctx, org.ID, false)
		if err != nil {
			return KioskHome{}, err
		}
		for _, m := range motifs {
			if kiosk.Bookable(m) {
				out.Motifs = append(out.Motifs, KioskMotif{ID: m.ID, Name: m.Name, Line: motifLine(m), Ants: m.AntsCategory != agenda.AntsNone,
					Category: m.AntsCategory, DurationMin: m.DurationMin})
			}
		}
		return out, nil
	})
}

// motifLine is the tile's plain line. The motif has no description of its own: ANTS motifs say
// what the usager comes to do, the others how long it takes.
func motifLine(m agenda.Motif) string {
	switch m.AntsCategory {
	case agenda.AntsCNI:
		return "Faire ou renouveler une carte d’identité"
	case agenda.AntsPasseport:
		return "Faire ou renouveler un passeport"
	case agenda.AntsCNIPasseport:
		return "Faire ou renouveler les deux titres en même temps"
	}
	return "Rendez-vous d’environ " + durationWords(m.DurationMin)
}

// durationWords is « 30 minutes », « 1 heure », « 1 h 30 ».
func durationWords(min int) string {
	switch {
	case min < 60:
		return strconv.Itoa(min) + " minutes"
	case min == 60:
		return "1 heure"
	case min%60 == 0:
		return strconv.Itoa(min/60) + " heures"
	}
	return fmt.Sprintf("%d%sh%s%02d", min/60, fr.NNBSP, fr.NNBSP, min%60)
}

// dayLabel is « jeudi 12 mars », with the year only when it is not today's.
func dayLabel(d, today agenda.Date) string {
	s := fr.Day(d)
	if d.Year == today.Year {
		s = strings.TrimSuffix(s, " "+strconv.Itoa(d.Year))
	}
	return s
}

// Days returns the days of the next 3 weeks (today included) with a free slot for the motif.
func (k *KioskService) Days(motifID string, documents int) ([]KioskDay, error) {
	return anyone(k, func(ctx context.Context) ([]KioskDay, error) {
		m, documents, err := k.desk.Motif(ctx, motifID, documents)
		if err != nil {
			return nil, err
		}
		_, loc, err := k.org(ctx)
		if err != nil {
			return nil, err
		}
		today := agenda.DateOf(k.clock.Now().In(loc))
		slots, err := k.desk.Slots(ctx, m, documents, today.At(0, loc), today.AddDays(kiosk.Days).At(0, loc))
		if err != nil {
			return nil, err
		}
		out := []KioskDay{}
		for _, s := range slots {
			d := agenda.DateOf(s.Start.In(loc))
			if len(out) == 0 || out[len(out)-1].Date != d.String() {
				out = append(out, KioskDay{Date: d.String(), Label: dayLabel(d, today), Today: d == today})
			}
		}
		return out, nil
	})
}

// Times returns the free starts of the motif on day (YYYY-MM-DD).
func (k *KioskService) Times(motifID, day string, documents int) ([]KioskTime, error) {
	return anyone(k, func(ctx context.Context) ([]KioskTime, error) {
		m, documents, err := k.desk.Motif(ctx, motifID, documents)
		if err != nil {
			return nil, err
		}
		c, err := k.catalogue(ctx)
		if err != nil {
			return nil, err
		}
		d, err := agenda.ParseDate(day)
		if err != nil {
			return nil, agenda.Fail("app.Times", agenda.CodeChooseDay)
		}
		slots, err := k.desk.Slots(ctx, m, documents, d.At(0, c.loc), d.AddDays(1).At(0, c.loc))
		if err != nil {
			return nil, err
		}
		out := []KioskTime{}
		for _, s := range slots {
			out = append(out, KioskTime{Start: c.rfc(s.Start), LieuID: s.LieuID, Label: fr.Time(s.Start.In(c.loc)), Place: c.lieux[s.LieuID].Name})
		}
		return out, nil
	})
}

// when is « jeudi 12 mars à 10 h 00 » for an instant.
func (c *catalogue) when(t time.Time, today agenda.Date) string {
	t = t.In(c.loc)
	return dayLabel(agenda.DateOf(t), today) + " à " + fr.Time(t)
}

// Book books the chosen time for a new usager (origine kiosk, backend/kiosk's rules), then prints
// the ticket: on the ticket printer, or as an A4 convocation when Paramètres › Impression names
// none. A printer that fails does not undo the booking: the confirmation says to ask at the
// reception. Refusals come back as data: the fields to correct, or the next free times.
func (k *KioskService) Book(req KioskBookRequest) (KioskBookResult, error) {
	return anyone(k, func(ctx context.Context) (KioskBookResult, error) {
		c, err := k.catalogue(ctx)
		if err != nil {
			return KioskBookResult{}, err
		}
		rdv, m, err := k.desk.Book(ctx, c.org, kiosk.Request{MotifID: req.MotifID, LieuID: req.LieuID, Start: req.Start, Documents: req.Documents,
			Form: kiosk.Form{LastName: req.LastName, FirstName: req.FirstName, Phone: req.Phone, Relatives: kioskNames(req.Relatives), PreDemandes: req.PreDemandes}})
		today := agenda.DateOf(k.clock.Now().In(c.loc))
		switch {
		case err == nil:
			return KioskBookResult{Ticket: k.ticket(ctx, c, m, rdv, today, messages.Lang(req.Lang)), Alternatives: []KioskTime{}}, nil
		case kiosk.Retry(err):
			log.Printf("borne : réservation refusée : %v", err)
			start, _ := time.Parse(time.RFC3339, req.Start)
			documents := 1
			if m.AntsCategory != agenda.AntsNone {
				documents = req.Documents
			}
			out := k.alternatives(ctx, c, text(err), start, m.ID, documents, today)
			out.Code = agenda.CodeOf(err)
			return out, nil
		case agenda.KindOf(err) == agenda.Invalid:
			msg := messages.For(messages.French, err)
			return KioskBookResult{Errors: msg.Fields, Message: msg.Message, Code: msg.Code}, nil
		}
		return KioskBookResult{}, err
	})
}

func kioskNames(in []KioskName) []kiosk.Name {
	out := make([]kiosk.Name, len(in))
	for i, n := range in {
		out[i] = kiosk.Name{FirstName: n.FirstName, LastName: n.LastName}
	}
	return out
}

// alternatives is a refused booking with the next free times from start on.
func (k *KioskService) alternatives(ctx context.Context, c *catalogue, msg string, start time.Time, motifID string, documents int, today agenda.Date) KioskBookResult {
	out := KioskBookResult{Conflict: true, Message: msg, Alternatives: []KioskTime{}}
	next, err := k.desk.Next(ctx, motifID, start, documents)
	if err != nil {
		log.Printf("borne : prochains créneaux : %v", err)
	}
	for _, s := range next {
		out.Alternatives = append(out.Alternatives, KioskTime{Start: c.rfc(s.Start), LieuID: s.LieuID, Label: c.when(s.Start, today), Place: c.lieux[s.LieuID].Name})
	}
	if len(out.Alternatives) > 0 {
		out.Message += " " + say("kiosk_next_times")
	} else {
		out.Message += " " + say("kiosk_other_day_please")
	}
	return out
}

// ticket prints the booked RDV's ticket and returns what the confirmation screen shows.
// The ticket stays French, with one line about the pièces in lang.
func (k *KioskService) ticket(ctx context.Context, c *catalogue, m agenda.Motif, rdv agenda.Rdv, today agenda.Date, lang messages.Lang) *KioskTicket {
	l := c.lieux[rdv.LieuID]
	t := &KioskTicket{Motif: m.Name, When: c.when(rdv.StartsAt, today), Start: c.rfc(rdv.StartsAt),
		Place: strings.TrimSuffix(l.Name+", "+address(l), ", "), Pieces: m.Pieces, PrintMessage: say("kiosk_not_printed"), PrintCode: "kiosk_not_printed"}
	if t.Pieces == nil {
		t.Pieces = []string{}
	}
	conv, err := k.convocation(ctx, rdv.ID)
	if err != nil {
		log.Printf("borne : convocation du rendez-vous %s : %v", rdv.ID, err)
		return t
	}
	t.ShortCode = checkin.FormatShortCode(conv.ShortCode)
	if lang != messages.French && lang != "" && len(m.Pieces) > 0 {
		conv.Bring = messages.Text(lang, "kiosk_ticket_bring", nil)
	}
	format, printed := convocation.Ticket, "kiosk_ticket_printed"
	if set, err := k.printerSettings(ctx); err == nil && set.TicketKind == TicketNone {
		format, printed = convocation.A4, "kiosk_convocation_printed"
	}
	if _, err := k.printConvocation(ctx, conv, format); err != nil {
		log.Printf("borne : impression du rendez-vous %s : %v", rdv.ID, err)
		return t
	}
	t.Printed, t.PrintMessage, t.PrintCode = true, say(printed), printed
	return t
}

// CheckIn checks an usager in from what the scanner typed (the QR code's token) or from the
// 8-character code printed under it (backend/kiosk's rules: today's RDV only, the whole family at
// once). The answer is a sentence: the greeting by initials, or why nothing changed (another
// day's RDV, a cancelled one, a code not recognised).
func (k *KioskService) CheckIn(code string) (KioskCheckIn, error) {
	return anyone(k, func(ctx context.Context) (KioskCheckIn, error) {
		c, err := k.catalogue(ctx)
		if err != nil {
			return KioskCheckIn{}, err
		}
		a, err := k.desk.CheckIn(ctx, c.org, c.loc, code)
		switch {
		case err == nil:
			where := arrivalPlace(a, c)
			return KioskCheckIn{Arrived: true, Message: say("kiosk_welcome", "initials", a.Initials, "time", fr.Time(a.Rdv.StartsAt.In(c.loc)), "where", where),
				Code: "kiosk_welcome", Params: map[string]string{"initials": a.Initials, "time": c.rfc(a.Rdv.StartsAt), "where": where}}, nil
		case agenda.CodeOf(err) == agenda.CodeKioskOtherDay:
			start, _ := time.Parse(time.RFC3339, agenda.ParamsOf(err)["start"])
			today := agenda.DateOf(k.clock.Now().In(c.loc))
			return KioskCheckIn{Message: say(string(agenda.CodeKioskOtherDay), "when", c.when(start, today)),
				Code: agenda.CodeKioskOtherDay, Params: map[string]string{"start": c.rfc(start)}}, nil
		case agenda.KindOf(err) == agenda.Invalid || agenda.KindOf(err) == agenda.NotFound:
			return KioskCheckIn{Message: text(err), Code: agenda.CodeOf(err), Params: agenda.ParamsOf(err)}, nil
		}
		return KioskCheckIn{}, err
	})
}

// The greeting (kiosk_welcome) welcomes the usager by the initials of their first and last names
// only (« Bonjour H. L. »): the screen faces the lobby. We store no civility, so the sentence is
// one that needs none: « votre arrivée est enregistrée ».

// arrivalPlace is where the usager is received: the lieu and the guichet.
func arrivalPlace(a kiosk.Arrival, c *catalogue) string {
	where := c.lieux[a.Rdv.LieuID].Name
	for _, id := range a.Rdv.AgentIDs {
		if ag := c.agents[id]; ag.Kind == agenda.KindGuichet {
			where = strings.TrimPrefix(where+", "+ag.Name, ", ")
		}
	}
	return where
}
