package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	clockpkg "rdvguichet/backend/clock"
)

// Child processes: the test binary re-executed with -test.run=TestHelperProcess and
// RDV_STORE_HELPER set. They open the same file as the parent, as several desktop processes (or a
// kiosk and an agent station on one PC) would.
const (
	envHelper = "RDV_STORE_HELPER"
	envPath   = "RDV_STORE_PATH"
	envGo     = "RDV_STORE_GO"
)

func helperCmd(t *testing.T, mode, path string, extra ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envHelper+"="+mode, envPath+"="+path)
	cmd.Env = append(cmd.Env, extra...)
	cmd.Stderr = os.Stderr
	return cmd
}

// helperWorld is what a child needs from the fixture, read back from the database.
type helperWorld struct {
	db     *DB
	motif  agenda.Motif
	lieu   agenda.Lieu
	agents []agenda.Agent
	usager agenda.Usager
}

func openHelperWorld(path string) (*helperWorld, error) {
	ctx := context.Background()
	db, err := Open(path, Options{Clock: clockpkg.NewManual(fixtureNow)})
	if err != nil {
		return nil, err
	}
	w := &helperWorld{db: db}
	orgs, err := db.ListOrganisations(ctx)
	if err != nil || len(orgs) != 1 {
		return nil, fmt.Errorf("organisations: %v %v", orgs, err)
	}
	ms, _ := db.ListMotifs(ctx, orgs[0].ID, false)
	for _, m := range ms {
		if !m.Collectif {
			w.motif = m
		}
	}
	ls, _ := db.ListLieux(ctx, orgs[0].ID, false)
	w.lieu = ls[0]
	w.agents, _ = db.ListAgents(ctx, orgs[0].ID, false)
	us, err := db.SearchUsagers(ctx, "dupont", 1)
	if err != nil || len(us) != 1 {
		return nil, fmt.Errorf("usager: %v", err)
	}
	w.usager = us[0]
	return w, nil
}

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(envHelper)
	if mode == "" {
		t.Skip("only run as a child process")
	}
	w, err := openHelperWorld(os.Getenv(envPath))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	ctx := context.Background()
	switch mode {
	case "race":
		// Book the same list of slots as the other children, as soon as the parent says go.
		fmt.Println("ready")
		for {
			if _, err := os.Stat(os.Getenv(envGo)); err == nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		for i := range 10 {
			_, err := w.db.Book(ctx, BookRequest{MotifID: w.motif.ID, LieuID: w.lieu.ID, AgentID: w.agents[0].ID, Start: at(1+i/6, 9+i%6/2, 30*(i%2)),
				Usagers: []string{w.usager.ID}, By: agenda.ByAgent(w.agents[0].ID)})
			switch {
			case err == nil:
				fmt.Println("ok", i)
			case isConflict(err):
				fmt.Println("conflict", i)
			default:
				fmt.Println("error", err)
			}
		}
	case "crash":
		// Write as fast as possible, reporting each commit, until killed.
		n := len(w.agents)
		day, _ := strconv.Atoi(os.Getenv("RDV_STORE_DAY"))
		for i := 0; ; i++ {
			start := at(day, 0, 0).Add(time.Duration(i/n) * 30 * time.Minute)
			r, err := w.db.Book(ctx, BookRequest{MotifID: w.motif.ID, LieuID: w.lieu.ID, AgentID: w.agents[i%n].ID, Start: start,
				Usagers: []string{w.usager.ID}, By: agenda.ByAgent(w.agents[0].ID), Override: true})
			if err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Println("rdv", r.ID)
			if i%3 == 0 {
				u, err := w.db.SaveUsager(ctx, agenda.Usager{OrganisationID: w.usager.OrganisationID, FirstName: "Crash", LastName: "Test" + strconv.Itoa(i)})
				if err != nil {
					fmt.Println("error", err)
					os.Exit(2)
				}
				fmt.Println("usager", u.ID)
			}
		}
	}
	w.db.Close()
	os.Exit(0)
}

