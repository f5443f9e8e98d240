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

func fe(field, msg string) FieldError {
	return FieldError{Field: field, Code: CodeInvalidField, Message: msg}
}

func errs(list ...FieldError) ValidationError { return list }

func TestValidateOrganisation(t *testing.T) {
	base := func() Organisation {
		return Organisation{Name: "Mairie de Metz", AccentColor: "#1d4ed8", TimeZone: "Europe/Paris", Email: "accueil@mairie-metz.fr",
			Phone: "03 87 55 50 00", Holidays: HolidayRules{Departement: "57"}, SlotGridMinutes: 15, BufferMinutes: 5}
	}
	checkValidation(t, base, []vcase[Organisation]{
		{"ok minimal", func(o *Organisation) { *o = Organisation{Name: "X", TimeZone: "America/Cayenne"} }, nil},
		{"name", func(o *Organisation) { o.Name = "  " }, errs(fe("name", "Le nom est obligatoire."))},
		{"name long", func(o *Organisation) { o.Name = strings.Repeat("é", 201) }, errs(fe("name", "Ce champ ne doit pas dépasser 200 caractères."))},
		{"colour", func(o *Organisation) { o.AccentColor = "#12345" }, errs(fe("accentColor", "La couleur doit être au format #RRGGBB (par exemple #1D4ED8)."))},
		{"colour name", func(o *Organisation) { o.AccentColor = "blue" }, errs(fe("accentColor", "La couleur doit être au format #RRGGBB (par exemple #1D4ED8)."))},
		{"zone empty", func(o *Organisation) { o.TimeZone = "" }, errs(fe("timeZone", "Le fuseau horaire est obligatoire (par exemple Europe/Paris)."))},
		{"zone unknown", func(o *Organisation) { o.TimeZone = "Europe/Metz" }, errs(fe("timeZone", "Le fuseau horaire « Europe/Metz » est inconnu."))},
		{"zone Local", func(o *Organisation) { o.TimeZone = "Local" }, errs(fe("timeZone", "Le fuseau horaire « Local » est inconnu."))},
		{"email", func(o *Organisation) { o.Email = "accueil@mairie" }, errs(fe("email", "L'adresse e-mail n'est pas valide."))},
		{"phone", func(o *Organisation) { o.Phone = "03 87" }, errs(fe("phone", "Le numéro de téléphone n'est pas valide."))},
		{"departement", func(o *Organisation) { o.Holidays.Departement = "20" }, errs(fe("holidays.departement", "Le code du département n'est pas valide (par exemple 75, 2A, 974)."))},
		{"departement 2A", func(o *Organisation) { o.Holidays.Departement = "2A" }, nil},
		{"grid", func(o *Organisation) { o.SlotGridMinutes = 7 }, errs(fe("slotGridMinutes", "La grille des créneaux doit être 0 (pas de grille) ou un multiple de 5 minutes jusqu'à 240."))},
		{"buffer", func(o *Organisation) { o.BufferMinutes = -5 }, errs(fe("bufferMinutes", "Le temps de battement doit être compris entre 0 et 120 minutes."))},
		{"logo", func(o *Organisation) { o.LogoPNG = []byte("GIF89a") }, errs(fe("logoPng", "Le logo doit être une image PNG."))},
		{"logo size", func(o *Organisation) {
			o.LogoPNG = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, MaxLogoBytes)...)
		}, errs(fe("logoPng", "Le logo ne doit pas dépasser 1 Mo."))},
		{"all at once", func(o *Organisation) { o.Name, o.TimeZone = "", "" }, errs(
			fe("name", "Le nom est obligatoire."), fe("timeZone", "Le fuseau horaire est obligatoire (par exemple Europe/Paris)."))},
	})
}

func TestValidateLieu(t *testing.T) {
	base := func() Lieu {
		return Lieu{OrganisationID: "o", Name: "Hôtel de ville", Street: "1 place d'Armes", PostalCode: "57000", City: "Metz", Enabled: true}
	}
	checkValidation(t, base, []vcase[Lieu]{
		{"organisation", func(l *Lieu) { l.OrganisationID = "" }, errs(fe("organisationId", "L'organisation est obligatoire."))},
		{"name", func(l *Lieu) { l.Name = "" }, errs(fe("name", "Le nom est obligatoire."))},
		{"street", func(l *Lieu) { l.Street = "" }, errs(fe("street", "L'adresse est obligatoire."))},
		{"postal code", func(l *Lieu) { l.PostalCode = "" }, errs(fe("postalCode", "Le code postal est obligatoire."))},
		{"postal code shape", func(l *Lieu) { l.PostalCode = "5700" }, errs(fe("postalCode", "Le code postal doit comporter 5 chiffres."))},
		{"city", func(l *Lieu) { l.City = "" }, errs(fe("city", "La commune est obligatoire."))},
		{"phone", func(l *Lieu) { l.Phone = "abc" }, errs(fe("phone", "Le numéro de téléphone n'est pas valide."))},
		{"phone ok", func(l *Lieu) { l.Phone = "+262 262 40 00 00" }, nil},
	})
}

