package agenda

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

type validator interface{ Validate() error }

// checkValidation runs mutate on a fresh valid entity and compares the field errors.
func checkValidation[T validator](t *testing.T, base func() T, cases []vcase[T]) {
	t.Helper()
	if err := base().Validate(); err != nil {
		t.Fatalf("base %T is invalid: %v", base(), err)
	}
	for _, c := range cases {
		v := base()
		c.mutate(&v)
		err := v.Validate()
		var got ValidationError
		if err != nil && !errors.As(err, &got) {
			t.Errorf("%s: not a ValidationError: %v", c.name, err)
			continue
		}
		// Args are checked by TestValidationArgs; here the rules broken.
		for i := range got {
			got[i].Args = ""
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
		if err != nil && KindOf(err) != Invalid {
			t.Errorf("%s: kind %v", c.name, KindOf(err))
		}
	}
}

type vcase[T any] struct {
	name   string
	mutate func(*T)
	want   ValidationError
}

// fe is the broken rule code on field, as Validate reports it: no text (the door writes it).
func fe(field string, code Code) FieldError {
	return FieldError{Field: field, Code: code}
}

func errs(list ...FieldError) ValidationError { return list }

func TestValidateOrganisation(t *testing.T) {
	base := func() Organisation {
		return Organisation{Name: "Mairie de Metz", AccentColor: "#1d4ed8", TimeZone: "Europe/Paris", Email: "accueil@mairie-metz.fr",
			Phone: "03 87 55 50 00", Holidays: HolidayRules{Departement: "57"}, SlotGridMinutes: 15, BufferMinutes: 5}
	}
	checkValidation(t, base, []vcase[Organisation]{
		{"ok minimal", func(o *Organisation) { *o = Organisation{Name: "X", TimeZone: "America/Cayenne"} }, nil},
		{"name", func(o *Organisation) { o.Name = "  " }, errs(fe("name", CodeNameRequired))},
		{"name long", func(o *Organisation) { o.Name = strings.Repeat("é", 201) }, errs(fe("name", CodeTooLong))},
		{"colour", func(o *Organisation) { o.AccentColor = "#12345" }, errs(fe("accentColor", CodeColorFormat))},
		{"colour name", func(o *Organisation) { o.AccentColor = "blue" }, errs(fe("accentColor", CodeColorFormat))},
		{"zone empty", func(o *Organisation) { o.TimeZone = "" }, errs(fe("timeZone", CodeTimeZoneRequired))},
		{"zone unknown", func(o *Organisation) { o.TimeZone = "Europe/Metz" }, errs(fe("timeZone", CodeTimeZoneInvalid))},
		{"zone Local", func(o *Organisation) { o.TimeZone = "Local" }, errs(fe("timeZone", CodeTimeZoneInvalid))},
		{"email", func(o *Organisation) { o.Email = "accueil@mairie" }, errs(fe("email", CodeEmailInvalid))},
		{"phone", func(o *Organisation) { o.Phone = "03 87" }, errs(fe("phone", CodePhoneInvalidField))},
		{"departement", func(o *Organisation) { o.Holidays.Departement = "20" }, errs(fe("holidays.departement", CodeDepartementInvalid))},
		{"departement 2A", func(o *Organisation) { o.Holidays.Departement = "2A" }, nil},
		{"grid", func(o *Organisation) { o.SlotGridMinutes = 7 }, errs(fe("slotGridMinutes", CodeSlotGridRange))},
		{"buffer", func(o *Organisation) { o.BufferMinutes = -5 }, errs(fe("bufferMinutes", CodeBufferRange))},
		{"logo", func(o *Organisation) { o.LogoPNG = []byte("GIF89a") }, errs(fe("logoPng", CodeLogoNotPng))},
		{"logo size", func(o *Organisation) {
			o.LogoPNG = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, MaxLogoBytes)...)
		}, errs(fe("logoPng", CodeLogoTooLarge))},
		{"all at once", func(o *Organisation) { o.Name, o.TimeZone = "", "" }, errs(
			fe("name", CodeNameRequired), fe("timeZone", CodeTimeZoneRequired))},
	})
}

