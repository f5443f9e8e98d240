package e2e

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/testkit"

	"github.com/jackc/pgx/v5/pgxpool"
)

// historyRdvs is the size of the office of TestFirstSyncThreeYears: three years of RDVs.
const historyRdvs = 30000

// historyFixture is the office's file, built once (a few minutes) and kept in build/bench
// (ignored by git); the test syncs a copy. Change its name when the generator changes.
var historyFixture = filepath.Join("..", "..", "build", "bench", "office-3y-v1.sqlite")

// historyToday is the fixture's today: its RDVs are the three years before it.
var historyToday = agenda.Date{Year: 2026, Month: time.November, Day: 30}

// The first sync of an office that worked alone for three years — 30,000 RDVs booked through
// the office's booking path, with their usagers and their statuses — from « rdv-guichet sync »
// started to its exit: every op pushed, the whole feed pulled back. The figures go to
// docs/benchmarks.md (« Sync (issue 11) »). A measurement, not a check of make test: it runs only
// when RDV_SYNC_BENCH is set.
func TestFirstSyncThreeYears(t *testing.T) {
	if os.Getenv("RDV_SYNC_BENCH") == "" {
		t.Skip("RDV_SYNC_BENCH non défini : pas de mesure de la première synchronisation de trois ans d'historique")
	}
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	fixture := historyOffice(t)
	file := filepath.Join(t.TempDir(), "office.sqlite")
	copyFile(t, fixture, file)
	org, token := registerFile(t, dsn, file)

	ops := officeCount(t, file, "SELECT count(*) FROM outbox WHERE state = 'pending'")
	rdvs := officeCount(t, file, "SELECT count(*) FROM rdvs")
	usagers := officeCount(t, file, "SELECT count(*) FROM usagers")
	rep, took := syncOffice(t, file, base, token)
	t.Logf("first sync of %d RDVs and %d usagers: %d ops pushed, %d changes pulled, in %v (rdv-guichet sync, start to exit)",
		rdvs, usagers, rep.Pushed, rep.Pulled, took.Round(time.Millisecond))
	if rep.Pushed != ops || rep.Rejected != 0 {
		t.Fatalf("first sync: %+v, want %d ops pushed, none rejected", rep, ops)
	}
	pg, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if n := centralCount(t, pg, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", org); n != rdvs {
		t.Fatalf("central has %d RDVs, the office %d", n, rdvs)
	}
	if n := centralCount(t, pg, "SELECT count(*) FROM changes WHERE organisation_id = $1", org); rep.Pulled != n {
		t.Fatalf("pulled %d changes of %d", rep.Pulled, n)
	}
	if n := officeCount(t, file, "SELECT count(*) FROM outbox WHERE state = 'pending'"); n != 0 {
		t.Fatalf("%d ops still pending at the office", n)
	}
}

