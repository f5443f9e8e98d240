package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	clockpkg "rdvguichet/backend/clock"
	"rdvguichet/backend/creneaux"

	"pgregory.net/rapid"
)

// On random small agendas: any slot creneaux.Search returns can be booked, and booking it again is
// a Conflict; moves and cancels go through the same path (a cancel frees the slot, a move frees
// the old one); and at every step no two active RDVs of one agent overlap in the file.
func TestPropertyBookWhatSearchOffers(t *testing.T) {
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		ctx := context.Background()
		clock := clockpkg.NewManual(fixtureNow)
		db, err := Open(filepath.Join(dir, fmt.Sprintf("p%d.sqlite", n)), Options{Clock: clock})
		if err != nil {
			rt.Fatal(err)
		}
		defer db.Close()
		must := func(err error) {
			if err != nil {
				rt.Fatal(err)
			}
		}
		org, err := db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie", TimeZone: "Europe/Paris",
			BufferMinutes: rapid.SampledFrom([]int{0, 0, 5, 10}).Draw(rt, "buffer"), SlotGridMinutes: rapid.SampledFrom([]int{0, 0, 15}).Draw(rt, "grid")})
		must(err)
		lieu, err := db.SaveLieu(ctx, agenda.Lieu{OrganisationID: org.ID, Name: "Mairie", Street: "1 rue", PostalCode: "75001", City: "Paris", Enabled: true})
		must(err)
		motif, err := db.SaveMotif(ctx, agenda.Motif{OrganisationID: org.ID, Name: "CNI", Color: "#123456", LocationType: agenda.PublicOffice,
			DurationMin: rapid.SampledFrom([]int{15, 20, 30, 45, 60}).Draw(rt, "duration"), MaxPublicDelay: 60 * 24 * time.Hour, BookableKiosk: true})
		must(err)
		var agents []string
		for i := range rapid.IntRange(1, 3).Draw(rt, "agents") {
			a, err := db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindGuichet, Name: fmt.Sprintf("G%d", i), Active: true})
			must(err)
			agents = append(agents, a.ID)
			for j := range rapid.IntRange(1, 2).Draw(rt, "plages") {
				day := rapid.IntRange(0, 4).Draw(rt, "day")
				start := agenda.Clk(rapid.IntRange(8, 15).Draw(rt, "hour"), 30*rapid.IntRange(0, 1).Draw(rt, "half"))
				length := agenda.ClockTime(30 * rapid.IntRange(1, 8).Draw(rt, "length"))
				p := agenda.PlageOuverture{OrganisationID: org.ID, AgentID: a.ID, LieuID: lieu.ID, Title: fmt.Sprintf("P%d", j),
					MotifIDs: []string{motif.ID}, FirstDay: monday.AddDays(day), Start: start, End: start + length, Canal: agenda.CanalGuichet}
				if rapid.Bool().Draw(rt, "weekly") {
					p.Recurrence = agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{monday.AddDays(day).Weekday()}}
				}
				_, err := db.SavePlage(ctx, p)
				must(err)
			}
			if rapid.Bool().Draw(rt, "absence") {
				s := agenda.Clk(rapid.IntRange(8, 16).Draw(rt, "abs_hour"), 0)
				_, err := db.SaveAbsence(ctx, agenda.Absence{OrganisationID: org.ID, AgentID: a.ID, Title: "Absent",
					FirstDay: monday.AddDays(rapid.IntRange(0, 4).Draw(rt, "abs_day")), Start: s, End: s + 60})
				must(err)
			}
		}
		u, err := db.SaveUsager(ctx, agenda.Usager{OrganisationID: org.ID, FirstName: "A", LastName: "B"})
		must(err)

		from, to := at(0, 0, 0), at(14, 0, 0)
		search := func(origine agenda.Origine) []creneaux.Creneau {
			d, err := db.LoadCreneauxData(ctx, motif.ID, lieu.ID, from, to)
			must(err)
			cs, err := creneaux.Search(d, creneaux.Request{Motif: motif, LieuID: lieu.ID, From: from, To: to, Now: clock.Now(), Origine: origine, Documents: 1})
			must(err)
			return cs
		}
		book := func(c creneaux.Creneau, origine agenda.Origine) (agenda.Rdv, error) {
			return db.Book(ctx, BookRequest{MotifID: motif.ID, LieuID: lieu.ID, AgentID: c.AgentID, Start: c.Start, Usagers: []string{u.ID},
				Origine: origine})
		}
		var booked []agenda.Rdv
		for step := range rapid.IntRange(1, 10).Draw(rt, "steps") {
			action := rapid.IntRange(0, 3).Draw(rt, fmt.Sprintf("action%d", step))
			switch {
			case action <= 1: // book from the agent view (0) or the kiosk's public view (1)
				origine := agenda.OrigineGuichet
				if action == 1 {
					origine = agenda.OrigineKiosk
				}
				cs := search(origine)
				if len(cs) == 0 {
					continue
				}
				c := cs[rapid.IntRange(0, len(cs)-1).Draw(rt, "slot")]
				r, err := book(c, origine)
				if err != nil {
					rt.Fatalf("booking offered slot %+v: %v", c, err)
				}
				if !r.StartsAt.Equal(c.Start) || !r.EndsAt.Equal(c.End) || (c.AgentID != "" && r.AgentIDs[0] != c.AgentID) {
					rt.Fatalf("booked %+v for slot %+v", r, c)
				}
				booked = append(booked, r)
				again := c
				again.AgentID = r.AgentIDs[0]
				if _, err := book(again, agenda.OrigineGuichet); !isConflict(err) {
					rt.Fatalf("second booking of %+v: %v", again, err)
				}
			case action == 2 && len(booked) > 0: // cancel, then the same slot can be booked again
				i := rapid.IntRange(0, len(booked)-1).Draw(rt, "cancel")
				r := booked[i]
				if _, err := db.Cancel(ctx, r.ID, agenda.ByAgent("agent"), false); err != nil {
					rt.Fatalf("cancel: %v", err)
				}
				r2, err := book(creneaux.Creneau{Start: r.StartsAt, AgentID: r.AgentIDs[0]}, agenda.OrigineGuichet)
				if err != nil {
					rt.Fatalf("slot of a cancelled RDV not free: %v", err)
				}
				booked[i] = r2
			case action == 3 && len(booked) > 0: // move to an offered slot
				i := rapid.IntRange(0, len(booked)-1).Draw(rt, "move")
				r := booked[i]
				cs := search(agenda.OrigineGuichet)
				if len(cs) == 0 {
					continue
				}
				c := cs[rapid.IntRange(0, len(cs)-1).Draw(rt, "target")]
				moved, err := db.Move(ctx, r.ID, c.Start, c.AgentID, agenda.ByAgent("agent"), false)
				if err != nil {
					rt.Fatalf("move %v → %+v: %v", r.Interval(), c, err)
				}
				booked[i] = moved
				buf := time.Duration(org.BufferMinutes) * time.Minute
				near := c.AgentID == r.AgentIDs[0] && c.Start.Before(r.EndsAt.Add(buf)) && r.StartsAt.Before(c.End.Add(buf))
				if !near {
					r3, err := book(creneaux.Creneau{Start: r.StartsAt, AgentID: r.AgentIDs[0]}, agenda.OrigineGuichet)
					if err != nil {
						rt.Fatalf("old slot not freed by the move: %v", err)
					}
					booked = append(booked, r3)
				}
			}
			checkNoOverlap(rt, db)
		}
		var active int
		db.r.QueryRow("SELECT count(*) FROM rdvs WHERE status NOT IN ('excused', 'revoked')").Scan(&active)
		if active != len(booked) {
			rt.Fatalf("%d active RDVs, %d expected", active, len(booked))
		}
	})
}

// checkNoOverlap asserts the invariant on the file itself.
func checkNoOverlap(rt *rapid.T, db *DB) {
	var n int
	err := db.r.QueryRow(`SELECT count(*) FROM rdv_agents a JOIN rdv_agents b
		ON a.agent_id = b.agent_id AND a.rdv_id < b.rdv_id AND a.active = 1 AND b.active = 1
		AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at`).Scan(&n)
	if err != nil || n != 0 {
		rt.Fatalf("%d overlapping pairs (%v)", n, err)
	}
	var bad int
	db.r.QueryRow(`SELECT count(*) FROM rdv_agents a JOIN rdvs r ON r.id = a.rdv_id
		WHERE a.starts_at <> r.starts_at OR a.ends_at <> r.ends_at OR a.active <> (r.status NOT IN ('excused', 'revoked'))`).Scan(&bad)
	if bad != 0 {
		rt.Fatalf("%d rdv_agents rows out of step", bad)
	}
	if n := cardsDrift(rt, db); n != 0 {
		rt.Fatalf("%d agenda cards out of step", n)
	}
}
