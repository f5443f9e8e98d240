//go:build !windows

package printing

import "context"

// Queues lists the printers this system can print to: the CUPS destinations (lpstat -e).
func Queues(ctx context.Context) ([]string, error) { return lpstatQueues(ctx, "lpstat") }
