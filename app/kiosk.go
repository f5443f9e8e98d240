package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/store"
)

// KioskService is the lobby kiosk's door: all an anonymous usager may see or do there, and
// nothing else. It has no session. It shows the motifs open to the kiosk and their free slots,
// books one for a new usager, and checks an usager in from their convocation. It never returns a
// list of names, another person's RDV, nor agent data: the check-in greets by initials, and the
// only RDV it describes is the one whose code the usager holds.
type KioskService struct {
	// agent lends its store, clock, printers and convocations; never its session, which a
	// kiosk window cannot open (AgentService is not bound there).
	agent *AgentService
	// ready logs « UI_READY » for the first home screen, as the agent window's Ready does (the
	// smoke test of the real binary waits for it).
	ready sync.Once
}

// KioskDays is how far ahead the kiosk offers days (SCENARIOS.md: the next 3 weeks).
const KioskDays = 21

// kioskMaxDocuments bounds the number of people (titles) of an ANTS booking at the kiosk.
const kioskMaxDocuments = 4

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
	MotifID     string   `json:"motifId"`
	Start       string   `json:"start"`  // RFC 3339, one of Times
	LieuID      string   `json:"lieuId"` // the lieu of that time
	Documents   int      `json:"documents"`
	LastName    string   `json:"lastName"`
	FirstName   string   `json:"firstName"`
	Phone       string   `json:"phone"`
	PreDemandes []string `json:"preDemandes"` // ANTS: one per person
}

// KioskBookResult is the answer to a booking: the ticket's summary, or the refusal as data
// (Conflict with the next free times, or the fields to correct).
type KioskBookResult struct {
	Ticket       *KioskTicket        `json:"ticket"`
	Conflict     bool                `json:"conflict"`
	Message      string              `json:"message"`
	Alternatives []KioskTime         `json:"alternatives"`
	Errors       []agenda.FieldError `json:"errors"`
}

// KioskTicket is what the confirmation screen shows: everything the ticket prints.
type KioskTicket struct {
	Motif     string   `json:"motif"`
	When      string   `json:"when"`  // « jeudi 12 mars à 10 h 00 »
	Place     string   `json:"place"` // « Mairie, 1 place de la Mairie, 45130 Saint-Aubin-sur-Loire »
	Pieces    []string `json:"pieces"`
	ShortCode string   `json:"shortCode"` // « K7PQ 3XMA »
	Printed   bool     `json:"printed"`
	// PrintMessage says what came out of the printer, or that nothing did and what to do.
	PrintMessage string `json:"printMessage"`
}

// KioskCheckIn is the answer to a check-in: a sentence for the usager.
type KioskCheckIn struct {
	Arrived bool   `json:"arrived"` // the arrival is recorded: the agent sees it
	Message string `json:"message"`
}

// Messages of the kiosk that do not come from the domain.
const (
	msgUnknownCode = "Code non reconnu. Vérifiez le code, ou adressez-vous à l'accueil."
	msgCancelled   = "Ce rendez-vous a été annulé. Adressez-vous à l'accueil."
	msgNotPrinted  = "Votre rendez-vous est enregistré, mais le ticket n'a pas pu être imprimé : adressez-vous à l'accueil."
)

// Home returns the home screen: the organisation, its look, and the motifs open to the kiosk.
func (k *KioskService) Home() (KioskHome, error) {
	ctx := k.agent.context()
	k.ready.Do(func() {
		if k.agent.readyLog != nil {
			k.agent.readyLog.Println("UI_READY borne")
		}
	})
	org, _, err := k.agent.org(ctx)
	if err != nil {
		return KioskHome{}, userError(err)
	}
	out := KioskHome{Organisation: org.Name, AccentColor: org.AccentColor, Motifs: []KioskMotif{}}
	if len(org.LogoPNG) > 0 {
		out.Logo = "data:image/png;base64," + base64.StdEncoding.EncodeToString(org.LogoPNG)
	}
	motifs, err := k.agent.db.ListMotifs(ctx, org.ID, false)
	if err != nil {
		return KioskHome{}, userError(err)
	}
	for _, m := range motifs {
		if kioskBookable(m) {
			out.Motifs = append(out.Motifs, KioskMotif{ID: m.ID, Name: m.Name, Line: motifLine(m), Ants: m.AntsCategory != agenda.AntsNone})
		}
	}
	return out, nil
}