func TestValidateLieu(t *testing.T) {
	base := func() Lieu {
		return Lieu{OrganisationID: "o", Name: "Hôtel de ville", Street: "1 place d'Armes", PostalCode: "57000", City: "Metz", Enabled: true}
	}
	checkValidation(t, base, []vcase[Lieu]{
		{"organisation", func(l *Lieu) { l.OrganisationID = "" }, errs(fe("organisationId", CodeOrganisationRequired))},
		{"name", func(l *Lieu) { l.Name = "" }, errs(fe("name", CodeNameRequired))},
		{"street", func(l *Lieu) { l.Street = "" }, errs(fe("street", CodeStreetRequired))},
		{"postal code", func(l *Lieu) { l.PostalCode = "" }, errs(fe("postalCode", CodePostalCodeRequired))},
		{"postal code shape", func(l *Lieu) { l.PostalCode = "5700" }, errs(fe("postalCode", CodePostalCodeFormat))},
		{"city", func(l *Lieu) { l.City = "" }, errs(fe("city", CodeCityRequired))},
		{"phone", func(l *Lieu) { l.Phone = "abc" }, errs(fe("phone", CodePhoneInvalidField))},
		{"phone ok", func(l *Lieu) { l.Phone = "+262 262 40 00 00" }, nil},
	})
}

func TestValidateAgent(t *testing.T) {
	base := func() Agent {
		return Agent{OrganisationID: "o", Kind: KindAgent, Name: "Claire Martin", Email: "c.martin@metz.fr", Login: "cmartin", Role: RoleAgent, Active: true}
	}
	guichet := func(a *Agent) { *a = Agent{OrganisationID: "o", Kind: KindGuichet, Name: "Guichet 1"} }
	checkValidation(t, base, []vcase[Agent]{
		{"name", func(a *Agent) { a.Name = "" }, errs(fe("name", CodeNameRequired))},
		{"email", func(a *Agent) { a.Email = "c.martin" }, errs(fe("email", CodeEmailInvalid))},
		{"login", func(a *Agent) { a.Login = "" }, errs(fe("login", CodeLoginRequired))},
		{"login shape", func(a *Agent) { a.Login = "c martin" }, errs(fe("login", CodeLoginFormat))},
		{"role", func(a *Agent) { a.Role = "" }, errs(fe("role", CodeRoleInvalid))},
		{"kind", func(a *Agent) { a.Kind = "robot" }, errs(fe("kind", CodeAgentKindInvalid))},
		{"guichet", guichet, nil},
		{"guichet login", func(a *Agent) { guichet(a); a.Login = "g1" }, errs(fe("login", CodeGuichetLogin))},
		{"guichet email", func(a *Agent) { guichet(a); a.Email = "g1@metz.fr" }, errs(fe("email", CodeGuichetEmail))},
		{"guichet admin", func(a *Agent) { guichet(a); a.Role = RoleAdmin }, errs(fe("role", CodeGuichetAdmin))},
	})
}

