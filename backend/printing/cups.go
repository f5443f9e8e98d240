package printing

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strings"

	"rdvguichet/backend/agenda"
)

// CUPS prints through the lp command (Linux, macOS). lp reads the document on its standard input,
// so no temporary file is left behind.
type CUPS struct {
	Printer string   // queue name; "" = the default destination
	Options []string // extra -o options, e.g. "fit-to-page", "sides=one-sided"
	LP      string   // path of lp; "" = "lp" from PATH (tests point it at a fake)
	// JobID is set after a successful Print: the request id lp printed (« RDVPDF-12 »), so a
	// caller can follow the job with lpstat.
	JobID string
}

var requestID = regexp.MustCompile(`request id is (\S+)`)

// Print runs lp -d <printer> -t <title> [-o media=…] [-o raw] [-o …] and waits for it to queue the job
// (not for the paper to come out).
func (c *CUPS) Print(ctx context.Context, doc Document) error {
	const op = "printing.CUPS"
	if err := checkDoc(op, doc); err != nil {
		return err
	}
	lp := c.LP
	if lp == "" {
		lp = "lp"
	}
	args := c.args(doc)
	cmd := exec.CommandContext(ctx, lp, args...)
	cmd.Stdin = bytes.NewReader(doc.Data)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var notFound *exec.Error
	switch {
	case errors.As(err, &notFound):
		return agenda.Errorf(op, agenda.Unavailable, "impression impossible : la commande lp (CUPS) est introuvable ; installez le paquet cups-client")
	case err != nil:
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		where := "l’imprimante par défaut"
		if c.Printer != "" {
			where = "l’imprimante « " + c.Printer + " »"
		}
		return agenda.Errorf(op, agenda.Unavailable, "impression impossible sur %s : %s", where, msg)
	}
	if m := requestID.FindStringSubmatch(out.String()); m != nil {
		c.JobID = m[1]
	}
	return nil
}

func (c *CUPS) args(doc Document) []string {
	var args []string
	if c.Printer != "" {
		args = append(args, "-d", c.Printer)
	}
	args = append(args, "-t", jobTitle(doc.Title))
	if doc.Kind == Raw {
		// Bypass every filter: ESC/POS must reach the printer byte for byte.
		args = append(args, "-o", "raw")
	} else if doc.Media != "" {
		args = append(args, "-o", "media="+doc.Media)
	}
	for _, o := range c.Options {
		args = append(args, "-o", o)
	}
	// No file name: lp reads the document from its standard input.
	return args
}
