package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/internal/pdftext"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

func sample() Usager {
	day := agenda.Date{Year: 2026, Month: time.March, Day: 3}
	start := day.At(agenda.Clk(9, 30), paris)
	return Usager{Organisation: "Mairie de Saint-Aubin-sur-Loire", Location: paris,
		Exported: agenda.Date{Year: 2026, Month: time.March, Day: 10}.At(agenda.Clk(8, 45), paris),
		Name:     "LEFÈVRE Hélène",
		Fields: []Field{{"Nom", "LEFÈVRE"}, {"Prénom", "Hélène"}, {"Date de naissance", "07/05/1984"},
			{"Téléphone", "06\u00a012\u00a034\u00a056\u00a078"}, {"Courriel", "helene.lefevre@example.fr"}},
		Relatives: []string{"LEFÈVRE Noé"},
		Rdvs: []Rdv{{Start: start, End: start.Add(20 * time.Minute), Motif: "Carte d’identité", Lieu: "Hôtel de ville — rue de l’Église",
			Status: "Rendez-vous honoré", Agents: []string{"Claire Martin"},
			History: []string{"le lundi 2 mars 2026 à 10 h 00, par Claire Martin : pris", "le mardi 3 mars 2026 à 9 h 52 : Rendez-vous honoré"}}},
		Messages: []Message{{At: day.At(agenda.Clk(8, 0), paris).Add(-24 * time.Hour), Label: "Rappel", Channel: "SMS",
			Recipient: "06\u00a012\u00a034\u00a056\u00a078", State: "Envoyé"}},
		Attempts: 2,
	}
}

// The readable export shows the usager, each RDV's date as the counter says it (« mardi 3 mars
// 2026 à 9 h 30 », narrow no-break spaces), motif, lieu, status, and the messages, accents
// included, in the embedded font.
func TestRenderTextAndFont(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s absent (Debian: poppler-utils): test skipped", tool)
		}
	}
	var buf bytes.Buffer
	if err := Render(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "usager.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	flat, shown := flatten(text), shownText(t, path)
	for _, w := range []string{
		"Mairie de Saint-Aubin-sur-Loire", "Données personnelles de LEFÈVRE Hélène",
		"Export du mardi 10 mars 2026 à 8\u202fh\u202f45",
		"Nom\u202f: LEFÈVRE", "Prénom\u202f: Hélène", "Date de naissance\u202f: 07/05/1984",
		"Téléphone\u202f: 06\u00a012\u00a034\u00a056\u00a078", "Courriel\u202f: helene.lefevre@example.fr",
		"Personnes dont l’usager est responsable\u202f: LEFÈVRE Noé",
		"Rendez-vous (1 rendez-vous)",
		"Mardi 3 mars 2026 à 9\u202fh\u202f30 (20 minutes)",
		"Motif\u202f: Carte d’identité", "Lieu\u202f: Hôtel de ville — rue de l’Église",
		"Statut\u202f: Rendez-vous honoré", "Avec\u202f: Claire Martin",
		"Messages à l’usager (1 message)",
		"Rappel — SMS à 06\u00a012\u00a034\u00a056\u00a078 — Envoyé — lundi 2 mars 2026 à 8\u202fh\u202f00",
		"2 tentatives d’envoi enregistrées",
		"page 1/1",
	} {
		// Poppler turns U+202F and U+00A0 into ASCII spaces: its output is compared with blanks
		// folded, and the exact strings, no-break spaces included, are read from the page.
		if !strings.Contains(flat, blanks.Replace(w)) {
			t.Errorf("pdftotext output lacks %q:\n%s", w, text)
		}
		if !strings.Contains(shown, w) {
			t.Errorf("the page does not show %q:\n%q", w, shown)
		}
	}
	// No break between « 9 » and « h 30 »: the narrow no-break spaces are not plain spaces.
	if strings.Contains(shown, "9 h 30") {
		t.Errorf("plain spaces in « 9 h 30 »: %q", shown)
	}
	fonts := run(t, "pdffonts", path)
	if !strings.Contains(strings.ToLower(fonts), "dejavu") || !strings.Contains(fonts, " yes ") {
		t.Errorf("DejaVu not embedded:\n%s", fonts)
	}
}

// Many RDVs run on several pages, each with its number.
func TestRenderManyPages(t *testing.T) {
	u := sample()
	for i := range 60 {
		r := u.Rdvs[0]
		r.Start = r.Start.AddDate(0, 0, 7*i)
		u.Rdvs = append(u.Rdvs, r)
	}
	var buf bytes.Buffer
	if err := Render(&buf, u); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext absent")
	}
	path := filepath.Join(t.TempDir(), "usager.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	if !strings.Contains(text, "Rendez-vous (61 rendez-vous)") || strings.Contains(text, "page 1/1\n") || !strings.Contains(text, "page 2/") {
		t.Errorf("want several numbered pages:\n%s", text)
	}
}

func TestRenderEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, Usager{Organisation: "Mairie", Name: "X Y"}); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal(err)
	}
}

var blanks = strings.NewReplacer("\u202f", " ", "\u00a0", " ")

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// flatten joins lines and collapses runs of ASCII blanks, keeping no-break spaces.
func flatten(s string) string {
	s = strings.NewReplacer("\n", " ", "\f", " ", "\r", " ", "\t", " ").Replace(s)
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

// shownText is the exact text the PDF at path shows (backend/internal/pdftext).
func shownText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return pdftext.Shown(data)
}
