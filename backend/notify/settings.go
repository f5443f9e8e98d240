package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
	"rdvguichet/backend/secret"
)

// SMSSettings choose and reach the SMS provider.
type SMSSettings struct {
	Provider string `json:"provider"` // "smsfactor", "journal" (demo: written to a file), "" = none
	APIKey   string `json:"apiKey"`
	Sender   string `json:"sender"`            // sender ID, 11 letters or digits at most
	BaseURL  string `json:"baseUrl,omitempty"` // a proxy or a test server; "" = the provider's
	Journal  string `json:"journal,omitempty"` // file of the journal provider; "" = standard error
}

// Settings are the notification settings of this installation, stored as JSON under
// reminders.SettingsKey. The policy fields (reminders.Policy) are what the planner reads
// at booking time.
type Settings struct {
	reminders.Policy
	SMTP SMTPSettings `json:"smtp"`
	SMS  SMSSettings  `json:"sms"`
	// CentralURL is the central server's address: once the office has its organisation's key
	// (after its first sync), messages carry a link to the RDV's page there (CentralURL/r/<token>,
	// checkin.LinkToken). "" = no link, the lieu's phone only.
	CentralURL string `json:"centralUrl"`
	// ReplyTo overrides the organisation's address as Reply-To and organiser.
	ReplyTo string `json:"replyTo"`
}

// DefaultSettings are those of a new installation: nothing is sent.
func DefaultSettings() Settings {
	return Settings{Policy: reminders.DefaultPolicy()}
}

// LoadSettings reads the settings (defaults for what is not set).
func LoadSettings(ctx context.Context, db SettingsReader) (Settings, error) {
	raw, ok, err := db.Setting(ctx, reminders.SettingsKey)
	if err != nil || !ok {
		return DefaultSettings(), err
	}
	s, err := ParseSettings(raw)
	if err != nil {
		return s, err
	}
	// The secrets are sealed at rest (backend/secret); a clear value of an older version is read
	// as it is and sealed at the next save. A secret sealed on another PC or Windows account
	// cannot be opened: it is taken as not set (the screen no longer says « Enregistré », the
	// administrator types it again), so that the rest of the settings keep working.
	s.SMTP.Password = openSecret(s.SMTP.Password)
	s.SMS.APIKey = openSecret(s.SMS.APIKey)
	return s, nil
}

// ParseSettings reads settings as stored (JSON; defaults for what is not set, and for "").
// Secrets are returned as stored: the office seals them (LoadSettings opens them), the central
// keeps them in its database.
func ParseSettings(raw string) (Settings, error) {
	s := DefaultSettings()
	if raw == "" {
		return s, nil
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		// The JSON error names a position and a type, never the values (no secret in it).
		return DefaultSettings(), agenda.Errorf("notify.ParseSettings", agenda.Invalid, "réglages de notification illisibles : %v", err)
	}
	return s, nil
}

func openSecret(stored string) string {
	v, err := secret.OpenString(stored)
	if err != nil {
		return ""
	}
	return v
}

// sealed returns the settings as stored: their secrets sealed.
func (s Settings) sealed() (Settings, error) {
	var err error
	if s.SMTP.Password, err = secret.SealString(s.SMTP.Password); err != nil {
		return s, err
	}
	s.SMS.APIKey, err = secret.SealString(s.SMS.APIKey)
	return s, err
}

