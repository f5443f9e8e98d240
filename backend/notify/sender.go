package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/reminders"
)

// Sender sends the notifications that are due. One Sender per process; several processes on one
// data file (agent station and kiosk, the CLI) are safe: each message is claimed by one of them.
type Sender struct {
	DB    Store
	Clock agenda.Clock
	// Settings, when nil, are read from the database at each round (so that changes apply
	// without a restart) when it keeps them (SettingsReader), else nothing is sent. SMS and
	// Mail, when nil, are built from them.
	Settings *Settings
	SMS      Provider
	Mail     Mailer
	// Secret signs the short codes of the kiosk's check-in: when nil, checkin.LoadKeys reads
	// the signing key from a DB that keeps settings (the office's). A DB without it (the
	// central's outbox) sends messages without a short code.
	Secret []byte
	// LinkKey signs the usager's link to the RDV's page at the central (checkin.LinkToken): when
	// nil, the organisation's key the office's last sync recorded (checkin.Keys.Link). Without
	// one, and without a central (Settings.CentralURL), the message has no link.
	LinkKey []byte
	// StaleAfter: a message claimed that long ago and never recorded is resolved as uncertain
	// (default 10 minutes, far above the HTTP and SMTP timeouts).
	StaleAfter time.Duration
	// MaxAttempts before a temporary failure becomes final (default 8: about 2 hours of backoff).
	MaxAttempts int
	// Log receives one line per action ("" = none).
	Log io.Writer
	// BeforeRecord, in tests, runs between a successful send and its record: the crash window.
	BeforeRecord func(n reminders.Notification)
}

// Action is what the sender did with one message.
type Action struct {
	ID        string `json:"id"`
	RdvID     string `json:"rdvId"`
	Event     string `json:"event"`
	Channel   string `json:"channel"`
	Recipient string `json:"recipient"`
	Result    string `json:"result"` // sent, failed, retry, cancelled, uncertain, deferred
	Detail    string `json:"detail,omitempty"`
}

func (s *Sender) now() time.Time { return s.Clock.Now().UTC() }

func (s *Sender) logf(format string, args ...any) {
	if s.Log != nil {
		fmt.Fprintf(s.Log, format+"\n", args...)
	}
}

// Run sends what is due every interval until ctx ends, starting at once (catch-up at start-up:
// what fell due while the application was closed leaves first, reminders of RDVs that have
// started are dropped).
func (s *Sender) Run(ctx context.Context, every time.Duration) error {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.logf("notifications : %s", Redact(err.Error()))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RunOnce resolves stale claims, then sends every message due now, and returns what it did.
func (s *Sender) RunOnce(ctx context.Context) ([]Action, error) {
	const op = "notify.RunOnce"
	set := DefaultSettings()
	if s.Settings != nil {
		set = *s.Settings
	} else if r, ok := s.DB.(SettingsReader); ok {
		var err error
		if set, err = LoadSettings(ctx, r); err != nil {
			return nil, agenda.E(op, agenda.Other, err)
		}
	}
	sms, mailer := s.SMS, s.Mail
	if sms == nil {
		p, err := set.NewProvider()
		if err != nil {
			return nil, agenda.E(op, agenda.Invalid, err)
		}
		sms = p
	}
	if mailer == nil {
		mailer = set.NewMailer()
	}
	stale := s.StaleAfter
	if stale <= 0 {
		stale = 10 * time.Minute
	}
	providerName := func(ch string) string {
		if ch == reminders.ChannelSMS && sms != nil {
			return sms.Name()
		}
		if ch == reminders.ChannelEmail && mailer != nil {
			return mailer.Name()
		}
		return ""
	}
	if n, err := s.DB.RecoverStaleNotifications(ctx, s.now().Add(-stale), providerName); err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	} else if n > 0 {
		s.logf("notifications : %d envoi(s) interrompu(s) déclaré(s) incertain(s), non renvoyé(s)", n)
	}
	if _, err := s.DB.ExpireNotifications(ctx, s.now()); err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	var actions []Action
	for {
		due, err := s.DB.DueNotifications(ctx, s.now(), 100)
		if err != nil {
			return actions, agenda.E(op, agenda.Other, err)
		}
		progressed := false
		for _, n := range due {
			if ctx.Err() != nil {
				return actions, ctx.Err()
			}
			a, err := s.one(ctx, set, sms, mailer, n)
			if err != nil {
				return actions, agenda.E(op, agenda.Other, err)
			}
			if a.Result != "" {
				actions = append(actions, a)
				// Ids and codes only (issue 10, #11): the log is no place for phone numbers and
				// addresses, and a provider's error may quote the recipient.
				s.logf("notification %s %s %s → %s : rdv %s usager %s %s", n.ID, n.Event, n.Channel, a.Result, n.RdvID, n.UsagerID, Redact(a.Detail))
				if a.Result != "deferred" && a.Result != "busy" {
					progressed = true
				}
			}
		}
		if len(due) < 100 || !progressed {
			// Erasures of usagers (RGPD) wait for their cancellation notices: those that have
			// left by now let the erasure complete.
			if e, ok := s.DB.(erasures); ok {
				if n, err := e.CompleteErasures(ctx, time.Time{}); err != nil {
					return actions, agenda.E(op, agenda.Other, err)
				} else if n > 0 {
					s.logf("données personnelles : %d effacement(s) d’usager terminé(s)", n)
				}
			}
			return actions, nil
		}
	}
}

