// Package printing sends documents to printers without a dialog: Wails v2 can only call
// window.print(), which always asks (domain.md 13). A4 PDFs go through the system spooler (CUPS's
// lp on Linux, SumatraPDF's command line on Windows); 80 mm thermal printers get raw ESC/POS bytes
// (ESCPOS) through a raw spooler queue or straight to their TCP port 9100.
package printing

import (
	"context"
	"strings"

	"rdvguichet/backend/agenda"
)

// Kind says what a document's bytes are, which decides how a spooler must treat them.
type Kind int

const (
	PDF Kind = iota // rendered by the spooler's filters (or by SumatraPDF on Windows)
	Raw             // sent to the device untouched: ESC/POS for thermal printers
)

// Document is one print job.
type Document struct {
	Title string // job name in the queue (« Convocation 3 mars 9 h 30 »)
	Kind  Kind
	Data  []byte
	// Media is the paper: "A4", or "Custom.80x210mm" for an 80 mm ticket; "" leaves the
	// printer's default. Ignored for raw documents.
	Media string
}

// Printer prints a document; errors are *agenda.Error of kind Unavailable when the printer or
// its tool cannot be reached, Invalid when the document cannot be printed by this printer.
type Printer interface {
	Print(ctx context.Context, doc Document) error
}

// jobTitle keeps a title safe for command lines and spooler queues: one line, bounded length.
func jobTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if t == "" {
		t = "RDV Guichet"
	}
	if r := []rune(t); len(r) > 100 {
		t = string(r[:100])
	}
	return t
}

func checkDoc(op string, doc Document) error {
	if len(doc.Data) == 0 {
		return agenda.Errorf(op, agenda.Invalid, "document vide : rien à imprimer")
	}
	if doc.Kind == PDF && !strings.HasPrefix(string(doc.Data[:min(len(doc.Data), 5)]), "%PDF-") {
		return agenda.Errorf(op, agenda.Invalid, "le document n’est pas un PDF")
	}
	return nil
}
