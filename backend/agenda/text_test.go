package agenda

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// hostile are the characters a name must never carry to a ticket: printer commands (ESC @
// resets, GS V cuts, DLE EOT queries), other C0 controls, DEL, C1 controls.
var hostile = []string{"\x1b@", "\x1dV\x42\x00", "\x10\x04\x01", "\x00", "\x07", "\x7f", "\u0085", "\u009b"}

// Issue 10, #5: names refuse control characters, line and paragraph separators and bidirectional
// controls; free text accepts line feeds and tabs only; text that is not UTF-8 is refused.
func TestTextRules(t *testing.T) {
	for _, h := range hostile {
		if ValidName("Dupont" + h) {
			t.Errorf("name %q accepted", h)
		}
		if ValidFreeText("Rampe" + h + "ascenseur") {
			t.Errorf("free text %q accepted", h)
		}
	}
	for _, s := range []string{"Jean\nDupont", "Jean\tDupont", "Jean\rDupont", "Jean\u2028Dupont", "Jean\u2029Dupont",
		"\u202eDupont", "Du\u202apont", "Du\u202cpont", "\u2066Dupont\u2069", "Dupont\u200f", "\xffDupont", "Dupont\xc3"} {
		if ValidName(s) {
			t.Errorf("name %q accepted", s)
		}
	}
	for _, s := range []string{"Dupont", "Zoé Lefèvre-N'Diaye", "Ἀθηνᾶ", "محمد", "李", "O’Brien (née Œuvray)", "\u00a0"} {
		if !ValidName(s) {
			t.Errorf("name %q refused", s)
		}
	}
	for _, s := range []string{"Rampe\nascenseur au 2e\tétage", "", "\u202eAbc"} {
		if !ValidFreeText(s) {
			t.Errorf("free text %q refused", s)
		}
	}
	for _, s := range []string{"a\rb", "a\x0bb", "a\x0cb", "\xe9t\xe9", "a\u0085b"} {
		if ValidFreeText(s) {
			t.Errorf("free text %q accepted", s)
		}
	}
}

// Issue 10, #5: each entity refuses such text with a field code, and the catalogue has its text.
func TestValidateRefusesControlCharacters(t *testing.T) {
	var v ValidationError
	check := func(name string, err error, want ...FieldError) {
		t.Helper()
		if !errors.As(err, &v) || !slices.Equal(v, ValidationError(want)) {
			t.Errorf("%s: got %v, want %v", name, err, want)
		}
	}
	u := Usager{OrganisationID: "o", FirstName: "Léa\x1b@", LastName: "Dupont\x1dV\x42\x00", BirthName: "Mar\u202etin"}
	check("usager", u.Validate(), fe("firstName", CodeNameControlChar), fe("lastName", CodeNameControlChar),
		fe("birthName", CodeNameFormatChar))
	u = Usager{OrganisationID: "o", FirstName: "L\xe9a", LastName: "Dupont\nDurand", Email: "lea\x00@example.fr"}
	check("usager 2", u.Validate(), fe("firstName", CodeTextInvalidUTF8), fe("lastName", CodeNameControlChar),
		fe("email", CodeEmailInvalid))
	check("organisation", Organisation{Name: "Mairie\x07", TimeZone: "Europe/Paris"}.Validate(), fe("name", CodeNameControlChar))
	l := Lieu{OrganisationID: "o", Name: "Mairie", Street: "1 rue\u2028Haute", PostalCode: "57000", City: "Metz\u0085",
		Accessibility: "Rampe\n\tascenseur\x1b"}
	check("lieu", l.Validate(), fe("street", CodeNameFormatChar), fe("city", CodeNameControlChar),
		fe("accessibility", CodeTextControlChar))
	check("agent", Agent{OrganisationID: "o", Kind: KindGuichet, Name: "Guichet\t1"}.Validate(), fe("name", CodeNameControlChar))
	m := Motif{OrganisationID: "o", Name: "Passeport", Color: "#1d4ed8", DurationMin: 20, MaxPublicDelay: time.Hour,
		LocationType: PublicOffice, Pieces: []string{"Photo", "Timbre\x1bi"}, Instructions: "Venir\r\n tôt"}
	check("motif", m.Validate(), fe("pieces[1]", CodeNameControlChar), fe("instructions", CodeTextControlChar))
	m = m.Normalized()
	m.Pieces[1] = "Timbre fiscal"
	if err := m.Validate(); err != nil || m.Instructions != "Venir\n tôt" {
		t.Errorf("normalised motif: %v, %q", err, m.Instructions)
	}
	p := PlageOuverture{OrganisationID: "o", AgentID: "a", LieuID: "l", Title: "Titres\x1b@", MotifIDs: []string{"m"},
		FirstDay: Date{2026, 3, 2}, Start: Clk(9, 0), End: Clk(12, 0), Canal: CanalGuichet}
	check("plage", p.Validate(), fe("title", CodeNameControlChar))
	a := Absence{OrganisationID: "o", AgentID: "a", Title: "Congé\u2066", FirstDay: Date{2026, 3, 2}, Start: Clk(9, 0), End: Clk(12, 0)}
	check("absence", a.Validate(), fe("title", CodeNameFormatChar))
	start := time.Date(2026, 5, 4, 7, 0, 0, 0, time.UTC)
	r := Rdv{OrganisationID: "o", MotifID: "m", AgentIDs: []string{"a1"}, StartsAt: start, EndsAt: start.Add(20 * time.Minute),
		Status: StatusUnknown, DocumentsNumber: 1, Participations: []Participation{{UsagerID: "u1", Status: StatusUnknown}},
		Context: "Vient avec\tsa fille\nGS V:\x1dV\x42\x00"}
	check("rdv", r.Validate(), fe("context", CodeTextControlChar))
	r.Context = "Vient avec\tsa fille\r\nmalentendante"
	if r = r.Normalized(); r.Validate() != nil || r.Context != "Vient avec\tsa fille\nmalentendante" {
		t.Errorf("normalised context: %q, %v", r.Context, r.Validate())
	}
}

