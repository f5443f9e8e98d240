-- RDV Guichet local schema, version 6: the office's sync client (sync/client, store/sync.go).
--
-- The central's answer to each op is kept with the op: the new version of an accepted op, the code
-- and params of a refused one (the « à traiter » list shows the text of the code; the op is never
-- dropped).
ALTER TABLE outbox ADD COLUMN new_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN params TEXT NOT NULL DEFAULT '{}'; -- JSON object of strings

-- One row: where this office syncs, the change feed's cursor (opaque, written in the transaction
-- that applies the page it ends) and the last outcomes, for the window's sync status.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_url      TEXT NOT NULL DEFAULT '',
    cursor          TEXT NOT NULL DEFAULT '',
    last_push_at    INTEGER,
    last_pull_at    INTEGER,
    last_success_at INTEGER,
    last_error_code TEXT NOT NULL DEFAULT '',
    last_error_at   INTEGER
) STRICT;
INSERT INTO sync_state(id) VALUES (1);

-- Pulled changes the office could not apply as they came: an RDV sold by the central on a slot a
-- local active RDV holds (slot_taken), a row the local rules refuse. Shown in « à traiter » until
-- an agent dismisses it or a later change of the same row applies.
CREATE TABLE sync_conflicts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    code         TEXT NOT NULL,
    params       TEXT NOT NULL DEFAULT '{}',
    payload      TEXT NOT NULL,
    cursor       TEXT NOT NULL,
    at           INTEGER NOT NULL,
    resolved_at  INTEGER
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, id);
CREATE INDEX sync_conflicts_entity ON sync_conflicts(entity, entity_id);

-- The central's latest version of a row that had pending local ops when it was pulled (such a row
-- is not overwritten). Applied once the row has no pending op left (acked or refused): the
-- rebase. One row per entity: a later change replaces an earlier one.
CREATE TABLE sync_deferred (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- feed order: a replaced row goes last
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    payload    TEXT NOT NULL,
    cursor     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    UNIQUE (entity, entity_id)
) STRICT;
