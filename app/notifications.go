package app

import (
	"context"
	"errors"
	"log"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/notify"
	"rdvguichet/backend/reminders"
	"rdvguichet/backend/store"
)

// NotificationService is the agent window's door onto SMS and e-mail notifications: their
// settings and a test send (administrators), each RDV's messages and « Renvoyer le rappel » (any
// signed-in agent). It shares the AgentService's session; Services.StartBackground starts the
// sender (RunNotifications).
type NotificationService struct {
	agent agentDoor // the office, and the session that says who calls
	db    *store.DB
	clock agenda.Clock
}

// RunNotifications sends due notifications every minute until ctx ends (call it in a goroutine
// from the window's startup). It first catches up with what fell due while the app was closed.
func RunNotifications(ctx context.Context, s *NotificationService) {
	sender := &notify.Sender{DB: s.db, Clock: s.clock, Log: log.Writer()}
	if err := sender.Run(ctx, time.Minute); err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("notifications : %v", err)
	}
}

// NotificationSettingsView is the settings form. Secrets are write-only: the view says whether
// they are set, and an empty value on save keeps the stored one. SaveSettings names its field
// errors with this view's JSON names.
type NotificationSettingsView struct {
	EmailEnabled     bool   `json:"emailEnabled"`
	SMSEnabled       bool   `json:"smsEnabled"`
	ReminderHours    int    `json:"reminderHours"`
	MinReminderHours int    `json:"minReminderHours"`
	SameDaySMS       bool   `json:"sameDaySms"`
	SameDayHours     int    `json:"sameDayHours"`
	QuietStart       string `json:"quietStart"` // "20:00"
	QuietEnd         string `json:"quietEnd"`   // "08:00"

	SMTPHost        string `json:"smtpHost"`
	SMTPPort        int    `json:"smtpPort"`
	SMTPTLS         string `json:"smtpTls"` // starttls, tls, none
	SMTPUsername    string `json:"smtpUsername"`
	SMTPPassword    string `json:"smtpPassword"` // write-only
	SMTPPasswordSet bool   `json:"smtpPasswordSet"`
	SMTPFrom        string `json:"smtpFrom"`
	ReplyTo         string `json:"replyTo"`

	SMSProvider  string `json:"smsProvider"` // smsfactor, journal, ""
	SMSAPIKey    string `json:"smsApiKey"`   // write-only
	SMSAPIKeySet bool   `json:"smsApiKeySet"`
	SMSSender    string `json:"smsSender"`
	SMSJournal   string `json:"smsJournal"`

	CentralURL string `json:"centralUrl"`
}

// GetSettings returns the notification settings (secrets masked). Administrators only.
func (s *NotificationService) GetSettings() (NotificationSettingsView, error) {
	if _, err := s.agent.admin(); err != nil {
		return NotificationSettingsView{}, userError(err)
	}
	set, err := notify.LoadSettings(s.agent.context(), s.db)
	if err != nil {
		return NotificationSettingsView{}, userError(err)
	}
	return NotificationSettingsView{
		EmailEnabled: set.EmailEnabled, SMSEnabled: set.SMSEnabled, ReminderHours: set.ReminderHours,
		MinReminderHours: set.MinReminderHours, SameDaySMS: set.SameDaySMS, SameDayHours: set.SameDayHours,
		QuietStart: set.QuietStart.String(), QuietEnd: set.QuietEnd.String(),
		SMTPHost: set.SMTP.Host, SMTPPort: set.SMTP.Port, SMTPTLS: set.SMTP.TLS, SMTPUsername: set.SMTP.Username,
		SMTPPasswordSet: set.SMTP.Password != "", SMTPFrom: set.SMTP.From, ReplyTo: set.ReplyTo,
		SMSProvider: set.SMS.Provider, SMSAPIKeySet: set.SMS.APIKey != "", SMSSender: set.SMS.Sender, SMSJournal: set.SMS.Journal,
		CentralURL: set.CentralURL,
	}, nil
}

