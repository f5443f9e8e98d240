-- RDV Guichet local schema, version 2: the notification outbox (SMS and e-mail to usagers).
--
-- Creating, moving and cancelling an RDV write their messages here in the same BEGIN IMMEDIATE
-- transaction as the RDV itself (store/notifications.go), so a booking can never exist without
-- its confirmation and reminder, nor a message without its booking. The sender (backend/notify)
-- reads the rows that are due, claims each one ('pending' → 'sending', with an attempt id) in its
-- own committed transaction BEFORE talking to the provider, and records the outcome and a receipt
-- after. A crash between the two leaves the row 'sending': it is resolved as 'uncertain' and never
-- sent again (at-most-once, see doc.go of backend/notify).
--
-- idem_key is the idempotency key: rdv / usager / event[variant] / channel / v<rdv version>. The
-- UNIQUE constraint makes a replayed enqueue a no-op, so a message exists (and is sent) once.
-- rdv_id and usager_id carry no foreign key, as receipts: the log outlives the RDV.
CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    rdv_id          TEXT NOT NULL,
    usager_id       TEXT NOT NULL,
    event           TEXT NOT NULL CHECK (event IN ('confirmation', 'modification', 'rappel', 'annulation')),
    variant         TEXT NOT NULL DEFAULT '', -- '' | 'jour' (same-day SMS) | 'manuel-N' (« Renvoyer le rappel »)
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    rdv_version     INTEGER NOT NULL,
    idem_key        TEXT NOT NULL UNIQUE,
    recipient       TEXT NOT NULL,           -- E.164 phone or e-mail address at enqueue time
    starts_at       INTEGER NOT NULL,        -- the RDV's start when the message was written
    due_at          INTEGER NOT NULL,
    by_self         INTEGER NOT NULL DEFAULT 0, -- the change was made by the usager (kiosk, online)
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'uncertain')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    attempt_id      TEXT NOT NULL DEFAULT '',
    claimed_at      INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    done_at         INTEGER,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_due ON notifications(state, due_at);
CREATE INDEX notifications_rdv ON notifications(rdv_id, usager_id, state);
