package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/wneessen/go-mail"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/ical"
	"rdvguichet/backend/reminders"
)

// Subject returns the e-mail subject of f, as RDV Service Public words them
// (config/locales/mailers.fr.yml).
func Subject(f Facts) string {
	switch f.Event {
	case reminders.EventConfirmation:
		return "RDV confirmé le " + f.When()
	case reminders.EventRappel:
		return "[Rappel] RDV le " + f.When()
	case reminders.EventModification:
		prev := f.Start
		if !f.PreviousStart.IsZero() {
			prev = f.PreviousStart
		}
		return "RDV du " + fr.DateTime(prev, f.loc()) + " modifié"
	case reminders.EventAnnulation:
		return "RDV annulé le " + f.When() + " avec " + f.Organisation
	}
	return "RDV le " + f.When()
}

// q wraps s in French quotation marks with narrow no-break spaces: « s ».
func q(s string) string { return "«" + fr.NNBSP + s + fr.NNBSP + "»" }

// colon is the French colon, after a narrow no-break space.
const colon = fr.NNBSP + ":"

// emailView is what the templates read: French sentences are built here, the templates only lay
// them out.
type emailView struct {
	F            Facts
	Hello        string
	Lead         string
	When         string
	Duration     string
	Where        string
	Phone        string
	CancelLine   string
	Colon        string
	Cancelled    bool
	Pieces       []string
	Instructions string
	Code         string
}

func newEmailView(f Facts) emailView {
	v := emailView{F: f, When: f.When(), Colon: colon, Cancelled: f.Event == reminders.EventAnnulation,
		Pieces: f.Pieces, Instructions: f.Instructions, Phone: spacedPhone(f.Phone)}
	v.Hello = "Bonjour,"
	if f.Usager != "" {
		v.Hello = "Bonjour " + f.Usager + ","
	}
	motif := "rendez-vous"
	if f.Motif != "" {
		motif = "rendez-vous " + q(f.Motif)
	}
	switch f.Event {
	case reminders.EventConfirmation:
		v.Lead = "Votre " + motif + " est confirmé."
	case reminders.EventModification:
		v.Lead = "Votre " + motif + " a été déplacé. Voici la nouvelle date" + colon
	case reminders.EventRappel:
		v.Lead = "Nous vous rappelons votre " + motif + "."
	case reminders.EventAnnulation:
		v.Lead = "Votre " + motif + " du " + f.When() + " avec " + f.Organisation + " est annulé."
	}
	if f.Duration > 0 {
		v.Duration = fr.Duration(f.Duration)
	}
	switch f.LocationType {
	case agenda.Phone:
		v.Where = "par téléphone : vous serez appelé(e) au numéro que vous avez indiqué"
	case agenda.Visio:
		v.Where = "en visioconférence"
	case agenda.Home:
		v.Where = "à votre domicile"
	default:
		parts := []string{}
		if f.Lieu != "" {
			parts = append(parts, f.Lieu)
		}
		if a := f.Address(); a != "" {
			parts = append(parts, a)
		}
		v.Where = strings.Join(parts, ", ")
	}
	if f.ShortCode != "" {
		v.Code = f.ShortCode[:min(4, len(f.ShortCode))] + "\u00a0" + f.ShortCode[min(4, len(f.ShortCode)):]
	}
	if !v.Cancelled {
		switch {
		case f.CancelURL != "" && v.Phone != "":
			v.CancelLine = "Pour annuler ou modifier le rendez-vous" + colon + " " + f.CancelURL + " ou appelez le " + v.Phone + ". Vous pouvez annuler jusqu’à 4" + fr.NNBSP + "heures avant."
		case f.CancelURL != "":
			v.CancelLine = "Pour annuler ou modifier le rendez-vous" + colon + " " + f.CancelURL + ". Vous pouvez annuler jusqu’à 4" + fr.NNBSP + "heures avant."
		case v.Phone != "":
			v.CancelLine = "Pour annuler ou modifier le rendez-vous, appelez le " + v.Phone + "."
		}
	} else if v.Phone != "" {
		v.CancelLine = "Pour prendre un nouveau rendez-vous, appelez le " + v.Phone + "."
	}
	return v
}