// Validate checks the settings as an administrator typed them; the messages are French.
func (s Settings) Validate() error {
	var v agenda.ValidationError
	add := func(field, msg string) { v = append(v, agenda.FieldError{Field: field, Message: msg}) }
	if s.ReminderHours < 1 || s.ReminderHours > 24*14 {
		add("reminderHours", "Le rappel part entre 1 heure et 14 jours avant le rendez-vous.")
	}
	if s.MinReminderHours < 0 || s.MinReminderHours > s.ReminderHours {
		add("minReminderHours", "Le délai minimal doit être compris entre 0 et le délai du rappel.")
	}
	if s.SameDayHours < 0 || s.SameDayHours > 12 {
		add("sameDayHours", "Le SMS du jour part entre 0 et 12 heures avant le rendez-vous.")
	}
	if s.QuietStart < 0 || s.QuietStart > agenda.Clk(24, 0) || s.QuietEnd < 0 || s.QuietEnd > agenda.Clk(24, 0) {
		add("quietStart", "Heures calmes : indiquez des heures entre 00:00 et 24:00.")
	}
	if s.EmailEnabled {
		if s.SMTP.Host == "" {
			add("smtp.host", "Indiquez le serveur de messagerie (SMTP).")
		}
		if _, err := mail.ParseAddress(s.SMTP.From); err != nil {
			add("smtp.from", "Indiquez l’adresse d’expédition, par exemple « Mairie <rdv@mairie.fr> ».")
		}
	}
	if s.SMTP.Port < 0 || s.SMTP.Port > 65535 {
		add("smtp.port", "Le port doit être compris entre 1 et 65535.")
	}
	switch s.SMTP.TLS {
	case "", "starttls", "tls", "none":
	default:
		add("smtp.tls", "Sécurité : starttls, tls ou none.")
	}
	if s.ReplyTo != "" {
		if _, err := mail.ParseAddress(s.ReplyTo); err != nil {
			add("replyTo", "L’adresse de réponse n’est pas valide.")
		}
	}
	switch s.SMS.Provider {
	case "", "journal":
	case "smsfactor":
		if s.SMS.APIKey == "" {
			add("sms.apiKey", "Indiquez la clé d’API SMS Factor.")
		}
	default:
		add("sms.provider", "Fournisseur SMS inconnu : smsfactor ou journal.")
	}
	if s.SMSEnabled && s.SMS.Provider == "" {
		add("sms.provider", "Choisissez un fournisseur SMS.")
	}
	if len(s.SMS.Sender) > 11 || strings.IndexFunc(s.SMS.Sender, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) >= 0 {
		add("sms.sender", "L’expéditeur des SMS : 11 lettres ou chiffres au plus, sans espace ni accent.")
	}
	if s.CentralURL != "" && !strings.HasPrefix(s.CentralURL, "https://") && !strings.HasPrefix(s.CentralURL, "http://") {
		add("centralUrl", "L’adresse du serveur central commence par https://.")
	}
	if len(v) > 0 {
		return v
	}
	return nil
}

// SaveSettings validates and stores the settings, the SMTP password and the SMS key sealed
// (backend/secret).
func SaveSettings(ctx context.Context, db SettingsStore, s Settings) error {
	const op = "notify.SaveSettings"
	if err := s.Validate(); err != nil {
		return agenda.E(op, agenda.Invalid, err)
	}
	s, err := s.sealed()
	if err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	if err := db.SetSetting(ctx, reminders.SettingsKey, string(b)); err != nil {
		return err
	}
	// A channel switched on now also reminds the RDVs booked while it was off.
	_, err = db.ScheduleMissingReminders(ctx)
	return err
}

// NewProvider builds the SMS provider the settings name (nil when none).
func (s Settings) NewProvider() (Provider, error) {
	switch s.SMS.Provider {
	case "smsfactor":
		return &SMSFactor{Token: s.SMS.APIKey, Sender: s.SMS.Sender, BaseURL: s.SMS.BaseURL}, nil
	case "journal":
		var w io.Writer = os.Stderr
		if s.SMS.Journal != "" {
			f, err := os.OpenFile(s.SMS.Journal, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
			if err != nil {
				return nil, fmt.Errorf("journal des SMS %s : %w", s.SMS.Journal, err)
			}
			w = f
		}
		return &Journal{W: w}, nil
	}
	return nil, nil
}

// NewMailer builds the SMTP mailer (nil when no server is set).
func (s Settings) NewMailer() Mailer {
	if s.SMTP.Host == "" {
		return nil
	}
	return SMTPMailer{S: s.SMTP}
}