// Four processes book the same ten slots on one file: every slot has exactly one winner.
func TestMultiProcessBookingsOneWinner(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	f := newFixture(t, 2)
	f.db.Close()
	goFile := filepath.Join(t.TempDir(), "go")
	const procs = 4
	outs := make([]chan string, procs)
	var cmds []*exec.Cmd
	for p := range procs {
		cmd := helperCmd(t, "race", f.path, envGo+"="+goFile)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outs[p] = make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				outs[p] <- sc.Text()
			}
			close(outs[p])
		}()
	}
	for p := range procs {
		if line := <-outs[p]; line != "ready" {
			t.Fatalf("child %d: %q", p, line)
		}
	}
	os.WriteFile(goFile, nil, 0o600)
	wins := map[string]int{}
	conflicts := 0
	for p := range procs {
		for line := range outs[p] {
			switch {
			case strings.HasPrefix(line, "ok "):
				wins[strings.TrimPrefix(line, "ok ")]++
			case strings.HasPrefix(line, "conflict "):
				conflicts++
			case strings.HasPrefix(line, "error"):
				t.Errorf("child %d: %s", p, line)
			}
		}
		if err := cmds[p].Wait(); err != nil {
			t.Errorf("child %d: %v", p, err)
		}
	}
	if len(wins) != 10 || conflicts != 10*(procs-1) {
		t.Fatalf("wins %v, %d conflicts", wins, conflicts)
	}
	for slot, n := range wins {
		if n != 1 {
			t.Fatalf("slot %s won %d times", slot, n)
		}
	}
	db, err := Open(f.path, Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rdvs, _ := db.ListRdvsBetween(context.Background(), at(0, 0, 0), at(7, 0, 0), RdvFilter{IncludeCancelled: true})
	if len(rdvs) != 10 {
		t.Fatalf("%d RDVs", len(rdvs))
	}
}

// A child writes in a loop and is SIGKILLed in the middle; the file must open, pass the full
// integrity check, and hold every row the child reported committed.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	f := newFixture(t, 4)
	f.db.Close()
	ctx := context.Background()
	total := 0
	for round := range 3 {
		cmd := helperCmd(t, "crash", f.path, "RDV_STORE_DAY="+strconv.Itoa(1+30*round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1<<16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Let it commit a round-dependent number of rows, then kill it wherever it is.
		var got []string
		killAfter := 40 + 70*round
		for line := range lines {
			got = append(got, line)
			if len(got) == killAfter {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		for line := range lines { // what was printed before the kill
			got = append(got, line)
		}
		io.Copy(io.Discard, stdout)
		cmd.Wait()

		db, err := Open(f.path, Options{Clock: f.clock})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		rep, err := db.Check()
		if err != nil || rep.Integrity != "ok" {
			t.Fatalf("round %d: integrity %q %v", round, rep.Integrity, err)
		}
		for _, line := range got {
			kind, id, _ := strings.Cut(line, " ")
			switch kind {
			case "rdv":
				if _, err := db.GetRdv(ctx, id); err != nil {
					t.Fatalf("round %d: committed RDV %s lost: %v", round, id, err)
				}
				total++
			case "usager":
				if _, err := db.GetUsager(ctx, id); err != nil {
					t.Fatalf("round %d: committed usager %s lost: %v", round, id, err)
				}
			case "error":
				t.Fatalf("round %d: child: %s", round, line)
			}
		}
		// The outbox holds one op per committed write, no more, no less (same transaction).
		var rdvs, ops int
		db.r.QueryRow("SELECT count(*) FROM rdvs").Scan(&rdvs)
		db.r.QueryRow("SELECT count(*) FROM outbox WHERE entity = 'rdv'").Scan(&ops)
		if rdvs != ops || rdvs < total {
			t.Fatalf("round %d: %d RDVs, %d rdv ops, %d reported", round, rdvs, ops, total)
		}
		t.Logf("round %d: %d lines reported, %d RDVs in the file", round, len(got), rdvs)
		db.Close()
	}
}
