// Package app is the Wails-facing layer: the services bound to the frontend, thin doors onto
// the store and the domain. No business rule and no SQL here: a method checks who calls, validates
// its input's shape, calls the backend and turns the result into a view, and its errors into French
// messages. Expected refusals (a field to correct, a slot taken meanwhile) come back as data
// (SaveResult, BookResult) so that the screen can show them beside the field or offer the next
// slots; only unexpected failures are errors.
package app

import (
	"context"
	"errors"
	"log"
	"time"
	"unicode"
	"unicode/utf8"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
)

// SystemClock is the wall clock, injected at the edge (main) and nowhere else.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

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

// userError turns a backend error into the French message the frontend shows: the message of
// the innermost domain error, without the operation names that help developers and logs.
func userError(err error) error {
	if err == nil {
		return nil
	}
	log.Printf("erreur : %v", err)
	var v agenda.ValidationError
	if errors.As(err, &v) {
		return v
	}
	msg := innermost(err)
	switch agenda.KindOf(err) {
	case agenda.Other:
		return errors.New("L'opération a échoué : " + msg.Error())
	}
	return errors.New(capitalize(msg.Error()))
}

// capitalize starts a sentence with a capital: the domain's messages are written to follow a
// colon, the screens show them alone.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