func TestValidateMotif(t *testing.T) {
	base := func() Motif {
		return Motif{OrganisationID: "o", Name: "Passeport", Color: "#AA3300", DurationMin: 20, LocationType: PublicOffice,
			MinPublicDelay: 30 * time.Minute, MaxPublicDelay: 90 * 24 * time.Hour, AntsCategory: AntsPasseport, Pieces: []string{"Photo d'identité"}}
	}
	atelier := func(m *Motif) {
		m.AntsCategory, m.Collectif, m.Capacity = AntsNone, true, 12
	}
	checkValidation(t, base, []vcase[Motif]{
		{"name", func(m *Motif) { m.Name = "" }, errs(fe("name", CodeNameRequired))},
		{"colour", func(m *Motif) { m.Color = "" }, errs(fe("color", CodeColorRequired))},
		{"colour shape", func(m *Motif) { m.Color = "#GG0000" }, errs(fe("color", CodeColorFormat))},
		{"duration low", func(m *Motif) { m.DurationMin = 0 }, errs(fe("durationMin", CodeDurationRange))},
		{"duration high", func(m *Motif) { m.DurationMin = 485 }, errs(fe("durationMin", CodeDurationRange))},
		{"duration step", func(m *Motif) { m.DurationMin = 22 }, errs(fe("durationMin", CodeDurationStep))},
		{"duration bounds", func(m *Motif) { m.DurationMin = 480 }, nil},
		{"min delay", func(m *Motif) { m.MinPublicDelay = -time.Second }, errs(fe("minPublicDelay", CodeMinDelayNegative))},
		{"max delay", func(m *Motif) { m.MaxPublicDelay = m.MinPublicDelay }, errs(fe("maxPublicDelay", CodeMaxDelayBelowMin))},
		{"max delay cap", func(m *Motif) { m.MaxPublicDelay = 3 * 365 * 24 * time.Hour }, errs(fe("maxPublicDelay", CodeMaxDelayTooLong))},
		{"location", func(m *Motif) { m.LocationType = "" }, errs(fe("locationType", CodeLocationTypeInvalid))},
		{"ants category", func(m *Motif) { m.AntsCategory = "PERMIS" }, errs(fe("antsCategory", CodeAntsCategoryInvalid))},
		{"ants by phone", func(m *Motif) { m.LocationType = Phone }, errs(fe("antsCategory", CodeAntsOnSite))},
		{"phone motif", func(m *Motif) { m.LocationType, m.AntsCategory = Phone, AntsNone }, nil},
		{"collectif", atelier, nil},
		{"collectif capacity", func(m *Motif) { atelier(m); m.Capacity = 1 }, errs(fe("capacity", CodeCollectifMotifCapacity))},
		{"collectif visio", func(m *Motif) { atelier(m); m.LocationType = Visio }, errs(fe("locationType", CodeCollectifOnSite))},
		{"collectif ants", func(m *Motif) { atelier(m); m.AntsCategory = AntsCNI }, errs(fe("antsCategory", CodeAntsNotCollectif))},
		{"individual capacity", func(m *Motif) { m.Capacity = 3 }, errs(fe("capacity", CodeCapacityMotifIndividual))},
		{"piece", func(m *Motif) { m.Pieces = append(m.Pieces, " ") }, errs(fe("pieces[1]", CodePieceEmpty))},
	})
}

