package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	clockpkg "rdvguichet/backend/clock"
	"rdvguichet/backend/creneaux"
)

var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchWorld is a France Services-sized office: 4 agenda resources, 12 motifs, weekly plages
// Mon–Fri 09:00–12:00 and 14:00–17:00, 5,000 usagers and 20,000 RDVs (80 % of the half-hour slots
// from about 90 weeks back to 14 weeks ahead). Slots from week 15 on are free for the booking
// benchmark.
type benchWorld struct {
	path   string
	org    agenda.Organisation
	lieu   agenda.Lieu
	agents []agenda.Agent
	motifs []agenda.Motif
	usager []string
}

var (
	benchOnce  sync.Once
	benchTmpl  *benchWorld
	benchErr   error
	benchCount int
)

const benchRdvs = 20000

func benchTemplate(b *testing.B) *benchWorld {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rdv-store-bench")
		if err != nil {
			benchErr = err
			return
		}
		benchDir = dir
		benchTmpl, benchErr = buildBenchWorld(filepath.Join(dir, "template.sqlite"))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchTmpl
}

func buildBenchWorld(path string) (*benchWorld, error) {
	ctx := context.Background()
	clock := clockpkg.NewManual(fixtureNow)
	db, err := Open(path, Options{Clock: clock})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	w := &benchWorld{path: path}
	if w.org, err = db.SaveOrganisation(ctx, agenda.Organisation{Name: "France Services", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "69"}}); err != nil {
		return nil, err
	}
	if w.lieu, err = db.SaveLieu(ctx, agenda.Lieu{OrganisationID: w.org.ID, Name: "Maison France Services", Street: "2 rue de la Poste", PostalCode: "69001", City: "Lyon", Enabled: true}); err != nil {
		return nil, err
	}
	for i := range 4 {
		a := agenda.Agent{OrganisationID: w.org.ID, Kind: agenda.KindGuichet, Name: fmt.Sprintf("Guichet %d", i+1), Active: true}
		if i == 0 {
			a = agenda.Agent{OrganisationID: w.org.ID, Kind: agenda.KindAgent, Name: "Conseillère", Login: "conseil", Role: agenda.RoleAdmin, Active: true}
		}
		if a, err = db.SaveAgent(ctx, a); err != nil {
			return nil, err
		}
		w.agents = append(w.agents, a)
	}
	durations := []int{30, 30, 30, 30, 30, 30, 15, 20, 45, 60, 30, 30}
	var motifIDs []string
	for i, d := range durations {
		m, err := db.SaveMotif(ctx, agenda.Motif{OrganisationID: w.org.ID, Name: fmt.Sprintf("Motif %02d", i), Color: "#336699", DurationMin: d,
			LocationType: agenda.PublicOffice, MinPublicDelay: 30 * time.Minute, MaxPublicDelay: 200 * 24 * time.Hour, BookableKiosk: true})
		if err != nil {
			return nil, err
		}
		w.motifs = append(w.motifs, m)
		motifIDs = append(motifIDs, m.ID)
	}
	first := monday.AddDays(-7 * 100)
	for _, a := range w.agents {
		for _, span := range [][2]agenda.ClockTime{{agenda.Clk(9, 0), agenda.Clk(12, 0)}, {agenda.Clk(14, 0), agenda.Clk(17, 0)}} {
			if _, err := db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: w.org.ID, AgentID: a.ID, LieuID: w.lieu.ID, Title: "Accueil",
				MotifIDs: motifIDs, FirstDay: first, Start: span[0], End: span[1], Canal: agenda.CanalGuichet,
				Recurrence: agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}}); err != nil {
				return nil, err
			}
		}
	}
	// Bulk rows with SQL in one transaction (through the triggers): the repositories would take a
	// transaction per row.
	err = db.write(ctx, "bench", func(tx *txn) error {
		for i := range 5000 {
			id := newID()
			if _, err := tx.ExecContext(ctx, "INSERT INTO usagers(id, organisation_id, first_name, last_name, phone, updated_at) VALUES (?, ?, ?, ?, ?, 0)",
				id, w.org.ID, fmt.Sprintf("Prénom%d", i), fmt.Sprintf("Nom%d", i%1700), fmt.Sprintf("+336%08d", i)); err != nil {
				return err
			}
			w.usager = append(w.usager, id)
		}
		n := 0
		for week := -90; n < benchRdvs; week++ {
			for day := range 5 {
				for slot := range 12 {
					for ai, a := range w.agents {
						if n >= benchRdvs {
							break
						}
						if (slot+day+ai+week)%5 == 0 { // 20 % left free
							continue
						}
						h := 9 + slot/2
						if slot >= 6 {
							h = 14 + (slot-6)/2
						}
						start := monday.AddDays(7*week+day).At(agenda.Clk(h, 30*(slot%2)), paris).UTC()
						r := agenda.Rdv{ID: newID(), OrganisationID: w.org.ID, MotifID: w.motifs[n%6].ID, LieuID: w.lieu.ID, AgentIDs: []string{a.ID},
							StartsAt: start, EndsAt: start.Add(30 * time.Minute), Status: agenda.StatusUnknown, DocumentsNumber: 1, Origine: agenda.OrigineGuichet,
							Version: 1, Participations: []agenda.Participation{{UsagerID: w.usager[n%len(w.usager)], Status: agenda.StatusUnknown}}}
						if week < 0 {
							r.Status, r.Participations[0].Status = agenda.StatusSeen, agenda.StatusSeen
						}
						if err := db.insertRdv(ctx, tx, r, fixtureNow); err != nil {
							return err
						}
						n++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// No ANALYZE: the application never runs it (with STAT4 statistics SQLite re-plans every
	// statement whose bound parameters meet an indexed range, on every execution).
	return w, err
}

// benchCopy gives each benchmark run its own copy of the template.
func benchCopy(b *testing.B) (*benchWorld, *DB) {
	tmpl := benchTemplate(b)
	benchCount++
	path := filepath.Join(benchDir, fmt.Sprintf("run%d.sqlite", benchCount))
	if err := copyFile(tmpl.path, path); err != nil {
		b.Fatal(err)
	}
	db, err := Open(path, Options{Clock: clockpkg.NewManual(fixtureNow)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		db.Close()
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(path + s)
		}
	})
	w := *tmpl
	w.path = path
	return &w, db
}

func reportMedian(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkBook: the whole booking transaction (read the day, re-check, insert RDV, agents,
// participation, history, outbox; commit with synchronous=FULL) on the France Services agenda.
// Target: median under 2 ms.
func BenchmarkBook(b *testing.B) {
	w, db := benchCopy(b)
	ctx := context.Background()
	ds := make([]time.Duration, 0, b.N)
	type slot struct {
		start time.Time
		agent int
	}
	var slots []slot
	for i := 0; len(slots) < b.N; i++ {
		week, rest := 15+i/240, i%240
		day, rest := rest/48, rest%48
		s, ai := rest/4, rest%4
		h := 9 + s/2
		if s >= 6 {
			h = 14 + (s-6)/2
		}
		if d := monday.AddDays(7*week + day); len(w.org.Holidays.Between(d, d)) > 0 {
			continue
		}
		slots = append(slots, slot{at(7*week+day, h, 30*(s%2)), ai})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start, ai := slots[i].start, slots[i].agent
		t0 := time.Now()
		_, err := db.Book(ctx, BookRequest{MotifID: w.motifs[0].ID, LieuID: w.lieu.ID, AgentID: w.agents[ai].ID, Start: start,
			Usagers: []string{w.usager[i%len(w.usager)]}, By: agenda.ByAgent(w.agents[0].ID)})
		ds = append(ds, time.Since(t0))
		if err != nil {
			b.Fatalf("book %d at %s: %v", i, start, err)
		}
	}
	b.StopTimer()
	reportMedian(b, ds)
}

// BenchmarkLoadCreneauxData4Weeks: reading the rows for a 4-week search (plages, absences, busy
// spans of the 4 resources at 80 % occupancy). The slot search itself should stay within 3× of this.
func BenchmarkLoadCreneauxData4Weeks(b *testing.B) {
	w, db := benchCopy(b)
	ctx := context.Background()
	from := at(0, 0, 0)
	to := from.Add(28 * 24 * time.Hour)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		d, err := db.LoadCreneauxData(ctx, w.motifs[0].ID, w.lieu.ID, from, to)
		ds = append(ds, time.Since(t0))
		if err != nil || len(d.Busy) < 700 {
			b.Fatalf("%v, %d busy", err, len(d.Busy))
		}
	}
	b.StopTimer()
	reportMedian(b, ds)
}

// BenchmarkSearch4Weeks is the engine on the rows BenchmarkLoadCreneauxData4Weeks reads, for the
// 3× comparison (a fresh Data per iteration: the engine indexes a Data once).
func BenchmarkSearch4Weeks(b *testing.B) {
	w, db := benchCopy(b)
	ctx := context.Background()
	from := at(0, 0, 0)
	to := from.Add(28 * 24 * time.Hour)
	d, err := db.LoadCreneauxData(ctx, w.motifs[0].ID, w.lieu.ID, from, to)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fresh := &creneaux.Data{Org: d.Org, Plages: d.Plages, Absences: d.Absences, Busy: d.Busy, Collectifs: d.Collectifs}
		cs, err := creneaux.Search(fresh, creneaux.Request{Motif: w.motifs[0], LieuID: w.lieu.ID, From: from, To: to, Now: fixtureNow,
			Origine: agenda.OrigineGuichet, Documents: 1})
		if err != nil || len(cs) == 0 {
			b.Fatal(err, len(cs))
		}
	}
}
