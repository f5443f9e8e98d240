package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/kiosk"
	"rdvguichet/backend/notify"
	"rdvguichet/backend/notify/notifytest"
	"rdvguichet/backend/reminders"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5/pgxpool"
)

// fixed is a clock stopped at one instant.
type fixed time.Time

func (f fixed) Now() time.Time { return time.Time(f) }

// The convocation the central's pages print verifies at the office's kiosk (ADR 0012): an
// usager books online, the office syncs (the RDV and the organisation's keys come down), and the
// QR code of the convocation PDF (read by zbarimg) and its short code (read by pdftotext) check
// the usager in through the kiosk's code path, on the RDV's day.
func TestCentralConvocationAtOfficeKiosk(t *testing.T) {
	needPDFTools(t)
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	file, org, token := registerOffice(t, dsn)
	syncOffice(t, file, base, token)
	link := bookOnPages(t, dsn, base, org, "Borneenligne")
	syncOffice(t, file, base, token)
	rdv := onlineRdv(t, file, org, "Borneenligne")

	qr, short := convocationCodes(t, base, link)

	db := openOffice(t, file)
	ctx := context.Background()
	o, err := db.GetOrganisation(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := o.Location()
	if err != nil {
		t.Fatal(err)
	}
	desk := kiosk.Desk{DB: db, Clock: fixed(rdv.StartsAt.Add(-10 * time.Minute))}
	for _, code := range []string{qr, short} {
		a, err := desk.CheckIn(ctx, o, loc, code)
		if err != nil || a.Rdv.ID != rdv.ID {
			t.Fatalf("kiosk check-in with %q: %+v %v", code, a.Rdv, err)
		}
	}
}

// A message the office sends (a reminder, through a real SMTP server) links to the RDV's page at
// the central (ADR 0012): after a sync, the link opens the RDV there, and cancelling through it
// reaches the office's file on the next sync.
func TestOfficeReminderLinkOpensAtCentral(t *testing.T) {
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	file, org, token := registerOffice(t, dsn)
	srv := notifytest.StartSMTP(t, "", "")
	ctx := context.Background()

	db := openOffice(t, file)
	set, err := notify.LoadSettings(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	host, port := srv.HostPort()
	set.EmailEnabled, set.SMSEnabled, set.CentralURL = true, false, base
	set.SMTP = notify.SMTPSettings{Host: host, Port: port, TLS: "none", From: "Mairie de Saint-Aubin <rdv@saint-aubin.fr>"}
	if err := notify.SaveSettings(ctx, db, set); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// A booking at the counter, a week ahead or more, for an usager who gave an e-mail.
	var free []struct {
		Start  time.Time `json:"start"`
		LieuID string    `json:"lieuId"`
	}
	motif := firstMotif(t, file, "guichet")
	out := run(t, bin.office, "creneaux", "--db", file, "--motif", motif, "--days", "28", "--json")
	if err := json.Unmarshal(out, &free); err != nil {
		t.Fatalf("creneaux --json: %v %s", err, out)
	}
	i := 0
	for i < len(free) && free[i].Start.Before(time.Now().Add(7*24*time.Hour)) {
		i++
	}
	if i == len(free) {
		t.Fatal("no free slot a week ahead")
	}
	var booked agenda.Rdv
	out = run(t, bin.office, "book", "--db", file, "--motif", motif, "--lieu", free[i].LieuID, "--start", free[i].Start.Format(time.RFC3339),
		"--nom", "Rappelé", "--prenom", "Rémi", "--email", "remi@example.org", "--json")
	if err := json.Unmarshal(out, &booked); err != nil || booked.ID == "" {
		t.Fatalf("book --json: %v %s", err, out)
	}
	syncOffice(t, file, base, token) // the RDV goes up, the organisation's keys come down

	// The reminder, sent when it is due.
	db = openOffice(t, file)
	due, err := db.RdvNotifications(ctx, booked.ID)
	if err != nil {
		t.Fatal(err)
	}
	var at time.Time
	for _, n := range due {
		if n.Event == reminders.EventRappel {
			at = n.DueAt
		}
	}
	if at.IsZero() {
		t.Fatalf("no reminder planned: %+v", due)
	}
	if _, err := (&notify.Sender{DB: db, Clock: fixed(at)}).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var reminder string
	for _, m := range srv.Messages() {
		if body := strings.ReplaceAll(string(m.Data), "=\r\n", ""); strings.Contains(body, "Rappel") {
			reminder = body
		}
	}
	found := regexp.MustCompile(regexp.QuoteMeta(base) + `(/r/[A-Za-z0-9_-]{` + strconv.Itoa(checkin.LinkChars) + `})\b`).FindStringSubmatch(reminder)
	if found == nil {
		t.Fatalf("no link to the central in the reminder (%d messages):\n%s", len(srv.Messages()), reminder)
	}
	link := found[1]

	page := getPage(t, base+link)
	if !strings.Contains(page, "R. R.") {
		t.Fatalf("the link's page does not show the RDV:\n%s", page)
	}
	if resp, err := noRedirect.PostForm(base+link+"/annuler", url.Values{}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %v %v", resp, err)
	}
	if r, _ := syncOffice(t, file, base, token); r.Pulled < 1 || r.Conflicts != 0 {
		t.Fatalf("sync after the cancellation: %+v", r)
	}
	if got := onlineRdv(t, file, org, "Rappelé"); got.ID != booked.ID || got.Status != agenda.StatusExcused {
		t.Fatalf("after the cancellation, at the office: %s %s", got.ID, got.Status)
	}
	// Another RDV's id under the same MAC, or the MAC altered, opens nothing.
	other := []byte(link)
	other[len(other)-2] ^= 1
	if resp, err := http.Get(base + string(other)); err != nil || resp.StatusCode == http.StatusOK {
		t.Fatalf("altered link: %v %v", resp, err)
	}
}

func getPage(t testing.TB, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, body)
	}
	return string(body)
}

