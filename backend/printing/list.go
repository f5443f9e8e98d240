package printing

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os/exec"
	"slices"
	"strings"

	"rdvguichet/backend/agenda"
)

// lpstatQueues lists the CUPS destinations with lpstat -e (one name per line), sorted. lpstat is
// the command's path ("lpstat" from PATH; tests point it at a fake).
func lpstatQueues(ctx context.Context, lpstat string) ([]string, error) {
	const op = "printing.Queues"
	cmd := exec.CommandContext(ctx, lpstat, "-e")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var notFound *exec.Error
	switch {
	case errors.As(err, &notFound) || errors.Is(err, fs.ErrNotExist):
		return nil, agenda.Errorf(op, agenda.Unavailable, "la commande lpstat (CUPS) est introuvable ; installez le paquet cups-client")
	case err != nil:
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, agenda.Errorf(op, agenda.Unavailable, "liste des imprimantes indisponible : %s", msg)
	}
	names := strings.Fields(out.String()) // CUPS names have no spaces
	slices.Sort(names)
	return slices.Compact(names), nil
}
