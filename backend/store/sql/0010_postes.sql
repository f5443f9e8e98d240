-- RDV Guichet local schema, version 9: the postes of one office (ADR 0007). The poste principal
-- keeps, in its data file, what makes it the principal, so that a backup restored on a new PC
-- serves the same postes without pairing them again: its TLS identity, the postes it paired with
-- the hash of each one's credential, the pairing codes still open, and the answers it gave to the
-- postes' writes (their idempotency keys).

-- The principal's TLS identity: a self-signed ECDSA P-256 certificate made at the first start,
-- and its private key (PKCS #8). One row.
CREATE TABLE poste_identity (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    cert_der   BLOB NOT NULL,
    key_der    BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- The postes secondaires. credential_hash is the SHA-256 of the poste's 32-byte random credential
-- (NULL until it is paired); a revoked poste keeps its row (its name is free again).
CREATE TABLE postes (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('guichet', 'borne')),
    credential_hash BLOB UNIQUE,
    hostname        TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    paired_at       INTEGER,
    last_seen       INTEGER,
    revoked_at      INTEGER
) STRICT;
CREATE UNIQUE INDEX postes_active_name ON postes(name COLLATE NOCASE) WHERE revoked_at IS NULL;

-- One-time pairing codes: their SHA-256, their poste, a few minutes of validity, used once.
CREATE TABLE poste_pairing (
    code_hash  BLOB PRIMARY KEY,
    poste_id   TEXT NOT NULL REFERENCES postes(id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

-- The postes' calls under an idempotency key. A row is written in the same transaction as the
-- first change the call makes (store.WithCall), then completed with the answer (reply): a retry
-- of the key gets the answer again, and a row without an answer says the call changed the data
-- but the principal stopped before answering. Rows are kept a day.
CREATE TABLE poste_calls (
    poste_id TEXT NOT NULL,
    key      TEXT NOT NULL,
    method   TEXT NOT NULL DEFAULT '',
    at       INTEGER NOT NULL,
    reply    BLOB,
    PRIMARY KEY (poste_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX poste_calls_at ON poste_calls(at);
