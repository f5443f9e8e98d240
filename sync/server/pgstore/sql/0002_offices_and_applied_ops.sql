-- rdv-central schema, version 2: the offices that sync with the central, the ops they pushed,
-- the receipts they sent, and the row version of each change of the feed.

-- An organisation created by « rdv-central office add » before its office ever pushed: a row
-- with a placeholder name, replaced by the office's own organisation upsert (whatever its base
-- version) on its first push.
ALTER TABLE organisations ADD COLUMN placeholder boolean NOT NULL DEFAULT false;

-- One row per office (the poste principal of a mairie's office). The token is 32 random bytes
-- shown once to the operator; only its SHA-256 is kept (token_hash, unique: it names the
-- office). A revoked office is refused with 403, its rows stay for the operator's list.
CREATE TABLE offices (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    name            text NOT NULL,
    token_hash      bytea NOT NULL CHECK (length(token_hash) = 32),
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    last_push_at    timestamptz,
    last_pull_at    timestamptz,
    PRIMARY KEY (organisation_id, id)
);
CREATE UNIQUE INDEX offices_id ON offices (id);
CREATE UNIQUE INDEX offices_token ON offices (token_hash);

-- The result of every op the central decided (accepted or rejected), recorded in the op's own
-- transaction: a replayed op (same id) gets this result and is not applied again, from any
-- process, after any restart. A transient failure (database unavailable, timeout) records
-- nothing: the op is applied when the office pushes again.
CREATE TABLE applied_ops (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    op_id           uuid NOT NULL,
    office_id       uuid,
    entity          text NOT NULL,
    entity_id       text NOT NULL,
    kind            text NOT NULL,
    result          jsonb NOT NULL,
    applied_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, op_id)
);

-- Receipts of the notifications an office sent (one row per message tried), kept as the
-- protocol's payload: the central reads none of their fields, it only passes them on.
CREATE TABLE receipts (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    rdv_id          uuid,
    payload         jsonb NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);

-- The row's version after the change (protocol.Change.Version). Rows of schema 1 read 0.
ALTER TABLE changes ADD COLUMN version integer NOT NULL DEFAULT 0;
