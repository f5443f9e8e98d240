package daylist

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

func TestRenderEmbedsTheFontAndWritesFrench(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	day := agenda.Date{Year: 2026, Month: time.March, Day: 10}
	l := List{Organisation: "Mairie de Saint-Aubin", Title: "Mairie — DR", Day: day, Location: paris, Printed: day.At(agenda.Clk(8, 50), paris),
		Rows: []Row{{Start: day.At(agenda.Clk(9, 30), paris), Usagers: []string{"LEFÈVRE Hélène"}, Phone: "06 12 34 56 78",
			PreDemandes: []string{"AB12CD34EF"}, Motif: "Passeport", Ants: true, Documents: 3, Context: "Dossier incomplet la dernière fois"},
			{Start: day.At(agenda.Clk(10, 0), paris), Usagers: []string{"MARTIN Lucas"}, Motif: "Aide CAF", Documents: 1}},
		Pieces: []MotifPieces{{Motif: "Passeport", Pieces: []string{"Photo d'identité de moins de 6 mois"}}}}
	var buf bytes.Buffer
	if err := Render(&buf, l); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) absent")
	}
	path := filepath.Join(t.TempDir(), "liste.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Liste du jour — Mairie — DR", "Mardi 10 mars 2026 — 2 rendez-vous", "LEFÈVRE Hélène — 06 12 34 56 78",
		"Passeport — 3 titres", "AB12CD34EF", "Dossier incomplet la dernière fois", "Pièces à fournir", "page 1/1"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	// « titre » belongs to passports and CNI only: the CAF's RDV says nothing of titres.
	if strings.Count(string(text), "titre") != 1 {
		t.Errorf("« titre » on a non-ANTS motif:\n%s", text)
	}
	fonts, err := exec.Command("pdffonts", path).Output()
	if err == nil && !strings.Contains(strings.ToLower(string(fonts)), "dejavu") {
		t.Errorf("DejaVu not embedded:\n%s", fonts)
	}
}

func TestRenderEmptyDay(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, List{Organisation: "Mairie", Title: "Mairie", Day: agenda.Date{Year: 2026, Month: 3, Day: 11}}); err != nil {
		t.Fatal(err)
	}
}
