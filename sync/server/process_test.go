package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"
)

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rdv-central-test-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func mkTemp() (string, error) { return binDir, nil }

// buildCentral builds the rdv-central binary once per test run.
var buildCentral = sync.OnceValues(func() (string, error) {
	dir, err := mkTemp()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "rdv-central")
	out, err := exec.Command("go", "build", "-o", bin, "rdvguichet/sync/cmd/rdv-central").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// proc is a running « rdv-central serve ».
type proc struct {
	cmd    *exec.Cmd
	base   string
	exited chan error
	mu     sync.Mutex
	stderr bytes.Buffer
}

// startCentral starts « rdv-central serve » on a free loopback port and waits until it listens.
func startCentral(t *testing.T, dsn string) *proc {
	t.Helper()
	bin, err := buildCentral()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: exec.Command(bin, "serve", "--db", dsn, "--listen", "127.0.0.1:0", "--rate", "1000", "--burst", "1000"), exited: make(chan error, 1)}
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			p.mu.Unlock()
			if a, ok := strings.CutPrefix(line, "rdv-central : à l’écoute sur "); ok {
				addr <- strings.Fields(a)[0]
			}
		}
		p.exited <- p.cmd.Wait()
	}()
	select {
	case a := <-addr:
		p.base = "http://" + a
	case err := <-p.exited:
		t.Fatalf("rdv-central stopped: %v\n%s", err, p.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("rdv-central does not listen:\n%s", p.log())
	}
	return p
}

func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// rawPush pushes ops and returns the reply or the transport's error (the process may die).
func rawPush(base, token string, ops []protocol.Op) (protocol.PushReply, int, error) {
	var reply protocol.PushReply
	b, _ := json.Marshal(protocol.Push{Version: protocol.Version, Office: "test", Ops: ops})
	req, _ := http.NewRequest(http.MethodPost, base+protocol.PathPush, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply, resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		return reply, resp.StatusCode, fmt.Errorf("status %d: %s", resp.StatusCode, data)
	}
	return reply, resp.StatusCode, json.Unmarshal(data, &reply)
}

// A real rdv-central killed (SIGKILL) in the middle of a large push loses nothing: once a
// process serves the database again, the office's replay of the push gets every op accepted,
// each applied exactly once (one applied_ops row, one change, one row). Then a SIGTERM lets the
// push in flight finish before the process exits.
func TestKilledInTheMiddleOfAPush(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs rdv-central")
	}
	dsn := testkit.FreshDB(t)
	s := openStore(t, dsn)
	db := sqlPool(t, dsn)
	o, ops := newOffice(t, s, nil, protocol.MaxBatch-6-100)
	for i := range 100 {
		b, _ := o.book(t, at(day.AddDays(i), 9, 0), i)
		ops = append(ops, b)
	}
	if len(ops) != protocol.MaxBatch {
		t.Fatalf("%d ops", len(ops))
	}
	applied := func() int { return count(t, db, "SELECT count(*) FROM applied_ops WHERE organisation_id = $1", o.org) }

	p1 := startCentral(t, dsn)
	pushed := make(chan error, 1)
	go func() {
		_, _, err := rawPush(p1.base, o.token, ops)
		pushed <- err
	}()
	deadline := time.Now().Add(20 * time.Second)
	for applied() < 40 {
		if time.Now().After(deadline) {
			t.Fatalf("the push does not progress:\n%s", p1.log())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := p1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p1.exited
	if err := <-pushed; err == nil {
		t.Fatal("the push answered although its process was killed")
	}
	atKill := applied()
	t.Logf("killed after %d of %d ops", atKill, len(ops))
	if atKill >= len(ops) {
		t.Fatal("the push ended before the kill: nothing tested")
	}

	p2 := startCentral(t, dsn)
	began := time.Now()
	reply, st, err := rawPush(p2.base, o.token, ops)
	t.Logf("replay of %d ops (%d new) in %v", len(ops), len(ops)-atKill, time.Since(began).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("replay: %d %v\n%s", st, err, p2.log())
	}
	for i, r := range reply.Results {
		if !r.Accepted || r.OpID != ops[i].ID {
			t.Fatalf("op %d after the restart: %+v", i, r)
		}
	}
	check := func() {
		t.Helper()
		if n := applied(); n != len(ops) {
			t.Fatalf("applied_ops %d, want %d", n, len(ops))
		}
		if n := count(t, db, "SELECT count(*) FROM changes WHERE organisation_id = $1", o.org); n != len(ops) {
			t.Fatalf("%d changes for %d ops", n, len(ops))
		}
		if n := count(t, db, "SELECT count(DISTINCT (entity, entity_id, kind)) FROM changes WHERE organisation_id = $1", o.org); n != len(ops) {
			t.Fatalf("%d distinct changes for %d ops", n, len(ops))
		}
		if n := count(t, db, "SELECT count(*) FROM rdvs WHERE organisation_id = $1", o.org); n != 100 {
			t.Fatalf("%d RDVs", n)
		}
		if n := count(t, db, "SELECT count(*) FROM usagers WHERE organisation_id = $1 AND version = 1", o.org); n != len(o.usagers) {
			t.Fatalf("%d usagers at version 1, want %d", n, len(o.usagers))
		}
	}
	check()
	began = time.Now()
	again, _, err := rawPush(p2.base, o.token, ops)
	t.Logf("second replay of %d ops (all stored) in %v", len(ops), time.Since(began).Round(time.Millisecond))
	if err != nil || len(again.Results) != len(ops) {
		t.Fatalf("second replay: %v", err)
	}
	check()

	// SIGTERM during a push: the push in flight ends with its answer, then the process exits 0.
	var more []protocol.Op
	for range 300 {
		more = append(more, o.usagerOp(t, "Tardif"))
	}
	before := applied()
	go func() {
		reply, _, err := rawPush(p2.base, o.token, more)
		if err == nil && len(reply.Results) != len(more) {
			err = errors.New("incomplete reply")
		}
		pushed <- err
	}()
	for applied() == before {
		if time.Now().After(deadline.Add(20 * time.Second)) {
			t.Fatal("the second push does not progress")
		}
		time.Sleep(time.Millisecond)
	}
	if err := p2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-pushed; err != nil {
		t.Fatalf("push in flight during SIGTERM: %v\n%s", err, p2.log())
	}
	select {
	case err := <-p2.exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p2.log())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("rdv-central does not stop after SIGTERM")
	}
	if n := applied(); n != len(ops)+len(more) {
		t.Fatalf("applied %d, want %d", n, len(ops)+len(more))
	}
	if strings.Contains(p2.log(), "Tardif") || strings.Contains(p2.log(), "example.org") || strings.Contains(p2.log(), "+336") {
		t.Fatalf("personal data in the log:\n%s", p2.log())
	}
}
