-- rdv-central schema, version 4: the organisations' own settings at the central (retention of
-- personal data, notifications of online bookings) and the notification outbox of the RDVs
-- whose messages leave from the central.

-- One row per organisation that has settings or has been purged. retention_years is the RGPD
-- retention (agenda.ParseRetentionYears' bounds); last_purge_day the day (in UTC) of the last
-- daily purge, claimed under the row's lock so that one process purges an organisation a day.
-- notifications is notify.Settings as JSON, secrets included (SMTP password, SMS key): the
-- database is the central's secret store, readable by its role only; no command prints them.
CREATE TABLE organisation_settings (
    organisation_id uuid PRIMARY KEY REFERENCES organisations (organisation_id),
    retention_years integer NOT NULL DEFAULT 2 CHECK (retention_years BETWEEN 1 AND 10),
    notifications   jsonb NOT NULL DEFAULT '{}',
    last_purge_day  date,
    updated_at      timestamptz NOT NULL
);

-- The notification outbox, as the office's (backend/store sql/0002_notifications.sql): written
-- in the transaction of the change that owes the message (reminders.ForChange), claimed
-- (pending → sending, FOR UPDATE SKIP LOCKED) and committed before anything leaves, then
-- recorded: at most once (ADR 0003), whatever the number of rdv-central processes.
CREATE TABLE notifications (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    rdv_id          uuid NOT NULL,
    usager_id       uuid NOT NULL,
    event           text NOT NULL CHECK (event IN ('confirmation', 'modification', 'rappel', 'annulation')),
    variant         text NOT NULL DEFAULT '',
    channel         text NOT NULL CHECK (channel IN ('sms', 'email')),
    rdv_version     integer NOT NULL,
    idem_key        text NOT NULL,
    recipient       text NOT NULL,
    starts_at       timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    by_self         boolean NOT NULL DEFAULT false,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'uncertain')),
    attempts        integer NOT NULL DEFAULT 0,
    attempt_id      text NOT NULL DEFAULT '',
    claimed_at      timestamptz,
    last_error      text NOT NULL DEFAULT '',
    done_at         timestamptz,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, idem_key)
);
CREATE INDEX notifications_due ON notifications (organisation_id, state, due_at);
CREATE INDEX notifications_rdv ON notifications (organisation_id, rdv_id, usager_id, state);