func TestValidatePlage(t *testing.T) {
	base := func() PlageOuverture {
		return PlageOuverture{OrganisationID: "o", AgentID: "a", LieuID: "l", Title: "Titres d'identité", MotifIDs: []string{"m1", "m2"},
			FirstDay: d("2026-05-04"), Start: Clk(9, 0), End: Clk(12, 0), Canal: CanalGuichet,
			Recurrence: Recurrence{Every: Weekly, Interval: 2, Weekdays: []time.Weekday{time.Monday, time.Thursday}, Until: d("2026-12-31")},
			Exceptions: []Exception{{Date: d("2026-05-07"), Cancelled: true}, {Date: d("2026-05-18"), Start: Clk(14, 0), End: Clk(17, 0)}}}
	}
	monthly := func(p *PlageOuverture) {
		p.FirstDay, p.Exceptions = d("2026-05-13"), nil
		p.Recurrence = Recurrence{Every: Monthly, Nth: 2, Weekday: time.Wednesday}
	}
	checkValidation(t, base, []vcase[PlageOuverture]{
		{"organisation", func(p *PlageOuverture) { p.OrganisationID = "" }, errs(fe("organisationId", CodeOrganisationRequired))},
		{"agent", func(p *PlageOuverture) { p.AgentID = "" }, errs(fe("agentId", CodeAgentRequired))},
		{"lieu", func(p *PlageOuverture) { p.LieuID = "" }, errs(fe("lieuId", CodeLieuRequired))},
		{"title", func(p *PlageOuverture) { p.Title = "" }, errs(fe("title", CodeTitleRequired))},
		{"motifs", func(p *PlageOuverture) { p.MotifIDs = nil }, errs(fe("motifIds", CodeMotifsRequired))},
		{"motif empty", func(p *PlageOuverture) { p.MotifIDs = []string{"m1", ""} }, errs(fe("motifIds", CodeMotifEmpty))},
		{"motif twice", func(p *PlageOuverture) { p.MotifIDs = []string{"m1", "m1"} }, errs(fe("motifIds", CodeMotifRepeated))},
		{"first day", func(p *PlageOuverture) { p.FirstDay = Date{} }, errs(fe("firstDay", CodeFirstDayRequired))},
		{"first day invalid", func(p *PlageOuverture) { p.FirstDay = Date{2026, 2, 30} }, errs(fe("firstDay", CodeDateInvalid))},
		{"end before start", func(p *PlageOuverture) { p.End = Clk(8, 0) }, errs(fe("end", CodeEndAfterStart))},
		{"end equals start", func(p *PlageOuverture) { p.End = p.Start }, errs(fe("end", CodeEndAfterStart))},
		{"clock range", func(p *PlageOuverture) { p.End = Clk(24, 5) }, errs(fe("end", CodeClockRange))},
		{"24:00 ok", func(p *PlageOuverture) { p.End = Clk(24, 0) }, nil},
		{"DST start", func(p *PlageOuverture) { p.Start = Clk(2, 30) }, errs(fe("start", CodeDSTWindow))},
		{"DST end", func(p *PlageOuverture) { p.Start, p.End = Clk(0, 0), Clk(2, 0) }, errs(fe("end", CodeDSTWindow))},
		{"03:00 ok", func(p *PlageOuverture) { p.Start, p.End = Clk(1, 0), Clk(3, 0) }, nil},
		{"canal", func(p *PlageOuverture) { p.Canal = "" }, errs(fe("canal", CodeCanalInvalid))},
		{"every", func(p *PlageOuverture) { p.Recurrence.Every = "day" }, errs(fe("recurrence.every", CodeEveryInvalid))},
		{"interval", func(p *PlageOuverture) { p.Recurrence.Interval = 53 }, errs(fe("recurrence.interval", CodeWeeklyIntervalRange))},
		{"interval negative", func(p *PlageOuverture) { p.Recurrence.Interval = -1 }, errs(fe("recurrence.interval", CodeWeeklyIntervalRange))},
		{"weekday", func(p *PlageOuverture) { p.Recurrence.Weekdays = []time.Weekday{1, 7} }, errs(fe("recurrence.weekdays", CodeWeekdayInvalid))},
		{"weekday twice", func(p *PlageOuverture) { p.Recurrence.Weekdays = []time.Weekday{1, 1} }, errs(fe("recurrence.weekdays", CodeWeekdayRepeated))},
		{"first day not a weekday", func(p *PlageOuverture) { p.Recurrence.Weekdays = []time.Weekday{time.Tuesday, time.Thursday} },
			errs(fe("recurrence.weekdays", CodeFirstDayNotInWeekdays))},
		{"until", func(p *PlageOuverture) { p.Recurrence.Until = p.FirstDay }, errs(fe("recurrence.until", CodeUntilAfterFirstDay))},
		{"until invalid", func(p *PlageOuverture) { p.Recurrence.Until = Date{2026, 13, 1} }, errs(fe("recurrence.until", CodeDateInvalid))},
		{"until once", func(p *PlageOuverture) { p.Recurrence, p.Exceptions = Recurrence{Until: d("2026-06-01")}, nil },
			errs(fe("recurrence.until", CodeUntilWithoutRepeat))},
		{"monthly", monthly, nil},
		{"monthly nth", func(p *PlageOuverture) { monthly(p); p.Recurrence.Nth = 6 }, errs(fe("recurrence.nth", CodeNthRange))},
		{"monthly weekday", func(p *PlageOuverture) { monthly(p); p.Recurrence.Weekday = 9 }, errs(fe("recurrence.weekday", CodeWeekdayInvalid))},
		{"monthly first day", func(p *PlageOuverture) { monthly(p); p.Recurrence.Nth = 1 }, errs(fe("recurrence.nth", CodeFirstDayNotNth))},
		{"monthly first day 3rd", func(p *PlageOuverture) { monthly(p); p.Recurrence.Nth = 3 }, errs(fe("recurrence.nth", CodeFirstDayNotNth))},
		{"monthly interval", func(p *PlageOuverture) { monthly(p); p.Recurrence.Interval = 13 }, errs(fe("recurrence.interval", CodeMonthlyIntervalRange))},
		{"exception not an occurrence", func(p *PlageOuverture) { p.Exceptions[0].Date = d("2026-05-11") }, errs(fe("exceptions[0].date", CodeExceptionNotOccurrence))},
		{"exception twice", func(p *PlageOuverture) { p.Exceptions[1].Date = d("2026-05-07") }, errs(fe("exceptions[1].date", CodeExceptionRepeated))},
		{"exception invalid date", func(p *PlageOuverture) { p.Exceptions[0].Date = Date{} }, errs(fe("exceptions[0].date", CodeDateInvalid))},
		{"exception times", func(p *PlageOuverture) { p.Exceptions[1].End = Clk(13, 0) }, errs(fe("exceptions[1].end", CodeEndAfterStart))},
		{"exception DST", func(p *PlageOuverture) { p.Exceptions[1].Start = Clk(2, 15) }, errs(fe("exceptions[1].start", CodeDSTWindow))},
		{"cancelled exception times ignored", func(p *PlageOuverture) { p.Exceptions[0].Start = Clk(2, 15) }, nil},
	})
}

