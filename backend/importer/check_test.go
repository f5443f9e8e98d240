package importer

import (
	"bytes"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"rdvguichet/backend/agenda"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// ref is a commune with two agendas and two motifs, on Tuesday 10 March 2026 at 8:45.
func ref() Reference {
	return Reference{
		OrganisationID: "org",
		Agents:         []agenda.Agent{{ID: "dr", Name: "DR — titres d'identité"}, {ID: "claire", Name: "Claire Martin"}},
		Motifs:         []agenda.Motif{{ID: "cni", Name: "Carte d'identité"}, {ID: "caf", Name: "Aide CAF"}},
		Loc:            paris,
		Now:            time.Date(2026, 3, 10, 8, 45, 0, 0, paris),
	}
}

const header = "nom;prénom;date de naissance;téléphone;e-mail;date;heure;agenda;motif\n"

func check(t *testing.T, csv string) (Plan, []Problem) {
	t.Helper()
	sheet, err := Read([]byte(csv))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return Check(sheet, ref())
}

// Each reason a line is refused, with its line number and code; a good line beside it is not.
func TestCheckReasons(t *testing.T) {
	good := "Martin;Jeanne;07/04/1985;06 12 34 56 78;jeanne@example.fr;24/03/2026;9 h 30;Claire Martin;Aide CAF\n"
	cases := []struct {
		name, line string
		code       agenda.Code
		params     map[string]string
	}{
		{"last name", ";Jeanne;;;;;;;\n", agenda.CodeNameRequired, nil},
		{"first name", "Martin;;;;;;;;\n", agenda.CodeFirstNameRequired, nil},
		{"birth date format", "Martin;Jean;7 avril 1985;;;;;;\n", agenda.CodeImportBirthDate, map[string]string{"value": "7 avril 1985"}},
		{"birth date absent from the calendar", "Martin;Jean;31/02/1985;;;;;;\n", agenda.CodeImportBirthDate, map[string]string{"value": "31/02/1985"}},
		{"birth date future", "Martin;Jean;01/01/2030;;;;;;\n", agenda.CodeBirthDateFuture, nil},
		{"birth date before 1900", "Martin;Jean;01/01/1850;;;;;;\n", agenda.CodeBirthDateBefore1900, nil},
		{"phone", "Martin;Jean;;06 12;;;;;\n", agenda.CodePhoneInvalid, map[string]string{"phone": "06 12"}},
		{"e-mail", "Martin;Jean;;;jean@;;;;\n", agenda.CodeEmailInvalid, nil},
		{"rdv without time", "Martin;Jean;;;;24/03/2026;;Claire Martin;Aide CAF\n", agenda.CodeImportRdvIncomplete, map[string]string{"column": "heure"}},
		{"rdv date", "Martin;Jean;;;;24 mars;9 h 30;Claire Martin;Aide CAF\n", agenda.CodeImportDate, map[string]string{"value": "24 mars"}},
		{"rdv time", "Martin;Jean;;;;24/03/2026;9 h 75;Claire Martin;Aide CAF\n", agenda.CodeImportTime, map[string]string{"value": "9 h 75"}},
		{"agenda", "Martin;Jean;;;;24/03/2026;9 h 30;Bureau 4;Aide CAF\n", agenda.CodeImportAgendaUnknown, map[string]string{"value": "Bureau 4"}},
		{"motif", "Martin;Jean;;;;24/03/2026;9 h 30;Claire Martin;Permis de chasse\n", agenda.CodeImportMotifUnknown, map[string]string{"value": "Permis de chasse"}},
		{"past", "Martin;Jean;;;;09/03/2026;9 h 30;Claire Martin;Aide CAF\n", agenda.CodeImportRdvPast, map[string]string{"date": "09/03/2026", "time": "9\u202fh\u202f30"}},
		{"too many cells", "Martin;Jean;;;;;;;;en trop\n", agenda.CodeImportTooManyCells, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan, problems := check(t, header+good+c.line)
			want := []Problem{{Line: 3, Code: c.code, Params: c.params}}
			if !equalProblems(problems, want) {
				t.Errorf("problems = %+v, want %+v", problems, want)
			}
			if len(plan.Rdvs) > 1 {
				t.Errorf("a refused line is in the plan: %+v", plan.Rdvs)
			}
		})
	}
}

func equalProblems(a, b []Problem) bool {
	return slices.EqualFunc(a, b, func(x, y Problem) bool {
		return x.Line == y.Line && x.Code == y.Code && len(x.Params) == len(y.Params) && (len(x.Params) == 0 || strings.Join(sortedParams(x.Params), ";") == strings.Join(sortedParams(y.Params), ";"))
	})
}