// registerFile registers the office of file at the central: its organisation and its token.
func registerFile(t testing.TB, dsn, file string) (org, token string) {
	t.Helper()
	db, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.OfficeOrganisation(context.Background())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Split(strings.TrimSpace(string(run(t, bin.central, "office", "add", "--db", dsn, "--organisation", o.ID, "--name", o.Name))), "\n")
	return o.ID, strings.TrimSpace(out[len(out)-1])
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// historyOffice returns the fixture's path, building it when it is missing.
func historyOffice(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(historyFixture); err == nil {
		return historyFixture
	}
	if err := os.MkdirAll(filepath.Dir(historyFixture), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tmp := historyFixture + ".tmp"
	os.Remove(tmp)
	if err := buildHistory(context.Background(), tmp); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	if err := os.Rename(tmp, historyFixture); err != nil {
		t.Fatal(err)
	}
	t.Logf("fixture %s built in %v", historyFixture, time.Since(start).Round(time.Second))
	return historyFixture
}

// settable is the clock the fixture books with: set to each booking's moment in turn.
type settable struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settable) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settable) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// buildHistory writes the fixture through the office's store, as an office would have lived it:
// one lieu, six guichets open Monday to Friday (9:00–12:00, 13:30–16:30), one 30-minute motif,
// 10,000 usagers, and 30,000 RDVs booked a few days ahead over the three years before
// historyToday, each then given the status an agent sets (seen, noshow, excused).
func buildHistory(ctx context.Context, path string) error {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	first := historyToday.AddDays(-3 * 364)
	first = first.AddDays(-((int(first.Weekday()) + 6) % 7)) // its Monday
	clk := &settable{t: first.At(0, loc).Add(-24 * time.Hour)}
	db, err := store.Open(path, store.Options{Clock: clk})
	if err != nil {
		return err
	}
	defer db.Close()
	org, err := db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Trois-Ans-sur-Loire", AccentColor: "#1f5fa8",
		TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "45"}})
	if err != nil {
		return err
	}
	lieu, err := db.SaveLieu(ctx, agenda.Lieu{OrganisationID: org.ID, Name: "Mairie", Street: "1 place de la Mairie", PostalCode: "45130",
		City: "Trois-Ans-sur-Loire", Enabled: true})
	if err != nil {
		return err
	}
	motif, err := db.SaveMotif(ctx, agenda.Motif{OrganisationID: org.ID, Name: "Accueil", Color: "#2e7dd7", DurationMin: 30,
		LocationType: agenda.PublicOffice, MaxPublicDelay: 90 * 24 * time.Hour})
	if err != nil {
		return err
	}
	weekdays := agenda.Recurrence{Every: agenda.Weekly, Interval: 1,
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
	var agents []agenda.Agent
	for i := range 6 {
		a, err := db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindGuichet, Name: fmt.Sprintf("Guichet %d", i+1),
			Role: agenda.RoleAgent, Active: true})
		if err != nil {
			return err
		}
		agents = append(agents, a)
		for _, hours := range [][2]agenda.ClockTime{{agenda.Clk(9, 0), agenda.Clk(12, 0)}, {agenda.Clk(13, 30), agenda.Clk(16, 30)}} {
			if _, err := db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: org.ID, AgentID: a.ID, LieuID: lieu.ID, Title: "Accueil",
				MotifIDs: []string{motif.ID}, FirstDay: first, Start: hours[0], End: hours[1], Recurrence: weekdays,
				Canal: agenda.CanalGuichet}); err != nil {
				return err
			}
		}
	}
	rnd := rand.New(rand.NewPCG(3, 30000))
	var usagers []string
	for i := range 10000 {
		u, err := db.SaveUsager(ctx, agenda.Usager{OrganisationID: org.ID, FirstName: fmt.Sprintf("Prénom%d", i),
			LastName: fmt.Sprintf("Nom%d", i%977), Phone: fmt.Sprintf("+336%08d", i)})
		if err != nil {
			return err
		}
		usagers = append(usagers, u.ID)
	}
	booked := 0
	for d := first; d.Before(historyToday) && booked < historyRdvs; d = d.AddDays(1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for _, a := range agents {
			for _, from := range []agenda.ClockTime{agenda.Clk(9, 0), agenda.Clk(13, 30)} {
				for slot := range 6 {
					if rnd.Float64() > 0.6 || booked == historyRdvs {
						continue
					}
					start := d.At(0, loc).Add(time.Duration(from)*time.Minute + time.Duration(slot)*30*time.Minute)
					clk.set(start.Add(-time.Duration(24+rnd.IntN(10*24)) * time.Hour))
					r, err := db.Book(ctx, store.BookRequest{MotifID: motif.ID, LieuID: lieu.ID, AgentID: a.ID, Start: start,
						Documents: 1, Usagers: []string{usagers[rnd.IntN(len(usagers))]}, Origine: agenda.OrigineGuichet, By: agenda.ByAgent(a.ID)})
					if agenda.KindOf(err) == agenda.Conflict || agenda.KindOf(err) == agenda.Invalid {
						continue // a jour férié, mostly
					}
					if err != nil {
						return err
					}
					booked++
					status, at := agenda.StatusSeen, r.EndsAt.Add(5*time.Minute)
					switch p := rnd.Float64(); {
					case p < 0.08:
						status, at = agenda.StatusNoshow, r.StartsAt.Add(15*time.Minute)
					case p < 0.14:
						status, at = agenda.StatusExcused, r.StartsAt.Add(-20*time.Hour)
					}
					clk.set(at)
					if _, err := db.SetStatus(ctx, r.ID, status, agenda.ByAgent(a.ID)); err != nil {
						return err
					}
				}
			}
		}
	}
	if booked < historyRdvs {
		return fmt.Errorf("%d RDVs booked, want %d", booked, historyRdvs)
	}
	return nil
}