func TestValidateAbsence(t *testing.T) {
	base := func() Absence {
		return Absence{OrganisationID: "o", AgentID: "a", Title: "Congés", FirstDay: d("2026-03-27"), EndDay: d("2026-03-31"), Start: Clk(14, 0), End: Clk(12, 0)}
	}
	single := func(a *Absence) { a.EndDay, a.Start, a.End = Date{}, Clk(12, 0), Clk(14, 0) }
	checkValidation(t, base, []vcase[Absence]{
		{"agent", func(a *Absence) { a.AgentID = "" }, errs(fe("agentId", CodeAgentRequired))},
		{"title", func(a *Absence) { a.Title = "" }, errs(fe("title", CodeTitleRequired))},
		{"first day", func(a *Absence) { a.FirstDay = Date{} }, errs(fe("firstDay", CodeFirstDayRequired))},
		{"end day invalid", func(a *Absence) { a.EndDay = Date{2026, 4, 31} }, errs(fe("endDay", CodeDateInvalid))},
		{"end day before", func(a *Absence) { a.EndDay = d("2026-03-26") }, errs(fe("endDay", CodeEndDayBeforeFirst), fe("end", CodeEndAfterStart))},
		{"multi-day recurrence", func(a *Absence) { a.Recurrence = Recurrence{Every: Weekly} }, errs(fe("recurrence.every", CodeAbsenceMultiDayRecurrence))},
		{"multi-day clock", func(a *Absence) { a.End = Clk(25, 0) }, errs(fe("end", CodeClockRange))},
		{"single day", single, nil},
		{"single day same end day", func(a *Absence) { single(a); a.EndDay = a.FirstDay }, nil},
		{"single day times", func(a *Absence) { single(a); a.End = Clk(11, 0) }, errs(fe("end", CodeEndAfterStart))},
		{"single day DST hour allowed", func(a *Absence) { single(a); a.Start = Clk(2, 30) }, nil},
		{"recurring", func(a *Absence) { single(a); a.Recurrence = Recurrence{Every: Weekly, Until: d("2026-06-30")} }, nil},
		{"recurring until", func(a *Absence) { single(a); a.Recurrence = Recurrence{Every: Weekly, Until: d("2026-03-01")} },
			errs(fe("recurrence.until", CodeUntilAfterFirstDay))},
	})
}