// kioskBookable: open to the kiosk, not archived, individual (a collective session is opened by
// an agent, and its seats are sold at the counter).
func kioskBookable(m agenda.Motif) bool { return m.BookableKiosk && !m.Archived && !m.Collectif }

// motifLine is the tile's plain line. The motif has no description of its own: ANTS motifs say
// what the usager comes to do, the others how long it takes.
func motifLine(m agenda.Motif) string {
	switch m.AntsCategory {
	case agenda.AntsCNI:
		return "Faire ou renouveler une carte d'identité"
	case agenda.AntsPasseport:
		return "Faire ou renouveler un passeport"
	case agenda.AntsCNIPasseport:
		return "Faire ou renouveler les deux titres en même temps"
	}
	return "Rendez-vous d'environ " + durationWords(m.DurationMin)
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

// kioskMotif returns a motif the kiosk may book, and the number of documents to book (1 for a
// motif without ANTS category).
func (k *KioskService) kioskMotif(ctx context.Context, motifID string, documents int) (agenda.Motif, int, error) {
	m, err := k.agent.db.GetMotif(ctx, motifID)
	if err != nil || !kioskBookable(m) {
		return agenda.Motif{}, 0, agenda.Fail("kiosk.motif", agenda.CodeKioskNotBookable)
	}
	if m.AntsCategory == agenda.AntsNone {
		return m, 1, nil
	}
	if documents < 1 || documents > kioskMaxDocuments {
		return agenda.Motif{}, 0, agenda.Fail("kiosk.motif", agenda.CodeKioskPersons, "max", strconv.Itoa(kioskMaxDocuments))
	}
	return m, documents, nil
}

// kioskSlots returns the free starts of the motif in [from, to) as the kiosk sees them: the
// public view (one slot per start and lieu), within the motif's public booking window.
func (k *KioskService) kioskSlots(ctx context.Context, m agenda.Motif, documents int, from, to time.Time) ([]creneaux.Creneau, error) {
	d, err := k.agent.db.LoadCreneauxData(ctx, m.ID, "", from, to)
	if err != nil {
		return nil, err
	}
	return creneaux.Search(d, creneaux.Request{Motif: m, From: from, To: to, Now: k.agent.clock.Now(), Origine: agenda.OrigineKiosk, Documents: documents})
}

// Days returns the days of the next 3 weeks (today included) with a free slot for the motif.
func (k *KioskService) Days(motifID string, documents int) ([]KioskDay, error) {
	ctx := k.agent.context()
	m, documents, err := k.kioskMotif(ctx, motifID, documents)
	if err != nil {
		return nil, err
	}
	_, loc, err := k.agent.org(ctx)
	if err != nil {
		return nil, userError(err)
	}
	today := agenda.DateOf(k.agent.clock.Now().In(loc))
	slots, err := k.kioskSlots(ctx, m, documents, today.At(0, loc), today.AddDays(KioskDays).At(0, loc))
	if err != nil {
		return nil, userError(err)
	}
	out := []KioskDay{}
	for _, s := range slots {
		d := agenda.DateOf(s.Start.In(loc))
		if len(out) == 0 || out[len(out)-1].Date != d.String() {
			out = append(out, KioskDay{Date: d.String(), Label: dayLabel(d, today), Today: d == today})
		}
	}
	return out, nil
}

// Times returns the free starts of the motif on day (YYYY-MM-DD).
func (k *KioskService) Times(motifID, day string, documents int) ([]KioskTime, error) {
	ctx := k.agent.context()
	m, documents, err := k.kioskMotif(ctx, motifID, documents)
	if err != nil {
		return nil, err
	}
	c, err := k.agent.catalogue(ctx)
	if err != nil {
		return nil, userError(err)
	}
	d, err := agenda.ParseDate(day)
	if err != nil {
		return nil, agenda.Fail("kiosk.Times", agenda.CodeChooseDay)
	}
	slots, err := k.kioskSlots(ctx, m, documents, d.At(0, c.loc), d.AddDays(1).At(0, c.loc))
	if err != nil {
		return nil, userError(err)
	}
	out := []KioskTime{}
	for _, s := range slots {
		out = append(out, KioskTime{Start: c.rfc(s.Start), LieuID: s.LieuID, Label: fr.Time(s.Start.In(c.loc)), Place: c.lieux[s.LieuID].Name})
	}
	return out, nil
}

// dayLabel is « jeudi 12 mars », with the year only when it is not today's.
func dayLabel(d, today agenda.Date) string {
	s := fr.Day(d)
	if d.Year == today.Year {
		s = strings.TrimSuffix(s, " "+strconv.Itoa(d.Year))
	}
	return s
}

// when is « jeudi 12 mars à 10 h 00 » for an instant.
func (c *catalogue) when(t time.Time, today agenda.Date) string {
	t = t.In(c.loc)
	return dayLabel(agenda.DateOf(t), today) + " à " + fr.Time(t)
}

// Book books the chosen time for a new usager (origine kiosk), then prints the ticket: on the
// ticket printer, or as an A4 convocation when Paramètres › Impression names none. A printer that
// fails does not undo the booking: the confirmation says to ask at the reception.
func (k *KioskService) Book(req KioskBookRequest) (KioskBookResult, error) {
	ctx := k.agent.context()
	m, documents, err := k.kioskMotif(ctx, req.MotifID, req.Documents)
	if err != nil {
		return KioskBookResult{Message: userError(err).Error()}, nil
	}
	c, err := k.agent.catalogue(ctx)
	if err != nil {
		return KioskBookResult{}, userError(err)
	}
	start, err := time.Parse(time.RFC3339, req.Start)
	if err != nil {
		return KioskBookResult{Message: "Choisissez un horaire."}, nil
	}
	u, note, fe := kioskUsager(req, c.org.ID, m.AntsCategory != agenda.AntsNone, documents)
	if fe.any(u.Validate()) {
		return KioskBookResult{Errors: fe.list, Message: "Vérifiez les informations saisies."}, nil
	}
	rdv, err := k.agent.db.Book(ctx, store.BookRequest{MotifID: m.ID, LieuID: req.LieuID, Start: start, Documents: documents,
		NewUsager: &u, Context: note, Origine: agenda.OrigineKiosk, By: agenda.Kiosk})
	today := agenda.DateOf(k.agent.clock.Now().In(c.loc))
	var v agenda.ValidationError
	switch {
	case errors.As(err, &v):
		return KioskBookResult{Errors: v, Message: "Vérifiez les informations saisies."}, nil
	case agenda.KindOf(err) == agenda.Conflict:
		return k.alternatives(ctx, c, userError(err).Error(), start, m.ID, documents, today), nil
	case agenda.KindOf(err) == agenda.Invalid:
		// Outside the public window (the clock moved since the times were listed), off the grid:
		// the engine's reasons are for agents; the usager picks another time.
		log.Printf("borne : réservation refusée : %v", err)
		return k.alternatives(ctx, c, "Cet horaire n'est plus proposé.", start, m.ID, documents, today), nil
	case err != nil:
		return KioskBookResult{}, userError(err)
	}
	return KioskBookResult{Ticket: k.ticket(ctx, c, m, rdv, today), Alternatives: []KioskTime{}}, nil
}

// alternatives is a refused booking with the next free times from start on.
func (k *KioskService) alternatives(ctx context.Context, c *catalogue, msg string, start time.Time, motifID string, documents int, today agenda.Date) KioskBookResult {
	out := KioskBookResult{Conflict: true, Message: msg, Alternatives: []KioskTime{}}
	next, err := k.agent.db.FindFree(ctx, store.SlotQuery{MotifID: motifID, From: start, Documents: documents, N: 5, Origine: agenda.OrigineKiosk})
	if err != nil {
		log.Printf("borne : prochains créneaux : %v", err)
	}
	for _, s := range next {
		out.Alternatives = append(out.Alternatives, KioskTime{Start: c.rfc(s.Start), LieuID: s.LieuID, Label: c.when(s.Start, today), Place: c.lieux[s.LieuID].Name})
	}
	if len(out.Alternatives) > 0 {
		out.Message += " Voici les prochains créneaux libres :"
	} else {
		out.Message += " Choisissez un autre jour."
	}
	return out
}

// kioskUsager reads the usager of a kiosk booking: names, phone (required: it is the only way to
// reach them), and for an ANTS motif one pré-demande number per person. The first number goes on
// the usager; all are listed in the RDV's note, which the agent reads.
func kioskUsager(req KioskBookRequest, orgID string, ants bool, documents int) (agenda.Usager, string, formErrors) {
	var fe formErrors
	u := agenda.Usager{OrganisationID: orgID, FirstName: strings.TrimSpace(req.FirstName), LastName: strings.TrimSpace(req.LastName)}
	if strings.TrimSpace(req.Phone) == "" {
		fe.add("phone", "Indiquez votre numéro de téléphone : l'accueil vous appelle en cas d'imprévu.")
	} else if p, err := agenda.NormalizePhone(req.Phone, "FR"); err != nil {
		fe.add("phone", "Ce numéro de téléphone n'est pas valide : 10 chiffres, par exemple 06 12 34 56 78.")
	} else {
		u.Phone, u.NotifySMS = p, true
	}
	if !ants {
		return u, "", fe
	}
	var numbers []string
	for i := range documents {
		var n string
		if i < len(req.PreDemandes) {
			n = agenda.NormalizePreDemande(req.PreDemandes[i])
		}
		field := "preDemandes." + strconv.Itoa(i)
		switch {
		case n == "":
			fe.add(field, "Indiquez le numéro de pré-demande de cette personne.")
		case !validPreDemande(n):
			fe.add(field, "Un numéro de pré-demande compte 10 lettres ou chiffres, par exemple AB12CD34EF.")
		case slices.Contains(numbers, n):
			fe.add(field, "Ce numéro est déjà indiqué pour une autre personne : chaque personne a le sien.")
		}
		numbers = append(numbers, n)
	}
	if len(fe.list) > 0 {
		return u, "", fe
	}
	u.AntsPreDemande = numbers[0]
	return u, "Pré-demandes ANTS : " + strings.Join(numbers, ", "), fe
}

// validPreDemande: 10 characters A–Z, 0–9 (domain.md 6.2; agenda.Usager.Validate checks the same).
func validPreDemande(n string) bool {
	return len(n) == 10 && !strings.ContainsFunc(n, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') })
}

// ticket prints the booked RDV's ticket and returns what the confirmation screen shows.
func (k *KioskService) ticket(ctx context.Context, c *catalogue, m agenda.Motif, rdv agenda.Rdv, today agenda.Date) *KioskTicket {
	l := c.lieux[rdv.LieuID]
	t := &KioskTicket{Motif: m.Name, When: c.when(rdv.StartsAt, today), Place: strings.TrimSuffix(l.Name+", "+address(l), ", "),
		Pieces: m.Pieces, PrintMessage: msgNotPrinted}
	if t.Pieces == nil {
		t.Pieces = []string{}
	}
	conv, err := k.agent.convocation(ctx, rdv.ID)
	if err != nil {
		log.Printf("borne : convocation du rendez-vous %s : %v", rdv.ID, err)
		return t
	}
	t.ShortCode = checkin.FormatShortCode(conv.ShortCode)
	format, printed := convocation.Ticket, "Votre ticket est imprimé."
	if set, err := k.agent.printerSettings(ctx); err == nil && set.TicketKind == TicketNone {
		format, printed = convocation.A4, "Votre convocation est imprimée."
	}
	if _, err := k.agent.printConvocation(ctx, conv, format); err != nil {
		log.Printf("borne : impression du rendez-vous %s : %v", rdv.ID, err)
		return t
	}
	t.Printed, t.PrintMessage = true, printed
	return t
}

// CheckIn checks an usager in from what the scanner typed (the QR code's token) or from the
// 8-character code printed under it. Today's RDV: its participants are marked arrived and the
// usager is greeted by initials. Another day's RDV, a cancelled one, or a code that is not
// recognised: a sentence says so and nothing changes. Short codes are looked up among today's
// RDVs only.
func (k *KioskService) CheckIn(code string) (KioskCheckIn, error) {
	ctx := k.agent.context()
	c, err := k.agent.catalogue(ctx)
	if err != nil {
		return KioskCheckIn{}, userError(err)
	}
	secret, err := checkin.LoadSecret(ctx, k.agent.db, nil)
	if err != nil {
		return KioskCheckIn{}, userError(err)
	}
	now := k.agent.clock.Now()
	today := agenda.DateOf(now.In(c.loc))
	typed := strings.Join(strings.Fields(code), "")
	var rdv agenda.Rdv
	if utf8.RuneCountInString(typed) == checkin.TokenChars {
		claims, err := checkin.Verify(typed, secret, now)
		if errors.Is(err, checkin.ErrExpired) {
			return KioskCheckIn{Message: "Code non reconnu : la date de ce rendez-vous est passée. Adressez-vous à l'accueil."}, nil
		}
		if err != nil {
			return KioskCheckIn{Message: msgUnknownCode}, nil
		}
		if rdv, err = k.agent.db.GetRdv(ctx, claims.RdvID); err != nil {
			if agenda.KindOf(err) != agenda.NotFound {
				return KioskCheckIn{}, userError(err)
			}
			return KioskCheckIn{Message: msgUnknownCode}, nil
		}
	} else {
		if rdv, err = k.todayByShortCode(ctx, c, secret, typed, today); err != nil {
			return KioskCheckIn{}, userError(err)
		}
		if rdv.ID == "" {
			return KioskCheckIn{Message: msgUnknownCode}, nil
		}
	}
	switch {
	case rdv.OrganisationID != c.org.ID:
		return KioskCheckIn{Message: msgUnknownCode}, nil
	case rdv.Status.Cancelled():
		return KioskCheckIn{Message: msgCancelled}, nil
	case agenda.DateOf(rdv.StartsAt.In(c.loc)) != today:
		return KioskCheckIn{Message: "Votre rendez-vous est le " + c.when(rdv.StartsAt, today) + "."}, nil
	}
	var first agenda.Participation
	for _, p := range rdv.Participations {
		if p.Status.Cancelled() {
			continue
		}
		if first.UsagerID == "" {
			first = p
		}
	}
	if first.UsagerID == "" {
		return KioskCheckIn{Message: msgCancelled}, nil
	}
	if _, err := k.agent.db.MarkArrived(ctx, rdv.ID, nil, time.Time{}); err != nil {
		return KioskCheckIn{}, userError(err)
	}
	u, err := k.agent.db.GetUsager(ctx, first.UsagerID)
	if err != nil {
		return KioskCheckIn{}, userError(err)
	}
	return KioskCheckIn{Arrived: true, Message: greeting(u, rdv, c)}, nil
}

// todayByShortCode finds today's RDV with this short code; a zero RDV when none has it. A
// cancelled RDV is found too (checkin.MatchShortCode skips them), so that its holder hears it was
// cancelled rather than that the code is wrong.
func (k *KioskService) todayByShortCode(ctx context.Context, c *catalogue, secret []byte, typed string, today agenda.Date) (agenda.Rdv, error) {
	rdvs, err := k.agent.db.ListAgendaRdvs(ctx, c.org.ID, "", today.At(0, c.loc), today.AddDays(1).At(0, c.loc), true)
	if err != nil {
		return agenda.Rdv{}, err
	}
	// ListAgendaRdvs returns what overlaps the day: keep what starts on it.
	rdvs = slices.DeleteFunc(rdvs, func(r agenda.Rdv) bool { return agenda.DateOf(r.StartsAt.In(c.loc)) != today })
	rdv, err := checkin.MatchShortCode(secret, typed, rdvs)
	if err == nil {
		return rdv, nil
	}
	if !errors.Is(err, checkin.ErrNoMatch) {
		return agenda.Rdv{}, nil // malformed, or ambiguous: not recognised
	}
	code, _ := checkin.NormalizeShortCode(typed)
	for _, r := range rdvs {
		if r.Status.Cancelled() && checkin.ShortCode(secret, r.ID) == code {
			return r, nil
		}
	}
	return agenda.Rdv{}, nil
}

// greeting welcomes the usager by the initials of their first and last names only (« Bonjour
// H. L. »): the screen faces the lobby. We store no civility, so the sentence is one that needs
// none: « votre arrivée est enregistrée ».
func greeting(u agenda.Usager, rdv agenda.Rdv, c *catalogue) string {
	hello := "Bonjour"
	if in := strings.TrimSpace(initial(u.FirstName) + " " + initial(u.LastName)); in != "" {
		hello += " " + in
	}
	where := c.lieux[rdv.LieuID].Name
	for _, a := range rdv.AgentIDs {
		if ag := c.agents[a]; ag.Kind == agenda.KindGuichet {
			where = strings.TrimPrefix(where+", "+ag.Name, ", ")
		}
	}
	msg := hello + ", votre arrivée est enregistrée. Rendez-vous à " + fr.Time(rdv.StartsAt.In(c.loc))
	if where != "" {
		msg += " (" + where + ")"
	}
	return msg + ". Merci de patienter : on vient vous chercher."
}

// initial is « H. » for « Hélène », « É. » for « Élodie ».
func initial(name string) string {
	for _, r := range strings.TrimSpace(name) {
		return string(unicode.ToUpper(r)) + "."
	}
	return ""
}
