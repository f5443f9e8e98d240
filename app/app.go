// Package app is the office's doors: the services bound to the frontend, thin doors onto the
// store and the domain. No business rule and no SQL here.
//
// The shape:
//   - office.go: the office core every door shares: the data file (*store.DB), the clock, the
//     window's context, the organisation and its zone (the one place that loads them) and its
//     catalogue (lieux, agents, motifs) read per call; printing.go and documents.go add the
//     printers of Paramètres › Impression and the convocations they print, which the agent
//     window and the kiosk both use.
//   - door.go: call, the one wrapper of bound methods: it checks the caller (public, signed-in,
//     polling, administrator; the session and the sign-in lockout are this window's memory,
//     auth.go), runs the work with the window's context, and turns its failure into the door's
//     error, whose Error() is JSON {"code", "message", "fields"?} (the text from the catalogue
//     backend/messages, in French): the frontend switches on the code
//     (frontend/src/shared/errors.ts) and never reads the text for a decision.
//   - one service per area, each a door over the core: AgentService (agent.go, booking.go,
//     documents.go, lists.go, printing.go, settings.go, auth.go) and NotificationService
//     (notifications.go) share the agent's session; KioskService (kiosk.go) has none and reaches
//     only the core and backend/kiosk, where the kiosk's use cases live (check-in, what it books,
//     the new usager of its form).
//   - events.go: the Hub, which watches the data file (store.DB.WatchChanges) and tells the agent
//     window (the Wails event EventDataChanged) and its subscribers that the data changed, whoever
//     wrote it: the screens refresh at once instead of polling.
//
// A method checks who calls, reads its input's shape, calls the backend and turns the result
// into a view (views.go). Expected refusals (a field to correct, a slot taken meanwhile) come back
// as data (SaveResult, BookResult, KioskBookResult) with the catalogue's text, so that the screen
// can show them beside the field or offer the next slots; only unexpected failures are errors.
package app

import (
	"context"
	"log"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/kiosk"
	"rdvguichet/backend/store"
)

// Services holds the bound services and the office core they share.
type Services struct {
	Agent         *AgentService
	Notifications *NotificationService
	Kiosk         *KioskService
	Sync          *SyncService
	Setup         *SetupService
	// Events tells the window and the subscribers that the data file changed (events.go). It is
	// not bound: the window receives its events.
	Events *Hub
	office *office
}

// New builds the services over an open store. readyLog receives "UI_READY" when the frontend
// has loaded (the smoke test waits for it).
func New(db *store.DB, clock agenda.Clock, readyLog *log.Logger) *Services {
	o := &office{db: db, clock: clock, readyLog: readyLog, health: newHealth(), newPrinters: SystemPrinters}
	return services(o, &session{clk: clock}, &syncLoop{db: db, clock: clock, every: syncEvery}, newHub(db))
}

// services builds the doors over an office core, a session, a sync loop and a change hub.
func services(o *office, sess *session, loop *syncLoop, events *Hub) *Services {
	door := agentDoor{office: o, session: sess}
	return &Services{
		Agent:         &AgentService{door},
		Notifications: &NotificationService{agent: door, db: o.db, clock: o.clock},
		Kiosk:         newKioskService(o),
		Sync:          &SyncService{agent: door, loop: loop},
		Setup:         &SetupService{door},
		Events:        events,
		office:        o,
	}
}

// ForCall returns the services as one call of a poste secondaire reaches them (app/principal):
// the same session (the poste's agent), run with the call's context rather than the window's
// (cancelled when the poste hangs up; carrying the call's idempotency key to the store),
// printing with the poste's own settings on the printers newPrinters makes of them, and leaving
// the documents it saves for the poste to write on its own disk.
func (s *Services) ForCall(ctx context.Context, printing PrinterSettings, newPrinters PrinterFactory) *Services {
	o := *s.office
	o.ctx, o.newPrinters, o.documentsOnPoste = ctx, newPrinters, true
	o.printing = &printing
	return services(&o, s.Agent.session, s.Sync.loop, s.Events)
}

func newKioskService(o *office) *KioskService {
	return &KioskService{office: o, desk: &kiosk.Desk{DB: o.db, Clock: o.clock}}
}

// SetPrinterFactory replaces the printers Paramètres › Impression names (SystemPrinters), for
// the agent and the kiosk alike: the E2E server prints to a fake, so that no test reaches a real
// printer.
func (s *Services) SetPrinterFactory(f PrinterFactory) { s.office.newPrinters = f }

// Bindings is what main.go binds in the agent window and what the E2E server serves.
func (s *Services) Bindings() []any { return []any{s.Agent, s.Notifications, s.Sync, s.Setup} }

// RoleBindings is what a poste secondaire of role (store.RoleGuichet or store.RoleBorne)
// reaches on the principal: the agent window's bindings or the kiosk's, nothing else.
func (s *Services) RoleBindings(role string) []any {
	if role == store.RoleGuichet {
		return s.Bindings()
	}
	return s.KioskBindings()
}

// KioskBindings is what the lobby kiosk binds (rdv-guichet --borne, e2eserve -borne): the
// KioskService alone, so that nothing of the agents' window is reachable from the lobby. The
// frontend opens the kiosk's screens when it finds it bound.
func (s *Services) KioskBindings() []any { return []any{s.Kiosk} }

// Startup is called by Wails with the window's context.
func (s *Services) Startup(ctx context.Context) { s.office.ctx = ctx }

// StartBackground starts what works behind the window until ctx ends: the sender of SMS and
// e-mails, the sync with the central server (StartSync), and the postes' server when an
// administrator turned it on (Paramètres › Postes). main.go calls it at the agent
// window's start-up, not the kiosk's (the desk sends and syncs for both); the E2E server does
// not, so that its tests see the messages as booking wrote them (it calls StartSync alone).
func (s *Services) StartBackground(ctx context.Context) {
	go RunNotifications(ctx, s.Notifications)
	s.StartSync(ctx)
	s.startServing(ctx)
}

// StartSync starts the background sync with the central server, when one is configured (and
// again whenever Paramètres › Serveur central changes it), until ctx ends or StopBackground.
func (s *Services) StartSync(ctx context.Context) { s.Sync.loop.start(ctx) }

// StopBackground stops the background sync and waits for its round in flight, and stops the
// watch of the data file (Events): main.go calls it before the data file closes.
func (s *Services) StopBackground() {
	s.Sync.loop.stop()
	s.Events.Stop()
}

// SetSyncPace sets the background sync's period (one minute by default; the E2E server's is shorter).
func (s *Services) SetSyncPace(every time.Duration) { s.Sync.loop.every = every }