func TestValidateUsager(t *testing.T) {
	base := func() Usager {
		return Usager{ID: "u1", OrganisationID: "o", FirstName: "Léa", LastName: "Dupont", BirthDate: d("1990-02-28"),
			Phone: "+33612345678", Email: "lea.dupont@example.fr", AntsPreDemande: "AB12CD34EF", ResponsibleID: "u0"}
	}
	checkValidation(t, base, []vcase[Usager]{
		{"first name", func(u *Usager) { u.FirstName = " " }, errs(fe("firstName", CodeFirstNameRequired))},
		{"last name", func(u *Usager) { u.LastName = "" }, errs(fe("lastName", CodeNameRequired))},
		{"birth name", func(u *Usager) { u.BirthName = strings.Repeat("x", 201) }, errs(fe("birthName", CodeTooLong))},
		{"birth date", func(u *Usager) { u.BirthDate = Date{1990, 2, 29} }, errs(fe("birthDate", CodeDateInvalid))},
		{"birth date old", func(u *Usager) { u.BirthDate = d("1899-12-31") }, errs(fe("birthDate", CodeBirthDateBefore1900))},
		{"birth date future not checked", func(u *Usager) { u.BirthDate = d("2999-01-01") }, nil},
		{"phone national", func(u *Usager) { u.Phone = "0612345678" }, errs(fe("phone", CodePhoneE164))},
		{"phone short", func(u *Usager) { u.Phone = "+3361234" }, errs(fe("phone", CodePhoneE164))},
		{"phone overseas", func(u *Usager) { u.Phone = "+262692123456" }, nil},
		{"email", func(u *Usager) { u.Email = "lea@" }, errs(fe("email", CodeEmailInvalid))},
		{"pre-demande", func(u *Usager) { u.AntsPreDemande = "ab12cd34ef" }, errs(fe("antsPreDemande", CodePreDemandeFormat))},
		{"pre-demande length", func(u *Usager) { u.AntsPreDemande = "AB12CD34E" }, errs(fe("antsPreDemande", CodePreDemandeFormat))},
		{"responsible self", func(u *Usager) { u.ResponsibleID = u.ID }, errs(fe("responsibleId", CodeOwnResponsible))},
		{"minimal", func(u *Usager) { *u = Usager{OrganisationID: "o", FirstName: "A", LastName: "B"} }, nil},
	})
	u := base()
	u.BirthDate = d("2026-05-05")
	if err := u.ValidateAt(d("2026-05-05")); err != nil {
		t.Errorf("born today: %v", err)
	}
	var v ValidationError
	if err := u.ValidateAt(d("2026-05-04")); !errors.As(err, &v) || !slices.Equal(v, errs(fe("birthDate", CodeBirthDateFuture))) {
		t.Errorf("born tomorrow: %v", err)
	}
}