// settingsFrom merges the form into the stored settings (empty secrets keep the stored ones).
func (s *NotificationService) settingsFrom(v NotificationSettingsView) (notify.Settings, error) {
	set, err := notify.LoadSettings(s.agent.context(), s.db)
	if err != nil {
		return set, err
	}
	var bad agenda.ValidationError
	qs, err1 := agenda.ParseClock(v.QuietStart)
	if err1 != nil {
		bad = append(bad, agenda.FieldError{Field: "quietStart", Message: "Heure attendue au format HH:MM."})
	}
	qe, err2 := agenda.ParseClock(v.QuietEnd)
	if err2 != nil {
		bad = append(bad, agenda.FieldError{Field: "quietEnd", Message: "Heure attendue au format HH:MM."})
	}
	if len(bad) > 0 {
		return set, bad
	}
	stored := set.SMTP
	set.EmailEnabled, set.SMSEnabled = v.EmailEnabled, v.SMSEnabled
	set.ReminderHours, set.MinReminderHours = v.ReminderHours, v.MinReminderHours
	set.SameDaySMS, set.SameDayHours = v.SameDaySMS, v.SameDayHours
	set.QuietStart, set.QuietEnd = qs, qe
	set.SMTP.Host, set.SMTP.Port, set.SMTP.TLS, set.SMTP.Username, set.SMTP.From = v.SMTPHost, v.SMTPPort, v.SMTPTLS, v.SMTPUsername, v.SMTPFrom
	if v.SMTPPassword != "" {
		set.SMTP.Password = v.SMTPPassword
	} else if stored.Password != "" && !set.SMTP.KeepsSecretOf(stored) {
		// issue 10, #6: another server or user than the stored one, and no password typed: the
		// stored password is not sent there.
		return set, agenda.Fail("app.NotificationSettings", agenda.CodeSMTPPasswordNeeded)
	}
	set.ReplyTo, set.CentralURL = v.ReplyTo, v.CentralURL
	set.SMS.Provider, set.SMS.Sender, set.SMS.Journal = v.SMSProvider, v.SMSSender, v.SMSJournal
	if v.SMSAPIKey != "" {
		set.SMS.APIKey = v.SMSAPIKey
	}
	return set, nil
}

// settingsFields names notify.Settings' nested fields as the form names them.
var settingsFields = map[string]string{"smtp.host": "smtpHost", "smtp.port": "smtpPort", "smtp.tls": "smtpTls",
	"smtp.from": "smtpFrom", "sms.provider": "smsProvider", "sms.apiKey": "smsApiKey", "sms.sender": "smsSender"}

// SaveSettings validates and stores the settings; the field errors come back as data, in French.
// Administrators only.
func (s *NotificationService) SaveSettings(v NotificationSettingsView) (SaveResult, error) {
	if _, err := s.agent.admin(); err != nil {
		return SaveResult{}, userError(err)
	}
	set, err := s.settingsFrom(v)
	if agenda.CodeOf(err) == agenda.CodeSMTPPasswordNeeded {
		return SaveResult{Errors: []agenda.FieldError{{Field: "smtpPassword", Code: agenda.CodeSMTPPasswordNeeded, Message: text(err)}}}, nil
	}
	if err == nil {
		err = notify.SaveSettings(s.agent.context(), s.db, set)
	}
	var fields agenda.ValidationError
	if errors.As(err, &fields) {
		for i, f := range fields {
			if name, ok := settingsFields[f.Field]; ok {
				fields[i].Field = name
			}
		}
	}
	return saved("", err)
}

// TestSend (« Tester l'envoi ») sends a test message now on channel ("sms" or "email") to
// recipient, with the settings of the form as they are (saved or not), and says what happened.
// Administrators only.
func (s *NotificationService) TestSend(v NotificationSettingsView, channel, recipient string) (string, error) {
	if _, err := s.agent.admin(); err != nil {
		return "", userError(err)
	}
	set, err := s.settingsFrom(v)
	if err != nil {
		return "", userError(err)
	}
	ctx, cancel := context.WithTimeout(s.agent.context(), time.Minute)
	defer cancel()
	msg, err := notify.TestSend(ctx, s.db, s.clock, set, channel, recipient)
	return msg, userError(err)
}

// MessageView is one message of an RDV, as the RDV's « Messages » tab lists them.
type MessageView struct {
	ID        string `json:"id"`
	UsagerID  string `json:"usagerId"`
	Event     string `json:"event"`
	Label     string `json:"label"`   // « Confirmation », « Rappel »…
	Channel   string `json:"channel"` // sms, email
	Recipient string `json:"recipient"`
	State     string `json:"state"`
	StateText string `json:"stateText"` // « Envoyé », « En attente »…
	DueAt     string `json:"dueAt"`     // RFC 3339
	DoneAt    string `json:"doneAt,omitempty"`
	Attempts  int    `json:"attempts"`
	Error     string `json:"error,omitempty"`
}

