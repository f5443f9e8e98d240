package principal

import (
	"context"
	"encoding/json"
	"sync"

	"rdvguichet/app"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/printing"
)

// capture collects what one call prints: the poste prints it on its own printers when the answer
// comes back (backend/poste.PrintJob).
type capture struct {
	mu   sync.Mutex
	jobs []poste.PrintJob
}

// printers is the call's PrinterFactory: printers that keep the documents.
func (c *capture) printers(set app.PrinterSettings) app.Printers {
	raw, _ := json.Marshal(set) // strings only: cannot fail
	out := app.Printers{A4: &captured{c, poste.TargetA4, raw}}
	if set.TicketKind != app.TicketNone {
		out.Ticket = &captured{c, poste.TargetTicket, raw}
	}
	return out
}

func (c *capture) list() []poste.PrintJob {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.jobs
}

type captured struct {
	c        *capture
	target   string
	settings json.RawMessage
}

func (p *captured) Print(_ context.Context, doc printing.Document) error {
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	p.c.jobs = append(p.c.jobs, poste.PrintJob{Target: p.target, Settings: p.settings, Document: doc})
	return nil
}
