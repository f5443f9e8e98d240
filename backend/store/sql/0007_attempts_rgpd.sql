-- RDV Guichet local schema, version 7: the persistent limits of the sign-in and of the kiosk's
-- check-in (store/attempts.go), and the personal data's audit trail (store/rgpd.go, purge.go).
--
-- One row per refused attempt: scope 'sign_in' (key: the login, lower case, or '*' for the
-- window as a whole) or 'kiosk' (key: '*', every kiosk of the file). Rows survive a restart, so
-- that closing the app does not lift a wait; rows older than a day are deleted as new ones come.
CREATE TABLE failed_attempts (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    key   TEXT NOT NULL,
    at    INTEGER NOT NULL
) STRICT;
CREATE INDEX failed_attempts_key ON failed_attempts(scope, key, at);

-- What was done with the usagers' personal data, by whom and when: the retention purge, an
-- export, an erasure (requested, then done once its cancellation notices have left). detail is a
-- JSON object of counts: never a name, a phone number or an address.
CREATE TABLE rgpd_audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    by_who    TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('purge', 'export', 'erase_requested', 'erased')),
    usager_id TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX rgpd_audit_at ON rgpd_audit(at);

-- Erasures waiting for their cancellation notices to leave (the notice needs the phone number or
-- the address); done by the sender's next round, or by the daily purge after a week at the latest.
CREATE TABLE rgpd_erasures (
    usager_id    TEXT PRIMARY KEY,
    requested_at INTEGER NOT NULL,
    by_who       TEXT NOT NULL
) STRICT;
