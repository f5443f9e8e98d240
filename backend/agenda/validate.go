package agenda

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Validation. Each Validate method checks one entity on its own (no database: uniqueness, existence of
// the referenced rows and rules needing the current time are the caller's) and returns nil or a
// ValidationError listing every broken rule at once. FieldError.Field is the JSON name of the field,
// with a path for nested values ("recurrence.interval", "exceptions[2].date",
// "participations[0].usagerId"); messages are French sentences for the form.
//
// Identifiers (ID) are not checked: the store assigns them. OrganisationID is required everywhere but on
// Organisation itself (it is the distribution key of every table).

// Limits used by the validation rules.
const (
	MinMotifDuration = 5   // minutes
	MaxMotifDuration = 480 // minutes (8 h)
	MaxNameLength    = 200 // characters, for names and titles
	MaxLogoBytes     = 1 << 20
	MaxRdvDuration   = 24 * time.Hour
	MaxPublicDelay   = 2 * 365 * 24 * time.Hour // RDVs are purged after 2 years
)

var (
	colorRe      = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	e164Re       = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	emailRe      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	preDemandeRe = regexp.MustCompile(`^[A-Z0-9]{10}$`)
	postalCodeRe = regexp.MustCompile(`^[0-9]{5}$`)
	loginRe      = regexp.MustCompile(`^[A-Za-z0-9._@-]{2,64}$`)
	// INSEE département codes: 01–19, 2A, 2B, 21–95, 971–976, and the overseas collectivities 975, 977,
	// 978, 984–988 (the holiday rules only know some of them).
	departementRe = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[AB1-9]|[3-8][0-9]|9[0-5]|97[1-8]|98[4-8])$`)
)

// Messages shared by several entities.
const (
	msgOrganisationRequired = "L'organisation est obligatoire."
	msgNameRequired         = "Le nom est obligatoire."
	msgTitleRequired        = "Le titre est obligatoire."
	msgColor                = "La couleur doit être au format #RRGGBB (par exemple #1D4ED8)."
	msgEmail                = "L'adresse e-mail n'est pas valide."
	msgPhone                = "Le numéro de téléphone n'est pas valide."
	msgAgentRequired        = "L'agent ou le guichet est obligatoire."
	msgFirstDayRequired     = "Le premier jour est obligatoire."
	msgDateInvalid          = "La date n'existe pas."
	msgClockRange           = "L'heure doit être comprise entre 00:00 et 24:00."
	msgEndAfterStart        = "L'heure de fin doit être après l'heure de début."
	msgDSTWindow            = "Les horaires entre 02:00 et 03:00 ne sont pas acceptés (changement d'heure)."
)

func nameTooLong() string {
	return fmt.Sprintf("Ce champ ne doit pas dépasser %d caractères.", MaxNameLength)
}

// checkName adds an error when the trimmed value is empty (with msgEmpty) or too long.
func (f *fieldErrors) checkName(field, value, msgEmpty string) {
	switch v := strings.TrimSpace(value); {
	case v == "":
		f.add(field, msgEmpty)
	case utf8.RuneCountInString(v) > MaxNameLength:
		f.add(field, nameTooLong())
	}
}

func (f *fieldErrors) checkOrganisation(id string) {
	if strings.TrimSpace(id) == "" {
		f.add("organisationId", msgOrganisationRequired)
	}
}

func (f *fieldErrors) checkEmail(field, v string) {
	if v != "" && (!emailRe.MatchString(v) || len(v) > 254) {
		f.add(field, msgEmail)
	}
}

// checkPhone accepts any number NormalizePhone understands (a display number for a lieu or a mairie).
func (f *fieldErrors) checkPhone(field, v string) {
	if v == "" {
		return
	}
	if _, err := NormalizePhone(v, "FR"); err != nil {
		f.add(field, msgPhone)
	}
}

// Valid reports whether d is a real calendar day (not 30 February), between years 1 and 9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// Valid reports whether c lies in 00:00..24:00.
func (c ClockTime) Valid() bool { return c >= 0 && c <= Clk(24, 0) }

// InDSTWindow reports whether c falls in [02:00, 03:00): the hour that does not exist on the last Sunday of
// March and exists twice on the last Sunday of October in Europe/Paris (domain.md 2.3). Plages may not
// start or end in it.
func (c ClockTime) InDSTWindow() bool { return c >= Clk(2, 0) && c < Clk(3, 0) }

// checkDay validates a required date.
func (f *fieldErrors) checkDay(field string, d Date, msgRequired string) bool {
	switch {
	case d.IsZero():
		f.add(field, msgRequired)
	case !d.Valid():
		f.add(field, msgDateInvalid)
	default:
		return true
	}
	return false
}

// checkClocks only checks that start and end lie in 00:00..24:00.
func (f *fieldErrors) checkClocks(start, end ClockTime) {
	if !start.Valid() {
		f.add("start", msgClockRange)
	}
	if !end.Valid() {
		f.add("end", msgClockRange)
	}
}

// checkTimes validates a start and an end time of the same day. dst rejects the 02:00–03:00 window.
func (f *fieldErrors) checkTimes(prefix string, start, end ClockTime, dst bool) {
	ok := true
	for _, c := range []struct {
		field string
		t     ClockTime
	}{{"start", start}, {"end", end}} {
		switch {
		case !c.t.Valid():
			f.add(prefix+c.field, msgClockRange)
			ok = false
		case dst && c.t.InDSTWindow():
			f.add(prefix+c.field, msgDSTWindow)
		}
	}
	if ok && end <= start {
		f.add(prefix+"end", msgEndAfterStart)
	}
}

// checkRecurrence validates r against the first day (which must be valid) and reports whether r is valid.
func (f *fieldErrors) checkRecurrence(r Recurrence, first Date) bool {
	const p = "recurrence."
	n := len(f.list)
	switch r.Every {
	case Once:
		if !r.Until.IsZero() {
			f.add(p+"until", "Une date de fin de répétition n'a de sens que si la plage se répète.")
		}
		return len(f.list) == n
	case Weekly:
		if r.Interval < 0 || r.Interval > 52 {
			f.add(p+"interval", "L'intervalle doit être compris entre 1 et 52 semaines.")
		}
		var seen [7]bool
		valid := true
		for _, w := range r.Weekdays {
			if w < time.Sunday || w > time.Saturday {
				f.add(p+"weekdays", "Jour de la semaine invalide (0 = dimanche … 6 = samedi).")
				valid = false
				break
			}
			if seen[w] {
				f.add(p+"weekdays", "Un jour de la semaine est répété.")
				valid = false
				break
			}
			seen[w] = true
		}
		if valid && len(r.Weekdays) > 0 && !seen[first.Weekday()] {
			f.add(p+"weekdays", fmt.Sprintf("Le premier jour (%s) doit être l'un des jours de répétition.", frenchWeekday(first.Weekday())))
		}
	case Monthly:
		if r.Interval < 0 || r.Interval > 12 {
			f.add(p+"interval", "L'intervalle doit être compris entre 1 et 12 mois.")
		}
		switch {
		case r.Nth < 0 || r.Nth > 5:
			f.add(p+"nth", "Le rang dans le mois doit être compris entre 1 et 5.")
		case r.Weekday < time.Sunday || r.Weekday > time.Saturday:
			f.add(p+"weekday", "Jour de la semaine invalide (0 = dimanche … 6 = samedi).")
		case r.Nth > 0 && (nthOfMonth(first) != r.Nth || first.Weekday() != r.Weekday):
			f.add(p+"nth", fmt.Sprintf("Le premier jour doit être le %s %s du mois.", frenchOrdinal(r.Nth), frenchWeekday(r.Weekday)))
		}
	default:
		f.add(p+"every", "La fréquence de répétition doit être hebdomadaire ou mensuelle.")
		return false
	}
	if !r.Until.IsZero() {
		switch {
		case !r.Until.Valid():
			f.add(p+"until", msgDateInvalid)
		case !r.Until.After(first):
			f.add(p+"until", "La date de fin de répétition doit être après le premier jour.")
		}
	}
	return len(f.list) == n
}

var frenchWeekdays = [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

func frenchWeekday(w time.Weekday) string {
	if w < time.Sunday || w > time.Saturday {
		return strconv.Itoa(int(w))
	}
	return frenchWeekdays[w]
}

func frenchOrdinal(n int) string {
	if n == 1 {
		return "1er"
	}
	return strconv.Itoa(n) + "e"
}

// Validate checks an organisation. AccentColor and Phone may be empty (neutral theme, no number);
// TimeZone is required and must be a zone the binary knows (time/tzdata is embedded); the département
// code, when set, must be an INSEE code (it selects local holidays; empty = metropolitan rules).
func (o Organisation) Validate() error {
	var f fieldErrors
	f.checkName("name", o.Name, msgNameRequired)
	if o.AccentColor != "" && !colorRe.MatchString(o.AccentColor) {
		f.add("accentColor", msgColor)
	}
	switch tz := strings.TrimSpace(o.TimeZone); {
	case tz == "":
		f.add("timeZone", "Le fuseau horaire est obligatoire (par exemple Europe/Paris).")
	case tz == "Local" || tz != o.TimeZone:
		f.add("timeZone", fmt.Sprintf("Le fuseau horaire « %s » est inconnu.", o.TimeZone))
	default:
		if _, err := time.LoadLocation(tz); err != nil {
			f.add("timeZone", fmt.Sprintf("Le fuseau horaire « %s » est inconnu.", o.TimeZone))
		}
	}
	f.checkEmail("email", o.Email)
	f.checkPhone("phone", o.Phone)
	if d := o.Holidays.Departement; d != "" && !departementRe.MatchString(d) {
		f.add("holidays.departement", "Le code du département n'est pas valide (par exemple 75, 2A, 974).")
	}
	if g := o.SlotGridMinutes; g < 0 || g > 240 || g%5 != 0 {
		f.add("slotGridMinutes", "La grille des créneaux doit être 0 (pas de grille) ou un multiple de 5 minutes jusqu'à 240.")
	}
	if b := o.BufferMinutes; b < 0 || b > 120 {
		f.add("bufferMinutes", "Le temps de battement doit être compris entre 0 et 120 minutes.")
	}
	if len(o.LogoPNG) > 0 {
		switch {
		case !bytes.HasPrefix(o.LogoPNG, []byte("\x89PNG\r\n\x1a\n")):
			f.add("logoPng", "Le logo doit être une image PNG.")
		case len(o.LogoPNG) > MaxLogoBytes:
			f.add("logoPng", "Le logo ne doit pas dépasser 1 Mo.")
		}
	}
	return f.err()
}

// Validate checks a lieu: name and a French postal address (street, 5-digit postal code, city) are
// required, since they are printed on the convocation.
func (l Lieu) Validate() error {
	var f fieldErrors
	f.checkOrganisation(l.OrganisationID)
	f.checkName("name", l.Name, msgNameRequired)
	f.checkName("street", l.Street, "L'adresse est obligatoire.")
	switch {
	case strings.TrimSpace(l.PostalCode) == "":
		f.add("postalCode", "Le code postal est obligatoire.")
	case !postalCodeRe.MatchString(l.PostalCode):
		f.add("postalCode", "Le code postal doit comporter 5 chiffres.")
	}
	f.checkName("city", l.City, "La commune est obligatoire.")
	f.checkPhone("phone", l.Phone)
	return f.err()
}

// Validate checks an agenda resource. An agent has a login and a role; a guichet (intervenant) has
// neither login nor e-mail and cannot be an administrator.
func (a Agent) Validate() error {
	var f fieldErrors
	f.checkOrganisation(a.OrganisationID)
	f.checkName("name", a.Name, msgNameRequired)
	f.checkEmail("email", a.Email)
	switch a.Kind {
	case KindAgent:
		switch {
		case a.Login == "":
			f.add("login", "L'identifiant de connexion est obligatoire pour un agent.")
		case !loginRe.MatchString(a.Login):
			f.add("login", "L'identifiant de connexion doit comporter de 2 à 64 caractères parmi lettres sans accent, chiffres, « . », « _ », « - » et « @ ».")
		}
		if a.Role != RoleAdmin && a.Role != RoleAgent {
			f.add("role", "Le rôle doit être « admin » ou « agent ».")
		}
	case KindGuichet:
		if a.Login != "" {
			f.add("login", "Un guichet n'a pas d'identifiant de connexion.")
		}
		if a.Email != "" {
			f.add("email", "Un guichet n'a pas d'adresse e-mail.")
		}
		if a.Role == RoleAdmin {
			f.add("role", "Un guichet ne peut pas être administrateur.")
		} else if a.Role != "" && a.Role != RoleAgent {
			f.add("role", "Le rôle doit être « admin » ou « agent ».")
		}
	default:
		f.add("kind", "Le type doit être « agent » ou « guichet ».")
	}
	return f.err()
}

// Validate checks a motif: name, colour, duration (5 to 480 minutes, multiple of 5), booking window,
// location type, ANTS category and the collective rules (capacity ≥ 2 and public office; capacity 0 when
// individual). An ANTS motif (CNI, passeport) is individual and at the public office (the DR is there).
func (m Motif) Validate() error {
	var f fieldErrors
	f.checkOrganisation(m.OrganisationID)
	f.checkName("name", m.Name, msgNameRequired)
	switch {
	case m.Color == "":
		f.add("color", "La couleur est obligatoire.")
	case !colorRe.MatchString(m.Color):
		f.add("color", msgColor)
	}
	switch {
	case m.DurationMin < MinMotifDuration || m.DurationMin > MaxMotifDuration:
		f.add("durationMin", "La durée doit être comprise entre 5 et 480 minutes.")
	case m.DurationMin%5 != 0:
		f.add("durationMin", "La durée doit être un multiple de 5 minutes.")
	}
	switch {
	case m.MinPublicDelay < 0:
		f.add("minPublicDelay", "Le délai minimum de réservation ne peut pas être négatif.")
	case m.MaxPublicDelay <= m.MinPublicDelay:
		f.add("maxPublicDelay", "Le délai maximum de réservation doit être supérieur au délai minimum.")
	case m.MaxPublicDelay > MaxPublicDelay:
		f.add("maxPublicDelay", "Le délai maximum de réservation ne peut pas dépasser 2 ans.")
	}
	validLocation := true
	switch m.LocationType {
	case PublicOffice, Phone, Home, Visio:
	default:
		validLocation = false
		f.add("locationType", "Le type de rendez-vous doit être « public_office », « phone », « home » ou « visio ».")
	}
	switch m.AntsCategory {
	case AntsNone:
	case AntsCNI, AntsPasseport, AntsCNIPasseport:
		if validLocation && m.LocationType != PublicOffice {
			f.add("antsCategory", "Un motif ANTS (carte d'identité, passeport) se déroule sur place.")
		}
		if m.Collectif {
			f.add("antsCategory", "Un motif ANTS (carte d'identité, passeport) ne peut pas être collectif.")
		}
	default:
		f.add("antsCategory", "La catégorie ANTS doit être vide, « CNI », « PASSPORT » ou « CNI-PASSPORT ».")
	}
	if m.Collectif {
		if m.Capacity < 2 {
			f.add("capacity", "Un motif collectif doit offrir au moins 2 places.")
		}
		if validLocation && m.LocationType != PublicOffice {
			f.add("locationType", "Un motif collectif se déroule sur place.")
		}
	} else if m.Capacity != 0 {
		f.add("capacity", "Seul un motif collectif a un nombre de places.")
	}
	for i, p := range m.Pieces {
		if strings.TrimSpace(p) == "" {
			f.add(fmt.Sprintf("pieces[%d]", i), "Une pièce à fournir ne peut pas être vide.")
		}
	}
	return f.err()
}

// Validate checks a plage d'ouverture: agent, lieu, title, at least one motif, first day, times (start
// before end, neither in 02:00–03:00), canal, recurrence (weekly: 1–52 weeks, weekdays 0–6 without
// repeats including the first day's; monthly: 1–12 months, nth 1–5 matching the first day; until after
// the first day) and exceptions (each on an occurrence day, at most one per day, replacement times valid).
// The lieu is required even for phone motifs: RDV Guichet plages are held at a counter.
func (p PlageOuverture) Validate() error {
	var f fieldErrors
	f.checkOrganisation(p.OrganisationID)
	if strings.TrimSpace(p.AgentID) == "" {
		f.add("agentId", msgAgentRequired)
	}
	if strings.TrimSpace(p.LieuID) == "" {
		f.add("lieuId", "Le lieu est obligatoire.")
	}
	f.checkName("title", p.Title, msgTitleRequired)
	if len(p.MotifIDs) == 0 {
		f.add("motifIds", "Choisissez au moins un motif.")
	} else {
		seen := make(map[string]bool, len(p.MotifIDs))
		for _, id := range p.MotifIDs {
			if strings.TrimSpace(id) == "" {
				f.add("motifIds", "Un motif est vide.")
				break
			}
			if seen[id] {
				f.add("motifIds", "Un motif est choisi deux fois.")
				break
			}
			seen[id] = true
		}
	}
	firstOK := f.checkDay("firstDay", p.FirstDay, msgFirstDayRequired)
	f.checkTimes("", p.Start, p.End, true)
	if p.Canal != CanalGuichet && p.Canal != CanalEnLigne {
		f.add("canal", "Le canal doit être « guichet » ou « en_ligne ».")
	}
	if !firstOK {
		return f.err()
	}
	recurrenceOK := f.checkRecurrence(p.Recurrence, p.FirstDay)
	seen := make(map[Date]bool, len(p.Exceptions))
	for i, e := range p.Exceptions {
		prefix := fmt.Sprintf("exceptions[%d].", i)
		switch {
		case !e.Date.Valid():
			f.add(prefix+"date", msgDateInvalid)
			continue
		case seen[e.Date]:
			f.add(prefix+"date", fmt.Sprintf("Le %s a déjà une exception.", e.Date.French()))
		case recurrenceOK && !p.Recurrence.Occurs(p.FirstDay, e.Date):
			f.add(prefix+"date", fmt.Sprintf("La plage n'a pas lieu le %s.", e.Date.French()))
		}
		seen[e.Date] = true
		if !e.Cancelled {
			f.checkTimes(prefix, e.Start, e.End, true)
		}
	}
	return f.err()
}

// French writes d as JJ/MM/AAAA.
func (d Date) French() string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// Validate checks an absence: agent, title, first day; end day (empty = first day) not before the first
// day; on a single day, end after start; a multi-day absence may end at any time on its last day but
// cannot recur. Times may fall in 02:00–03:00 (an absence only removes time, so the DST hour is harmless).
func (a Absence) Validate() error {
	var f fieldErrors
	f.checkOrganisation(a.OrganisationID)
	if strings.TrimSpace(a.AgentID) == "" {
		f.add("agentId", msgAgentRequired)
	}
	f.checkName("title", a.Title, msgTitleRequired)
	firstOK := f.checkDay("firstDay", a.FirstDay, msgFirstDayRequired)
	endOK := a.EndDay.IsZero() || a.EndDay.Valid()
	if !endOK {
		f.add("endDay", msgDateInvalid)
	}
	if !firstOK || !endOK {
		f.checkClocks(a.Start, a.End)
		return f.err()
	}
	switch {
	case a.lastDay().Before(a.FirstDay):
		f.add("endDay", "La date de fin doit être le premier jour ou après.")
		f.checkTimes("", a.Start, a.End, false)
	case a.MultiDay():
		f.checkClocks(a.Start, a.End)
		if a.Recurrence.Every != Once || !a.Recurrence.Until.IsZero() {
			f.add("recurrence.every", "Une absence sur plusieurs jours ne peut pas se répéter.")
		}
	default:
		f.checkTimes("", a.Start, a.End, false)
		f.checkRecurrence(a.Recurrence, a.FirstDay)
	}
	return f.err()
}

// Validate checks an usager's shape: first and last name, phone in E.164 (use NormalizePhone first),
// e-mail, birth date a real day from 1900 on, ANTS pré-demande number (10 characters A–Z, 0–9; use
// NormalizePreDemande first), responsible not the usager itself. A birth date in the future needs
// today's date: use ValidateAt.
func (u Usager) Validate() error { return u.validate(Date{}) }

// ValidateAt is Validate plus: the birth date is not after today (the local date of the injected clock).
func (u Usager) ValidateAt(today Date) error { return u.validate(today) }

func (u Usager) validate(today Date) error {
	var f fieldErrors
	f.checkOrganisation(u.OrganisationID)
	f.checkName("firstName", u.FirstName, "Le prénom est obligatoire.")
	f.checkName("lastName", u.LastName, "Le nom est obligatoire.")
	if utf8.RuneCountInString(u.BirthName) > MaxNameLength {
		f.add("birthName", nameTooLong())
	}
	if !u.BirthDate.IsZero() {
		switch {
		case !u.BirthDate.Valid():
			f.add("birthDate", msgDateInvalid)
		case u.BirthDate.Year < 1900:
			f.add("birthDate", "La date de naissance doit être postérieure à 1900.")
		case !today.IsZero() && u.BirthDate.After(today):
			f.add("birthDate", "La date de naissance ne peut pas être dans le futur.")
		}
	}
	if u.Phone != "" && !e164Re.MatchString(u.Phone) {
		f.add("phone", "Le numéro de téléphone doit être au format international (par exemple +33612345678).")
	}
	f.checkEmail("email", u.Email)
	if u.AntsPreDemande != "" && !preDemandeRe.MatchString(u.AntsPreDemande) {
		f.add("antsPreDemande", "Le numéro de pré-demande ANTS comporte 10 caractères : lettres majuscules et chiffres.")
	}
	if u.ResponsibleID != "" && u.ResponsibleID == u.ID {
		f.add("responsibleId", "Un usager ne peut pas être son propre responsable.")
	}
	return f.err()
}

// Validate checks an RDV: motif, start, end after start (at most 24 h), at least one agent, at least one
// participation unless collectif (each with an usager, once, and a valid status), documents number ≥ 1,
// status valid (unknown, seen or revoked for a collective RDV), capacity (collectif: ≥ 1 and not exceeded
// by the active participations; individual: 0), origine, and cancelledAt set exactly when the status is
// excused, revoked or noshow.
func (r Rdv) Validate() error {
	var f fieldErrors
	f.checkOrganisation(r.OrganisationID)
	if strings.TrimSpace(r.MotifID) == "" {
		f.add("motifId", "Le motif est obligatoire.")
	}
	switch {
	case r.StartsAt.IsZero():
		f.add("startsAt", "Le début du rendez-vous est obligatoire.")
	case !r.EndsAt.After(r.StartsAt):
		f.add("endsAt", "La fin du rendez-vous doit être après son début.")
	case r.EndsAt.Sub(r.StartsAt) > MaxRdvDuration:
		f.add("endsAt", "Un rendez-vous ne peut pas durer plus de 24 heures.")
	}
	if len(r.AgentIDs) == 0 {
		f.add("agentIds", "Au moins un agent ou guichet est requis.")
	} else {
		for i, id := range r.AgentIDs {
			if strings.TrimSpace(id) == "" {
				f.add("agentIds", "Un agent est vide.")
				break
			}
			if indexOf(r.AgentIDs[:i], id) >= 0 {
				f.add("agentIds", "Un agent est choisi deux fois.")
				break
			}
		}
	}
	if len(r.Participations) == 0 && !r.Collectif {
		f.add("participations", "Au moins un usager est requis.")
	}
	active := 0
	for i, p := range r.Participations {
		prefix := fmt.Sprintf("participations[%d].", i)
		switch {
		case strings.TrimSpace(p.UsagerID) == "":
			f.add(prefix+"usagerId", "L'usager est obligatoire.")
		case slicesIndexParticipation(r.Participations[:i], p.UsagerID) >= 0:
			f.add(prefix+"usagerId", "Cet usager participe déjà au rendez-vous.")
		}
		if !p.Status.Valid() {
			f.add(prefix+"status", "Le statut n'est pas valide.")
		}
		if !p.Status.Cancelled() {
			active++
		}
	}
	if r.DocumentsNumber < 1 {
		f.add("documentsNumber", "Le nombre de titres doit être au moins 1.")
	}
	switch {
	case !r.Status.Valid():
		f.add("status", "Le statut n'est pas valide.")
	case r.Collectif && !r.Status.AllowedForCollectif():
		f.add("status", "Un rendez-vous collectif ne peut être qu'à venir, honoré ou annulé par le service.")
	case r.Status.SetsCancelledAt() && r.CancelledAt == nil:
		f.add("cancelledAt", "La date d'annulation manque pour ce statut.")
	case !r.Status.SetsCancelledAt() && r.CancelledAt != nil:
		f.add("cancelledAt", "Un rendez-vous non annulé n'a pas de date d'annulation.")
	}
	if r.Collectif {
		switch {
		case r.Capacity < 1:
			f.add("capacity", "Un rendez-vous collectif doit offrir au moins 1 place.")
		case active > r.Capacity:
			f.add("capacity", fmt.Sprintf("Le nombre de participants (%d) dépasse le nombre de places (%d).", active, r.Capacity))
		}
	} else if r.Capacity != 0 {
		f.add("capacity", "Seul un rendez-vous collectif a un nombre de places.")
	}
	switch r.Origine {
	case "", OrigineGuichet, OrigineKiosk, OrigineEnLigne, OrigineImport:
	default:
		f.add("origine", "L'origine doit être « guichet », « kiosk », « en_ligne » ou « import ».")
	}
	return f.err()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func slicesIndexParticipation(ps []Participation, usagerID string) int {
	for i, p := range ps {
		if p.UsagerID == usagerID {
			return i
		}
	}
	return -1
}

// NormalizePreDemande puts an ANTS pré-demande number in its stored form: upper case, without spaces or
// hyphens (« ab12 cd34-ef » → « AB12CD34EF »). It does not check the result: Usager.Validate does.
func NormalizePreDemande(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}
