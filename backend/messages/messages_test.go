package messages

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// Every code the domain defines has a French text: a door never shows a bare code.
func TestEveryCodeHasFrenchText(t *testing.T) {
	for _, c := range agenda.Codes() {
		if !Known(c) {
			t.Errorf("code %s: no French text in locales/fr", c)
		}
	}
}

func TestTextWithParams(t *testing.T) {
	err := agenda.E("store.Book", agenda.Invalid, &agenda.Error{Op: "creneaux.Available", Kind: agenda.Invalid, Code: agenda.CodeTooSoon,
		Params: map[string]string{"bound": "min", "minutes": "120"}})
	m := For(French, err)
	if m.Code != agenda.CodeTooSoon || m.Message != "Ce créneau est hors du délai de réservation du motif : au plus tôt 2 heures à l’avance." {
		t.Errorf("fr: %+v", m)
	}
	if got := For(English, err).Message; got != "This time cannot be booked here: at least 2 h in advance." {
		t.Errorf("en: %q", got)
	}
	err = agenda.CanTransition(agenda.StatusSeen, agenda.StatusSeen, agenda.Past, true, false)
	if got := For(French, err).Message; got != "Le rendez-vous est déjà au statut « Vu »." {
		t.Errorf("status: %q", got)
	}
}

// A code missing in English falls back to French; a code unknown everywhere gets its kind's text.
func TestFallbacks(t *testing.T) {
	if got := Text(English, agenda.CodeCurrentPasswordWrong, nil); got != "Le mot de passe actuel est incorrect." {
		t.Errorf("fallback to French: %q", got)
	}
	if got := Text(French, agenda.Code("no_such_code"), nil); !strings.HasPrefix(got, "L’opération a échoué") {
		t.Errorf("unknown code: %q", got)
	}
	if m := For(French, errors.New("disk on fire")); m.Code != agenda.CodeInternal || strings.Contains(m.Message, "disk") {
		t.Errorf("plain error: %+v", m)
	}
}

// The engine's refusal keeps its code through the store's wrapping, and benign codes say so.
func TestInnermostCodeAndBenign(t *testing.T) {
	inner := agenda.Fail("creneaux", agenda.CodeAgentAbsent)
	err := agenda.E("store.Book", agenda.Other, agenda.E("store.book", agenda.Invalid, inner))
	if m := For(French, err); m.Code != agenda.CodeAgentAbsent || !m.Benign || m.Message != "L’agent est absent sur ce créneau." {
		t.Errorf("%+v", m)
	}
	if agenda.IsBenign(agenda.Fail("x", agenda.CodeSlotTaken)) {
		t.Error("slot_taken is a hard rule")
	}
}

func TestValidationFields(t *testing.T) {
	v := agenda.ValidationError{{Field: "name", Code: agenda.CodeInvalidField, Message: "Le nom est obligatoire."}}
	m := For(French, agenda.E("store.SaveMotif", agenda.Invalid, v))
	if m.Code != agenda.CodeInvalidField || len(m.Fields) != 1 || m.Message != "Le nom est obligatoire." {
		t.Errorf("%+v", m)
	}
}

// The domain's validation carries only codes; the door renders them to the texts the screens
// always showed.
func TestValidationCodesRenderTodaysTexts(t *testing.T) {
	rdv := agenda.Rdv{OrganisationID: "o", MotifID: "m", StartsAt: time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC),
		AgentIDs: []string{"a"}, Participations: []agenda.Participation{{UsagerID: "u", Status: agenda.StatusUnknown}},
		DocumentsNumber: 1, Status: agenda.StatusUnknown, Origine: "courrier"}
	rdv.EndsAt = rdv.StartsAt.Add(20 * time.Minute)
	err := rdv.Validate()
	var v agenda.ValidationError
	if !errors.As(err, &v) || len(v) != 1 || v[0].Code != "origine_invalid" || v[0].Message != "" {
		t.Fatalf("the domain's field error: %#v", err)
	}
	m := For(French, agenda.E("store.Book", agenda.Other, err))
	const origine = "L’origine doit être « guichet », « kiosk », « en_ligne » ou « import »."
	if m.Code != agenda.CodeInvalidField || len(m.Fields) != 1 || m.Fields[0].Field != "origine" ||
		m.Fields[0].Message != origine || m.Message != origine {
		t.Errorf("origine: %+v", m)
	}

	plage := agenda.PlageOuverture{OrganisationID: "o", AgentID: "a", LieuID: "l", Title: "Titres", MotifIDs: []string{"m"},
		FirstDay: agenda.Date{Year: 2026, Month: 3, Day: 2}, Start: agenda.Clk(2, 30), End: agenda.Clk(12, 0), Canal: agenda.CanalGuichet}
	m = For(French, plage.Validate())
	if len(m.Fields) != 1 || m.Fields[0].Field != "start" ||
		m.Fields[0].Message != "Les horaires entre 02:00 et 03:00 ne sont pas acceptés (changement d’heure)." {
		t.Errorf("DST window: %+v", m)
	}

	org := agenda.Organisation{Name: strings.Repeat("é", agenda.MaxNameLength+1), AccentColor: "blue", TimeZone: "Europe/Paris"}
	m = For(French, org.Validate())
	want := []agenda.FieldError{
		{Field: "name", Code: "too_long", Message: fmt.Sprintf("Ce champ ne doit pas dépasser %d caractères.", agenda.MaxNameLength)},
		{Field: "accentColor", Code: "color_format", Message: "La couleur doit être au format #RRGGBB (par exemple #1D4ED8)."},
	}
	if !slices.Equal(m.Fields, want) || m.Message != "Certains champs sont à corriger." {
		t.Errorf("organisation:\n got %+v\nwant %+v", m, want)
	}

	// The limits the catalogue writes out are the domain's.
	if got, want := Text(French, agenda.CodeDurationRange, nil), fmt.Sprintf("La durée doit être comprise entre %d et %d minutes.",
		agenda.MinMotifDuration, agenda.MaxMotifDuration); got != want {
		t.Errorf("duration_range: %q, want %q", got, want)
	}
	// English has no fields.json yet: French, not a bare code.
	if got := Text(English, agenda.CodeColorFormat, nil); got != "La couleur doit être au format #RRGGBB (par exemple #1D4ED8)." {
		t.Errorf("English fallback: %q", got)
	}
	// A rule code no catalogue knows still gets a sentence, not "".
	m = For(French, agenda.ValidationError{{Field: "x", Code: "no_such_rule"}})
	if m.Fields[0].Message != "Cette demande n’est pas acceptée." {
		t.Errorf("unknown rule: %+v", m.Fields[0])
	}
}