// one handles one due message: skip, defer, or claim-send-record.
func (s *Sender) one(ctx context.Context, set Settings, sms Provider, mailer Mailer, n reminders.Notification) (Action, error) {
	a := Action{ID: n.ID, RdvID: n.RdvID, Event: n.Event, Channel: n.Channel, Recipient: n.Recipient}
	skip := func(reason string) (Action, error) {
		a.Result, a.Detail = "cancelled", reason
		return a, s.DB.SkipNotification(ctx, n.ID, reason)
	}
	switch {
	case n.Channel == reminders.ChannelSMS && !set.SMSEnabled:
		return skip(reminders.ReasonSMSOff.Text())
	case n.Channel == reminders.ChannelEmail && !set.EmailEnabled:
		return skip(reminders.ReasonEmailOff.Text())
	case n.Channel == reminders.ChannelSMS && sms == nil:
		return skip(reminders.ReasonNoSMSProvider.Text())
	case n.Channel == reminders.ChannelEmail && mailer == nil:
		return skip(reminders.ReasonNoMailServer.Text())
	}
	now := s.now()
	if n.Channel == reminders.ChannelSMS {
		loc, err := s.orgLoc(ctx, n.OrganisationID)
		if err != nil {
			return a, err
		}
		if end, quiet := set.QuietUntil(now, loc); quiet {
			if !end.Before(n.StartsAt) {
				return skip(reminders.ReasonQuietUntilStart.Text())
			}
			a.Result, a.Detail = "deferred", "heures calmes : reporté à "+end.In(loc).Format("15:04")
			return a, s.DB.DeferNotification(ctx, n.ID, end)
		}
	}
	attempt := uuid.Must(uuid.NewV7()).String()
	n, ok, err := s.DB.ClaimNotification(ctx, n.ID, attempt)
	if err != nil || !ok {
		if err == nil {
			a.Result = "busy" // another process took it
		}
		return a, err
	}
	out, act := s.attempt(ctx, set, sms, mailer, n)
	act.ID, act.RdvID, act.Event, act.Channel = n.ID, n.RdvID, n.Event, n.Channel
	if act.Recipient == "" {
		act.Recipient = n.Recipient
	}
	if err := s.DB.FinishNotification(ctx, n.ID, attempt, out); err != nil {
		if errors.Is(err, reminders.ErrAttemptLost) {
			act.Result, act.Detail = "uncertain", err.Error()
			return act, nil
		}
		return act, err
	}
	return act, nil
}

