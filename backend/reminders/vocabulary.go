package reminders

import (
	"fmt"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// Event is what a message tells the usager. The stored rows, the CLI's JSON and the screens
// carry it as a plain string: Event is an alias so that they compare and convert freely.
type Event = string

// Events, as the CLI and the UI name them.
const (
	EventConfirmation Event = "confirmation"
	EventModification Event = "modification"
	EventRappel       Event = "rappel"
	EventAnnulation   Event = "annulation"
)

// Channel is how a message leaves (an alias of string, as Event).
type Channel = string

// Channels.
const (
	ChannelSMS   Channel = "sms"
	ChannelEmail Channel = "email"
)

// State is where a message is in its life (an alias of string, as Event):
// pending → sending → sent | failed | pending (retry later); pending → cancelled (superseded,
// RDV cancelled, opted out…); sending → uncertain when the sender died between claiming and
// recording: never sent again (at-most-once).
type State = string

// States.
const (
	StatePending   State = "pending"
	StateSending   State = "sending"
	StateSent      State = "sent"
	StateFailed    State = "failed"
	StateCancelled State = "cancelled"
	StateUncertain State = "uncertain"
)

// VariantSameDay marks the optional SMS sent on the RDV's day; manual reminders are "manuel-N"
// (ManualVariant).
const VariantSameDay = "jour"

// manualPrefix starts the variant of the agent's « Renvoyer le rappel » reminders.
const manualPrefix = "manuel-"

// ManualVariant is the variant of the n-th manual reminder (1, 2…).
func ManualVariant(n int) string { return fmt.Sprintf("%s%d", manualPrefix, n) }

// IsManual reports whether variant is a manual reminder's.
func IsManual(variant string) bool { return strings.HasPrefix(variant, manualPrefix) }

// Key is the idempotency key of a message: the same intention written twice (a replayed
// transaction, a retried hook) is one row. Its format is stored (idem_key) and never changes:
// rdv/usager/event[-variant]/channel/vN.
func Key(rdvID, usagerID string, event Event, variant string, channel Channel, version int) string {
	ev := event
	if variant != "" {
		ev += "-" + variant
	}
	return fmt.Sprintf("%s/%s/%s/%s/v%d", rdvID, usagerID, ev, channel, version)
}

// ReceiptEvent maps an event to RDV Service Public's receipt event names.
func ReceiptEvent(event Event) string {
	switch event {
	case EventConfirmation:
		return "rdv_created"
	case EventModification:
		return "rdv_updated"
	case EventRappel:
		return "rdv_upcoming_reminder"
	case EventAnnulation:
		return "rdv_cancelled"
	}
	return event
}

// ReceiptChannel maps a channel to the receipts' channel names (email is "mail").
func ReceiptChannel(ch Channel) string {
	if ch == ChannelEmail {
		return "mail"
	}
	return ch
}

// Contact is where an usager can be reached, and whether they agree to be. The store resolves it
// through the responsibles: a proche without contact details of its own is reached through its
// responsible, whose choices then apply.
type Contact struct {
	Phone string
	Email string
	SMS   bool // the usager accepts SMS
	Mail  bool // the usager accepts e-mails
}

// Recipient returns the address of channel for c, "" when the usager cannot or does not want to
// be reached there. SMS go to mobiles only (metropolitan and overseas French plans).
func (c Contact) Recipient(channel Channel) string {
	switch channel {
	case ChannelSMS:
		if c.SMS && agenda.IsFrenchMobile(c.Phone) {
			return c.Phone
		}
	case ChannelEmail:
		if c.Mail && strings.Contains(c.Email, "@") {
			return c.Email
		}
	}
	return ""
}

// Notification is one message to one usager on one channel, as stored in the outbox.
type Notification struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisationId"`
	RdvID          string     `json:"rdvId"`
	UsagerID       string     `json:"usagerId"`
	Event          Event      `json:"event"`
	Variant        string     `json:"variant,omitempty"`
	Channel        Channel    `json:"channel"`
	RdvVersion     int        `json:"rdvVersion"`
	Key            string     `json:"key"`
	Recipient      string     `json:"recipient"`
	StartsAt       time.Time  `json:"startsAt"`
	DueAt          time.Time  `json:"dueAt"`
	BySelf         bool       `json:"bySelf"`
	State          State      `json:"state"`
	Attempts       int        `json:"attempts"`
	AttemptID      string     `json:"attemptId,omitempty"`
	ClaimedAt      *time.Time `json:"claimedAt,omitempty"`
	LastError      string     `json:"lastError,omitempty"`
	DoneAt         *time.Time `json:"doneAt,omitempty"`
	CreatedAt      time.Time  `json:"createdAt"`
}