func sortedParams(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// Every fault of a line is said, each once.
func TestCheckEveryReasonOfALine(t *testing.T) {
	_, problems := check(t, header+";Jean;1985;06;jean@;;;;\n")
	want := []Problem{{Line: 2, Code: agenda.CodeImportBirthDate, Params: map[string]string{"value": "1985"}},
		{Line: 2, Code: agenda.CodePhoneInvalid, Params: map[string]string{"phone": "06"}},
		{Line: 2, Code: agenda.CodeNameRequired}, {Line: 2, Code: agenda.CodeEmailInvalid}}
	if !equalProblems(problems, want) {
		t.Errorf("problems = %+v, want %+v", problems, want)
	}
}

// The header's faults are line 1's: a required column missing, an unknown or repeated one.
func TestCheckHeader(t *testing.T) {
	cases := []struct {
		header string
		want   []Problem
	}{
		{"nom;date;heure\n", []Problem{{Line: 1, Code: agenda.CodeImportColumnMissing, Params: map[string]string{"column": "prénom"}}}},
		{"nom;prénom;couleur\n", []Problem{{Line: 1, Code: agenda.CodeImportColumnUnknown, Params: map[string]string{"column": "couleur"}}}},
		{"Nom;Prénom;NOM\n", []Problem{{Line: 1, Code: agenda.CodeImportColumnTwice, Params: map[string]string{"column": "nom"}}}},
		{"NOM DE FAMILLE;Prenom;Tél;Courriel;Date de naissance\n", nil},
	}
	for _, c := range cases {
		_, problems := check(t, c.header+"Martin;Jean;;;\n")
		if !equalProblems(problems, c.want) {
			t.Errorf("%q: problems = %+v, want %+v", c.header, problems, c.want)
		}
	}
}

// A good file gives its usagers once each and its RDVs at the organisation's wall-clock times;
// times and dates are read in every way a spreadsheet writes them.
func TestCheckPlan(t *testing.T) {
	plan, problems := check(t, header+
		"Martin;Jeanne;07/04/1985;06 12 34 56 78;;24/03/2026;9 h 30;claire martin;aide caf\n"+
		"MARTIN;Jeanne;07/04/1985;;;26/03/2026;14h;DR - titres d’identité;Carte d'identité\n"+
		"Durand;Paul;;612345678;;2026-03-27;09:00:00;Claire Martin;Aide CAF\n"+
		"Durand;Paul;;;;;;;\n")
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	if len(plan.Usagers) != 3 {
		t.Fatalf("usagers: %+v", plan.Usagers)
	}
	if u := plan.Usagers[0].Usager; u.Phone != "+33612345678" || !u.NotifySMS || u.BirthDate != (agenda.Date{Year: 1985, Month: 4, Day: 7}) {
		t.Errorf("Jeanne: %+v", u)
	}
	if u := plan.Usagers[1].Usager; u.Phone != "+33612345678" {
		t.Errorf("the phone's lost zero is put back: %+v", u)
	}
	want := []PlannedRdv{
		{Line: 2, Usager: 0, MotifID: "caf", AgentID: "claire", Start: time.Date(2026, 3, 24, 9, 30, 0, 0, paris).UTC()},
		{Line: 3, Usager: 0, MotifID: "cni", AgentID: "dr", Start: time.Date(2026, 3, 26, 14, 0, 0, 0, paris).UTC()},
		{Line: 4, Usager: 1, MotifID: "caf", AgentID: "claire", Start: time.Date(2026, 3, 27, 9, 0, 0, 0, paris).UTC()},
	}
	if !slices.Equal(plan.Rdvs, want) {
		t.Errorf("rdvs = %+v\nwant %+v", plan.Rdvs, want)
	}
}

// An usager of the agenda is found by name and birth date, or name and phone; a namesake with
// another birth date is not. A line with a name alone is the one usager of that name, and when
// several bear it, the line is refused with its reason rather than creating another namesake.
func TestMatch(t *testing.T) {
	plan, _ := check(t, header+
		"martin;jeanne;07/04/1985;;;;;;\n"+
		"Dupont;Luc;;07 11 22 33 44;;;;;\n"+
		"Martin;Jean;02/02/1960;;;;;;\n"+
		"MARTIN;Jean;;;;;;;\n"+
		"Roux;Léa;;;;;;;\n"+
		"Petit;Noé;;;;;;;\n"+
		"Dupont;Luc;;;luc@example.fr;;;;\n")
	problems := Match(&plan, []agenda.Usager{
		{ID: "jeanne", LastName: "Martin", FirstName: "Jeanne", BirthDate: agenda.Date{Year: 1985, Month: 4, Day: 7}},
		{ID: "luc", LastName: "DUPONT", FirstName: "Luc", Phone: "+33711223344"},
		{ID: "jean", LastName: "Martin", FirstName: "Jean", BirthDate: agenda.Date{Year: 1950, Month: 1, Day: 1}},
		{ID: "lea1", LastName: "Roux", FirstName: "Léa", BirthDate: agenda.Date{Year: 1990, Month: 1, Day: 1}},
		{ID: "lea2", LastName: "ROUX", FirstName: "Lea", Phone: "+33611223344"},
	})
	var got []string
	for _, u := range plan.Usagers {
		got = append(got, u.ExistingID)
	}
	// Jean Martin born in 1960 is not the one born in 1950; Noé Petit is new; Luc Dupont with an
	// e-mail is not known by his name alone.
	if !slices.Equal(got, []string{"jeanne", "luc", "", "jean", "", "", ""}) {
		t.Errorf("matched %q", got)
	}
	want := Problem{Line: 6, Code: agenda.CodeImportNameAmbiguous, Params: map[string]string{"name": "ROUX Léa", "count": "2"}}
	if len(problems) != 1 || problems[0].Line != want.Line || problems[0].Code != want.Code || !maps.Equal(problems[0].Params, want.Params) {
		t.Errorf("problems %+v, want %+v", problems, want)
	}
}

// The file's faults: too large, empty, too many lines, not a table.
func TestReadRefusals(t *testing.T) {
	many := header + strings.Repeat("Martin;Jean;;;;;;;\n", MaxLines+1)
	cases := []struct {
		name string
		data []byte
		code agenda.Code
	}{
		{"too large", bytes.Repeat([]byte("a"), MaxBytes+1), agenda.CodeImportTooLarge},
		{"empty", []byte(""), agenda.CodeImportEmpty},
		{"header only", []byte(header + ";;;\n\n"), agenda.CodeImportEmpty},
		{"too many lines", []byte(many), agenda.CodeImportTooManyLines},
		{"broken zip", []byte("PK\x03\x04 not really"), agenda.CodeImportUnreadable},
		{"binary", []byte("nom;prénom\x00\x01\n"), agenda.CodeImportUnreadable},
	}
	for _, c := range cases {
		if _, err := Read(c.data); agenda.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

// Excel's French CSV (Windows-1252, « ; »), UTF-8 with a BOM and « , », and XLSX all read the same.
func TestReadFormats(t *testing.T) {
	text := "nom;prénom;date;heure;agenda;motif\r\nLefèvre;Hélène;24/03/2026;9 h 30;Claire Martin;Aide CAF\r\n"
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for i, row := range [][]any{{"nom", "prénom", "date", "heure", "agenda", "motif"}, {}, {"Lefèvre", "Hélène", 46105, 0.395833333, "Claire Martin", "Aide CAF"}} {
		f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &row)
	}
	var xlsx bytes.Buffer
	if err := f.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"windows-1252":      []byte(cp1252),
		"utf-8 bom, commas": []byte("\xef\xbb\xbf" + strings.ReplaceAll(text, ";", ",")),
		"xlsx":              xlsx.Bytes(),
	} {
		sheet, err := Read(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		plan, problems := Check(sheet, ref())
		if len(problems) > 0 || len(plan.Rdvs) != 1 || plan.Usagers[0].Usager.LastName != "Lefèvre" || plan.Usagers[0].Usager.FirstName != "Hélène" ||
			!plan.Rdvs[0].Start.Equal(time.Date(2026, 3, 24, 9, 30, 0, 0, paris)) {
			t.Errorf("%s: %+v %+v", name, plan, problems)
		}
		if name == "xlsx" && plan.Rdvs[0].Line != 3 {
			t.Errorf("xlsx: line %d, want 3 (a blank row keeps its number)", plan.Rdvs[0].Line)
		}
	}
}

// The template offered for download is the documented example, and it reads without a fault.
func TestTemplate(t *testing.T) {
	doc, err := os.ReadFile("../../docs/exemples/import-modele.csv")
	if err != nil || !bytes.Equal(doc, Template) {
		t.Fatalf("docs/exemples/import-modele.csv differs from the embedded template (%v)", err)
	}
	sheet, err := Read(Template)
	if err != nil {
		t.Fatal(err)
	}
	if _, problems := columns(sheet.Header); len(problems) > 0 {
		t.Errorf("template header: %+v", problems)
	}
}
