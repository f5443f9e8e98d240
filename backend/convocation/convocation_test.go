package convocation

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/internal/golden"
	"rdvguichet/backend/internal/pdftext"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s absent (Debian: poppler-utils, zbar-tools): test skipped", tool)
		}
	}
}

func render(t *testing.T, c Convocation, f Format) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c, f); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), f.String()+".pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// flatten joins lines and collapses runs of ASCII blanks, keeping no-break spaces (which
// strings.Fields would treat as blanks).
func flatten(s string) string {
	s = strings.NewReplacer("\n", " ", "\f", " ", "\r", " ", "\t", " ").Replace(s)
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

var blanks = strings.NewReplacer("\u202f", " ", "\u00a0", " ")

// shownText is the exact text the PDF at path shows (backend/internal/pdftext).
func shownText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return pdftext.Shown(data)
}

// sampleWithQuotes adds motif instructions with French quotes typed with plain spaces, which the
// renderer must print with narrow no-break spaces.
func sampleWithQuotes() Convocation {
	c := sample()
	c.Instructions += " Apportez le récapitulatif « pré-demande » imprimé."
	return c
}

func TestRenderTextAndFonts(t *testing.T) {
	need(t, "pdftotext", "pdffonts")
	for _, f := range []Format{A4, Ticket} {
		t.Run(f.String(), func(t *testing.T) {
			path := render(t, sampleWithQuotes(), f)
			text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
			flat := flatten(text)
			want := []string{
				"Mairie de Saint-Aubin-sur-Loire", "Passeport",
				"9\u202fh\u202f30", // « 9 h 30 » with narrow no-break spaces
				"Durée\u202f: 20 minutes",
				"Élodie Lefèvre\u202f: pré-demande n°\u00a0AB12CD34EF",
				"Noé Lefèvre\u202f: numéro de pré-demande non communiqué",
				"ants.gouv.fr",
				"«\u202fpré-demande\u202f»",
				"1 place de la Mairie", "45130 Saint-Aubin-sur-Loire",
				"Guichet\u202f: DR — titres d'identité",
				"Accès de plain-pied par la rue de l'Église\u202f; bureau",
				"Pièces à fournir", "Timbre fiscal\u202f: 86 € (majeur), 42 € (15–17 ans)", "35 × 45 mm",
				"02\u00a038\u00a000\u00a000\u00a000", "accueil@saint-aubin-sur-loire.fr",
				checkin.FormatShortCode(sample().ShortCode),
			}
			if f == A4 {
				want = append(want, "mardi 3 mars 2026 à 9\u202fh\u202f30", "Convocation éditée le vendredi 20 février 2026")
			} else {
				want = append(want, "mardi 3 mars 2026", "à 9\u202fh\u202f30")
			}
			// Poppler's pdftotext turns every Unicode space (U+202F, U+00A0) into an ASCII space,
			// so its output is compared with blanks folded, and the exact strings, no-break spaces
			// included, are read from the page's text operators.
			shown := shownText(t, path)
			for _, w := range want {
				if !strings.Contains(flat, blanks.Replace(w)) {
					t.Errorf("pdftotext output lacks %q:\n%s", w, text)
				}
				if !strings.Contains(shown, w) {
					t.Errorf("the page does not show %q:\n%q", w, shown)
				}
			}
			fonts := run(t, "pdffonts", path)
			if !strings.Contains(fonts, "CID TrueType") || !strings.Contains(fonts, "Identity-H") || !strings.Contains(fonts, " yes ") {
				t.Errorf("font not embedded as a CID TrueType subset:\n%s", fonts)
			}
			pages := run(t, "pdfinfo", path)
			if !strings.Contains(pages, "Pages:           1") {
				t.Errorf("want one page:\n%s", pages)
			}
			if f == Ticket && !strings.Contains(pages, "226.77 x") { // 80 mm in points
				t.Errorf("ticket is not 80 mm wide:\n%s", pages)
			}
		})
	}
}

// TestQRCodeScans renders the page, reads the QR code back with zbarimg as a kiosk scanner would,
// and checks that the token verifies for the RDV.
func TestQRCodeScans(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	c := sample()
	for _, f := range []Format{A4, Ticket} {
		t.Run(f.String(), func(t *testing.T) {
			path := render(t, c, f)
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "150", "-png", "-singlefile", path, prefix)
			cmd := exec.Command("zbarimg", "--raw", "-q", prefix+".png")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("zbarimg found no QR code: %v", err)
			}
			token := strings.TrimSpace(string(out))
			claims, err := checkin.Verify(token, testSecret, c.Start)
			if err != nil {
				t.Fatalf("scanned token %q: %v", token, err)
			}
			if claims.RdvID != sampleID {
				t.Fatalf("token for %s, want %s", claims.RdvID, sampleID)
			}
		})
	}
}

func TestRenderDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Render(&a, sample(), A4); err != nil {
		t.Fatal(err)
	}
	if err := Render(&b, sample(), A4); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two renders of the same convocation differ")
	}
}

// TestRenderEdgeCases: no logo, a broken logo, a phone RDV, long unbreakable words, many pièces
// (the A4 flows onto a second page), and a batch.
func TestRenderEdgeCases(t *testing.T) {
	c := sample()
	c.LogoPNG = []byte("not a png")
	c.Accent = "blue"
	c.LocationType = agenda.Phone
	c.Persons = append(c.Persons, Person{Name: strings.Repeat("Trèslongnomdefamille", 6)})
	for i := 0; i < 40; i++ {
		c.Pieces = append(c.Pieces, "Pièce numéro "+itoa(i)+" à apporter avec son original et une copie lisible")
	}
	for _, f := range []Format{A4, Ticket} {
		var buf bytes.Buffer
		if err := Render(&buf, c, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	var buf bytes.Buffer
	if err := RenderAll(&buf, []Convocation{sample(), c, sample()}, Ticket); err != nil {
		t.Fatal(err)
	}
	if err := RenderAll(&buf, nil, A4); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("empty batch: %v", err)
	}
}

func TestWrapKeepsNoBreakSpaces(t *testing.T) {
	pdf := newPDF([]Convocation{sample()})
	pdf.AddPage()
	pdf.SetFont(family, "", 12)
	s := "rendez-vous le mardi 3 mars 2026 à 9" + fr.NNBSP + "h" + fr.NNBSP + "30 au guichet"
	for _, w := range []float64{20, 30, 45, 60} {
		for _, l := range wrap(pdf, s, w, 0) {
			if strings.HasPrefix(l, "h") || strings.HasSuffix(l, "9") {
				t.Errorf("width %v: « 9 h 30 » broken: %q", w, wrap(pdf, s, w, 0))
			}
		}
	}
	if got := typo("Durée : « 20 min » ; oui ? non !"); got != "Durée\u202f: «\u202f20 min\u202f»\u202f; oui\u202f? non\u202f!" {
		t.Fatalf("typo = %q", got)
	}
}

func TestHelpers(t *testing.T) {
	// The duration line is fr.Duration: the texts the convocation always printed, for every
	// length an RDV can have (at most 24 h).
	for d, want := range map[time.Duration]string{
		20 * time.Minute: "20 minutes", time.Hour: "1 heure", 90 * time.Minute: "1\u202fh\u202f30",
		2 * time.Hour: "2 heures", time.Minute: "1 minute", 8 * time.Hour: "8 heures",
		agenda.MaxRdvDuration: "24 heures", 23*time.Hour + 55*time.Minute: "23\u202fh\u202f55",
	} {
		if got := fr.Duration(d); got != want {
			t.Errorf("fr.Duration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := PhoneText("+33238000000"); got != "02\u00a038\u00a000\u00a000\u00a000" {
		t.Errorf("PhoneText = %q", got)
	}
	if got := PhoneText("+262262000000"); got != "+262262000000" {
		t.Errorf("PhoneText = %q", got)
	}
	if f, err := ParseFormat("ticket"); err != nil || f != Ticket {
		t.Errorf("ParseFormat(ticket) = %v, %v", f, err)
	}
	if _, err := ParseFormat("a5"); agenda.KindOf(err) != agenda.Invalid {
		t.Errorf("ParseFormat(a5) = %v", err)
	}
}

// TestESCPOSGolden pins the thermal ticket byte for byte, in both QR modes.
func TestESCPOSGolden(t *testing.T) {
	for name, mode := range map[string]printing.QRMode{"ticket-qr-native.bin": printing.QRNative, "ticket-qr-raster.bin": printing.QRRaster} {
		b, err := ESCPOS(sampleWithQuotes(), mode)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, name, b)
		if !bytes.HasPrefix(b, []byte{0x1b, '@', 0x1b, 't', 19}) || !bytes.HasSuffix(b, []byte{0x1d, 'V', 66, 0}) {
			t.Errorf("%s: must start with ESC @ ESC t 19 and end with GS V 66 0", name)
		}
		// French text in PC858: « é » is 0x82, « € » 0xD5, « « » 0xAE; no UTF-8 left.
		for _, want := range [][]byte{{'D', 'u', 'r', 0x82, 'e'}, {'8', '6', ' ', 0xd5}, {0xae, 0xff, 'p', 'r', 0x82}} {
			if !bytes.Contains(b, want) {
				t.Errorf("%s lacks % x", name, want)
			}
		}
		if bytes.Contains(b, []byte("é")) {
			t.Errorf("%s contains UTF-8", name)
		}
	}
}

// TestBuildFromDemo builds the convocation of a demo passport RDV from the store.
func TestBuildFromDemo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.sqlite")
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, paris)
	if _, err := demo.Create(ctx, path, now, 10); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secret, err := checkin.LoadSecret(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	rdvs, err := db.ListRdvsBetween(ctx, now, now.AddDate(0, 0, 10), store.RdvFilter{IncludeCancelled: true})
	if err != nil {
		t.Fatal(err)
	}
	var passport, cancelled *agenda.Rdv
	for i, r := range rdvs {
		m, err := db.GetMotif(ctx, r.MotifID)
		if err != nil {
			t.Fatal(err)
		}
		if m.AntsCategory == agenda.AntsPasseport && !r.Status.Cancelled() && passport == nil {
			passport = &rdvs[i]
		}
		if r.Status.Cancelled() && cancelled == nil {
			cancelled = &rdvs[i]
		}
	}
	if passport == nil {
		t.Fatal("no passport RDV in the demo")
	}
	c, err := Build(ctx, db, passport.ID, secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Ants || c.Motif != "Passeport" || len(c.Persons) == 0 || c.Lieu.Street == "" || len(c.Guichets) == 0 ||
		len(c.Pieces) == 0 || c.Phone == "" || c.Email == "" || len(c.ShortCode) != 8 {
		t.Fatalf("incomplete convocation: %+v", c)
	}
	if cl, err := checkin.Verify(c.Token, secret, passport.StartsAt); err != nil || cl.RdvID != passport.ID {
		t.Fatalf("token: %+v, %v", cl, err)
	}
	// The short code resolves back to the RDV among the RDVs of its day.
	day := agenda.DateOf(passport.StartsAt.In(paris))
	sameDay, err := db.ListRdvsBetween(ctx, day.At(0, paris), day.AddDays(1).At(0, paris), store.RdvFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := checkin.MatchShortCode(secret, c.ShortCode, sameDay); err != nil || got.ID != passport.ID {
		t.Fatalf("MatchShortCode = %v, %v", got.ID, err)
	}
	var buf bytes.Buffer
	if err := Render(&buf, c, A4); err != nil {
		t.Fatal(err)
	}
	if cancelled != nil {
		if _, err := Build(ctx, db, cancelled.ID, secret, now); agenda.KindOf(err) != agenda.Invalid {
			t.Fatalf("cancelled RDV: %v", err)
		}
	}
	if _, err := Build(ctx, db, "019a0000-0000-7000-8000-000000000000", secret, now); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("unknown RDV: %v", err)
	}
}
func itoa(n int) string { return strconv.Itoa(n) }

// TestTicketForSeveralPeople: a booking of two passports names the motif with the number of
// people and says the pièces are for each; the usager's line about the pièces is printed in their
// language when the printer's code page holds it (English), and left out when it does not
// (Arabic), rather than printed as question marks.
func TestTicketForSeveralPeople(t *testing.T) {
	c := sample()
	c.Documents = 2
	c.Bring = "Bring these documents for each person."
	want := []string{"Passeport — 2 personnes", "Pièces à fournir, pour chacune des 2 personnes", c.Bring}

	b, err := ESCPOS(c, printing.QRNative)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{want[0], strings.ToUpper(want[1]), want[2]} {
		if !bytes.Contains(b, printing.Encode858(typo(w))) {
			t.Errorf("the thermal ticket lacks %q", w)
		}
	}
	shown := shownText(t, render(t, c, Ticket))
	for _, w := range want {
		if !strings.Contains(shown, typo(w)) {
			t.Errorf("the PDF ticket does not show %q:\n%q", w, shown)
		}
	}

	c.Bring = "أحضروا الوثائق المذكورة أعلاه، لكل شخص."
	if b, err = ESCPOS(c, printing.QRNative); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("?")); n != bytes.Count(must(ESCPOS(sample(), printing.QRNative)), []byte("?")) {
		t.Errorf("the Arabic line was printed as question marks (%d)", n)
	}

	one := sample()
	one.Bring = ""
	if b = must(ESCPOS(one, printing.QRNative)); bytes.Contains(b, []byte("personnes")) || bytes.Contains(b, []byte("CHACUNE")) || !bytes.Contains(b, printing.Encode858("PIÈCES À FOURNIR")) {
		t.Errorf("a ticket for one person names no number of people")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