func TestValidateAgent(t *testing.T) {
	base := func() Agent {
		return Agent{OrganisationID: "o", Kind: KindAgent, Name: "Claire Martin", Email: "c.martin@metz.fr", Login: "cmartin", Role: RoleAgent, Active: true}
	}
	guichet := func(a *Agent) { *a = Agent{OrganisationID: "o", Kind: KindGuichet, Name: "Guichet 1"} }
	checkValidation(t, base, []vcase[Agent]{
		{"name", func(a *Agent) { a.Name = "" }, errs(fe("name", "Le nom est obligatoire."))},
		{"email", func(a *Agent) { a.Email = "c.martin" }, errs(fe("email", "L'adresse e-mail n'est pas valide."))},
		{"login", func(a *Agent) { a.Login = "" }, errs(fe("login", "L'identifiant de connexion est obligatoire pour un agent."))},
		{"login shape", func(a *Agent) { a.Login = "c martin" }, errs(fe("login", "L'identifiant de connexion doit comporter de 2 à 64 caractères parmi lettres sans accent, chiffres, « . », « _ », « - » et « @ »."))},
		{"role", func(a *Agent) { a.Role = "" }, errs(fe("role", "Le rôle doit être « admin » ou « agent »."))},
		{"kind", func(a *Agent) { a.Kind = "robot" }, errs(fe("kind", "Le type doit être « agent » ou « guichet »."))},
		{"guichet", guichet, nil},
		{"guichet login", func(a *Agent) { guichet(a); a.Login = "g1" }, errs(fe("login", "Un guichet n'a pas d'identifiant de connexion."))},
		{"guichet email", func(a *Agent) { guichet(a); a.Email = "g1@metz.fr" }, errs(fe("email", "Un guichet n'a pas d'adresse e-mail."))},
		{"guichet admin", func(a *Agent) { guichet(a); a.Role = RoleAdmin }, errs(fe("role", "Un guichet ne peut pas être administrateur."))},
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
		{"name", func(m *Motif) { m.Name = "" }, errs(fe("name", "Le nom est obligatoire."))},
		{"colour", func(m *Motif) { m.Color = "" }, errs(fe("color", "La couleur est obligatoire."))},
		{"colour shape", func(m *Motif) { m.Color = "#GG0000" }, errs(fe("color", "La couleur doit être au format #RRGGBB (par exemple #1D4ED8)."))},
		{"duration low", func(m *Motif) { m.DurationMin = 0 }, errs(fe("durationMin", "La durée doit être comprise entre 5 et 480 minutes."))},
		{"duration high", func(m *Motif) { m.DurationMin = 485 }, errs(fe("durationMin", "La durée doit être comprise entre 5 et 480 minutes."))},
		{"duration step", func(m *Motif) { m.DurationMin = 22 }, errs(fe("durationMin", "La durée doit être un multiple de 5 minutes."))},
		{"duration bounds", func(m *Motif) { m.DurationMin = 480 }, nil},
		{"min delay", func(m *Motif) { m.MinPublicDelay = -time.Second }, errs(fe("minPublicDelay", "Le délai minimum de réservation ne peut pas être négatif."))},
		{"max delay", func(m *Motif) { m.MaxPublicDelay = m.MinPublicDelay }, errs(fe("maxPublicDelay", "Le délai maximum de réservation doit être supérieur au délai minimum."))},
		{"max delay cap", func(m *Motif) { m.MaxPublicDelay = 3 * 365 * 24 * time.Hour }, errs(fe("maxPublicDelay", "Le délai maximum de réservation ne peut pas dépasser 2 ans."))},
		{"location", func(m *Motif) { m.LocationType = "" }, errs(fe("locationType", "Le type de rendez-vous doit être « public_office », « phone », « home » ou « visio »."))},
		{"ants category", func(m *Motif) { m.AntsCategory = "PERMIS" }, errs(fe("antsCategory", "La catégorie ANTS doit être vide, « CNI », « PASSPORT » ou « CNI-PASSPORT »."))},
		{"ants by phone", func(m *Motif) { m.LocationType = Phone }, errs(fe("antsCategory", "Un motif ANTS (carte d'identité, passeport) se déroule sur place."))},
		{"phone motif", func(m *Motif) { m.LocationType, m.AntsCategory = Phone, AntsNone }, nil},
		{"collectif", atelier, nil},
		{"collectif capacity", func(m *Motif) { atelier(m); m.Capacity = 1 }, errs(fe("capacity", "Un motif collectif doit offrir au moins 2 places."))},
		{"collectif visio", func(m *Motif) { atelier(m); m.LocationType = Visio }, errs(fe("locationType", "Un motif collectif se déroule sur place."))},
		{"collectif ants", func(m *Motif) { atelier(m); m.AntsCategory = AntsCNI }, errs(fe("antsCategory", "Un motif ANTS (carte d'identité, passeport) ne peut pas être collectif."))},
		{"individual capacity", func(m *Motif) { m.Capacity = 3 }, errs(fe("capacity", "Seul un motif collectif a un nombre de places."))},
		{"piece", func(m *Motif) { m.Pieces = append(m.Pieces, " ") }, errs(fe("pieces[1]", "Une pièce à fournir ne peut pas être vide."))},
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
		{"organisation", func(p *PlageOuverture) { p.OrganisationID = "" }, errs(fe("organisationId", "L'organisation est obligatoire."))},
		{"agent", func(p *PlageOuverture) { p.AgentID = "" }, errs(fe("agentId", "L'agent ou le guichet est obligatoire."))},
		{"lieu", func(p *PlageOuverture) { p.LieuID = "" }, errs(fe("lieuId", "Le lieu est obligatoire."))},
		{"title", func(p *PlageOuverture) { p.Title = "" }, errs(fe("title", "Le titre est obligatoire."))},
		{"motifs", func(p *PlageOuverture) { p.MotifIDs = nil }, errs(fe("motifIds", "Choisissez au moins un motif."))},
		{"motif empty", func(p *PlageOuverture) { p.MotifIDs = []string{"m1", ""} }, errs(fe("motifIds", "Un motif est vide."))},
		{"motif twice", func(p *PlageOuverture) { p.MotifIDs = []string{"m1", "m1"} }, errs(fe("motifIds", "Un motif est choisi deux fois."))},
		{"first day", func(p *PlageOuverture) { p.FirstDay = Date{} }, errs(fe("firstDay", "Le premier jour est obligatoire."))},
		{"first day invalid", func(p *PlageOuverture) { p.FirstDay = Date{2026, 2, 30} }, errs(fe("firstDay", "La date n'existe pas."))},
		{"end before start", func(p *PlageOuverture) { p.End = Clk(8, 0) }, errs(fe("end", "L'heure de fin doit être après l'heure de début."))},
		{"end equals start", func(p *PlageOuverture) { p.End = p.Start }, errs(fe("end", "L'heure de fin doit être après l'heure de début."))},
		{"clock range", func(p *PlageOuverture) { p.End = Clk(24, 5) }, errs(fe("end", "L'heure doit être comprise entre 00:00 et 24:00."))},
		{"24:00 ok", func(p *PlageOuverture) { p.End = Clk(24, 0) }, nil},
		{"DST start", func(p *PlageOuverture) { p.Start = Clk(2, 30) }, errs(fe("start", "Les horaires entre 02:00 et 03:00 ne sont pas acceptés (changement d'heure)."))},
		{"DST end", func(p *PlageOuverture) { p.Start, p.End = Clk(0, 0), Clk(2, 0) }, errs(fe("end", "Les horaires entre 02:00 et 03:00 ne sont pas acceptés (changement d'heure)."))},
		{"03:00 ok", func(p *PlageOuverture) { p.Start, p.End = Clk(1, 0), Clk(3, 0) }, nil},
		{"canal", func(p *PlageOuverture) { p.Canal = "" }, errs(fe("canal", "Le canal doit être « guichet » ou « en_ligne »."))},
		{"every", func(p *PlageOuverture) { p.Recurrence.Every = "day" }, errs(fe("recurrence.every", "La fréquence de répétition doit être hebdomadaire ou mensuelle."))},
		{"interval", func(p *PlageOuverture) { p.Recurrence.Interval = 53 }, errs(fe("recurrence.interval", "L'intervalle doit être compris entre 1 et 52 semaines."))},
		{"interval negative", func(p *PlageOuverture) { p.Recurrence.Interval = -1 }, errs(fe("recurrence.interval", "L'intervalle doit être compris entre 1 et 52 semaines."))},
		{"weekday", func(p *PlageOuverture) { p.Recurrence.Weekdays = []time.Weekday{1, 7} }, errs(fe("recurrence.weekdays", "Jour de la semaine invalide (0 = dimanche … 6 = samedi)."))},
		{"weekday twice", func(p *PlageOuverture) { p.Recurrence.Weekdays = []time.Weekday{1, 1} }, errs(fe("recurrence.weekdays", "Un jour de la semaine est répété."))},
		{"first day not a weekday", func(p *PlageOuverture) { p.Recurrence.Weekdays = []time.Weekday{time.Tuesday, time.Thursday} },
			errs(fe("recurrence.weekdays", "Le premier jour (lundi) doit être l'un des jours de répétition."))},
		{"until", func(p *PlageOuverture) { p.Recurrence.Until = p.FirstDay }, errs(fe("recurrence.until", "La date de fin de répétition doit être après le premier jour."))},
		{"until invalid", func(p *PlageOuverture) { p.Recurrence.Until = Date{2026, 13, 1} }, errs(fe("recurrence.until", "La date n'existe pas."))},
		{"until once", func(p *PlageOuverture) { p.Recurrence, p.Exceptions = Recurrence{Until: d("2026-06-01")}, nil },
			errs(fe("recurrence.until", "Une date de fin de répétition n'a de sens que si la plage se répète."))},
		{"monthly", monthly, nil},
		{"monthly nth", func(p *PlageOuverture) { monthly(p); p.Recurrence.Nth = 6 }, errs(fe("recurrence.nth", "Le rang dans le mois doit être compris entre 1 et 5."))},
		{"monthly weekday", func(p *PlageOuverture) { monthly(p); p.Recurrence.Weekday = 9 }, errs(fe("recurrence.weekday", "Jour de la semaine invalide (0 = dimanche … 6 = samedi)."))},
		{"monthly first day", func(p *PlageOuverture) { monthly(p); p.Recurrence.Nth = 1 }, errs(fe("recurrence.nth", "Le premier jour doit être le 1er mercredi du mois."))},
		{"monthly first day 3rd", func(p *PlageOuverture) { monthly(p); p.Recurrence.Nth = 3 }, errs(fe("recurrence.nth", "Le premier jour doit être le 3e mercredi du mois."))},
		{"monthly interval", func(p *PlageOuverture) { monthly(p); p.Recurrence.Interval = 13 }, errs(fe("recurrence.interval", "L'intervalle doit être compris entre 1 et 12 mois."))},
		{"exception not an occurrence", func(p *PlageOuverture) { p.Exceptions[0].Date = d("2026-05-11") }, errs(fe("exceptions[0].date", "La plage n'a pas lieu le 11/05/2026."))},
		{"exception twice", func(p *PlageOuverture) { p.Exceptions[1].Date = d("2026-05-07") }, errs(fe("exceptions[1].date", "Le 07/05/2026 a déjà une exception."))},
		{"exception invalid date", func(p *PlageOuverture) { p.Exceptions[0].Date = Date{} }, errs(fe("exceptions[0].date", "La date n'existe pas."))},
		{"exception times", func(p *PlageOuverture) { p.Exceptions[1].End = Clk(13, 0) }, errs(fe("exceptions[1].end", "L'heure de fin doit être après l'heure de début."))},
		{"exception DST", func(p *PlageOuverture) { p.Exceptions[1].Start = Clk(2, 15) }, errs(fe("exceptions[1].start", "Les horaires entre 02:00 et 03:00 ne sont pas acceptés (changement d'heure)."))},
		{"cancelled exception times ignored", func(p *PlageOuverture) { p.Exceptions[0].Start = Clk(2, 15) }, nil},
	})
}

