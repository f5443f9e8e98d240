package app

import (
	"context"
	"sync"

	"rdvguichet/backend/agenda"
)

// EventDataFault is the event the agent window receives when the check run beside it found the
// data file damaged: the window then asks DataFault for the text to show.
const EventDataFault = "anomalie-fichier"

// health is what the window's process knows of its data file beyond what Open checked: whether
// the window is up (the checks that read the whole file wait for it) and the damage they found.
type health struct {
	upOnce sync.Once
	up     chan struct{}

	mu    sync.Mutex
	fault string // the text for the agent, "" while none was found
}

func newHealth() *health { return &health{up: make(chan struct{})} }

// windowUp marks the window as loaded (the agent window's Ready, the kiosk's first Home).
func (h *health) windowUp() { h.upOnce.Do(func() { close(h.up) }) }

// WindowUp is closed once the window has loaded: main.go starts the integrity check and the daily
// backup then (cli.StartDaily), so that they never delay the window.
func (s *Services) WindowUp() <-chan struct{} { return s.office.health.up }

// ReportDataFault shows the agent window the damage the background check found (err carries
// database_damaged and its params): a banner with the catalogue's integrity_fault text, which
// says whom to call and where the backups are. The window learns it by EventDataFault, or by
// DataFault when it loads later.
func (s *Services) ReportDataFault(err error) {
	p := agenda.ParamsOf(err)
	text := say(string(agenda.CodeIntegrityFault), "path", p["path"], "backups", p["backups"])
	h := s.office.health
	h.mu.Lock()
	h.fault = text
	h.mu.Unlock()
	s.Events.emitNow(EventDataFault)
}

// DataFault returns the text of the damage found in the data file since start-up, or "" (the
// banner of the agent window, shown on the sign-in screen too).
func (s *AgentService) DataFault() (string, error) {
	return call(s.office, nil, noSession, func(context.Context, agenda.Agent) (string, error) {
		h := s.health
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.fault, nil
	})
}
