package app

import (
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
)

type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movableClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestSignInRolesAndInactivity(t *testing.T) {
	services, _, clock := openDemo(t)
	svc := services.Agent
	week := AgendaQuery{Start: "2026-03-09", End: "2026-03-16"}

	if st, err := svc.Ready(); err != nil || st.Session != nil || st.Demo == nil || st.Demo.Password != demo.Password || len(st.Motifs) != 0 {
		t.Fatalf("before sign-in: %v %+v", err, st)
	}
	if _, err := svc.Agenda(week); err == nil || doorCode(err) != "signed_out" {
		t.Fatalf("agenda without a session: %v", err)
	}
	if _, err := svc.SignIn("karim", "mauvais"); err == nil || doorMessage(err) != "Identifiant ou mot de passe incorrect." {
		t.Fatalf("wrong password: %v", err)
	}
	st, err := svc.SignIn("karim", demo.Password)
	if err != nil || st.Session == nil || st.Session.Role != "agent" || st.Session.TimeoutMin != 15 || len(st.Motifs) == 0 {
		t.Fatalf("sign-in: %v %+v", err, st.Session)
	}
	if _, err := svc.SaveLieu(agenda.Lieu{Name: "Annexe"}); err == nil || doorMessage(err) != "Cette action est réservée aux administrateurs." {
		t.Fatalf("agent saving a lieu: %v", err)
	}
	// Polling does not keep the session open; activity does.
	clock.add(10 * time.Minute)
	if _, err := svc.Agenda(week); err != nil {
		t.Fatal(err)
	}
	clock.add(6 * time.Minute)
	if _, err := svc.Agenda(week); err == nil || doorCode(err) != "signed_out" {
		t.Fatalf("after 16 idle minutes: %v", err)
	}
	if _, err := svc.SignIn("karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	clock.add(10 * time.Minute)
	if err := svc.KeepAlive(); err != nil {
		t.Fatal(err)
	}
	clock.add(10 * time.Minute)
	if _, err := svc.Agenda(week); err != nil {
		t.Fatalf("activity 10 minutes ago: %v", err)
	}
}

// Five refused sign-ins in a row make the window wait 30 seconds, whatever the login: a password
// cannot be guessed at the pace of a script. A success resets the count.
func TestSignInThrottle(t *testing.T) {
	services, _, clock := openDemo(t)
	svc := services.Agent
	for i, login := range []string{"karim", "inconnu", "karim", "claire", "personne"} {
		if _, err := svc.SignIn(login, "mauvais"); err == nil || doorMessage(err) != "Identifiant ou mot de passe incorrect." {
			t.Fatalf("attempt %d (%s): %v", i+1, login, err)
		}
	}
	if _, err := svc.SignIn("karim", demo.Password); err == nil || doorMessage(err) != "Trop d'essais refusés : attendez 30 secondes avant de réessayer." {
		t.Fatalf("sixth attempt, even right: %v", err)
	}
	clock.add(31 * time.Second)
	if _, err := svc.SignIn("karim", demo.Password); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}
