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

// session is the agent window's session state: only this window's memory (nothing is stored).
// The sign-in's refusals are counted in the data file (store.AttemptWait), so that a restart
// does not lift a wait.
type session struct {
	clk     agenda.Clock
	mu      sync.Mutex
	agent   *agenda.Agent
	last    time.Time
	timeout time.Duration
	// keep, when set, keeps the session across restarts (KeepSession: a poste's, on the
	// principal); saved is the last activity it was given.
	keep  func(*store.PosteSession)
	saved time.Time
}

// keepEvery is how often a session's activity is written: a minute lost at a restart is nothing
// against idle timeouts counted in minutes, and a write at every call would be waste.
const keepEvery = time.Minute

// kept gives keep the session as it now is (s.mu held).
func (s *session) kept() {
	switch {
	case s.keep == nil:
	case s.agent == nil:
		s.keep(nil)
	default:
		s.saved = s.last
		s.keep(&store.PosteSession{AgentID: s.agent.ID, Last: s.last, Timeout: s.timeout})
	}
}

// The sign-in's limits (issue 10, #12). Per login: after 5 refusals within 15 minutes, that login
// waits 30 seconds after the last one, doubled at each further refusal, at most 15 minutes; the
// other agents sign in as usual. For the window as a whole (any login, known or not): after 20
// refusals within 15 minutes, everyone waits, at most 5 minutes. During a wait every attempt is
// refused without looking at the password, the right one too: a wait that let the right password
// through would tell a guesser when they found it, and would not slow them down. The message says
// so, and how long to wait; a success forgets the login's refusals.
var (
	signInRule = store.AttemptRule{Max: 5, Window: 15 * time.Minute, Base: 30 * time.Second, Cap: 15 * time.Minute}
	windowRule = store.AttemptRule{Max: 20, Window: 15 * time.Minute, Base: 30 * time.Second, Cap: 5 * time.Minute}
)

const anyLogin = "*"

// loginKey is the key of a login's refusals: trimmed, lower case.
func loginKey(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// signInWait returns the wait before login may try again (0: now).
func signInWait(ctx context.Context, db *store.DB, login string) (time.Duration, error) {
	w1, err := db.AttemptWait(ctx, store.AttemptSignIn, loginKey(login), signInRule)
	if err != nil {
		return 0, err
	}
	w2, err := db.AttemptWait(ctx, store.AttemptSignIn, anyLogin, windowRule)
	return max(w1, w2), err
}

// signInRefused records a refused attempt of login (and of the window) and returns its refusal.
func signInRefused(ctx context.Context, db *store.DB, login string, refusal error) error {
	if err := db.RecordFailure(ctx, store.AttemptSignIn, loginKey(login)); err != nil {
		return err
	}
	if err := db.RecordFailure(ctx, store.AttemptSignIn, anyLogin); err != nil {
		return err
	}
	return refusal
}

func errLocked(wait time.Duration) error {
	return agenda.Fail("app.SignIn", agenda.CodeSignInLocked, "seconds", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
}

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
		s.kept()
		return agenda.Agent{}, errSignedOut()
	}
	if touch {
		s.last = now
		if now.Sub(s.saved) >= keepEvery {
			s.kept()
		}
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
func (s agentDoor) timeoutMin(ctx context.Context) int {
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
		if wait, err := signInWait(ctx, s.db, login); err != nil || wait > 0 {
			if err != nil {
				return Startup{}, err
			}
			return Startup{}, errLocked(wait)
		}
		a, hash, err := s.db.GetAgentByLogin(ctx, org.ID, strings.TrimSpace(login))
		if err != nil && agenda.KindOf(err) != agenda.NotFound {
			return Startup{}, err
		}
		if err != nil {
			hash = dummyHash()
		}
		if ok := store.CheckPassword(hash, password); err != nil || !ok || a.Kind != agenda.KindAgent {
			return Startup{}, signInRefused(ctx, s.db, login, agenda.Fail("app.SignIn", agenda.CodeSignInRefused))
		}
		if err := s.db.ClearFailures(ctx, store.AttemptSignIn, loginKey(login)); err != nil {
			return Startup{}, err
		}
		if !a.Active {
			return Startup{}, agenda.Fail("app.SignIn", agenda.CodeAccountDisabled)
		}
		s.session.mu.Lock()
		s.session.agent, s.session.last, s.session.timeout = &a, now, time.Duration(s.timeoutMin(ctx))*time.Minute
		s.session.kept()
		s.session.mu.Unlock()
		return s.startup(ctx, false)
	})
}

// SignOut ends the session (the button, or the frontend's inactivity timer).
func (s *AgentService) SignOut() error {
	s.session.mu.Lock()
	s.session.agent = nil
	s.session.kept()
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

// SetAgentPassword sets another agent's password: an administrator's task (creation, reset), which
// needs no old password. One's own password changes with ChangeOwnPassword, which asks for the
// current one (issue 10, #12): a session left open must not let anyone take the account over.
func (s *AgentService) SetAgentPassword(agentID, password string) (SaveResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		if me.ID == agentID {
			return SaveResult{Errors: []agenda.FieldError{{Field: "password",
				Message: "Pour changer votre propre mot de passe, utilisez « Mon mot de passe » : le mot de passe actuel y est demandé."}}}, nil
		}
		if me.Role != agenda.RoleAdmin {
			return SaveResult{}, agenda.Fail("app.SetAgentPassword", agenda.CodeOwnPasswordOnly)
		}
		return s.storePassword(ctx, agentID, password)
	})
}

// ChangeOwnPassword changes the signed-in agent's password, given the current one. A wrong
// current password counts as a refused sign-in of the agent's login (the same waits apply).
func (s *AgentService) ChangeOwnPassword(current, password string) (SaveResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		if wait, err := signInWait(ctx, s.db, me.Login); err != nil || wait > 0 {
			if err != nil {
				return SaveResult{}, err
			}
			return SaveResult{}, errLocked(wait)
		}
		_, hash, err := s.db.GetAgentByLogin(ctx, me.OrganisationID, me.Login)
		if err != nil {
			return SaveResult{}, err
		}
		if !store.CheckPassword(hash, current) {
			return SaveResult{}, signInRefused(ctx, s.db, me.Login, agenda.Fail("app.ChangeOwnPassword", agenda.CodeCurrentPasswordWrong))
		}
		return s.storePassword(ctx, me.ID, password)
	})
}

func (s *AgentService) storePassword(ctx context.Context, agentID, password string) (SaveResult, error) {
	if errs := checkPassword(password); errs != nil {
		return SaveResult{Errors: errs}, nil
	}
	hash, err := store.HashPassword(password)
	if err != nil {
		return SaveResult{}, err
	}
	return SaveResult{ID: agentID}, s.db.SetAgentPasswordHash(ctx, agentID, hash)
}

func checkPassword(p string) []agenda.FieldError {
	if len([]rune(p)) < minPasswordLength {
		return []agenda.FieldError{{Field: "password", Message: "Le mot de passe doit comporter au moins " + strconv.Itoa(minPasswordLength) + " caractères."}}
	}
	return nil
}
