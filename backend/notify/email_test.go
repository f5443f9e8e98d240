package notify

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"
	"github.com/emersion/go-smtp"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/notify/notifytest"
	"rdvguichet/backend/reminders"
)

// smtpSettings are the settings that reach srv, authenticating as it expects.
func smtpSettings(srv *notifytest.SMTPServer, user, pass string) SMTPSettings {
	host, port := srv.HostPort()
	return SMTPSettings{Host: host, Port: port, TLS: "none", Username: user, Password: pass,
		From: "Mairie de Saint-Aubin <rdv@saint-aubin.fr>"}
}

// part is one leaf of a parsed MIME tree.
type part struct {
	ContentType string
	Params      map[string]string
	Encoding    string
	Disposition string
	Body        []byte // decoded
	Path        string // e.g. "mixed/alternative/text/calendar"
}

func walk(t *testing.T, ct string, cte string, disp string, body io.Reader, path string) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("content type %q: %v", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		var out []part
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, walk(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p, path+strings.TrimPrefix(mt, "multipart/")+"/")...)
		}
		return out
	}
	raw, _ := io.ReadAll(body)
	dec := raw
	switch strings.ToLower(cte) {
	case "base64":
		dec, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
		if err != nil {
			t.Fatalf("base64 part %s: %v", mt, err)
		}
	case "quoted-printable":
		dec, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	}
	return []part{{ContentType: mt, Params: params, Encoding: strings.ToLower(cte), Disposition: disp, Body: dec, Path: path + mt}}
}

