package printing_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/printing"
)

// TestCUPSRealQueue prints a convocation through the real lp to the cups-pdf queue RDVPDF and
// finds the PDF it produced. It needs a running cupsd with that queue: build/scripts/cups-test.sh
// sets both up and prints the output folder, which RDV_TEST_CUPS_DIR must name.
func TestCUPSRealQueue(t *testing.T) {
	if os.Getenv("RDV_TEST_CUPS") != "1" {
		t.Skip("real CUPS test skipped: run build/scripts/cups-test.sh, then RDV_TEST_CUPS=1 RDV_TEST_CUPS_DIR=<its output> go test ./backend/printing/")
	}
	dir := os.Getenv("RDV_TEST_CUPS_DIR")
	if dir == "" {
		dir = "/var/spool/cups-pdf/RDVPDF"
	}
	queue := os.Getenv("RDV_TEST_CUPS_QUEUE")
	if queue == "" {
		queue = "RDVPDF"
	}
	before := pdfs(t, dir)

	paris, _ := time.LoadLocation("Europe/Paris")
	secret := bytes.Repeat([]byte{3}, 32)
	id := "019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b"
	start := time.Date(2026, 3, 3, 9, 30, 0, 0, paris)
	tok, err := checkin.Sign(secret, id, checkin.Expiry(start, paris))
	if err != nil {
		t.Fatal(err)
	}
	c := convocation.Convocation{
		RdvID: id, Organisation: "Mairie de Saint-Aubin-sur-Loire", Location: paris, Start: start,
		Duration: 20 * time.Minute, Motif: "Passeport", LocationType: agenda.PublicOffice, Ants: true,
		Persons: []convocation.Person{{Name: "Élodie Lefèvre"}}, Lieu: convocation.Place{Name: "Mairie", Street: "1 place de la Mairie"},
		Pieces: []string{"Timbre fiscal : 86 €"}, ShortCode: checkin.ShortCode(secret, id), Token: tok,
	}
	var buf bytes.Buffer
	if err := convocation.Render(&buf, c, convocation.A4); err != nil {
		t.Fatal(err)
	}
	p := &printing.CUPS{Printer: queue}
	title := "rdv-test-" + strings.ReplaceAll(t.Name(), "/", "-")
	if err := p.Print(context.Background(), printing.Document{Title: title, Kind: printing.PDF, Data: buf.Bytes(), Media: "A4"}); err != nil {
		t.Fatal(err)
	}
	t.Logf("job %s", p.JobID)

	// cups-pdf creates the file at 0 bytes and ghostscript fills it: the job is done when the
	// queue is empty.
	for i := 0; ; i++ {
		out, err := exec.Command("lpstat", "-o", queue).Output()
		if err == nil && strings.TrimSpace(string(out)) == "" {
			break
		}
		if i == 300 {
			t.Fatalf("job still queued after 60 s: %s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var found string
	for f := range pdfs(t, dir) {
		if !before[f] {
			found = f
		}
	}
	if found == "" {
		t.Fatalf("no new PDF in %s (is it the folder of /etc/cups/cups-pdf-%s.conf?)", dir, queue)
	}
	st, err := os.Stat(found)
	if err != nil || st.Size() == 0 {
		t.Fatalf("%s: empty (%v)", found, err)
	}
	// cups-pdf re-renders the document through ghostscript, which drops the text's Unicode map
	// (pdftotext reads symbols): check the page size and that the QR code still scans to a
	// token of this RDV.
	if _, err := exec.LookPath("pdfinfo"); err == nil {
		info, err := exec.Command("pdfinfo", found).Output()
		if err != nil || !strings.Contains(string(info), "595") || !strings.Contains(string(info), "842") {
			t.Errorf("printed PDF is not one A4 page (%v):\n%s", err, info)
		}
	}
	if _, err := exec.LookPath("zbarimg"); err == nil {
		png := filepath.Join(t.TempDir(), "page")
		if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", found, png).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		out, err := exec.Command("zbarimg", "--raw", "-q", png+".png").Output()
		if err != nil {
			t.Fatalf("no QR code on the printed page: %v", err)
		}
		if cl, err := checkin.Verify(strings.TrimSpace(string(out)), secret, start); err != nil || cl.RdvID != id {
			t.Fatalf("printed QR code: %+v, %v", cl, err)
		}
	}
	t.Logf("printed to %s (%d bytes)", found, st.Size())
}

func pdfs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	m := map[string]bool{}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".pdf") {
			m[filepath.Join(dir, e.Name())] = true
		}
	}
	return m
}