// convocationCodes downloads the convocation of an RDV's link and reads its QR code (zbarimg)
// and its short code (pdftotext), as the usager would show them at the kiosk.
func convocationCodes(t testing.TB, base, link string) (qr, short string) {
	t.Helper()
	resp, err := http.Get(base + link + "/convocation.pdf")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("convocation: %v %v", resp, err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.pdf"), pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "pdftoppm", "-r", "150", "-png", "-singlefile", filepath.Join(dir, "c.pdf"), filepath.Join(dir, "c"))
	qr = strings.TrimSpace(string(run(t, "zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(dir, "c.png"))))
	text := string(run(t, "pdftotext", filepath.Join(dir, "c.pdf"), "-"))
	m := regexp.MustCompile(`\b([2-9A-HJ-NP-Z]{4})[\s\x{a0}]([2-9A-HJ-NP-Z]{4})\b`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no short code in the convocation:\n%s", text)
	}
	return qr, m[1] + " " + m[2]
}

// needPDFTools skips a test when the tools that read a convocation are absent.
func needPDFTools(t testing.TB) {
	for _, tool := range []string{"pdftoppm", "zbarimg", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s absent", tool)
		}
	}
}

// officeKeys asks the central for the organisation's keys as the office does (GET /v1/keys).
func officeKeys(t testing.TB, base, token string) (int, protocol.KeysReply) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+protocol.PathKeys, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reply protocol.KeysReply
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, reply
}

// « rdv-central office rotate-key » (ADR 0012): the offices receive the new key at their next
// sync and sign with it, while a convocation printed and a link built with the former key still
// verify at the kiosk and open at the central; once the office is revoked and the key rotated
// with --now, the revoked office receives no key and the former key opens nothing.
func TestKeyRotation(t *testing.T) {
	needPDFTools(t)
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	file, org, token := registerOffice(t, dsn)
	syncOffice(t, file, base, token)
	link := bookOnPages(t, dsn, base, org, "Avantrotation")
	syncOffice(t, file, base, token)
	rdv := onlineRdv(t, file, org, "Avantrotation")
	qr, short := convocationCodes(t, base, link) // printed before the rotation
	ctx := context.Background()
	pg, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var officeID string
	if err := pg.QueryRow(ctx, "SELECT id::text FROM offices WHERE organisation_id = $1", org).Scan(&officeID); err != nil {
		t.Fatal(err)
	}
	_, before := officeKeys(t, base, token)
	if len(before.Keys) != 1 {
		t.Fatalf("keys before the rotation: %d", len(before.Keys))
	}
	old := before.Keys[0]
	oldLink, err := checkin.LinkToken(old, rdv.ID, rdv.Participations[0].UsagerID) // in a reminder the office sent
	if err != nil {
		t.Fatal(err)
	}

	out := string(run(t, bin.central, "office", "rotate-key", "--db", dsn, "--office", officeID))
	if !strings.Contains(out, "Nouvelle clé") || !strings.Contains(out, "Anciennes clés encore acceptées : 1") {
		t.Errorf("rotate-key said:\n%s", out)
	}
	status, after := officeKeys(t, base, token)
	if status != http.StatusOK || len(after.Keys) != 2 || string(after.Keys[0]) == string(old) || string(after.Keys[1]) != string(old) {
		t.Fatalf("keys after the rotation: %d, %d keys", status, len(after.Keys))
	}
	syncOffice(t, file, base, token)
	db := openOffice(t, file)
	keys, err := checkin.LoadKeys(ctx, db)
	if err != nil || len(keys.Org) != 2 || string(keys.Signing()) != string(after.Keys[0]) {
		t.Fatalf("the office's keys after its sync: %d %v", len(keys.Org), err)
	}
	o, err := db.GetOrganisation(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := o.Location()
	desk := kiosk.Desk{DB: db, Clock: fixed(rdv.StartsAt.Add(-10 * time.Minute))}
	for _, code := range []string{qr, short} {
		if a, err := desk.CheckIn(ctx, o, loc, code); err != nil || a.Rdv.ID != rdv.ID {
			t.Errorf("the convocation printed before the rotation, %q, at the kiosk: %+v %v", code, a.Rdv, err)
		}
	}
	db.Close()
	for _, l := range []string{link, "/r/" + oldLink} {
		if page := getPage(t, base+l); !strings.Contains(page, "I. A.") {
			t.Errorf("%s after the rotation does not show the RDV", l)
		}
	}

	// The PC was lost: revoke its office, rotate at once.
	run(t, bin.central, "office", "revoke", "--db", dsn, "--id", officeID)
	out = string(run(t, bin.central, "office", "rotate-key", "--db", dsn, "--office", officeID, "--now"))
	if !strings.Contains(out, "Anciennes clés supprimées : 2") {
		t.Errorf("rotate-key --now said:\n%s", out)
	}
	if status, reply := officeKeys(t, base, token); status != http.StatusForbidden || len(reply.Keys) != 0 {
		t.Errorf("a revoked office asks for the keys: %d, %d keys", status, len(reply.Keys))
	}
	if resp, err := http.Get(base + "/r/" + oldLink); err != nil || resp.StatusCode == http.StatusOK {
		t.Errorf("a link built with a dropped key: %v %v", resp, err)
	}
}