var textTmpl = texttemplate.Must(texttemplate.New("text").Parse(`{{.Hello}}

{{.Lead}}
{{if not .Cancelled}}
Date{{.Colon}} {{.When}}{{if .Duration}} (durée{{.Colon}} {{.Duration}}){{end}}
{{if .Where}}Lieu{{.Colon}} {{.Where}}
{{end}}{{if .F.Accessibility}}Accessibilité{{.Colon}} {{.F.Accessibility}}
{{end}}{{if .Pieces}}
Pièces à fournir{{.Colon}}
{{range .Pieces}}  – {{.}}
{{end}}{{end}}{{if .Instructions}}
{{.Instructions}}
{{end}}{{if .Code}}
Code du rendez-vous{{.Colon}} {{.Code}} (à saisir à la borne d’accueil à votre arrivée)
{{end}}{{end}}
{{if .CancelLine}}{{.CancelLine}}
{{end}}
{{.F.Organisation}}
`))

var htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{.Lead}}</title></head>
<body style="font-family: sans-serif; color: #111; line-height: 1.5">
<p>{{.Hello}}</p>
<p>{{.Lead}}</p>
{{if not .Cancelled}}<table role="presentation" style="border-collapse: collapse">
<tr><th scope="row" style="text-align: left; padding-right: 1em">Date</th><td><strong>{{.When}}</strong>{{if .Duration}} (durée{{.Colon}} {{.Duration}}){{end}}</td></tr>
{{if .Where}}<tr><th scope="row" style="text-align: left; padding-right: 1em">Lieu</th><td>{{.Where}}</td></tr>{{end}}
{{if .F.Accessibility}}<tr><th scope="row" style="text-align: left; padding-right: 1em">Accessibilité</th><td>{{.F.Accessibility}}</td></tr>{{end}}
{{if .Code}}<tr><th scope="row" style="text-align: left; padding-right: 1em">Code</th><td><strong>{{.Code}}</strong> (à saisir à la borne d’accueil à votre arrivée)</td></tr>{{end}}
</table>
{{if .Pieces}}<p>Pièces à fournir{{.Colon}}</p><ul>{{range .Pieces}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Instructions}}<p>{{.Instructions}}</p>{{end}}{{end}}
{{if .CancelLine}}<p>{{.CancelLine}}</p>{{end}}
<p>{{.F.Organisation}}</p>
</body></html>
`))

// EmailBodies renders the text and HTML bodies of f.
func EmailBodies(f Facts) (text, html string, err error) {
	v := newEmailView(f)
	var tb, hb bytes.Buffer
	if err := textTmpl.Execute(&tb, v); err != nil {
		return "", "", err
	}
	if err := htmlTmpl.Execute(&hb, v); err != nil {
		return "", "", err
	}
	return tb.String(), hb.String(), nil
}

// Invitation builds the iCal invitation of f (CANCEL for an annulation), for recipient.
func Invitation(f Facts, recipient string, now time.Time) (ics []byte, method string, err error) {
	r := ical.Rdv{
		ID: f.RdvID, Version: f.Version, Start: f.Start, End: f.Start.Add(f.Duration),
		Cancelled: f.Event == reminders.EventAnnulation, Motif: f.Motif, Pieces: f.Pieces, Instructions: f.Instructions,
		Organisation: ical.Person{Name: f.Organisation, Email: f.OrgEmail},
		Phone:        spacedPhone(f.Phone),
		Usager:       ical.Person{Name: f.Usager, Email: recipient},
		Persons:      1,
	}
	if f.LocationType == agenda.PublicOffice || f.LocationType == "" {
		r.Location = strings.Trim(f.Lieu+", "+f.Address(), ", ")
	}
	if r.End.Equal(r.Start) {
		r.End = r.Start.Add(30 * time.Minute)
	}
	var b bytes.Buffer
	method, err = ical.Invite(&b, r, f.loc(), now)
	return b.Bytes(), method, err
}

// EmailMessage builds the whole message: multipart/mixed holding multipart/alternative (text,
// HTML, and the invitation as text/calendar; method=…; charset=UTF-8) and the same invitation as
// an application/ics attachment, both calendar parts in base64 (quoted-printable broke Outlook,
// RDV Service Public #1354). Reply-To is the organisation's address.
func EmailMessage(f Facts, from, replyTo, to string, now time.Time) (*mail.Msg, error) {
	const op = "notify.EmailMessage"
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(from); err != nil {
		return nil, agenda.Errorf(op, agenda.Invalid, "adresse d’expédition « %s » invalide : %v", from, err)
	}
	if err := m.To(to); err != nil {
		return nil, agenda.Errorf(op, agenda.Invalid, "adresse « %s » invalide : %v", to, err)
	}
	if replyTo != "" {
		if err := m.ReplyTo(replyTo); err != nil {
			return nil, agenda.Errorf(op, agenda.Invalid, "adresse de réponse « %s » invalide : %v", replyTo, err)
		}
	}
	m.Subject(Subject(f))
	m.SetDateWithValue(now)
	m.SetMessageID()
	text, html, err := EmailBodies(f)
	if err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	m.SetBodyString(mail.TypeTextPlain, text)
	m.AddAlternativeString(mail.TypeTextHTML, html)
	if f.RdvID != "" {
		ics, method, err := Invitation(f, to, now)
		if err != nil {
			return nil, agenda.E(op, agenda.Other, err)
		}
		m.AddAlternativeString(mail.ContentType("text/calendar; method="+method), string(ics), mail.WithPartEncoding(mail.EncodingB64))
		name := fmt.Sprintf("rdv-%s-%s.ics", f.RdvID, f.Start.In(f.loc()).Format("20060102-1504"))
		if err := m.AttachReader(name, bytes.NewReader(ics), mail.WithFileContentType("application/ics"), mail.WithFileEncoding(mail.EncodingB64)); err != nil {
			return nil, agenda.E(op, agenda.Other, err)
		}
	}
	return m, nil
}

// SMTPSettings reach the office's mail server.
type SMTPSettings struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`     // 587 (STARTTLS) by default, 465 for implicit TLS
	TLS      string `json:"tls"`      // "starttls" (default), "tls" (implicit) or "none" (test servers only)
	Username string `json:"username"` // "" = no authentication
	Password string `json:"password"`
	From     string `json:"from"` // « Mairie de Saint-Aubin <rdv@saint-aubin.fr> »
}

