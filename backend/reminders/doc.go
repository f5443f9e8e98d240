// Package reminders is the planner of the messages an usager receives about an RDV: which change
// owes which message (confirmation, modification, rappel, annulation) to whom, on which channel
// (e-mail, SMS) and when, under the office's Policy (reminder delays, quiet hours of SMS, the
// same-day SMS), and which messages already written a change makes obsolete.
//
// It is pure: no database, no network, no clock of its own (Input.Now). The desktop store
// (SQLite) and the central server (PostgreSQL) load the same facts — the RDV before and after
// the change, the usagers' contacts resolved through their responsibles, the messages already
// written for the RDV — call ForChange, ForResend or ForMissing, and write the Plan in the
// change's own transaction. The rows are intentions: the sender re-checks everything at send
// time (backend/notify).
//
// The package also owns the vocabulary the sender, the CLI and the screens share: Event, Channel,
// State, VariantSameDay, the idempotency Key, the receipts' names (ReceiptEvent, ReceiptChannel)
// and the Reasons written in a cancelled message's last_error.
package reminders
