// Package e2e runs the sync between real processes: rdv-central (its binary, on a loopback
// port, over the test PostgreSQL of RDV_TEST_PG) and the office's command line (rdvguichetcli,
// the rdv-guichet dispatch without the window) on a SQLite file. It is skipped when RDV_TEST_PG
// is unset, like the central's other tests.
package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/server"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"
)

// bin holds the two programs, built once per run.
var bin struct{ central, office string }

func TestMain(m *testing.M) {
	if os.Getenv("RDV_TEST_PG") == "" {
		os.Exit(m.Run()) // every test skips
	}
	dir, err := os.MkdirTemp("", "rdv-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin.central, bin.office = filepath.Join(dir, "rdv-central"), filepath.Join(dir, "rdv-guichet")
	for out, pkg := range map[string]string{bin.central: "rdvguichet/sync/cmd/rdv-central", bin.office: "rdvguichet/sync/e2e/rdvguichetcli"} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "go build %s: %v\n", pkg, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs a program to its end and returns its stdout; a failure ends the test with stderr.
func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout: %s\nstderr: %s", filepath.Base(name), strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

// startCentral starts « rdv-central serve » on a free loopback port and waits until it is ready.
// It is stopped by SIGTERM at the end (and must stop cleanly).
func startCentral(t testing.TB, dsn string) string {
	t.Helper()
	base, _ := startCentralLogs(t, dsn)
	return base
}

// logBuffer is the output of a running process, read while it writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startCentralLogs is startCentral, with what the process writes (its logs).
func startCentralLogs(t testing.TB, dsn string) (string, *logBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logs := &logBuffer{}
	cmd := exec.Command(bin.central, "serve", "--db", dsn, "--listen", addr)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("rdv-central serve ended with %v:\n%s", err, logs)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Errorf("rdv-central serve did not stop")
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, logs
			}
		}
		select {
		case err := <-done:
			t.Fatalf("rdv-central serve ended: %v\n%s", err, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("rdv-central not ready: %v\n%s", err, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncReport is what « rdv-guichet sync --json » prints.
type syncReport struct {
	Pushed, Rejected, Pulled, Conflicts int
	Cursor                              string
}

func syncOffice(t testing.TB, file, base, token string) (syncReport, time.Duration) {
	t.Helper()
	start := time.Now()
	out := run(t, bin.office, "sync", "--db", file, "--server", base, "--token", token, "--json")
	took := time.Since(start)
	var r syncReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("sync --json: %v in %s", err, out)
	}
	return r, took
}

// officeCount counts rows of the office's file (the programs that write it have ended).
func officeCount(t testing.TB, file, query string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func centralCount(t testing.TB, db *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// registerOffice creates the demo agenda in a new file and registers its office at the central:
// the file, its organisation's id and the office's token.
func registerOffice(t testing.TB, dsn string) (file, org, token string) {
	t.Helper()
	file = filepath.Join(t.TempDir(), "office.sqlite")
	run(t, bin.office, "demo", "--db", file)
	var o struct{ ID, Name string }
	if err := json.Unmarshal(run(t, bin.office, "organisation", "--db", file, "--json"), &o); err != nil || o.ID == "" {
		t.Fatalf("organisation --json: %v %+v", err, o)
	}
	out := string(run(t, bin.central, "office", "add", "--db", dsn, "--organisation", o.ID, "--name", "Mairie de Saint-Aubin"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token = strings.TrimSpace(lines[len(lines)-1])
	if len(token) < 40 || strings.Contains(token, " ") {
		t.Fatalf("office add printed no token:\n%s", out)
	}
	if !strings.Contains(string(run(t, bin.central, "office", "list", "--db", dsn)), "Mairie de Saint-Aubin") {
		t.Fatal("office list does not show the office")
	}
	return file, o.ID, token
}

// The office's demo agenda goes up, a second sync changes nothing, a booking at the office goes
// up on the next sync, and an online booking at the central comes down to the office's file.
func TestOfficeAndCentral(t *testing.T) {
	dsn := testkit.FreshDB(t)
	base, logs := startCentralLogs(t, dsn)
	file, org, token := registerOffice(t, dsn)
	pg, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	ctx := context.Background()

	// 1. The first sync uploads everything.
	ops := officeCount(t, file, "SELECT count(*) FROM outbox WHERE state = 'pending'")
	rdvs := officeCount(t, file, "SELECT count(*) FROM rdvs")
	first, took := syncOffice(t, file, base, token)
	t.Logf("first sync of the demo: %d RDVs, %d ops pushed, %d changes pulled in %v", rdvs, first.Pushed, first.Pulled, took.Round(time.Millisecond))
	if first.Pushed != ops || first.Rejected != 0 || first.Pulled != centralCount(t, pg, "SELECT count(*) FROM changes WHERE organisation_id = $1", org) {
		t.Fatalf("first sync: %+v, want %d ops pushed, none rejected, the whole feed pulled once", first, ops)
	}
	// The feed echoes the office's own changes; an older version of an RDV (booked, then
	// cancelled and its slot sold again) may be set aside for a moment, until its later version in
	// the same pull settles it. None may stay « à traiter ».
	if first.Conflicts > 0 {
		t.Logf("first sync: %d pulled changes set aside then settled by later versions", first.Conflicts)
	}
	if n := officeCount(t, file, "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"); n != 0 {
		t.Fatalf("%d conflicts left « à traiter » after the first sync", n)
	}
	if n := centralCount(t, pg, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", org); n != rdvs {
		t.Fatalf("central has %d RDVs, the office %d", n, rdvs)
	}
	for central, office := range map[string]string{"usagers": "usagers", "motifs": "motifs", "plages": "plages_ouverture",
		"lieux": "lieux", "agents": "agents", "absences": "absences"} {
		if c, o := centralCount(t, pg, "SELECT count(*) FROM "+central+" WHERE organisation_id = $1", org), officeCount(t, file, "SELECT count(*) FROM "+office); c != o {
			t.Errorf("%s: central %d, office %d", central, c, o)
		}
	}
	if n := officeCount(t, file, "SELECT count(*) FROM outbox WHERE state = 'pending'"); n != 0 {
		t.Fatalf("%d ops still pending at the office", n)
	}

	// 2. A second sync changes nothing at the central.
	changes := centralCount(t, pg, "SELECT count(*) FROM changes")
	applied := centralCount(t, pg, "SELECT count(*) FROM applied_ops")
	second, _ := syncOffice(t, file, base, token)
	if second.Pushed != 0 || second.Rejected != 0 || second.Conflicts != 0 {
		t.Fatalf("second sync: %+v", second)
	}
	if c, a := centralCount(t, pg, "SELECT count(*) FROM changes"), centralCount(t, pg, "SELECT count(*) FROM applied_ops"); c != changes || a != applied {
		t.Fatalf("second sync: changes %d → %d, applied ops %d → %d", changes, c, applied, a)
	}

	// 3. A booking at the office arrives at the central on the next sync.
	var free []struct {
		Start  time.Time `json:"start"`
		LieuID string    `json:"lieuId"`
	}
	motif := firstMotif(t, file, "guichet")
	out := run(t, bin.office, "creneaux", "--db", file, "--motif", motif, "--days", "14", "--json")
	if err := json.Unmarshal(out, &free); err != nil || len(free) == 0 {
		t.Fatalf("creneaux --json: %v %s", err, out)
	}
	var booked agenda.Rdv
	out = run(t, bin.office, "book", "--db", file, "--motif", motif, "--lieu", free[0].LieuID, "--start", free[0].Start.Format(time.RFC3339),
		"--nom", "Guichet", "--prenom", "Gaston", "--tel", "0611223344", "--json")
	if err := json.Unmarshal(out, &booked); err != nil || booked.ID == "" {
		t.Fatalf("book --json: %v %s", err, out)
	}
	third, _ := syncOffice(t, file, base, token)
	if third.Pushed < 2 || third.Rejected != 0 { // the usager, the RDV (and its messages' receipts, if any)
		t.Fatalf("third sync: %+v", third)
	}
	if n := centralCount(t, pg, "SELECT count(*) FROM rdvs WHERE organisation_id = $1 AND id = $2 AND origine = 'guichet'", org, booked.ID); n != 1 {
		t.Fatal("the office's booking is not at the central")
	}

	// 4. An online booking at the central arrives in the office's file on the next sync.
	api := base + server.PathPublic + org
	var motifs server.MotifsReply
	getJSON(t, api+"/motifs", &motifs)
	if len(motifs.Motifs) == 0 {
		t.Fatal("the demo sells no motif online")
	}
	m := motifs.Motifs[0]
	var slots server.CreneauxReply
	getJSON(t, fmt.Sprintf("%s/creneaux?motif=%s&days=%d", api, m.ID, server.MaxDays), &slots)
	if len(slots.Creneaux) == 0 {
		t.Fatalf("no online slot for %s in %d days", m.Name, server.MaxDays)
	}
	body, _ := json.Marshal(server.BookRequest{Motif: m.ID, Lieu: slots.Creneaux[0].LieuID, Start: slots.Creneaux[0].Start,
		Usager: server.PublicUsager{FirstName: "Inès", LastName: "Enligne", Email: "ines@example.org"}})
	resp, err := http.Post(api+"/rdvs", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var online server.BookReply
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &online) != nil {
		t.Fatalf("online booking: %d %s", resp.StatusCode, data)
	}
	fourth, _ := syncOffice(t, file, base, token)
	if fourth.Pulled < 2 || fourth.Conflicts != 0 {
		t.Fatalf("fourth sync: %+v", fourth)
	}
	db, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.GetRdv(ctx, online.ID)
	if err != nil || got.Origine != agenda.OrigineEnLigne || !got.StartsAt.Equal(online.Start) || len(got.Participations) != 1 {
		t.Fatalf("the online booking at the office: %+v %v", got, err)
	}
	u, err := db.GetUsager(ctx, got.Participations[0].UsagerID)
	if err != nil || u.LastName != "Enligne" {
		t.Fatalf("its usager at the office: %+v %v", u, err)
	}
	day, err := db.ListRdvsBetween(ctx, online.Start, online.End, store.RdvFilter{OrganisationID: org})
	if err != nil || len(day) != 1 || day[0].ID != online.ID {
		t.Fatalf("the office's agenda at that time: %+v %v", day, err)
	}

	// 5. Nothing personal in the central's logs or metrics after all that: no usager's name,
	// phone number or e-mail address, whether pushed by the office, booked at the counter or
	// booked online.
	var metrics bytes.Buffer
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(&metrics, resp.Body)
	resp.Body.Close()
	personal := personalData(t, file)
	if len(personal) < 10 {
		t.Fatalf("only %d personal values to look for", len(personal))
	}
	for _, v := range personal {
		if strings.Contains(logs.String(), v) || strings.Contains(metrics.String(), v) {
			t.Fatalf("the central's logs or metrics hold an usager's %q", v)
		}
	}
	if !strings.Contains(logs.String(), "online booking") || !strings.Contains(metrics.String(), "rdv_central_pushes_total") {
		t.Fatalf("the logs or metrics miss the round:\n%s", logs)
	}
}

// personalData returns the usagers' names, phone numbers (E.164 and national) and e-mail
// addresses in the office's file: what must never appear in the central's logs or metrics.
func personalData(t testing.TB, file string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT first_name, last_name, phone, email FROM usagers")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var first, last, phone, email string
		if err := rows.Scan(&first, &last, &phone, &email); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{first, last, phone, email} {
			if len(v) >= 3 {
				out = append(out, v)
			}
		}
		if national, ok := strings.CutPrefix(phone, "+33"); ok {
			out = append(out, "0"+national)
		}
	}
	return out
}

// firstMotif returns the id of a motif of the office's file with a plage of canal.
func firstMotif(t testing.TB, file, canal string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id string
	if err := db.QueryRow(`SELECT pm.motif_id FROM plage_motifs pm JOIN plages_ouverture p ON p.id = pm.plage_id
		WHERE p.canal = ? ORDER BY pm.motif_id LIMIT 1`, canal).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func getJSON(t testing.TB, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, data)
	}
}