func TestValidateRdv(t *testing.T) {
	start := time.Date(2026, 5, 4, 7, 0, 0, 0, time.UTC)
	cancelled := start.Add(-time.Hour)
	base := func() Rdv {
		return Rdv{OrganisationID: "o", MotifID: "m", LieuID: "l", AgentIDs: []string{"a1"}, StartsAt: start, EndsAt: start.Add(20 * time.Minute),
			Status: StatusUnknown, DocumentsNumber: 1, Origine: OrigineGuichet, Participations: []Participation{{UsagerID: "u1", Status: StatusUnknown}}}
	}
	group := func(r *Rdv) {
		r.Collectif, r.Capacity = true, 2
		r.Participations = []Participation{{UsagerID: "u1", Status: StatusUnknown}, {UsagerID: "u2", Status: StatusExcused}, {UsagerID: "u3", Status: StatusSeen}}
	}
	checkValidation(t, base, []vcase[Rdv]{
		{"organisation", func(r *Rdv) { r.OrganisationID = "" }, errs(fe("organisationId", CodeOrganisationRequired))},
		{"motif", func(r *Rdv) { r.MotifID = "" }, errs(fe("motifId", CodeMotifRequired))},
		{"start", func(r *Rdv) { r.StartsAt = time.Time{} }, errs(fe("startsAt", CodeStartRequired))},
		{"end", func(r *Rdv) { r.EndsAt = r.StartsAt }, errs(fe("endsAt", CodeRdvEndAfterStart))},
		{"too long", func(r *Rdv) { r.EndsAt = r.StartsAt.Add(25 * time.Hour) }, errs(fe("endsAt", CodeRdvTooLong))},
		{"agents", func(r *Rdv) { r.AgentIDs = nil }, errs(fe("agentIds", CodeAgentsRequired))},
		{"agent empty", func(r *Rdv) { r.AgentIDs = []string{"a1", " "} }, errs(fe("agentIds", CodeAgentEmpty))},
		{"agent twice", func(r *Rdv) { r.AgentIDs = []string{"a1", "a2", "a1"} }, errs(fe("agentIds", CodeAgentRepeated))},
		{"participations", func(r *Rdv) { r.Participations = nil }, errs(fe("participations", CodeUsagersRequired))},
		{"participation usager", func(r *Rdv) { r.Participations[0].UsagerID = "" }, errs(fe("participations[0].usagerId", CodeUsagerRequired))},
		{"participation twice", func(r *Rdv) { r.Participations = append(r.Participations, r.Participations[0]) },
			errs(fe("participations[1].usagerId", CodeUsagerRepeated))},
		{"participation status", func(r *Rdv) { r.Participations[0].Status = "" }, errs(fe("participations[0].status", CodeStatusInvalid))},
		{"documents", func(r *Rdv) { r.DocumentsNumber = 0 }, errs(fe("documentsNumber", CodeDocumentsNumberMin))},
		{"status", func(r *Rdv) { r.Status = "done" }, errs(fe("status", CodeStatusInvalid))},
		{"cancelled without instant", func(r *Rdv) { r.Status = StatusExcused }, errs(fe("cancelledAt", CodeCancelledAtMissing))},
		{"noshow with instant", func(r *Rdv) { r.Status, r.CancelledAt = StatusNoshow, &cancelled }, nil},
		{"instant without cancel", func(r *Rdv) { r.CancelledAt = &cancelled }, errs(fe("cancelledAt", CodeCancelledAtUnexpected))},
		{"capacity individual", func(r *Rdv) { r.Capacity = 1 }, errs(fe("capacity", CodeCapacityRdvIndividual))},
		{"origine", func(r *Rdv) { r.Origine = "fax" }, errs(fe("origine", CodeOrigineInvalid))},
		{"group", group, nil},
		{"group empty", func(r *Rdv) { group(r); r.Participations = nil }, nil},
		{"group full", func(r *Rdv) { group(r); r.Capacity = 1 }, errs(fe("capacity", CodeCapacityExceeded))},
		{"group no seat", func(r *Rdv) { group(r); r.Capacity = 0 }, errs(fe("capacity", CodeCollectifRdvCapacity))},
		{"group excused", func(r *Rdv) { group(r); r.Status, r.CancelledAt = StatusExcused, &cancelled },
			errs(fe("status", CodeCollectifStatus))},
	})
}