// Issue 10, #5: names are saved in NFC, whatever keyboard typed them; normalising never turns
// invalid text into valid text.
func TestNormalizeNFC(t *testing.T) {
	nfd := "He\u0301le\u0300ne Lefe\u0300vre"
	u := Usager{OrganisationID: "o", FirstName: nfd, LastName: "Chloe\u0308", BirthName: "A\u030angstro\u0308m"}.Normalized()
	if u.FirstName != "Hélène Lefèvre" || u.LastName != "Chloë" || u.BirthName != "Ångström" {
		t.Errorf("normalised: %+v", u)
	}
	if got := NormalizeName("\xffe\u0301"); got != "\xffe\u0301" {
		t.Errorf("invalid UTF-8 changed: %q", got)
	}
	if got := NormalizeFreeText("a\r\nb\rc\u2028d\u2029e\u0301"); got != "a\nb\nc\nd\né" {
		t.Errorf("free text: %q", got)
	}
	l := Lieu{Name: "Mairie annexe de Cre\u0301ange", Street: "rue de l'E\u0301glise", City: "Cre\u0301ange",
		Accessibility: "Acce\u0300s\r\nrampe"}.Normalized()
	if l.Name != "Mairie annexe de Créange" || l.Street != "rue de l'Église" || l.City != "Créange" || l.Accessibility != "Accès\nrampe" {
		t.Errorf("lieu: %+v", l)
	}
	pieces := []string{"Photo d'identite\u0301"}
	m := Motif{Name: "Carte d'identite\u0301", Pieces: pieces, Instructions: "A\u0300 savoir"}.Normalized()
	if m.Name != "Carte d'identité" || m.Pieces[0] != "Photo d'identité" || m.Instructions != "À savoir" || pieces[0] == m.Pieces[0] {
		t.Errorf("motif: %+v (caller's pieces %q)", m, pieces)
	}
	if o := (Organisation{Name: "Mairie de Sai\u0308d"}).Normalized(); o.Name != "Mairie de Saïd" {
		t.Errorf("organisation: %q", o.Name)
	}
	if a := (Agent{Name: "Zoe\u0301"}).Normalized(); a.Name != "Zoé" {
		t.Errorf("agent: %q", a.Name)
	}
	if p := (PlageOuverture{Title: "Titres d'identite\u0301"}).Normalized(); p.Title != "Titres d'identité" {
		t.Errorf("plage: %q", p.Title)
	}
	if a := (Absence{Title: "Conge\u0301"}).Normalized(); a.Title != "Congé" {
		t.Errorf("absence: %q", a.Title)
	}
}

// FuzzNameText: normalising is idempotent and keeps UTF-8 text UTF-8 (and in NFC); what Validate
// accepts as a name or a free text holds no character a ticket could take for a command; and
// nothing clean is refused (no false alarm on a plain name).
func FuzzNameText(f *testing.F) {
	for _, s := range append(hostile, "Léa", "He\u0301le\u0300ne", "a\r\nb", "\u202eabc", "\xff", "Ω\u0301\u0327", "\u0344\u0f73") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, multiline := range []bool{false, true} {
			normalize := NormalizeName
			if multiline {
				normalize = NormalizeFreeText
			}
			n := normalize(s)
			if again := normalize(n); again != n {
				t.Fatalf("not idempotent (multiline %v): %q → %q → %q", multiline, s, n, again)
			}
			if utf8.ValidString(s) != utf8.ValidString(n) {
				t.Fatalf("validity changed: %q → %q", s, n)
			}
			if utf8.ValidString(n) && !norm.NFC.IsNormalString(n) {
				t.Fatalf("not NFC: %q", n)
			}
			if multiline && strings.ContainsAny(n, "\r\u2028\u2029") && utf8.ValidString(n) {
				t.Fatalf("line break left: %q", n)
			}
			ok := textProblem(n, multiline) == ""
			clean := utf8.ValidString(n)
			for _, r := range n {
				switch {
				case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
					if !multiline || (r != '\n' && r != '\t') {
						clean = false
					}
				case !multiline && strings.ContainsRune("\u2028\u2029\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", r):
					clean = false
				}
			}
			if ok != clean {
				t.Fatalf("multiline %v: %q accepted %v, clean %v", multiline, n, ok, clean)
			}
		}
		// Through the entity: a name Validate accepts is one line of clean text.
		u := Usager{OrganisationID: "o", FirstName: s, LastName: "Dupont"}.Normalized()
		if err := u.Validate(); err == nil {
			if !utf8.ValidString(u.FirstName) || strings.ContainsFunc(u.FirstName, isControl) {
				t.Fatalf("accepted %q", u.FirstName)
			}
		} else if CodeOf(err) != CodeInvalidField {
			t.Fatalf("code %v", CodeOf(err))
		}
	})
}