// Mailer sends one e-mail.
type Mailer interface {
	Name() string
	Send(ctx context.Context, m *mail.Msg) error
}

// SMTPMailer sends through an SMTP server with go-mail.
type SMTPMailer struct{ S SMTPSettings }

func (s SMTPMailer) Name() string { return "smtp:" + s.S.Host }

// Send delivers m. Its errors are *Failure: a refusal the server calls temporary (4xx) or a
// connection that could not be made is Temporary; a 5xx is Permanent; a connection lost after
// the message was handed over is Uncertain.
func (s SMTPMailer) Send(ctx context.Context, m *mail.Msg) error {
	port := s.S.Port
	opts := []mail.Option{mail.WithTimeout(30 * time.Second)}
	switch s.S.TLS {
	case "tls":
		if port == 0 {
			port = 465
		}
		opts = append(opts, mail.WithSSL())
	case "none":
		if port == 0 {
			port = 25
		}
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		if port == 0 {
			port = 587
		}
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	opts = append(opts, mail.WithPort(port))
	if s.S.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.S.Username), mail.WithPassword(s.S.Password))
	}
	c, err := mail.NewClient(s.S.Host, opts...)
	if err != nil {
		return &Failure{Kind: Permanent, Err: fmt.Errorf("réglages SMTP invalides : %w", err)}
	}
	err = c.DialAndSendWithContext(ctx, m)
	if err == nil || m.IsDelivered() {
		return nil
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		switch {
		case se.Reason == mail.ErrSMTPDataClose && se.ErrorCode() == 0:
			return &Failure{Kind: Uncertain, Err: err}
		case se.IsTemp():
			return &Failure{Kind: Temporary, Code: fmt.Sprint(se.ErrorCode()), Err: err}
		case se.ErrorCode() >= 500:
			return &Failure{Kind: Permanent, Code: fmt.Sprint(se.ErrorCode()), Err: err}
		}
		return &Failure{Kind: Temporary, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &Failure{Kind: Temporary, Err: fmt.Errorf("serveur de messagerie injoignable : %w", err)}
	}
	if strings.Contains(err.Error(), "auth") {
		return &Failure{Kind: Permanent, Err: fmt.Errorf("authentification SMTP refusée : %w", err)}
	}
	return &Failure{Kind: Temporary, Err: err}
}

// KeepsSecretOf reports whether the stored password of stored may go with s: the same server
// (host, port), the same user, and no weaker TLS. Otherwise the form must carry the password
// itself (issue 10, #6): the stored secret is never sent to a server typed in a form.
func (s SMTPSettings) KeepsSecretOf(stored SMTPSettings) bool {
	same := func(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }
	tls := func(v string) string {
		if v == "" {
			return "starttls"
		}
		return strings.ToLower(v)
	}
	return same(s.Host, stored.Host) && s.Port == stored.Port && strings.TrimSpace(s.Username) == strings.TrimSpace(stored.Username) &&
		(tls(s.TLS) == tls(stored.TLS) || tls(s.TLS) != "none")
}
