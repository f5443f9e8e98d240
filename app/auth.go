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

// Sign-in. The desktop app has one window and one agent at a time: the session lives in the
// AgentService. Every method but Ready and SignIn requires it, and each change passes the agent's
// id to the store as the author recorded in the history. A session ends after a period without
// activity (setting session_timeout_min, 15 minutes by default): a counter PC left unattended must
// not stay open on the usagers' data. Polling calls (the waiting room, the agenda's refresh) do
// not count as activity; the frontend reports keyboard and mouse activity with KeepAlive.

// SignedOutMessage is the error of any call made without a session; the frontend recognises it
// and shows the sign-in screen again.
const SignedOutMessage = "Session terminée : reconnectez-vous."

const (
	settingSessionTimeout = "session_timeout_min"
	defaultTimeoutMin     = 15
	minPasswordLength     = 8
)

type session struct {
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
func (s *AgentService) user(touch bool) (agenda.Agent, error) {
	s.sess.mu.Lock()
	defer s.sess.mu.Unlock()
	if s.sess.agent == nil {
		return agenda.Agent{}, errSignedOut()
	}
	now := s.clock.Now()
	if now.Sub(s.sess.last) > s.sess.timeout {
		s.sess.agent = nil
		return agenda.Agent{}, errSignedOut()
	}
	if touch {
		s.sess.last = now
	}
	return *s.sess.agent, nil
}

// admin returns the signed-in agent if it is an administrator.
func (s *AgentService) admin() (agenda.Agent, error) {
	a, err := s.user(true)
	if err == nil && a.Role != agenda.RoleAdmin {
		err = agenda.Fail("app.admin", agenda.CodeAdminOnly)
	}
	return a, err
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
	ctx := s.context()
	org, _, err := s.org(ctx)
	if err != nil {
		return Startup{}, userError(err)
	}
	now := s.clock.Now()
	s.sess.mu.Lock()
	wait := s.sess.lockedUntil.Sub(now)
	s.sess.mu.Unlock()
	if wait > 0 {
		return Startup{}, userError(agenda.Fail("app.SignIn", agenda.CodeSignInWait, "seconds", strconv.Itoa(int(wait.Seconds()+0.999))))
	}
	a, hash, err := s.db.GetAgentByLogin(ctx, org.ID, strings.TrimSpace(login))
	if err != nil && agenda.KindOf(err) != agenda.NotFound {
		return Startup{}, userError(err)
	}
	if err != nil {
		hash = dummyHash()
	}
	if ok := store.CheckPassword(hash, password); err != nil || !ok || a.Kind != agenda.KindAgent {
		s.sess.mu.Lock()
		if s.sess.failures++; s.sess.failures >= maxFailures {
			s.sess.failures, s.sess.lockedUntil = 0, now.Add(lockout)
		}
		s.sess.mu.Unlock()
		return Startup{}, userError(agenda.Fail("app.SignIn", agenda.CodeSignInRefused))
	}
	if !a.Active {
		return Startup{}, userError(agenda.Fail("app.SignIn", agenda.CodeAccountDisabled))
	}
	s.sess.mu.Lock()
	s.sess.agent, s.sess.last, s.sess.timeout = &a, now, time.Duration(s.timeoutMin(ctx))*time.Minute
	s.sess.failures = 0
	s.sess.mu.Unlock()
	return s.startup(ctx, false)
}

// SignOut ends the session (the button, or the frontend's inactivity timer).
func (s *AgentService) SignOut() error {
	s.sess.mu.Lock()
	s.sess.agent = nil
	s.sess.mu.Unlock()
	return nil
}

// KeepAlive records keyboard or mouse activity, so that the session does not end while the
// agent works on one screen without calling Go.
func (s *AgentService) KeepAlive() error {
	_, err := s.user(true)
	return userError(err)
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
	ctx := s.context()
	me, err := s.user(true)
	if err != nil {
		return SaveResult{}, userError(err)
	}
	if me.ID != agentID && me.Role != agenda.RoleAdmin {
		return SaveResult{}, userError(agenda.Fail("app.SetAgentPassword", agenda.CodeOwnPasswordOnly))
	}
	if errs := checkPassword(password); errs != nil {
		return SaveResult{Errors: errs}, nil
	}
	hash, err := store.HashPassword(password)
	if err != nil {
		return SaveResult{}, userError(err)
	}
	return SaveResult{ID: agentID}, userError(s.db.SetAgentPasswordHash(ctx, agentID, hash))
}

func checkPassword(p string) []agenda.FieldError {
	if len([]rune(p)) < minPasswordLength {
		return []agenda.FieldError{{Field: "password", Message: "Le mot de passe doit comporter au moins " + strconv.Itoa(minPasswordLength) + " caractères."}}
	}
	return nil
}
