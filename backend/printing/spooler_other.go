//go:build !windows

package printing

import (
	"context"

	"rdvguichet/backend/agenda"
)

// Print is only available on Windows; on Linux, use CUPS with a raw queue or Socket.
func (s Spooler) Print(ctx context.Context, doc Document) error {
	return agenda.Errorf("printing.Spooler", agenda.Unavailable, "la file d’impression Windows n’existe pas sur ce système : utilisez CUPS (file brute) ou le port 9100")
}