func TestNormalizePreDemande(t *testing.T) {
	for in, want := range map[string]string{"ab12 cd34-ef": "AB12CD34EF", " AB12CD34EF\t": "AB12CD34EF", "": ""} {
		if got := NormalizePreDemande(in); got != want {
			t.Errorf("NormalizePreDemande(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	ok := map[string]string{
		"06 12 34 56 78":            "+33612345678",
		"0612345678":                "+33612345678",
		"06.12.34.56.78":            "+33612345678",
		"06-12-34-56-78":            "+33612345678",
		"+33 6 12 34 56 78":         "+33612345678",
		"+33 (0)6 12 34 56 78":      "+33612345678",
		"+33 06 12 34 56 78":        "+33612345678",
		"0033 6 12 34 56 78":        "+33612345678",
		"01 23 45 67 89":            "+33123456789",
		"0692 12 34 56":             "+262692123456", // Réunion mobile
		"0262 40 00 00":             "+262262400000", // Réunion fixed
		"0639 12 34 56":             "+262639123456", // Mayotte mobile
		"0269 61 00 00":             "+262269610000", // Mayotte fixed
		"0690 12 34 56":             "+590690123456", // Guadeloupe mobile
		"0590 81 00 00":             "+590590810000", // Guadeloupe fixed
		"0694 12 34 56":             "+594694123456", // Guyane
		"0696 12 34 56":             "+596696123456", // Martinique
		"0697 12 34 56":             "+596697123456",
		"+33 692 12 34 56":          "+262692123456", // overseas typed after +33
		"+32 470 12 34 56":          "+32470123456",  // Belgium, E.164 only
		"+508 41 23 45":             "+508412345",    // Saint-Pierre-et-Miquelon, international form
		"\u00a006\u202f12 34 56 78": "+33612345678",
	}
	for in, want := range ok {
		got, err := NormalizePhone(in, "FR")
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := NormalizePhone("0692123456", "RE"); err != nil || got != "+262692123456" {
		t.Errorf("region RE: %q %v", got, err)
	}
	if got, err := NormalizePhone("0612345678", ""); err != nil || got != "+33612345678" {
		t.Errorf("region empty: %q %v", got, err)
	}
	for _, in := range []string{"", "06 12 34 56", "6 12 34 56 78", "00 33 6 12", "+33 0 12", "+33 6 12 34 56 78 9", "06 12 34 56 7a", "+0612345678", "+33612345678x", "tel: 0612345678", "+1 2"} {
		if got, err := NormalizePhone(in, "FR"); err == nil || KindOf(err) != Invalid {
			t.Errorf("NormalizePhone(%q) = %q, %v; want an Invalid error", in, got, err)
		}
	}
	if _, err := NormalizePhone("0612345678", "BE"); CodeOf(err) != CodePhoneRegion || ParamsOf(err)["region"] != "BE" {
		t.Errorf("region BE: %v", err)
	}
}

func TestIsFrenchMobile(t *testing.T) {
	for in, want := range map[string]bool{
		"+33612345678": true, "+33712345678": true, "+33123456789": false, "+262692123456": true, "+262262400000": false,
		"+262639123456": true, "+590690123456": true, "+594694123456": true, "+596697123456": true, "+32470123456": false,
		"0612345678": false, "+3361234567": false,
	} {
		if got := IsFrenchMobile(in); got != want {
			t.Errorf("IsFrenchMobile(%q) = %v", in, got)
		}
	}
}

// The rules whose text names a value carry it, language-neutral, for the door to write.
func TestValidationArgs(t *testing.T) {
	first := Date{Year: 2026, Month: 5, Day: 8} // a Friday
	weekly := PlageOuverture{OrganisationID: "o", AgentID: "a", LieuID: "l", Title: "Accueil", MotifIDs: []string{"m"}, FirstDay: first,
		Start: Clk(9, 0), End: Clk(12, 0), Canal: CanalGuichet, Recurrence: Recurrence{Every: Weekly, Interval: 1, Weekdays: []time.Weekday{time.Thursday}}}
	var v ValidationError
	if !errors.As(weekly.Validate(), &v) || len(v) != 1 || v[0].Code != CodeFirstDayNotInWeekdays || v[0].Args != "weekday=5" {
		t.Errorf("weekly: %+v", v)
	}
	o := Organisation{Name: "Mairie", TimeZone: "Europe/Lutece"}
	if !errors.As(o.Validate(), &v) || v[0].Code != CodeTimeZoneInvalid || v[0].Args != "zone=Europe/Lutece" {
		t.Errorf("zone: %+v", v)
	}
}
