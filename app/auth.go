package app

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

// Sign-in. The desktop app has one window and one agent at a time: the session is shared by the
// agent window's services (AgentService, NotificationService), and call checks it (door.go). A
// call without a session fails with the code signed_out, on which the frontend shows the sign-in
// screen again. Every method but Ready and SignIn requires it, and each change passes the agent's
// id to the store as the author recorded in the history. A session ends after a period without
// activity (setting session_timeout_min, 15 minutes by default): a counter PC left unattended must
// not stay open on the usagers' data. Polling calls (the waiting room, the agenda's refresh) do
// not count as activity; the frontend reports keyboard and mouse activity with KeepAlive.

const (
	settingSessionTimeout = "session_timeout_min"
	defaultTimeoutMin     = 15
	minPasswordLength     = 8
)

// session is the agent window's session state, and the sign-in lockout: both are only this
// window's memory (nothing is stored), so they stay in the door.
type session struct {
	clk     agenda.Clock
	mu      sync.Mutex
	agent   *agenda.Agent
	last    time.Time
	timeout time.Duration
	// failures counts the sign-in attempts refused in a row; after maxFailures the window waits
	// lockout before trying again, so that a password cannot be guessed at the counter's pace.
	failures    int
	lockedUntil time.Time
}

const (
	maxFailures = 5
	lockout     = 30 * time.Second
)

// dummyHash is checked when the login does not exist, so that a refusal takes as long for an
// unknown login as for a wrong password and does not tell which logins exist.
var dummyHash = sync.OnceValue(func() string {
	h, _ := store.HashPassword("rdv-guichet")
	return h
})

func errSignedOut() error { return agenda.Fail("app.session", agenda.CodeSignedOut) }

// user returns the signed-in agent, ending the session when it has been idle too long. touch
// records the call as activity.
func (s *session) user(touch bool) (agenda.Agent, error) {
	if s == nil {
		return agenda.Agent{}, errSignedOut()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.agent == nil {
		return agenda.Agent{}, errSignedOut()
	}
	now := s.clk.Now()
	if now.Sub(s.last) > s.timeout {
		s.agent = nil
		return agenda.Agent{}, errSignedOut()
	}
	if touch {
		s.last = now
	}
	return *s.agent, nil
}

// admin returns the signed-in agent if it is an administrator.
func (s *session) admin() (agenda.Agent, error) {
	a, err := s.user(true)
	if err == nil && a.Role != agenda.RoleAdmin {
		err = agenda.Fail("app.admin", agenda.CodeAdminOnly)
	}
	return a, err
}

// check returns the caller as need requires it (call's session check).
func (s *session) check(need access) (agenda.Agent, error) {
	switch need {
	case asPoller:
		return s.user(false)
	case asAdmin:
		return s.admin()
	}
	return s.user(true)
}

// timeoutMin reads the inactivity timeout setting.
func (s *AgentService) timeoutMin(ctx context.Context) int {
	v, ok, err := s.db.Setting(ctx, settingSessionTimeout)
	if n, convErr := strconv.Atoi(v); ok && err == nil && convErr == nil && n > 0 {
		return n
	}
	return defaultTimeoutMin
}

// SignIn opens a session for an agent (not a guichet) with its login and password.
func (s *AgentService) SignIn(login, password string) (Startup, error) {
	return call(s.office, nil, noSession, func(ctx context.Context, _ agenda.Agent) (Startup, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return Startup{}, err
		}
		now := s.clock.Now()
		s.session.mu.Lock()
		wait := s.session.lockedUntil.Sub(now)
		s.session.mu.Unlock()
		if wait > 0 {
			return Startup{}, agenda.Fail("app.SignIn", agenda.CodeSignInWait, "seconds", strconv.Itoa(int(wait.Seconds()+0.999)))
		}
		a, hash, err := s.db.GetAgentByLogin(ctx, org.ID, strings.TrimSpace(login))
		if err != nil && agenda.KindOf(err) != agenda.NotFound {
			return Startup{}, err
		}
		if err != nil {
			hash = dummyHash()
		}
		if ok := store.CheckPassword(hash, password); err != nil || !ok || a.Kind != agenda.KindAgent {
			s.session.mu.Lock()
			if s.session.failures++; s.session.failures >= maxFailures {
				s.session.failures, s.session.lockedUntil = 0, now.Add(lockout)
			}
			s.session.mu.Unlock()
			return Startup{}, agenda.Fail("app.SignIn", agenda.CodeSignInRefused)
		}
		if !a.Active {
			return Startup{}, agenda.Fail("app.SignIn", agenda.CodeAccountDisabled)
		}
		s.session.mu.Lock()
		s.session.agent, s.session.last, s.session.timeout = &a, now, time.Duration(s.timeoutMin(ctx))*time.Minute
		s.session.failures = 0
		s.session.mu.Unlock()
		return s.startup(ctx, false)
	})
}

// SignOut ends the session (the button, or the frontend's inactivity timer).
func (s *AgentService) SignOut() error {
	s.session.mu.Lock()
	s.session.agent = nil
	s.session.mu.Unlock()
	return nil
}

// KeepAlive records keyboard or mouse activity, so that the session does not end while the
// agent works on one screen without calling Go.
func (s *AgentService) KeepAlive() error {
	_, err := call(s.office, s.session, asAgent, func(context.Context, agenda.Agent) (done, error) { return done{}, nil })
	return err
}

// demoHint tells the sign-in screen of a demo data file which accounts to try.
func (s *AgentService) demoHint(ctx context.Context) *DemoHint {
	if _, ok, err := s.db.Setting(ctx, demo.SettingDemo); !ok || err != nil {
		return nil
	}
	return &DemoHint{Logins: []string{"claire", "karim"}, Password: demo.Password}
}

// SetAgentPassword sets an agent's password: an administrator for any account (creation, reset),
// an agent for its own.
func (s *AgentService) SetAgentPassword(agentID, password string) (SaveResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		if me.ID != agentID && me.Role != agenda.RoleAdmin {
			return SaveResult{}, agenda.Fail("app.SetAgentPassword", agenda.CodeOwnPasswordOnly)
		}
		if errs := checkPassword(password); errs != nil {
			return SaveResult{Errors: errs}, nil
		}
		hash, err := store.HashPassword(password)
		if err != nil {
			return SaveResult{}, err
		}
		return SaveResult{ID: agentID}, s.db.SetAgentPasswordHash(ctx, agentID, hash)
	})
}

func checkPassword(p string) []agenda.FieldError {
	if len([]rune(p)) < minPasswordLength {
		return []agenda.FieldError{{Field: "password", Message: "Le mot de passe doit comporter au moins " + strconv.Itoa(minPasswordLength) + " caractères."}}
	}
	return nil
}
