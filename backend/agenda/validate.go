package agenda

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
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
// "participations[0].usagerId"); FieldError.Code names the broken rule (codes_fields.go) and
// Message stays empty: the door writes the text in its language (backend/messages, fields.json).
//
// Names, titles and free text follow the text rules of text.go (no control characters, UTF-8 only;
// issue 10, #5): stores call the entity's Normalized method (NFC) before Validate.
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
	// MaxDocuments bounds the titles (ANTS) of one RDV: a family's passports, not a batch (issue 10, #3).
	MaxDocuments   = 10
	MaxPublicDelay = 2 * 365 * 24 * time.Hour // RDVs are purged after 2 years
)

var (
	colorRe      = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	e164Re       = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	emailRe      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	preDemandeRe = regexp.MustCompile(`^[A-Z0-9]{10}$`)
	postalCodeRe = regexp.MustCompile(`^[0-9]{5}$`)
	loginRe      = regexp.MustCompile(`^[A-Za-z0-9._@-]{2,64}$`)
	// INSEE département codes: 01–19, 2A, 2B, 21–95, 971–976, and the overseas collectivities 975, 977,
	// 978, 984–988. The holiday rules refuse the codes they do not model (HolidayRules.Modelled).
	departementRe = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[AB1-9]|[3-8][0-9]|9[0-5]|97[1-8]|98[4-8])$`)
)

// ruleWith adds the broken rule code on field with the values its text names (name, value pairs).
func (f *fieldErrors) ruleWith(field string, code Code, args ...string) {
	var b strings.Builder
	for i := 0; i+1 < len(args); i += 2 {
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(args[i] + "=" + args[i+1])
	}
	f.list = append(f.list, FieldError{Field: field, Code: code, Args: b.String()})
}

// rule adds the broken rule code on field. The text is the door's (backend/messages): nothing
// here writes user text.
func (f *fieldErrors) rule(field string, code Code) {
	f.list = append(f.list, FieldError{Field: field, Code: code})
}

// checkName adds an error when the value is not a clean line of text (text.go), or when the
// trimmed value is empty (with code empty) or too long.
func (f *fieldErrors) checkName(field, value string, empty Code) {
	if !f.checkLine(field, value) {
		return
	}
	switch v := strings.TrimSpace(value); {
	case v == "":
		f.rule(field, empty)
	case utf8.RuneCountInString(v) > MaxNameLength:
		f.rule(field, CodeTooLong)
	}
}

func (f *fieldErrors) checkOrganisation(id string) {
	if strings.TrimSpace(id) == "" {
		f.rule("organisationId", CodeOrganisationRequired)
	}
}

func (f *fieldErrors) checkEmail(field, v string) {
	if v != "" && (!emailRe.MatchString(v) || len(v) > 254 || !ValidName(v)) {
		f.rule(field, CodeEmailInvalid)
	}
}

// checkPhone accepts any number NormalizePhone understands (a display number for a lieu or a mairie).
func (f *fieldErrors) checkPhone(field, v string) {
	if v == "" {
		return
	}
	if _, err := NormalizePhone(v, "FR"); err != nil {
		f.rule(field, CodePhoneInvalidField)
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
func (f *fieldErrors) checkDay(field string, d Date, required Code) bool {
	switch {
	case d.IsZero():
		f.rule(field, required)
	case !d.Valid():
		f.rule(field, CodeDateInvalid)
	default:
		return true
	}
	return false
}

// checkClocks only checks that start and end lie in 00:00..24:00.
func (f *fieldErrors) checkClocks(start, end ClockTime) {
	if !start.Valid() {
		f.rule("start", CodeClockRange)
	}
	if !end.Valid() {
		f.rule("end", CodeClockRange)
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
			f.rule(prefix+c.field, CodeClockRange)
			ok = false
		case dst && c.t.InDSTWindow():
			f.rule(prefix+c.field, CodeDSTWindow)
		}
	}
	if ok && end <= start {
		f.rule(prefix+"end", CodeEndAfterStart)
	}
}

// checkRecurrence validates r against the first day (which must be valid) and reports whether r is valid.
func (f *fieldErrors) checkRecurrence(r Recurrence, first Date) bool {
	const p = "recurrence."
	n := len(f.list)
	switch r.Every {
	case Once:
		if !r.Until.IsZero() {
			f.rule(p+"until", CodeUntilWithoutRepeat)
		}
		return len(f.list) == n
	case Weekly:
		if r.Interval < 0 || r.Interval > 52 {
			f.rule(p+"interval", CodeWeeklyIntervalRange)
		}
		var seen [7]bool
		valid := true
		for _, w := range r.Weekdays {
			if w < time.Sunday || w > time.Saturday {
				f.rule(p+"weekdays", CodeWeekdayInvalid)
				valid = false
				break
			}
			if seen[w] {
				f.rule(p+"weekdays", CodeWeekdayRepeated)
				valid = false
				break
			}
			seen[w] = true
		}
		if valid && len(r.Weekdays) > 0 && !seen[first.Weekday()] {
			f.ruleWith(p+"weekdays", CodeFirstDayNotInWeekdays, "weekday", strconv.Itoa(int(first.Weekday())))
		}
	case Monthly:
		if r.Interval < 0 || r.Interval > 12 {
			f.rule(p+"interval", CodeMonthlyIntervalRange)
		}
		switch {
		case r.Nth < 0 || r.Nth > 5:
			f.rule(p+"nth", CodeNthRange)
		case r.Weekday < time.Sunday || r.Weekday > time.Saturday:
			f.rule(p+"weekday", CodeWeekdayInvalid)
		case r.Nth > 0 && (nthOfMonth(first) != r.Nth || first.Weekday() != r.Weekday):
			f.ruleWith(p+"nth", CodeFirstDayNotNth, "nth", strconv.Itoa(r.Nth), "weekday", strconv.Itoa(int(r.Weekday)))
		}
	default:
		f.rule(p+"every", CodeEveryInvalid)
		return false
	}
	if !r.Until.IsZero() {
		switch {
		case !r.Until.Valid():
			f.rule(p+"until", CodeDateInvalid)
		case !r.Until.After(first):
			f.rule(p+"until", CodeUntilAfterFirstDay)
		}
	}
	return len(f.list) == n
}

// Validate checks an organisation. AccentColor and Phone may be empty (neutral theme, no number);
// TimeZone is required and must be a zone the binary knows (time/tzdata is embedded); the département
// code, when set, must be an INSEE code (it selects local holidays; empty = metropolitan rules).
func (o Organisation) Validate() error {
	var f fieldErrors
	f.checkName("name", o.Name, CodeNameRequired)
	if o.AccentColor != "" && !colorRe.MatchString(o.AccentColor) {
		f.rule("accentColor", CodeColorFormat)
	}
	switch tz := strings.TrimSpace(o.TimeZone); {
	case tz == "":
		f.rule("timeZone", CodeTimeZoneRequired)
	case tz == "Local" || tz != o.TimeZone:
		f.ruleWith("timeZone", CodeTimeZoneInvalid, "zone", o.TimeZone)
	default:
		if _, err := time.LoadLocation(tz); err != nil {
			f.ruleWith("timeZone", CodeTimeZoneInvalid, "zone", o.TimeZone)
		}
	}
	f.checkEmail("email", o.Email)
	f.checkPhone("phone", o.Phone)
	switch d := o.Holidays.Departement; {
	case d == "":
	case !departementRe.MatchString(d):
		f.rule("holidays.departement", CodeDepartementInvalid)
	case !o.Holidays.Modelled():
		f.rule("holidays.departement", CodeDepartementUnsupported)
	}
	if g := o.SlotGridMinutes; g < 0 || g > 240 || g%5 != 0 {
		f.rule("slotGridMinutes", CodeSlotGridRange)
	}
	if b := o.BufferMinutes; b < 0 || b > 120 {
		f.rule("bufferMinutes", CodeBufferRange)
	}
	if len(o.LogoPNG) > 0 {
		switch {
		case !bytes.HasPrefix(o.LogoPNG, []byte("\x89PNG\r\n\x1a\n")):
			f.rule("logoPng", CodeLogoNotPng)
		case len(o.LogoPNG) > MaxLogoBytes:
			f.rule("logoPng", CodeLogoTooLarge)
		}
	}
	return f.err()
}

// Validate checks a lieu: name and a French postal address (street, 5-digit postal code, city) are
// required, since they are printed on the convocation.
func (l Lieu) Validate() error {
	var f fieldErrors
	f.checkOrganisation(l.OrganisationID)
	f.checkName("name", l.Name, CodeNameRequired)
	f.checkName("street", l.Street, CodeStreetRequired)
	switch {
	case strings.TrimSpace(l.PostalCode) == "":
		f.rule("postalCode", CodePostalCodeRequired)
	case !postalCodeRe.MatchString(l.PostalCode):
		f.rule("postalCode", CodePostalCodeFormat)
	}
	f.checkName("city", l.City, CodeCityRequired)
	f.checkPhone("phone", l.Phone)
	f.checkFreeText("accessibility", l.Accessibility)
	return f.err()
}

// Validate checks an agenda resource. An agent has a login and a role; a guichet (intervenant) has
// neither login nor e-mail and cannot be an administrator.
func (a Agent) Validate() error {
	var f fieldErrors
	f.checkOrganisation(a.OrganisationID)
	f.checkName("name", a.Name, CodeNameRequired)
	f.checkEmail("email", a.Email)
	switch a.Kind {
	case KindAgent:
		switch {
		case a.Login == "":
			f.rule("login", CodeLoginRequired)
		case !loginRe.MatchString(a.Login):
			f.rule("login", CodeLoginFormat)
		}
		if a.Role != RoleAdmin && a.Role != RoleAgent {
			f.rule("role", CodeRoleInvalid)
		}
	case KindGuichet:
		if a.Login != "" {
			f.rule("login", CodeGuichetLogin)
		}
		if a.Email != "" {
			f.rule("email", CodeGuichetEmail)
		}
		if a.Role == RoleAdmin {
			f.rule("role", CodeGuichetAdmin)
		} else if a.Role != "" && a.Role != RoleAgent {
			f.rule("role", CodeRoleInvalid)
		}
	default:
		f.rule("kind", CodeAgentKindInvalid)
	}
	return f.err()
}

// Validate checks a motif: name, colour, duration (5 to 480 minutes, multiple of 5), booking window,
// location type, ANTS category and the collective rules (capacity ≥ 2 and public office; capacity 0 when
// individual). An ANTS motif (CNI, passeport) is individual and at the public office (the DR is there).
func (m Motif) Validate() error {
	var f fieldErrors
	f.checkOrganisation(m.OrganisationID)
	f.checkName("name", m.Name, CodeNameRequired)
	switch {
	case m.Color == "":
		f.rule("color", CodeColorRequired)
	case !colorRe.MatchString(m.Color):
		f.rule("color", CodeColorFormat)
	}
	switch {
	case m.DurationMin < MinMotifDuration || m.DurationMin > MaxMotifDuration:
		f.rule("durationMin", CodeDurationRange)
	case m.DurationMin%5 != 0:
		f.rule("durationMin", CodeDurationStep)
	}
	switch {
	case m.MinPublicDelay < 0:
		f.rule("minPublicDelay", CodeMinDelayNegative)
	case m.MaxPublicDelay <= m.MinPublicDelay:
		f.rule("maxPublicDelay", CodeMaxDelayBelowMin)
	case m.MaxPublicDelay > MaxPublicDelay:
		f.rule("maxPublicDelay", CodeMaxDelayTooLong)
	}
	validLocation := true
	switch m.LocationType {
	case PublicOffice, Phone, Home, Visio:
	default:
		validLocation = false
		f.rule("locationType", CodeLocationTypeInvalid)
	}
	switch m.AntsCategory {
	case AntsNone:
	case AntsCNI, AntsPasseport, AntsCNIPasseport:
		if validLocation && m.LocationType != PublicOffice {
			f.rule("antsCategory", CodeAntsOnSite)
		}
		if m.Collectif {
			f.rule("antsCategory", CodeAntsNotCollectif)
		}
	default:
		f.rule("antsCategory", CodeAntsCategoryInvalid)
	}
	if m.Collectif {
		if m.Capacity < 2 {
			f.rule("capacity", CodeCollectifMotifCapacity)
		}
		if validLocation && m.LocationType != PublicOffice {
			f.rule("locationType", CodeCollectifOnSite)
		}
	} else if m.Capacity != 0 {
		f.rule("capacity", CodeCapacityMotifIndividual)
	}
	for i, p := range m.Pieces {
		field := fmt.Sprintf("pieces[%d]", i)
		switch {
		case !f.checkLine(field, p):
		case strings.TrimSpace(p) == "":
			f.rule(field, CodePieceEmpty)
		case utf8.RuneCountInString(p) > MaxNameLength:
			f.rule(field, CodeTooLong)
		}
	}
	f.checkFreeText("instructions", m.Instructions)
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
		f.rule("agentId", CodeAgentRequired)
	}
	if strings.TrimSpace(p.LieuID) == "" {
		f.rule("lieuId", CodeLieuRequired)
	}
	f.checkName("title", p.Title, CodeTitleRequired)
	if len(p.MotifIDs) == 0 {
		f.rule("motifIds", CodeMotifsRequired)
	} else {
		seen := make(map[string]bool, len(p.MotifIDs))
		for _, id := range p.MotifIDs {
			if strings.TrimSpace(id) == "" {
				f.rule("motifIds", CodeMotifEmpty)
				break
			}
			if seen[id] {
				f.rule("motifIds", CodeMotifRepeated)
				break
			}
			seen[id] = true
		}
	}
	firstOK := f.checkDay("firstDay", p.FirstDay, CodeFirstDayRequired)
	f.checkTimes("", p.Start, p.End, true)
	if p.Canal != CanalGuichet && p.Canal != CanalEnLigne {
		f.rule("canal", CodeCanalInvalid)
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
			f.rule(prefix+"date", CodeDateInvalid)
			continue
		case seen[e.Date]:
			f.ruleWith(prefix+"date", CodeExceptionRepeated, "date", e.Date.String())
		case recurrenceOK && !p.Recurrence.Occurs(p.FirstDay, e.Date):
			f.ruleWith(prefix+"date", CodeExceptionNotOccurrence, "date", e.Date.String())
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
		f.rule("agentId", CodeAgentRequired)
	}
	f.checkName("title", a.Title, CodeTitleRequired)
	firstOK := f.checkDay("firstDay", a.FirstDay, CodeFirstDayRequired)
	endOK := a.EndDay.IsZero() || a.EndDay.Valid()
	if !endOK {
		f.rule("endDay", CodeDateInvalid)
	}
	if !firstOK || !endOK {
		f.checkClocks(a.Start, a.End)
		return f.err()
	}
	switch {
	case a.lastDay().Before(a.FirstDay):
		f.rule("endDay", CodeEndDayBeforeFirst)
		f.checkTimes("", a.Start, a.End, false)
	case a.MultiDay():
		f.checkClocks(a.Start, a.End)
		if a.Recurrence.Every != Once || !a.Recurrence.Until.IsZero() {
			f.rule("recurrence.every", CodeAbsenceMultiDayRecurrence)
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
	f.checkName("firstName", u.FirstName, CodeFirstNameRequired)
	f.checkName("lastName", u.LastName, CodeNameRequired)
	if f.checkLine("birthName", u.BirthName) && utf8.RuneCountInString(u.BirthName) > MaxNameLength {
		f.rule("birthName", CodeTooLong)
	}
	if !u.BirthDate.IsZero() {
		switch {
		case !u.BirthDate.Valid():
			f.rule("birthDate", CodeDateInvalid)
		case u.BirthDate.Year < 1900:
			f.rule("birthDate", CodeBirthDateBefore1900)
		case !today.IsZero() && u.BirthDate.After(today):
			f.rule("birthDate", CodeBirthDateFuture)
		}
	}
	if u.Phone != "" && !e164Re.MatchString(u.Phone) {
		f.rule("phone", CodePhoneE164)
	}
	f.checkEmail("email", u.Email)
	if u.AntsPreDemande != "" && !preDemandeRe.MatchString(u.AntsPreDemande) {
		f.rule("antsPreDemande", CodePreDemandeFormat)
	}
	if u.ResponsibleID != "" && u.ResponsibleID == u.ID {
		f.rule("responsibleId", CodeOwnResponsible)
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
		f.rule("motifId", CodeMotifRequired)
	}
	switch {
	case r.StartsAt.IsZero():
		f.rule("startsAt", CodeStartRequired)
	case !r.EndsAt.After(r.StartsAt):
		f.rule("endsAt", CodeRdvEndAfterStart)
	case r.EndsAt.Sub(r.StartsAt) > MaxRdvDuration:
		f.rule("endsAt", CodeRdvTooLong)
	}
	if len(r.AgentIDs) == 0 {
		f.rule("agentIds", CodeAgentsRequired)
	} else {
		for i, id := range r.AgentIDs {
			if strings.TrimSpace(id) == "" {
				f.rule("agentIds", CodeAgentEmpty)
				break
			}
			if indexOf(r.AgentIDs[:i], id) >= 0 {
				f.rule("agentIds", CodeAgentRepeated)
				break
			}
		}
	}
	if len(r.Participations) == 0 && !r.Collectif {
		f.rule("participations", CodeUsagersRequired)
	}
	active := 0
	for i, p := range r.Participations {
		prefix := fmt.Sprintf("participations[%d].", i)
		switch {
		case strings.TrimSpace(p.UsagerID) == "":
			f.rule(prefix+"usagerId", CodeUsagerRequired)
		case slicesIndexParticipation(r.Participations[:i], p.UsagerID) >= 0:
			f.rule(prefix+"usagerId", CodeUsagerRepeated)
		}
		if !p.Status.Valid() {
			f.rule(prefix+"status", CodeStatusInvalid)
		}
		if !p.Status.Cancelled() {
			active++
		}
	}
	switch {
	case r.DocumentsNumber < 1:
		f.rule("documentsNumber", CodeDocumentsNumberMin)
	case r.DocumentsNumber > MaxDocuments:
		f.rule("documentsNumber", CodeDocumentsNumberMax)
	}
	switch {
	case !r.Status.Valid():
		f.rule("status", CodeStatusInvalid)
	case r.Collectif && !r.Status.AllowedForCollectif():
		f.rule("status", CodeCollectifStatus)
	case r.Status.SetsCancelledAt() && r.CancelledAt == nil:
		f.rule("cancelledAt", CodeCancelledAtMissing)
	case !r.Status.SetsCancelledAt() && r.CancelledAt != nil:
		f.rule("cancelledAt", CodeCancelledAtUnexpected)
	}
	if r.Collectif {
		switch {
		case r.Capacity < 1:
			f.rule("capacity", CodeCollectifRdvCapacity)
		case active > r.Capacity:
			f.ruleWith("capacity", CodeCapacityExceeded, "n", strconv.Itoa(active), "max", strconv.Itoa(r.Capacity))
		}
	} else if r.Capacity != 0 {
		f.rule("capacity", CodeCapacityRdvIndividual)
	}
	switch r.Origine {
	case "", OrigineGuichet, OrigineKiosk, OrigineEnLigne, OrigineImport:
	default:
		f.rule("origine", CodeOrigineInvalid)
	}
	f.checkFreeText("context", r.Context)
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

// PreDemandes reads the ANTS pré-demande numbers typed for the persons of one booking (the kiosk's
// and the online pages'): one per person, each normalised, valid (Usager.Validate's rule) and
// different from the others. Field i's error is on field+"."+i.
func PreDemandes(typed []string, persons int, field string) ([]string, ValidationError) {
	var fe ValidationError
	numbers := make([]string, 0, persons)
	for i := range persons {
		var n string
		if i < len(typed) {
			n = NormalizePreDemande(typed[i])
		}
		var code Code
		switch {
		case n == "":
			code = CodeKioskPreDemande
		case !preDemandeRe.MatchString(n):
			code = CodeKioskPreDemandeX
		case slices.Contains(numbers, n):
			code = CodeKioskPreDemande2
		}
		if code != "" {
			fe = append(fe, FieldError{Field: field + "." + strconv.Itoa(i), Code: code})
		}
		numbers = append(numbers, n)
	}
	return numbers, fe
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
