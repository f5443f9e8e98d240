// Package notify sends the usagers' notifications: confirmation, modification, reminder and
// cancellation, by e-mail (SMTP, with the iCal invitation) and by SMS (SMS Factor, or a journal
// for demos). It is the feature that divides lapins by four: the 48 h reminder.
//
// # Where messages come from
//
// The store writes them (backend/store/notifications.go) in the very transaction that books,
// moves or cancels an RDV: a message exists if and only if its change was committed. Each row has
// an idempotency key (RDV, usager, event, channel, RDV version), so it is written once. The
// central server keeps the same outbox for online bookings (sync/server/pgstore, ADR 0007) and
// sends it with this package: the Sender works on any Store. This package only reads the due
// rows and sends them; everything is re-checked at send time (RDV
// started, moved, cancelled; usager opted out; channel switched off) because hours or days may
// have passed since the row was written, for instance when the application was closed.
//
// # At most once
//
// Sending is claim, send, record:
//
//  1. ClaimNotification marks the row « sending » with a fresh attempt id and commits (SQLite,
//     synchronous=FULL) before anything leaves. Of two processes, one wins.
//  2. The SMS or e-mail leaves.
//  3. FinishNotification records the outcome and a receipt in one transaction, only if the row
//     still belongs to this attempt.
//
// A crash (power cut, killed process) between 1 and 3 leaves the row « sending ». At the next
// start, rows claimed more than StaleAfter ago are resolved as « uncertain » with a receipt
// saying so, and are NOT sent again. The provider may or may not have received the message: we
// cannot know (SMS Factor has no lookup by our reference in its send API, and SMTP none at all).
// Between sending twice (a second « RDV confirmé », billed, and an usager who wonders which
// message to trust) and possibly not at all (one reminder lost, visible in the RDV's message
// list), the second is the lesser evil: notifications are at most once, for SMS and e-mail alike.
// The same rule applies to a request that was written but got no answer (timeout after the
// request, a connection cut before the SMTP server's final reply): Uncertain, not retried.
// Failures that certainly sent nothing (connection refused, 4xx SMTP, HTTP 429/5xx) are retried
// with exponential backoff, never after the RDV's start.
//
// # SMS
//
// One SMS, 160 GSM-7 characters: texts are transliterated (ê → e, ç → c, œ → oe, ’ → ', « » → ")
// and shortened by SMSText until they fit; they go only to French mobiles (metropolitan and
// overseas), never during the quiet hours (20:00–08:00 by default: delayed to their end).
package notify