func (s *Sender) orgLoc(ctx context.Context, orgID string) (*time.Location, error) {
	org, err := s.DB.GetOrganisation(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return org.Location()
}

// attempt re-checks the message against the RDV as it is now, sends it, and says how to record
// it. Nothing leaves for an RDV that has started, moved or been cancelled since the message was
// written, nor to an usager who has opted out.
func (s *Sender) attempt(ctx context.Context, set Settings, sms Provider, mailer Mailer, n reminders.Notification) (reminders.Outcome, Action) {
	cancel := func(reason string) (reminders.Outcome, Action) {
		return reminders.Outcome{State: reminders.StateCancelled, Error: reason}, Action{Result: "cancelled", Detail: reason}
	}
	now := s.now()
	f, to, reason, err := s.facts(ctx, set, n, now)
	if err != nil {
		// The data could not be read (database busy…): retry later, it is not the usager's fault.
		return s.retry(n, now, &Failure{Kind: Temporary, Err: err}, "", "")
	}
	if reason != "" {
		return cancel(reason)
	}
	rec := &reminders.Receipt{OrganisationID: n.OrganisationID, RdvID: n.RdvID, UsagerID: n.UsagerID,
		Event: reminders.ReceiptEvent(n.Event), Channel: reminders.ReceiptChannel(n.Channel), Recipient: to}
	var provider string
	var sendErr error
	switch n.Channel {
	case reminders.ChannelSMS:
		provider = sms.Name()
		text := SMSText(f)
		rec.Content, rec.Provider = text, provider
		var res SentSMS
		res, sendErr = sms.Send(ctx, SMS{To: to, Text: text, Ref: n.AttemptID})
		rec.Count = res.Parts
		if sendErr == nil && res.Note != "" {
			rec.Error = res.Note
		}
	case reminders.ChannelEmail:
		provider = mailer.Name()
		rec.Provider, rec.Content, rec.Count = provider, Subject(f), 1
		from := set.SMTP.From
		m, err := EmailMessage(f, from, f.OrgEmail, to, now)
		if err != nil {
			sendErr = &Failure{Kind: Permanent, Err: err}
		} else {
			sendErr = mailer.Send(ctx, m)
		}
	}
	if sendErr == nil {
		if s.BeforeRecord != nil {
			s.BeforeRecord(n)
		}
		rec.Result = "sent"
		return reminders.Outcome{State: reminders.StateSent, Recipient: to, Receipt: rec}, Action{Result: "sent", Recipient: to, Detail: rec.Error}
	}
	return s.retry(n, now, sendErr, to, provider, rec)
}

// retry classifies a failure: temporary ones come back with exponential backoff (1, 2, 4… min,
// at most 1 h) until MaxAttempts or the RDV's start; permanent ones stop; uncertain ones stop
// without being resent.
func (s *Sender) retry(n reminders.Notification, now time.Time, err error, to, provider string, rec ...*reminders.Receipt) (reminders.Outcome, Action) {
	var r *reminders.Receipt
	if len(rec) > 0 {
		r = rec[0]
	} else {
		r = &reminders.Receipt{OrganisationID: n.OrganisationID, RdvID: n.RdvID, UsagerID: n.UsagerID,
			Event: reminders.ReceiptEvent(n.Event), Channel: reminders.ReceiptChannel(n.Channel), Recipient: n.Recipient, Provider: provider}
	}
	r.Result, r.Error = "failure", err.Error()
	max := s.MaxAttempts
	if max <= 0 {
		max = 8
	}
	switch kindOf(err) {
	case Uncertain:
		r.Result = "processed"
		return reminders.Outcome{State: reminders.StateUncertain, Error: err.Error(), Recipient: to, Receipt: r}, Action{Result: "uncertain", Recipient: to, Detail: err.Error()}
	case Permanent:
		return reminders.Outcome{State: reminders.StateFailed, Error: err.Error(), Recipient: to, Receipt: r}, Action{Result: "failed", Recipient: to, Detail: err.Error()}
	}
	delay := time.Minute << min(n.Attempts-1, 6)
	if delay > time.Hour {
		delay = time.Hour
	}
	next := now.Add(delay)
	if n.Attempts >= max || !next.Before(n.StartsAt) {
		msg := err.Error() + " (abandon après " + fmt.Sprint(n.Attempts) + " essai(s))"
		r.Error = msg
		return reminders.Outcome{State: reminders.StateFailed, Error: msg, Recipient: to, Receipt: r}, Action{Result: "failed", Recipient: to, Detail: msg}
	}
	return reminders.Outcome{State: reminders.StatePending, Error: err.Error(), RetryAt: next, Recipient: to, Receipt: r},
		Action{Result: "retry", Recipient: to, Detail: err.Error()}
}

// facts reads what the message says. reason, when not empty, is why it must not be sent.
func (s *Sender) facts(ctx context.Context, set Settings, n reminders.Notification, now time.Time) (f Facts, to, reason string, err error) {
	rdv, err := s.DB.GetRdv(ctx, n.RdvID)
	found := agenda.KindOf(err) != agenda.NotFound
	if err != nil && found {
		return f, "", "", err
	}
	var current *agenda.Rdv
	if found {
		current = &rdv
	}
	if r := reminders.Recheck(n, current, now); r != "" {
		return f, "", r.Text(), nil
	}
	to, err = s.DB.ContactFor(ctx, n.UsagerID, n.Channel)
	if err != nil {
		return f, "", "", err
	}
	if to == "" {
		return f, "", reminders.ReasonUnreachable.Text(), nil
	}
	org, err := s.DB.GetOrganisation(ctx, rdv.OrganisationID)
	if err != nil {
		return f, "", "", err
	}
	loc, err := s.orgLoc(ctx, rdv.OrganisationID)
	if err != nil {
		return f, "", "", err
	}
	motif, err := s.DB.GetMotif(ctx, rdv.MotifID)
	if err != nil {
		return f, "", "", err
	}
	u, err := s.DB.GetUsager(ctx, n.UsagerID)
	if err != nil {
		return f, "", "", err
	}
	f = Facts{Event: n.Event, Variant: n.Variant, RdvID: rdv.ID, Version: rdv.Version,
		Organisation: org.Name, OrgEmail: org.Email, Usager: strings.TrimSpace(u.FirstName + " " + u.LastName), UsagerEmail: u.Email,
		Motif: motif.Name, LocationType: motif.LocationType, Start: rdv.StartsAt, Duration: rdv.EndsAt.Sub(rdv.StartsAt), Location: loc,
		Pieces: motif.Pieces, Instructions: motif.Instructions, Phone: org.Phone}
	if set.ReplyTo != "" {
		f.OrgEmail = set.ReplyTo
	}
	if rdv.LieuID != "" {
		l, err := s.DB.GetLieu(ctx, rdv.LieuID)
		if err != nil {
			return f, "", "", err
		}
		f.Lieu, f.Street, f.PostalCode, f.City, f.Accessibility = l.Name, l.Street, l.PostalCode, l.City, l.Accessibility
		if l.Phone != "" {
			f.Phone = l.Phone
		}
	}
	if n.Event == reminders.EventModification {
		if prev, err := s.DB.RdvNotifications(ctx, rdv.ID); err == nil {
			for _, p := range prev {
				if p.UsagerID == n.UsagerID && !p.StartsAt.Equal(rdv.StartsAt) && (p.State == reminders.StateSent || p.State == reminders.StateUncertain) {
					f.PreviousStart = p.StartsAt
				}
			}
		}
	}
	if n.Event == reminders.EventAnnulation {
		return f, to, "", nil
	}
	// Read at each message: the organisation's key arrives with the office's first sync.
	sign, link := s.Secret, s.LinkKey
	if cs, ok := s.DB.(checkin.Settings); ok && (sign == nil || link == nil) {
		keys, err := checkin.LoadKeys(ctx, cs)
		if err != nil {
			return f, "", "", err
		}
		if sign == nil {
			sign = keys.Signing()
		}
		if link == nil {
			link = keys.Link()
		}
	}
	if sign != nil {
		f.ShortCode = checkin.ShortCode(sign, rdv.ID)
	}
	if link != nil && set.CentralURL != "" {
		token, err := checkin.LinkToken(link, rdv.ID, n.UsagerID)
		if err != nil {
			return f, "", "", err
		}
		f.CancelURL = strings.TrimRight(set.CentralURL, "/") + "/r/" + token
	}
	if links, ok := s.DB.(CancelLinks); ok && set.CentralURL != "" {
		token, err := links.CancelLink(ctx, rdv.ID, n.UsagerID)
		switch {
		case err == nil:
			f.CancelURL = strings.TrimRight(set.CentralURL, "/") + "/r/" + token
		case agenda.KindOf(err) != agenda.NotFound: // a seat without a link of its own gets the lieu's phone only
			return f, "", "", err
		}
	}
	return f, to, "", nil
}

// CancelLinks is the store of a side that signs each usager's own cancel link (the central, for
// its online bookings: pgstore.Outbox): its messages carry that link rather than the kiosk's
// short code, which only the office can read.
type CancelLinks interface {
	CancelLink(ctx context.Context, rdvID, usagerID string) (token string, err error)
}

// TestSend sends a test message right away on channel to recipient with the given settings, and
// logs a receipt (event « test »). It is the « Tester l'envoi » button.
func TestSend(ctx context.Context, db TestStore, clock agenda.Clock, set Settings, channel, recipient string) (string, error) {
	const op = "notify.TestSend"
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		return "", agenda.E(op, agenda.Other, err)
	}
	if len(orgs) == 0 {
		return "", agenda.Fail(op, agenda.CodeNoOrganisation)
	}
	org := orgs[0]
	loc, err := org.Location()
	if err != nil {
		return "", agenda.E(op, agenda.Other, err)
	}
	now := clock.Now().UTC()
	rec := reminders.Receipt{OrganisationID: org.ID, Event: "test", Channel: reminders.ReceiptChannel(channel), Recipient: recipient, CreatedAt: now}
	var sendErr error
	switch channel {
	case reminders.ChannelSMS:
		to, err := agenda.NormalizePhone(recipient, "FR")
		if err != nil || !agenda.IsFrenchMobile(to) {
			return "", agenda.Fail(op, agenda.CodeNotMobile, "phone", recipient)
		}
		p, err := set.NewProvider()
		if err != nil || p == nil {
			return "", agenda.Fail(op, agenda.CodeNoSMSProvider)
		}
		text := ToGSM(cut(org.Name, 40) + "\nTest d’envoi de SMS de RDV Guichet : la configuration fonctionne.")
		res, err := p.Send(ctx, SMS{To: to, Text: text, Ref: "test-" + uuid.Must(uuid.NewV7()).String()})
		rec.Recipient, rec.Provider, rec.Content, rec.Count, sendErr = to, p.Name(), text, res.Parts, err
	case reminders.ChannelEmail:
		mailer := set.NewMailer()
		if mailer == nil {
			return "", agenda.Fail(op, agenda.CodeNoEmailServer)
		}
		f := Facts{Event: reminders.EventConfirmation, Organisation: org.Name, OrgEmail: org.Email, Motif: "Test d’envoi",
			Start: now.Add(48 * time.Hour), Duration: 30 * time.Minute, Location: loc, Phone: org.Phone}
		replyTo := org.Email
		if set.ReplyTo != "" {
			replyTo = set.ReplyTo
		}
		m, err := EmailMessage(f, set.SMTP.From, replyTo, recipient, now)
		if err != nil {
			return "", err
		}
		m.Subject("Test d’envoi de RDV Guichet")
		rec.Provider, rec.Content, rec.Count, sendErr = mailer.Name(), "Test d’envoi", 1, mailer.Send(ctx, m)
	default:
		return "", agenda.Errorf(op, agenda.Invalid, "canal « %s » inconnu : sms ou email", channel)
	}
	rec.Result = "sent"
	if sendErr != nil {
		rec.Result, rec.Error = "failure", sendErr.Error()
	}
	if _, err := db.AddReceipt(ctx, rec); err != nil {
		return "", err
	}
	if sendErr != nil {
		return "", agenda.E(op, agenda.Unavailable, sendErr)
	}
	return "Message de test envoyé à " + rec.Recipient + ".", nil
}
