// Package app is the Wails-facing layer: the services bound to the frontend, thin doors onto
// the store and the domain. No business rule and no SQL here: a method checks who calls, validates
// its input's shape, calls the backend and turns the result into a view, and its errors into French
// messages. Expected refusals (a field to correct, a slot taken meanwhile) come back as data
// (SaveResult, BookResult) so that the screen can show them beside the field or offer the next
// slots; only unexpected failures are errors.
package app

import (
	"context"
	"log"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/store"
)

// Services holds what the bound services share.
type Services struct {
	Agent         *AgentService
	Notifications *NotificationService
	Kiosk         *KioskService
}

// New builds the services over an open store. readyLog receives "UI_READY" when the frontend
// has loaded (the smoke test waits for it).
func New(db *store.DB, clock agenda.Clock, readyLog *log.Logger) *Services {
	agent := &AgentService{db: db, clock: clock, readyLog: readyLog, newPrinters: SystemPrinters}
	return &Services{Agent: agent, Notifications: &NotificationService{agent: agent, db: db, clock: clock}, Kiosk: &KioskService{agent: agent}}
}

// SetPrinterFactory replaces the printers Paramètres › Impression names (SystemPrinters), for
// the agent and the kiosk alike: the E2E server prints to a fake, so that no test reaches a real
// printer.
func (s *Services) SetPrinterFactory(f PrinterFactory) { s.Agent.newPrinters = f }

// Bindings is what main.go binds in the agent window and what the E2E server serves.
func (s *Services) Bindings() []any { return []any{s.Agent, s.Notifications} }

// KioskBindings is what the lobby kiosk binds (rdv-guichet --borne, e2eserve -borne): the
// KioskService alone, so that nothing of the agents' window is reachable from the lobby. The
// frontend opens the kiosk's screens when it finds it bound.
func (s *Services) KioskBindings() []any { return []any{s.Kiosk} }

// Startup is called by Wails with the window's context.
func (s *Services) Startup(ctx context.Context) { s.Agent.ctx = ctx }

// StartBackground starts what works behind the window until ctx ends: the sender of SMS and
// e-mails. main.go calls it at the agent window's start-up, not the kiosk's (the desk sends for
// both); the E2E server does not, so that its tests see the messages as booking wrote them.
func (s *Services) StartBackground(ctx context.Context) { go RunNotifications(ctx, s.Notifications) }

// userError is the door of every bound method: a backend error becomes the message of its code,
// in French, from the catalogue (backend/messages). Its Error() is the text the screen shows; the
// frontend receives it as JSON with the code (see frontend/src/shared/errors.ts).
func userError(err error) error {
	if err == nil {
		return nil
	}
	log.Printf("erreur : %v", err)
	return messages.UserError(messages.French, err)
}
