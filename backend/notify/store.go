package notify

import (
	"context"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
)

// Store is what the sender reads and writes: the notification outbox (claim, send, record) and
// the facts a message names. The office's data file (*store.DB) and the central's outbox of one
// organisation (pgstore.Outbox) implement it, so that one sender, with the same re-checks and
// the same at-most-once rule, sends the messages of both.
type Store interface {
	DueNotifications(ctx context.Context, at time.Time, limit int) ([]reminders.Notification, error)
	ClaimNotification(ctx context.Context, id, attemptID string) (reminders.Notification, bool, error)
	FinishNotification(ctx context.Context, id, attemptID string, o reminders.Outcome) error
	SkipNotification(ctx context.Context, id, reason string) error
	DeferNotification(ctx context.Context, id string, until time.Time) error
	ExpireNotifications(ctx context.Context, at time.Time) (int, error)
	RecoverStaleNotifications(ctx context.Context, staleBefore time.Time, provider func(channel string) string) (int, error)
	RdvNotifications(ctx context.Context, rdvID string) ([]reminders.Notification, error)
	ContactFor(ctx context.Context, usagerID string, channel reminders.Channel) (string, error)

	GetRdv(ctx context.Context, id string) (agenda.Rdv, error)
	GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error)
	GetMotif(ctx context.Context, id string) (agenda.Motif, error)
	GetUsager(ctx context.Context, id string) (agenda.Usager, error)
	GetLieu(ctx context.Context, id string) (agenda.Lieu, error)
}

// erasures is the office's RGPD erasures waiting for their cancellation notices
// (store.CompleteErasures): a Store that has them lets the sender complete them after a round.
type erasures interface {
	CompleteErasures(ctx context.Context, force time.Time) (int, error)
}

// SettingsReader reads the notification settings (reminders.SettingsKey).
type SettingsReader interface {
	Setting(ctx context.Context, key string) (string, bool, error)
}

// SettingsStore keeps the notification settings and, on a change of the channels, plans the
// reminders the RDVs booked meanwhile lack.
type SettingsStore interface {
	SettingsReader
	SetSetting(ctx context.Context, key, value string) error
	ScheduleMissingReminders(ctx context.Context) (int, error)
}

// TestStore is where « Tester l'envoi » finds the organisation and logs its receipt.
type TestStore interface {
	ListOrganisations(ctx context.Context) ([]agenda.Organisation, error)
	AddReceipt(ctx context.Context, r reminders.Receipt) (reminders.Receipt, error)
}