func TestValidateAbsence(t *testing.T) {
	base := func() Absence {
		return Absence{OrganisationID: "o", AgentID: "a", Title: "Congés", FirstDay: d("2026-03-27"), EndDay: d("2026-03-31"), Start: Clk(14, 0), End: Clk(12, 0)}
	}
	single := func(a *Absence) { a.EndDay, a.Start, a.End = Date{}, Clk(12, 0), Clk(14, 0) }
	checkValidation(t, base, []vcase[Absence]{
		{"agent", func(a *Absence) { a.AgentID = "" }, errs(fe("agentId", "L'agent ou le guichet est obligatoire."))},
		{"title", func(a *Absence) { a.Title = "" }, errs(fe("title", "Le titre est obligatoire."))},
		{"first day", func(a *Absence) { a.FirstDay = Date{} }, errs(fe("firstDay", "Le premier jour est obligatoire."))},
		{"end day invalid", func(a *Absence) { a.EndDay = Date{2026, 4, 31} }, errs(fe("endDay", "La date n'existe pas."))},
		{"end day before", func(a *Absence) { a.EndDay = d("2026-03-26") }, errs(fe("endDay", "La date de fin doit être le premier jour ou après."), fe("end", "L'heure de fin doit être après l'heure de début."))},
		{"multi-day recurrence", func(a *Absence) { a.Recurrence = Recurrence{Every: Weekly} }, errs(fe("recurrence.every", "Une absence sur plusieurs jours ne peut pas se répéter."))},
		{"multi-day clock", func(a *Absence) { a.End = Clk(25, 0) }, errs(fe("end", "L'heure doit être comprise entre 00:00 et 24:00."))},
		{"single day", single, nil},
		{"single day same end day", func(a *Absence) { single(a); a.EndDay = a.FirstDay }, nil},
		{"single day times", func(a *Absence) { single(a); a.End = Clk(11, 0) }, errs(fe("end", "L'heure de fin doit être après l'heure de début."))},
		{"single day DST hour allowed", func(a *Absence) { single(a); a.Start = Clk(2, 30) }, nil},
		{"recurring", func(a *Absence) { single(a); a.Recurrence = Recurrence{Every: Weekly, Until: d("2026-06-30")} }, nil},
		{"recurring until", func(a *Absence) { single(a); a.Recurrence = Recurrence{Every: Weekly, Until: d("2026-03-01")} },
			errs(fe("recurrence.until", "La date de fin de répétition doit être après le premier jour."))},
	})
}

