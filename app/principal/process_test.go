package principal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/poste"
)

// The postes' tests with real processes (issue 12): the principal is the rdv-guichet binary
// itself, « rdv-guichet serve » on loopback, built once per run; the secondaries are the test's
// clients (backend/poste), as a poste's window uses them.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds rdv-guichet once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rdv-postes-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "rdv-guichet")
		out, err := exec.Command("go", "build", "-o", binPath, "rdvguichet").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// rdv runs a command of the binary and returns its standard output.
func rdv(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rdv-guichet %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return out
}

// office is a principal's data file, with the demo agenda of today.
type office struct {
	t    *testing.T
	db   string
	addr string
	proc *exec.Cmd
	log  *bytes.Buffer
}

func newOffice(t *testing.T) *office {
	t.Helper()
	o := &office{t: t, db: filepath.Join(t.TempDir(), "principal.sqlite"), addr: freeAddr(t)}
	rdv(t, "demo", "--db", o.db)
	t.Cleanup(o.kill)
	return o
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs « rdv-guichet serve » and waits until it listens.
func (o *office) start() {
	o.t.Helper()
	o.log = &bytes.Buffer{}
	o.proc = exec.Command(binary(o.t), "serve", "--db", o.db, "--listen", o.addr)
	o.proc.Stderr, o.proc.Stdout = o.log, o.log
	if err := o.proc.Start(); err != nil {
		o.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", o.addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			o.t.Fatalf("the principal does not listen on %s:\n%s", o.addr, o.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill stops the principal at once (SIGKILL): no shutdown, no last write.
func (o *office) kill() {
	if o.proc == nil || o.proc.Process == nil {
		return
	}
	o.proc.Process.Kill()
	o.proc.Wait()
	o.proc = nil
}

// invite adds a poste with the command line and returns its pairing code and the fingerprint.
func (o *office) invite(name, role string) poste.Invitation {
	o.t.Helper()
	var inv poste.Invitation
	if err := json.Unmarshal(rdv(o.t, "poste", "add", "--db", o.db, "--nom", name, "--role", role, "--json"), &inv); err != nil {
		o.t.Fatal(err)
	}
	return inv
}

// pair adds a poste and pairs a client with it, pinning the fingerprint the principal showed.
func (o *office) pair(name, role string) *poste.Client {
	o.t.Helper()
	inv := o.invite(name, role)
	p, err := poste.Pair(context.Background(), o.addr, inv.Code, "test", inv.Fingerprint)
	if err != nil {
		o.t.Fatalf("pair %s: %v", name, err)
	}
	if p.Role != role || p.Name != name || !poste.SameFingerprint(p.Fingerprint, inv.Fingerprint) {
		o.t.Fatalf("pairing: %+v", p)
	}
	c := poste.NewClient(o.addr, p.Fingerprint, p.Credential)
	c.SetBackoff() // no retry unless the test asks for it
	return c
}
