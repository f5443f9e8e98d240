package reminders

import (
	"errors"
	"time"
)

// The sender's records, shared by every store that keeps a notification outbox: the office's
// (backend/store, SQLite) and the central's (sync/server/pgstore, PostgreSQL). backend/notify
// sends through either.

// SettingsKey names the notification settings (backend/notify.Settings as JSON: this Policy,
// the SMTP server and the SMS provider) where a store keeps them.
const SettingsKey = "notifications"

// Receipt is one notification sent (or tried) about an RDV: RDV Service Public's receipts.
type Receipt struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisationId"`
	RdvID          string    `json:"rdvId"`
	UsagerID       string    `json:"usagerId"`
	Event          string    `json:"event"`   // rdv_created, rdv_upcoming_reminder, rdv_cancelled…
	Channel        string    `json:"channel"` // sms, mail, webhook, print
	Result         string    `json:"result"`  // processed, sent, delivered, failure
	Error          string    `json:"error"`
	Provider       string    `json:"provider"`
	Count          int       `json:"count"` // SMS parts
	Content        string    `json:"content"`
	Recipient      string    `json:"recipient"` // phone or e-mail address
	CreatedAt      time.Time `json:"createdAt"`
}

// Outcome is how an attempt ended.
type Outcome struct {
	State   State  // sent, failed, cancelled, uncertain, or pending (retry at RetryAt)
	Error   string // why (French, shown in the RDV's message list)
	RetryAt time.Time
	// Recipient, when not empty, replaces the stored one (the usager changed their number).
	Recipient string
	// Receipt, when not nil, is logged with the outcome, in the same transaction.
	Receipt *Receipt
}

// ErrAttemptLost is the cause of a store's refusal to record an attempt that no longer owns its
// message (it was resolved as uncertain meanwhile, after a pause longer than the stale delay).
var ErrAttemptLost = errors.New("cet envoi a été repris par un autre poste ou déclaré incertain")