func TestValidateUsager(t *testing.T) {
	base := func() Usager {
		return Usager{ID: "u1", OrganisationID: "o", FirstName: "Léa", LastName: "Dupont", BirthDate: d("1990-02-28"),
			Phone: "+33612345678", Email: "lea.dupont@example.fr", AntsPreDemande: "AB12CD34EF", ResponsibleID: "u0"}
	}
	checkValidation(t, base, []vcase[Usager]{
		{"first name", func(u *Usager) { u.FirstName = " " }, errs(fe("firstName", "Le prénom est obligatoire."))},
		{"last name", func(u *Usager) { u.LastName = "" }, errs(fe("lastName", "Le nom est obligatoire."))},
		{"birth name", func(u *Usager) { u.BirthName = strings.Repeat("x", 201) }, errs(fe("birthName", "Ce champ ne doit pas dépasser 200 caractères."))},
		{"birth date", func(u *Usager) { u.BirthDate = Date{1990, 2, 29} }, errs(fe("birthDate", "La date n'existe pas."))},
		{"birth date old", func(u *Usager) { u.BirthDate = d("1899-12-31") }, errs(fe("birthDate", "La date de naissance doit être postérieure à 1900."))},
		{"birth date future not checked", func(u *Usager) { u.BirthDate = d("2999-01-01") }, nil},
		{"phone national", func(u *Usager) { u.Phone = "0612345678" }, errs(fe("phone", "Le numéro de téléphone doit être au format international (par exemple +33612345678)."))},
		{"phone short", func(u *Usager) { u.Phone = "+3361234" }, errs(fe("phone", "Le numéro de téléphone doit être au format international (par exemple +33612345678)."))},
		{"phone overseas", func(u *Usager) { u.Phone = "+262692123456" }, nil},
		{"email", func(u *Usager) { u.Email = "lea@" }, errs(fe("email", "L'adresse e-mail n'est pas valide."))},
		{"pre-demande", func(u *Usager) { u.AntsPreDemande = "ab12cd34ef" }, errs(fe("antsPreDemande", "Le numéro de pré-demande ANTS comporte 10 caractères : lettres majuscules et chiffres."))},
		{"pre-demande length", func(u *Usager) { u.AntsPreDemande = "AB12CD34E" }, errs(fe("antsPreDemande", "Le numéro de pré-demande ANTS comporte 10 caractères : lettres majuscules et chiffres."))},
		{"responsible self", func(u *Usager) { u.ResponsibleID = u.ID }, errs(fe("responsibleId", "Un usager ne peut pas être son propre responsable."))},
		{"minimal", func(u *Usager) { *u = Usager{OrganisationID: "o", FirstName: "A", LastName: "B"} }, nil},
	})
	u := base()
	u.BirthDate = d("2026-05-05")
	if err := u.ValidateAt(d("2026-05-05")); err != nil {
		t.Errorf("born today: %v", err)
	}
	var v ValidationError
	if err := u.ValidateAt(d("2026-05-04")); !errors.As(err, &v) || !slices.Equal(v, errs(fe("birthDate", "La date de naissance ne peut pas être dans le futur."))) {
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
		{"organisation", func(r *Rdv) { r.OrganisationID = "" }, errs(fe("organisationId", "L'organisation est obligatoire."))},
		{"motif", func(r *Rdv) { r.MotifID = "" }, errs(fe("motifId", "Le motif est obligatoire."))},
		{"start", func(r *Rdv) { r.StartsAt = time.Time{} }, errs(fe("startsAt", "Le début du rendez-vous est obligatoire."))},
		{"end", func(r *Rdv) { r.EndsAt = r.StartsAt }, errs(fe("endsAt", "La fin du rendez-vous doit être après son début."))},
		{"too long", func(r *Rdv) { r.EndsAt = r.StartsAt.Add(25 * time.Hour) }, errs(fe("endsAt", "Un rendez-vous ne peut pas durer plus de 24 heures."))},
		{"agents", func(r *Rdv) { r.AgentIDs = nil }, errs(fe("agentIds", "Au moins un agent ou guichet est requis."))},
		{"agent empty", func(r *Rdv) { r.AgentIDs = []string{"a1", " "} }, errs(fe("agentIds", "Un agent est vide."))},
		{"agent twice", func(r *Rdv) { r.AgentIDs = []string{"a1", "a2", "a1"} }, errs(fe("agentIds", "Un agent est choisi deux fois."))},
		{"participations", func(r *Rdv) { r.Participations = nil }, errs(fe("participations", "Au moins un usager est requis."))},
		{"participation usager", func(r *Rdv) { r.Participations[0].UsagerID = "" }, errs(fe("participations[0].usagerId", "L'usager est obligatoire."))},
		{"participation twice", func(r *Rdv) { r.Participations = append(r.Participations, r.Participations[0]) },
			errs(fe("participations[1].usagerId", "Cet usager participe déjà au rendez-vous."))},
		{"participation status", func(r *Rdv) { r.Participations[0].Status = "" }, errs(fe("participations[0].status", "Le statut n'est pas valide."))},
		{"documents", func(r *Rdv) { r.DocumentsNumber = 0 }, errs(fe("documentsNumber", "Le nombre de titres doit être au moins 1."))},
		{"status", func(r *Rdv) { r.Status = "done" }, errs(fe("status", "Le statut n'est pas valide."))},
		{"cancelled without instant", func(r *Rdv) { r.Status = StatusExcused }, errs(fe("cancelledAt", "La date d'annulation manque pour ce statut."))},
		{"noshow with instant", func(r *Rdv) { r.Status, r.CancelledAt = StatusNoshow, &cancelled }, nil},
		{"instant without cancel", func(r *Rdv) { r.CancelledAt = &cancelled }, errs(fe("cancelledAt", "Un rendez-vous non annulé n'a pas de date d'annulation."))},
		{"capacity individual", func(r *Rdv) { r.Capacity = 1 }, errs(fe("capacity", "Seul un rendez-vous collectif a un nombre de places."))},
		{"origine", func(r *Rdv) { r.Origine = "fax" }, errs(fe("origine", "L'origine doit être « guichet », « kiosk », « en_ligne » ou « import »."))},
		{"group", group, nil},
		{"group empty", func(r *Rdv) { group(r); r.Participations = nil }, nil},
		{"group full", func(r *Rdv) { group(r); r.Capacity = 1 }, errs(fe("capacity", "Le nombre de participants (2) dépasse le nombre de places (1)."))},
		{"group no seat", func(r *Rdv) { group(r); r.Capacity = 0 }, errs(fe("capacity", "Un rendez-vous collectif doit offrir au moins 1 place."))},
		{"group excused", func(r *Rdv) { group(r); r.Status, r.CancelledAt = StatusExcused, &cancelled },
			errs(fe("status", "Un rendez-vous collectif ne peut être qu'à venir, honoré ou annulé par le service."))},
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
