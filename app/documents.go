package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/ical"
	"rdvguichet/backend/printing"
)

// The RDV's documents: its convocation (printed without a dialog, or saved as a PDF), its iCal
// invitation, and an agent's iCal feed. Files go to folders beside the data file.

// Folders beside the data file.
const (
	folderDayLists     = "Listes du jour"
	folderConvocations = "Convocations"
	folderInvitations  = "Invitations"
	folderFeeds        = "Agendas iCal"
)

// writeDocument writes data as name in folder beside the data file. A poste secondaire's call
// writes nothing here: the poste writes the document on its own disk (RemoteService), where its
// agent opens it, and the result names the folder for it.
func (s *office) writeDocument(folder, name string, data []byte) (FileResult, error) {
	if s.documentsOnPoste {
		return FileResult{FileName: name, Folder: folder, Base64: base64.StdEncoding.EncodeToString(data)}, nil
	}
	return writeFile(filepath.Dir(s.db.Path()), folder, name, data)
}

// writeFile writes data as name in folder under dir, through a temporary file renamed over it,
// so that a reader (a PDF reader, a calendar subscribed to the feed) never sees half a document.
func writeFile(dir, folder, name string, data []byte) (FileResult, error) {
	const op = "app.writeDocument"
	dir = filepath.Join(dir, folder)
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return FileResult{}, agenda.E(op, agenda.Unavailable, err)
	}
	tmp, err := os.CreateTemp(dir, ".rdv-guichet-*")
	if err != nil {
		return FileResult{}, agenda.E(op, agenda.Unavailable, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	// CreateTemp makes the file 0600: documents name usagers, they stay the user's own.
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return FileResult{}, agenda.E(op, agenda.Unavailable, err)
	}
	return FileResult{Path: path, FileName: name, URL: fileURL(path), Base64: base64.StdEncoding.EncodeToString(data)}, nil
}

// fileURL is path as a file:// address (« file:///C:/Users/… » on Windows), for a PDF reader or a
// calendar subscription.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// convocation builds an RDV's convocation, signing its check-in token with the organisation's key
// once the central gave it, else with the installation's secret (created on first use).
func (s *office) convocation(ctx context.Context, rdvID string) (convocation.Convocation, error) {
	secret, err := checkin.SigningKey(ctx, s.db)
	if err != nil {
		return convocation.Convocation{}, err
	}
	return convocation.Build(ctx, s.db, rdvID, secret, s.clock.Now())
}

func renderPDF(c convocation.Convocation, f convocation.Format) ([]byte, error) {
	var buf bytes.Buffer
	err := convocation.Render(&buf, c, f)
	return buf.Bytes(), err
}

// parseFormat reads a convocation format: "a4" or "ticket".
func parseFormat(format string) (convocation.Format, error) {
	f, err := convocation.ParseFormat(format)
	if err != nil {
		return f, agenda.Fail("app.format", agenda.CodeUnknownFormat, "format", format)
	}
	return f, nil
}

// docName is the file name part of an RDV's document: « 2026-03-10-0930-helene-dupont ».
func docName(c convocation.Convocation) string {
	name := c.Start.In(c.Location).Format("2006-01-02-1504")
	if len(c.Persons) > 0 {
		name += "-" + slug(c.Persons[0].Name)
	}
	return name
}

// ConvocationPDF writes an RDV's convocation (format "a4" or "ticket", the 80 mm PDF) in the
// « Convocations » folder beside the data file, and returns it for the window to open or save.
func (s *AgentService) ConvocationPDF(rdvID, format string) (FileResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (FileResult, error) {
		f, err := parseFormat(format)
		if err != nil {
			return FileResult{}, err
		}
		c, err := s.convocation(ctx, rdvID)
		if err != nil {
			return FileResult{}, err
		}
		data, err := renderPDF(c, f)
		if err != nil {
			return FileResult{}, err
		}
		name := "convocation-" + docName(c)
		if f == convocation.Ticket {
			name += "-ticket"
		}
		return s.writeDocument(folderConvocations, name+".pdf", data)
	})
}

