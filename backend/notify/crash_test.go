package notify

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
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/reminders"
	"rdvguichet/backend/store"
)

// fileSMS is a provider whose « network » is a file: each delivered SMS is one line, written and
// synced before Send returns, so it survives the SIGKILL of the process that sent it.
type fileSMS struct {
	mu   sync.Mutex
	path string
}

func (p *fileSMS) Name() string { return "file" }

func (p *fileSMS) Send(_ context.Context, m SMS) (SentSMS, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return SentSMS{}, err
	}
	defer f.Close()
	line := m.To + "|" + strings.ReplaceAll(m.Text, "\n", " / ") + "|" + m.Ref + "\n"
	if _, err := f.WriteString(line); err != nil {
		return SentSMS{}, err
	}
	return SentSMS{Parts: 1}, f.Sync()
}

func (p *fileSMS) deliveries(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(p.path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string][]string{} // message (recipient and text) → attempt refs
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l == "" {
			continue
		}
		i := strings.LastIndex(l, "|")
		out[l[:i]] = append(out[l[:i]], l[i+1:])
	}
	return out
}

const (
	envCrash      = "RDV_NOTIFY_CRASH"
	envCrashDB    = "RDV_NOTIFY_DB"
	envDeliveries = "RDV_NOTIFY_DELIVERIES"
	envHang       = "RDV_NOTIFY_HANG"
)

// TestNotifyHelperProcess is the child: it runs one sender round on the parent's file. With
// RDV_NOTIFY_HANG=k it stops for good right after the k-th SMS has left and before it is
// recorded (the crash window); the parent kills it there, or anywhere when k is 0.
func TestNotifyHelperProcess(t *testing.T) {
	if os.Getenv(envCrash) == "" {
		t.Skip("only run as a child process")
	}
	clock := &fakeClock{t: monday10}
	db, err := store.Open(os.Getenv(envCrashDB), store.Options{Clock: clock})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	hang, _ := strconv.Atoi(os.Getenv(envHang))
	count := 0
	s := &Sender{DB: db, Clock: clock, SMS: &fileSMS{path: os.Getenv(envDeliveries)}, Mail: &fakeMail{clock: clock},
		Secret: []byte("0123456789abcdef0123456789abcdef"),
		BeforeRecord: func(n reminders.Notification) {
			count++
			fmt.Println("sent", n.ID)
			if count == hang {
				select {} // killed here: sent, not recorded
			}
		}}
	if _, err := s.RunOnce(context.Background()); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	fmt.Println("done")
	os.Exit(0)
}

// A sender killed (SIGKILL) between sending and recording never sends that message again, and
// every other message leaves exactly once after the restart.
func TestCrashBetweenSendAndRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, tc := range []struct {
		name       string
		hang, kill int // child hangs after the hang-th send; parent kills after kill « sent » lines
	}{
		{"killed in the window", 3, 3},
		{"killed anywhere", 0, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w := newWorldAt(t, filepath.Join(dir, "rdv.sqlite"))
			ctx := context.Background()
			set, _ := LoadSettings(ctx, w.db)
			set.EmailEnabled = false // SMS only: their text names the RDV, so doubles are visible
			if err := SaveSettings(ctx, w.db, set); err != nil {
				t.Fatal(err)
			}
			// 30 RDVs tomorrow: each owes a confirmation and an immediate reminder (60 SMS due).
			for i := range 30 {
				w.book(t, day(3, 10, 0).Add(time.Duration(i)*30*time.Minute))
			}
			deliv := &fileSMS{path: filepath.Join(dir, "deliveries.txt")}
			cmd := exec.Command(os.Args[0], "-test.run=^TestNotifyHelperProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), envCrash+"=1", envCrashDB+"="+w.path, envDeliveries+"="+deliv.path, envHang+"="+strconv.Itoa(tc.hang))
			cmd.Stderr = os.Stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			var lastSent string
			seen := 0
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "error") || line == "done" {
					t.Fatalf("child: %s", line)
				}
				if id, ok := strings.CutPrefix(line, "sent "); ok {
					seen++
					lastSent = id
					if seen == tc.kill {
						break
					}
				}
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, stdout)
			cmd.Wait()

			// Restart 11 minutes later: the claim is stale, resolved as uncertain, not resent.
			w.clock.Set(monday10.Add(11 * time.Minute))
			restart := &Sender{DB: w.db, Clock: w.clock, SMS: deliv, Mail: w.mail, Secret: w.sender.Secret}
			if _, err := restart.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			if again, err := restart.RunOnce(ctx); err != nil || len(again) != 0 {
				t.Fatalf("third round: %v %v", again, err)
			}

			got := deliv.deliveries(t)
			for msg, refs := range got {
				if len(refs) > 1 {
					t.Errorf("sent %d times: %s", len(refs), msg)
				}
			}
			pending, _ := w.db.PendingNotifications(ctx, 0)
			if len(pending) != 0 {
				t.Fatalf("still pending: %d", len(pending))
			}
			var sentN, uncertain int
			all := map[string]reminders.Notification{}
			rdvs, _ := w.db.ListRdvsBetween(ctx, day(3, 0, 0), day(5, 0, 0), store.RdvFilter{})
			for _, r := range rdvs {
				ns, _ := w.db.RdvNotifications(ctx, r.ID)
				for _, n := range ns {
					all[n.ID] = n
					switch n.State {
					case reminders.StateSent:
						sentN++
					case reminders.StateUncertain:
						uncertain++
					default:
						t.Errorf("state %s: %+v", n.State, n)
					}
				}
			}
			if len(all) != 60 {
				t.Fatalf("%d notifications, want 60", len(all))
			}
			// Every message left once, except uncertain ones killed before the provider call.
			if len(got) < sentN || len(got) > sentN+uncertain {
				t.Errorf("%d distinct deliveries, %d sent, %d uncertain", len(got), sentN, uncertain)
			}
			if tc.hang > 0 {
				n := all[lastSent]
				if n.State != reminders.StateUncertain || uncertain != 1 || len(got) != 60 {
					t.Errorf("hung message %+v; %d uncertain; %d deliveries", n, uncertain, len(got))
				}
				rs, _ := w.db.ListReceipts(ctx, n.RdvID)
				found := false
				for _, r := range rs {
					if r.Result == "processed" && strings.Contains(r.Error, "non renvoyé") {
						found = true
					}
				}
				if !found {
					t.Errorf("no receipt for the uncertain message: %+v", rs)
				}
			}
			t.Logf("%d delivered, %d sent, %d uncertain", len(got), sentN, uncertain)
		})
	}
}