// AttemptView is one attempt (a receipt): what the provider said.
type AttemptView struct {
	At         string `json:"at"`
	Event      string `json:"event"` // the receipt's: rdv_created, rdv_upcoming_reminder…
	Label      string `json:"label"` // « Confirmation », « Rappel »…
	Channel    string `json:"channel"`
	Result     string `json:"result"`     // sent, failure, processed
	ResultText string `json:"resultText"` // « Envoyé », « Échec »…
	Provider   string `json:"provider"`
	Count      int    `json:"count"`
	Error      string `json:"error,omitempty"`
	Recipient  string `json:"recipient"`
}

// RdvMessagesView is everything an RDV sent or will send.
type RdvMessagesView struct {
	Messages []MessageView `json:"messages"`
	Attempts []AttemptView `json:"attempts"`
}

var eventLabels = map[string]string{reminders.EventConfirmation: "Confirmation", reminders.EventModification: "Modification",
	reminders.EventRappel: "Rappel", reminders.EventAnnulation: "Annulation"}

var resultTexts = map[string]string{"sent": "Envoyé", "delivered": "Remis", "processed": "Traité", "failure": "Échec"}

var stateTexts = map[string]string{reminders.StatePending: "En attente", reminders.StateSending: "Envoi en cours", reminders.StateSent: "Envoyé",
	reminders.StateFailed: "Échec", reminders.StateCancelled: "Non envoyé", reminders.StateUncertain: "Incertain (envoi interrompu)"}

// Messages lists the messages of an RDV and every attempt's result.
func (s *NotificationService) Messages(rdvID string) (RdvMessagesView, error) {
	if _, err := s.agent.user(true); err != nil {
		return RdvMessagesView{}, userError(err)
	}
	ctx := s.agent.context()
	ns, err := s.db.RdvNotifications(ctx, rdvID)
	if err != nil {
		return RdvMessagesView{}, userError(err)
	}
	rs, err := s.db.ListReceipts(ctx, rdvID)
	if err != nil {
		return RdvMessagesView{}, userError(err)
	}
	out := RdvMessagesView{Messages: []MessageView{}, Attempts: []AttemptView{}}
	for _, n := range ns {
		m := MessageView{ID: n.ID, UsagerID: n.UsagerID, Event: n.Event, Label: eventLabels[n.Event], Channel: n.Channel,
			Recipient: n.Recipient, State: n.State, StateText: stateTexts[n.State], DueAt: n.DueAt.Format(time.RFC3339),
			Attempts: n.Attempts, Error: n.LastError}
		if n.Variant == reminders.VariantSameDay {
			m.Label = "Rappel du jour"
		} else if n.Variant != "" {
			m.Label = "Rappel renvoyé"
		}
		if n.DoneAt != nil {
			m.DoneAt = n.DoneAt.Format(time.RFC3339)
		}
		out.Messages = append(out.Messages, m)
	}
	for _, r := range rs {
		a := AttemptView{At: r.CreatedAt.Format(time.RFC3339), Event: r.Event, Label: r.Event, Channel: r.Channel, Result: r.Result,
			ResultText: resultTexts[r.Result], Provider: r.Provider, Count: r.Count, Error: r.Error, Recipient: r.Recipient}
		for event, label := range eventLabels {
			if reminders.ReceiptEvent(event) == r.Event {
				a.Label = label
			}
		}
		out.Attempts = append(out.Attempts, a)
	}
	return out, nil
}

// ResendReminder is « Renvoyer le rappel »: one more reminder now, on every channel the usagers
// can be reached on, written in the signed-in agent's name.
func (s *NotificationService) ResendReminder(rdvID string) (string, error) {
	me, err := s.agent.user(true)
	if err != nil {
		return "", userError(err)
	}
	n, err := s.db.ResendReminder(s.agent.context(), rdvID, agenda.ByAgent(me.ID))
	if err != nil {
		return "", userError(err)
	}
	if n == 1 {
		return "1 rappel va partir.", nil
	}
	return strconv.Itoa(n) + " rappels vont partir.", nil
}