// PrintConvocation prints an RDV's convocation without a dialog: the A4 page on the A4 printer
// (format "a4"), or the ESC/POS ticket on the ticket printer ("ticket"), as Paramètres ›
// Impression sets them. It says where the convocation went; a printer that fails is named in the
// error, with what to do.
func (s *AgentService) PrintConvocation(rdvID, format string) (string, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (string, error) {
		f, err := parseFormat(format)
		if err != nil {
			return "", err
		}
		c, err := s.convocation(ctx, rdvID)
		if err != nil {
			return "", err
		}
		msg, err := s.printConvocation(ctx, c, f)
		return msg, err
	})
}

// printConvocation prints c in format f on its printer (the agent's button, the kiosk's ticket).
func (s *office) printConvocation(ctx context.Context, c convocation.Convocation, f convocation.Format) (string, error) {
	set, printers, err := s.printers(ctx)
	if err != nil {
		return "", err
	}
	if f == convocation.Ticket && printers.Ticket == nil {
		return "", agenda.Fail("app.print", agenda.CodeNoTicketPrinter)
	}
	doc := printing.Document{Title: "Convocation " + c.Motif + " " + c.When()}
	if f == convocation.Ticket {
		if doc.Data, err = convocation.ESCPOS(c, set.qrMode()); err != nil {
			return "", err
		}
		doc.Kind = printing.Raw
		if err := printDoc(ctx, printers.Ticket, set.ticketName(), doc); err != nil {
			return "", err
		}
		return "Ticket envoyé à " + set.ticketName() + ".", nil
	}
	if doc.Data, err = renderPDF(c, f); err != nil {
		return "", err
	}
	doc.Kind, doc.Media = printing.PDF, "A4"
	if err := printDoc(ctx, printers.A4, set.a4Name(), doc); err != nil {
		return "", err
	}
	return "Convocation envoyée à " + set.a4Name() + ".", nil
}

// SaveInvite writes an RDV's iCal invitation (REQUEST, PUBLISH when the usager has no e-mail,
// CANCEL once cancelled) in the « Invitations » folder beside the data file.
func (s *AgentService) SaveInvite(rdvID string) (FileResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (FileResult, error) {
		r, loc, err := ical.FromStore(ctx, s.db, rdvID, "")
		if err != nil {
			return FileResult{}, err
		}
		var buf bytes.Buffer
		if _, err := ical.Invite(&buf, r, loc, s.clock.Now()); err != nil {
			return FileResult{}, err
		}
		name := "invitation-" + r.Start.In(loc).Format("2006-01-02-1504")
		if r.Usager.Name != "" {
			name += "-" + slug(r.Usager.Name)
		}
		return s.writeDocument(folderInvitations, name+".ics", buf.Bytes())
	})
}

// ExportAgentFeed writes an agent's (or guichet's) agenda as an iCal feed in the « Agendas
// iCal » folder beside the data file, rewriting it on each call: a calendar subscribed to the
// file (Thunderbird) sees the new RDVs at its next refresh. The feed holds no personal data of
// the usagers.
func (s *AgentService) ExportAgentFeed(agentID string) (FileResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (FileResult, error) {
		now := s.clock.Now()
		rdvs, name, loc, err := ical.AgentFeed(ctx, s.db, agentID, now)
		if err != nil {
			return FileResult{}, err
		}
		var buf bytes.Buffer
		if err := ical.Feed(&buf, name, rdvs, loc, now); err != nil {
			return FileResult{}, err
		}
		a, err := s.db.GetAgent(ctx, agentID)
		if err != nil {
			return FileResult{}, err
		}
		return s.writeDocument(folderFeeds, "agenda-"+slug(a.Name)+".ics", buf.Bytes())
	})
}