// The confirmation e-mail reaches a real SMTP server (with PLAIN authentication), parses with
// net/mail and mime/multipart, has the domain.md §5 structure, and its calendar part is a valid
// REQUEST invitation; the cancellation carries a CANCEL.
func TestEmailThroughSMTPWithInvitation(t *testing.T) {
	srv := notifytest.StartSMTP(t, "agent", "s3cret")
	w := newWorld(t)
	ctx := context.Background()
	set, _ := LoadSettings(ctx, w.db)
	set.SMSEnabled = false
	set.SMTP = smtpSettings(srv, "agent", "s3cret")
	if err := SaveSettings(ctx, w.db, set); err != nil {
		t.Fatal(err)
	}
	w.sender.Mail = nil // built from the settings: the real SMTP client
	r := w.book(t, day(10, 9, 30))
	w.at(t, day(2, 10, 0))
	if _, err := w.db.Cancel(ctx, r.ID, agenda.ByAgent(w.agent.ID), false); err != nil {
		t.Fatal(err)
	}
	w.at(t, day(2, 11, 0))
	received := srv.Messages()
	if len(received) != 2 {
		t.Fatalf("%d messages received", len(received))
	}
	for i, want := range []struct{ method, subject string }{
		{"REQUEST", "RDV confirmé le mardi 10 mars 2026 à 9\u202fh\u202f30"},
		{"CANCEL", "RDV annulé le mardi 10 mars 2026 à 9\u202fh\u202f30 avec Mairie de Saint-Aubin"},
	} {
		got := received[i]
		if got.From != "rdv@saint-aubin.fr" || len(got.To) != 1 || got.To[0] != "helene.dupont@example.fr" {
			t.Fatalf("envelope %s → %v", got.From, got.To)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(got.Data))
		if err != nil {
			t.Fatal(err)
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil || subj != want.subject {
			t.Errorf("subject %q (%v), want %q", subj, err, want.subject)
		}
		if rt := msg.Header.Get("Reply-To"); !strings.Contains(rt, "accueil@saint-aubin.fr") {
			t.Errorf("Reply-To %q", rt)
		}
		parts := walk(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body, "")
		var paths []string
		var calPart, attach *part
		for i := range parts {
			p := &parts[i]
			paths = append(paths, p.Path)
			switch {
			case p.ContentType == "text/calendar":
				calPart = p
			case p.ContentType == "application/ics":
				attach = p
			case p.ContentType == "text/plain":
				if !strings.Contains(string(p.Body), "Bonjour Hélène Dupont,") || !strings.Contains(string(p.Body), "02\u00a038\u00a000\u00a000\u00a001") {
					t.Errorf("text body:\n%s", p.Body)
				}
			}
		}
		wantPaths := []string{"mixed/alternative/text/plain", "mixed/alternative/text/html", "mixed/alternative/text/calendar", "mixed/application/ics"}
		if strings.Join(paths, " ") != strings.Join(wantPaths, " ") {
			t.Fatalf("structure %v, want %v", paths, wantPaths)
		}
		if calPart.Params["method"] != want.method || !strings.EqualFold(calPart.Params["charset"], "UTF-8") || calPart.Encoding != "base64" {
			t.Errorf("calendar part: %+v", calPart.Params)
		}
		if attach.Encoding != "base64" || !strings.HasPrefix(attach.Disposition, "attachment") || !strings.Contains(attach.Disposition, ".ics") {
			t.Errorf("attachment: %s %s", attach.Encoding, attach.Disposition)
		}
		if !bytes.Equal(calPart.Body, attach.Body) {
			t.Errorf("the attachment differs from the calendar part")
		}
		cal, err := goical.NewDecoder(bytes.NewReader(calPart.Body)).Decode()
		if err != nil {
			t.Fatalf("calendar part does not parse: %v\n%s", err, calPart.Body)
		}
		if m, _ := cal.Props.Text(goical.PropMethod); m != want.method {
			t.Errorf("METHOD %q, want %q", m, want.method)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		start, err := evs[0].DateTimeStart(paris)
		if err != nil || !start.Equal(day(10, 9, 30)) {
			t.Errorf("DTSTART %v %v", start, err)
		}
		if org := evs[0].Props.Get(goical.PropOrganizer); org == nil || !strings.EqualFold(org.Value, "mailto:accueil@saint-aubin.fr") {
			t.Errorf("ORGANIZER %+v", org)
		}
		if len(cal.Children) < 2 || cal.Children[0].Name != goical.CompTimezone {
			t.Errorf("no VTIMEZONE before the event")
		}
	}
	rs, _ := w.db.ListReceipts(ctx, r.ID)
	for _, rc := range rs {
		if rc.Channel != "mail" || rc.Result != "sent" || rc.Provider != "smtp:127.0.0.1" {
			t.Errorf("receipt %+v", rc)
		}
	}
}

// SMTP refusals: 4xx is retried, 5xx stops; wrong credentials stop.
func TestSMTPFailures(t *testing.T) {
	srv := notifytest.StartSMTP(t, "", "")
	srv.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "plein") {
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"}
		}
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	m := SMTPMailer{S: smtpSettings(srv, "", "")}
	for _, c := range []struct {
		to   string
		kind FailureKind
	}{{"plein@example.fr", Temporary}, {"inconnu@example.fr", Permanent}} {
		msg, err := EmailMessage(Facts{Event: reminders.EventConfirmation, Organisation: "Mairie", Start: day(10, 9, 0), Location: paris},
			"rdv@saint-aubin.fr", "", c.to, day(2, 10, 0))
		if err != nil {
			t.Fatal(err)
		}
		err = m.Send(context.Background(), msg)
		if err == nil || kindOf(err) != c.kind {
			t.Errorf("%s: %v (kind %v), want %v", c.to, err, kindOf(err), c.kind)
		}
	}
	// Nobody listening: temporary (nothing left).
	dead := SMTPMailer{S: SMTPSettings{Host: "127.0.0.1", Port: 1, TLS: "none", From: "rdv@saint-aubin.fr"}}
	msg, _ := EmailMessage(Facts{Event: reminders.EventRappel, Start: day(10, 9, 0), Location: paris}, "rdv@saint-aubin.fr", "", "a@example.fr", day(2, 10, 0))
	if err := dead.Send(context.Background(), msg); kindOf(err) != Temporary {
		t.Errorf("dead server: %v", err)
	}
}