// Every text of fields.json is the text of a rule the domain defines: no orphan after a rename.
func TestFieldTextsHaveCodes(t *testing.T) {
	data, err := locales.ReadFile("locales/fr/fields.json")
	if err != nil {
		t.Fatal(err)
	}
	var texts map[string]string
	if err := json.Unmarshal(data, &texts); err != nil {
		t.Fatal(err)
	}
	for id := range texts {
		if !slices.Contains(agenda.Codes(), agenda.Code(id)) {
			t.Errorf("fields.json: %s is no code of backend/agenda", id)
		}
	}
}

// The rules whose text names a value read as they did when the domain wrote them (the screens
// and the end-to-end tests see the same sentences).
func TestFieldTextsWithValues(t *testing.T) {
	for args, want := range map[agenda.FieldError]string{
		{Field: "recurrence.weekdays", Code: agenda.CodeFirstDayNotInWeekdays, Args: "weekday=5"}:       "Le premier jour (vendredi) doit être l’un des jours de répétition.",
		{Field: "recurrence.nth", Code: agenda.CodeFirstDayNotNth, Args: "nth=1;weekday=3"}:             "Le premier jour doit être le 1er mercredi du mois.",
		{Field: "timeZone", Code: agenda.CodeTimeZoneInvalid, Args: "zone=Europe/Lutece"}:               "Le fuseau horaire « Europe/Lutece » est inconnu.",
		{Field: "exceptions[1].date", Code: agenda.CodeExceptionRepeated, Args: "date=2026-05-07"}:      "Le 07/05/2026 a déjà une exception.",
		{Field: "exceptions[0].date", Code: agenda.CodeExceptionNotOccurrence, Args: "date=2026-05-11"}: "La plage n’a pas lieu le 11/05/2026.",
		{Field: "capacity", Code: agenda.CodeCapacityExceeded, Args: "n=4;max=3"}:                       "Le nombre de participants (4) dépasse le nombre de places (3).",
	} {
		m := For(French, agenda.ValidationError{args})
		if len(m.Fields) != 1 || m.Fields[0].Message != want {
			t.Errorf("%s: %+v, want %q", args.Code, m.Fields, want)
		}
	}
}

// A text never shows a template's hole (« <no value> »): each code renders without its params.
func TestNoHoleWithoutParams(t *testing.T) {
	for _, c := range agenda.Codes() {
		for _, lang := range []Lang{French, English} {
			if s := Text(lang, c, nil); strings.Contains(s, "<no value>") {
				t.Errorf("%s (%s): %q", c, lang, s)
			}
		}
	}
}

// The French texts write the apostrophe as French typography does (’), never the typewriter's '.
func TestFrenchTextsUseTheTypographicApostrophe(t *testing.T) {
	straight := regexp.MustCompile(`\pL'\pL`)
	err := fs.WalkDir(locales, "locales/fr", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := locales.ReadFile(path)
		if err != nil {
			return err
		}
		var texts map[string]string
		if err := json.Unmarshal(data, &texts); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for id, s := range texts {
			if straight.MatchString(s) {
				t.Errorf("%s: %s: %q", path, id, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The catalogues an usager reads in English (the kiosk, the online pages: bookings, statuses) have
// every text of their French file: none falls back to French.
func TestEnglishUsagerCataloguesAreComplete(t *testing.T) {
	for _, file := range []string{"booking.json", "kiosk.json"} {
		keys := func(lang string) map[string]string {
			data, err := locales.ReadFile("locales/" + lang + "/" + file)
			if err != nil {
				t.Fatal(err)
			}
			var texts map[string]string
			if err := json.Unmarshal(data, &texts); err != nil {
				t.Fatalf("%s/%s: %v", lang, file, err)
			}
			return texts
		}
		en := keys("en")
		for id := range keys("fr") {
			if _, ok := en[id]; !ok {
				t.Errorf("en/%s lacks %s", file, id)
			}
		}
	}
	if got := Text(English, agenda.CodeStatusNoshowArrived, nil); got != "The person has arrived: they cannot be marked as missed." {
		t.Errorf("status text in English: %q", got)
	}
}
