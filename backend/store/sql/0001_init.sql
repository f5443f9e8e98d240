-- RDV Guichet local schema, version 1.
--
-- Conventions (see doc.go):
--   * ids are UUIDv7 TEXT, created offline and kept as they are by the central server;
--   * instants are INTEGER unix milliseconds UTC (*_at columns): compact, exact, and compared with
--     plain integer arithmetic in the overlap trigger and its index;
--   * civil dates are TEXT 'YYYY-MM-DD' (they sort and compare as text);
--   * wall-clock times of day are INTEGER minutes since midnight (*_min columns);
--   * booleans are INTEGER 0/1; lists and recurrences are JSON TEXT;
--   * every table carries organisation_id, the central server's distribution key;
--   * every synchronised entity carries version (bumped on each local change) and updated_at.
-- Tables are STRICT so a wrongly typed value is refused instead of silently stored.

CREATE TABLE organisations (
    id                        TEXT PRIMARY KEY,
    name                      TEXT NOT NULL,
    logo_png                  BLOB,
    accent_color              TEXT NOT NULL DEFAULT '',
    time_zone                 TEXT NOT NULL DEFAULT 'Europe/Paris',
    email                     TEXT NOT NULL DEFAULT '',
    phone                     TEXT NOT NULL DEFAULT '',
    holidays_departement      TEXT NOT NULL DEFAULT '',
    lundi_pentecote_travaille INTEGER NOT NULL DEFAULT 0,
    slot_grid_minutes         INTEGER NOT NULL DEFAULT 0,
    buffer_minutes            INTEGER NOT NULL DEFAULT 0,
    version                   INTEGER NOT NULL DEFAULT 1,
    updated_at                INTEGER NOT NULL
) STRICT;

CREATE TABLE lieux (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name            TEXT NOT NULL,
    street          TEXT NOT NULL DEFAULT '',
    postal_code     TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    accessibility   TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX lieux_org ON lieux(organisation_id, name);

-- agents holds people (kind 'agent', with a login) and guichets / DR (kind 'guichet', no login):
-- both have agendas and the slot engine treats them alike.
CREATE TABLE agents (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    kind            TEXT NOT NULL CHECK (kind IN ('agent', 'guichet')),
    name            TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    login           TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL DEFAULT 'agent',
    active          INTEGER NOT NULL DEFAULT 1,
    password_hash   TEXT NOT NULL DEFAULT '', -- argon2id/bcrypt, for the sign-in to come; never synchronised
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX agents_org ON agents(organisation_id, name);
CREATE UNIQUE INDEX agents_login ON agents(organisation_id, login) WHERE login <> '';

CREATE TABLE motifs (
    id                 TEXT PRIMARY KEY,
    organisation_id    TEXT NOT NULL REFERENCES organisations(id),
    name               TEXT NOT NULL,
    color              TEXT NOT NULL DEFAULT '',
    duration_min       INTEGER NOT NULL,
    location_type      TEXT NOT NULL DEFAULT 'public_office',
    min_public_delay_s INTEGER NOT NULL DEFAULT 1800,
    max_public_delay_s INTEGER NOT NULL DEFAULT 7889238,
    bookable_kiosk     INTEGER NOT NULL DEFAULT 0,
    bookable_online    INTEGER NOT NULL DEFAULT 0,
    collectif          INTEGER NOT NULL DEFAULT 0,
    capacity           INTEGER NOT NULL DEFAULT 0,
    pieces             TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    instructions       TEXT NOT NULL DEFAULT '',
    ants_category      TEXT NOT NULL DEFAULT '',
    archived           INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1,
    updated_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX motifs_org ON motifs(organisation_id, name);

-- plages_ouverture: last_day is the recurrence's last possible day (NULL = open-ended), so a range
-- query pre-filters with first_day <= to AND (last_day IS NULL OR last_day >= from) without
-- expanding recurrences.
CREATE TABLE plages_ouverture (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    agent_id        TEXT NOT NULL REFERENCES agents(id),
    lieu_id         TEXT REFERENCES lieux(id),
    title           TEXT NOT NULL DEFAULT '',
    first_day       TEXT NOT NULL,
    last_day        TEXT,
    start_min       INTEGER NOT NULL,
    end_min         INTEGER NOT NULL,
    recurrence      TEXT, -- JSON agenda.Recurrence; NULL for a single day
    canal           TEXT NOT NULL DEFAULT 'guichet' CHECK (canal IN ('guichet', 'en_ligne')),
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX plages_range ON plages_ouverture(organisation_id, first_day, last_day);
CREATE INDEX plages_agent ON plages_ouverture(agent_id);

CREATE TABLE plage_motifs (
    plage_id        TEXT NOT NULL REFERENCES plages_ouverture(id) ON DELETE CASCADE,
    motif_id        TEXT NOT NULL REFERENCES motifs(id),
    organisation_id TEXT NOT NULL,
    PRIMARY KEY (plage_id, motif_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX plage_motifs_motif ON plage_motifs(motif_id, plage_id);

-- One occurrence of a plage cancelled or held at other times (RDV SP has no such thing).
CREATE TABLE plage_exceptions (
    plage_id        TEXT NOT NULL REFERENCES plages_ouverture(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL,
    day             TEXT NOT NULL,
    cancelled       INTEGER NOT NULL DEFAULT 0,
    start_min       INTEGER NOT NULL DEFAULT 0,
    end_min         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (plage_id, day)
) STRICT, WITHOUT ROWID;

-- absences: last_day as for plages (end_day for a multi-day absence, recurrence end otherwise).
CREATE TABLE absences (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    agent_id        TEXT NOT NULL REFERENCES agents(id),
    title           TEXT NOT NULL DEFAULT '',
    first_day       TEXT NOT NULL,
    end_day         TEXT NOT NULL,
    last_day        TEXT,
    start_min       INTEGER NOT NULL,
    end_min         INTEGER NOT NULL,
    recurrence      TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX absences_range ON absences(organisation_id, first_day, last_day);
CREATE INDEX absences_agent ON absences(agent_id);

CREATE TABLE usagers (
    id               TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    first_name       TEXT NOT NULL DEFAULT '',
    last_name        TEXT NOT NULL DEFAULT '',
    birth_name       TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '', -- E.164
    email            TEXT NOT NULL DEFAULT '',
    notify_sms       INTEGER NOT NULL DEFAULT 1,
    notify_email     INTEGER NOT NULL DEFAULT 1,
    responsible_id   TEXT REFERENCES usagers(id),
    ants_pre_demande TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX usagers_org ON usagers(organisation_id, last_name, first_name);
CREATE INDEX usagers_responsible ON usagers(responsible_id) WHERE responsible_id IS NOT NULL;

-- Full-text index over the usager's names, phone and email (diacritics folded: « Hélène » is found
-- by « helene »). phone holds the digits in international form and, for French numbers, the
-- national form too (« 33612345678 0612345678 »), so both are found by prefix. Kept in step by the
-- triggers below, rowid = usagers.rowid.
CREATE VIRTUAL TABLE usagers_fts USING fts5(
    last_name, first_name, birth_name, phone, email,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER usagers_fts_ai AFTER INSERT ON usagers BEGIN
    INSERT INTO usagers_fts(rowid, last_name, first_name, birth_name, phone, email)
    VALUES (NEW.rowid, NEW.last_name, NEW.first_name, NEW.birth_name,
            replace(NEW.phone, '+', '') ||
              CASE WHEN NEW.phone LIKE '+33%' THEN ' 0' || substr(NEW.phone, 4) ELSE '' END,
            NEW.email);
END;
CREATE TRIGGER usagers_fts_ad AFTER DELETE ON usagers BEGIN
    DELETE FROM usagers_fts WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER usagers_fts_au AFTER UPDATE ON usagers BEGIN
    DELETE FROM usagers_fts WHERE rowid = OLD.rowid;
    INSERT INTO usagers_fts(rowid, last_name, first_name, birth_name, phone, email)
    VALUES (NEW.rowid, NEW.last_name, NEW.first_name, NEW.birth_name,
            replace(NEW.phone, '+', '') ||
              CASE WHEN NEW.phone LIKE '+33%' THEN ' 0' || substr(NEW.phone, 4) ELSE '' END,
            NEW.email);
END;

-- An RDV lasts at most 24 hours (CHECK below): the overlap trigger relies on it to scan only the
-- index entries that can overlap (starts_at > new start - 24 h), whatever the agenda's size.
CREATE TABLE rdvs (
    id               TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    motif_id         TEXT NOT NULL REFERENCES motifs(id),
    lieu_id          TEXT REFERENCES lieux(id),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'unknown'
                     CHECK (status IN ('unknown', 'seen', 'noshow', 'excused', 'revoked')),
    context          TEXT NOT NULL DEFAULT '',
    documents_number INTEGER NOT NULL DEFAULT 0,
    collectif        INTEGER NOT NULL DEFAULT 0,
    capacity         INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT NOT NULL DEFAULT '',
    origine          TEXT NOT NULL DEFAULT 'guichet',
    cancelled_at     INTEGER,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (ends_at > starts_at AND ends_at - starts_at <= 86400000)
) STRICT;
CREATE INDEX rdvs_org_start ON rdvs(organisation_id, starts_at);
CREATE INDEX rdvs_lieu_start ON rdvs(lieu_id, starts_at);

-- rdv_agents: one row per (RDV, agent or guichet), with the RDV's times and whether it holds its
-- slot (active = status is neither excused nor revoked), denormalised so that the guarantee is a
-- single index range scan. Rows are inserted by copying from rdvs and kept in step by the
-- rdvs_sync_agents trigger; the rdv_agents_coherent triggers refuse any row that disagrees with
-- its RDV, so the denormalisation cannot drift even through hand-written SQL.
CREATE TABLE rdv_agents (
    rdv_id          TEXT NOT NULL REFERENCES rdvs(id) ON DELETE CASCADE,
    agent_id        TEXT NOT NULL REFERENCES agents(id),
    organisation_id TEXT NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    active          INTEGER NOT NULL,
    PRIMARY KEY (rdv_id, agent_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX rdv_agents_busy ON rdv_agents(agent_id, starts_at, ends_at, active);

-- THE GUARANTEE. Two active RDVs of the same agent (or guichet) never overlap; intervals are
-- half-open [starts_at, ends_at), so back-to-back RDVs are allowed.
CREATE TRIGGER rdv_agents_no_overlap_insert BEFORE INSERT ON rdv_agents
WHEN NEW.active = 1
BEGIN
    SELECT RAISE(ABORT, 'creneau_pris')
    WHERE EXISTS (
        SELECT 1 FROM rdv_agents o
        WHERE o.agent_id = NEW.agent_id
          AND o.starts_at < NEW.ends_at
          AND o.starts_at > NEW.starts_at - 86400000
          AND o.ends_at > NEW.starts_at
          AND o.active = 1
          AND o.rdv_id <> NEW.rdv_id);
END;

CREATE TRIGGER rdv_agents_no_overlap_update BEFORE UPDATE ON rdv_agents
WHEN NEW.active = 1
BEGIN
    SELECT RAISE(ABORT, 'creneau_pris')
    WHERE EXISTS (
        SELECT 1 FROM rdv_agents o
        WHERE o.agent_id = NEW.agent_id
          AND o.starts_at < NEW.ends_at
          AND o.starts_at > NEW.starts_at - 86400000
          AND o.ends_at > NEW.starts_at
          AND o.active = 1
          AND o.rdv_id <> NEW.rdv_id);
END;

CREATE TRIGGER rdv_agents_coherent_insert BEFORE INSERT ON rdv_agents
BEGIN
    SELECT RAISE(ABORT, 'rdv_agents_incoherent')
    WHERE NOT EXISTS (
        SELECT 1 FROM rdvs r
        WHERE r.id = NEW.rdv_id
          AND r.starts_at = NEW.starts_at AND r.ends_at = NEW.ends_at
          AND r.organisation_id = NEW.organisation_id
          AND (r.status NOT IN ('excused', 'revoked')) = (NEW.active = 1));
END;

CREATE TRIGGER rdv_agents_coherent_update BEFORE UPDATE ON rdv_agents
BEGIN
    SELECT RAISE(ABORT, 'rdv_agents_incoherent')
    WHERE NOT EXISTS (
        SELECT 1 FROM rdvs r
        WHERE r.id = NEW.rdv_id
          AND r.starts_at = NEW.starts_at AND r.ends_at = NEW.ends_at
          AND r.organisation_id = NEW.organisation_id
          AND (r.status NOT IN ('excused', 'revoked')) = (NEW.active = 1));
END;

-- Keeps rdv_agents in step with its RDV inside the statement that changes the RDV: moving or
-- re-activating an RDV onto a taken slot fails with creneau_pris and the whole UPDATE is undone.
CREATE TRIGGER rdvs_sync_agents AFTER UPDATE OF starts_at, ends_at, status, organisation_id ON rdvs
BEGIN
    UPDATE rdv_agents
    SET starts_at = NEW.starts_at,
        ends_at = NEW.ends_at,
        organisation_id = NEW.organisation_id,
        active = (NEW.status NOT IN ('excused', 'revoked'))
    WHERE rdv_id = NEW.id;
END;

CREATE TABLE participations (
    rdv_id          TEXT NOT NULL REFERENCES rdvs(id) ON DELETE CASCADE,
    usager_id       TEXT NOT NULL REFERENCES usagers(id),
    organisation_id TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'unknown'
                    CHECK (status IN ('unknown', 'seen', 'noshow', 'excused', 'revoked')),
    arrived_at      INTEGER,
    PRIMARY KEY (rdv_id, usager_id)
) STRICT;
CREATE INDEX participations_usager ON participations(usager_id);

-- A collective RDV (atelier) never holds more active participations than its capacity
-- (capacity 0 = unlimited, as RDV SP's NULL max_participants_count).
CREATE TRIGGER participations_capacity_insert BEFORE INSERT ON participations
WHEN NEW.status NOT IN ('excused', 'revoked')
BEGIN
    SELECT RAISE(ABORT, 'collectif_complet')
    FROM rdvs r
    WHERE r.id = NEW.rdv_id AND r.collectif = 1 AND r.capacity > 0
      AND (SELECT count(*) FROM participations p
           WHERE p.rdv_id = NEW.rdv_id AND p.status NOT IN ('excused', 'revoked')) >= r.capacity;
END;

CREATE TRIGGER participations_capacity_update BEFORE UPDATE OF status ON participations
WHEN NEW.status NOT IN ('excused', 'revoked') AND OLD.status IN ('excused', 'revoked')
BEGIN
    SELECT RAISE(ABORT, 'collectif_complet')
    FROM rdvs r
    WHERE r.id = NEW.rdv_id AND r.collectif = 1 AND r.capacity > 0
      AND (SELECT count(*) FROM participations p
           WHERE p.rdv_id = NEW.rdv_id AND p.status NOT IN ('excused', 'revoked')) >= r.capacity;
END;

-- Audit trail of statuses. usager_id is '' for the RDV's own status, else the participation's.
CREATE TABLE rdv_status_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rdv_id          TEXT NOT NULL REFERENCES rdvs(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL,
    usager_id       TEXT NOT NULL DEFAULT '',
    by_who          TEXT NOT NULL,
    at              INTEGER NOT NULL,
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL
) STRICT;
CREATE INDEX rdv_status_history_rdv ON rdv_status_history(rdv_id, id);

-- Notification log (RDV SP's receipts). rdv_id and usager_id carry no foreign key: a receipt
-- outlives the RDV it was about (organisation_id is denormalised for the same reason).
CREATE TABLE receipts (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    rdv_id          TEXT NOT NULL DEFAULT '',
    usager_id       TEXT NOT NULL DEFAULT '',
    event           TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'mail', 'webhook', 'print')),
    result          TEXT NOT NULL CHECK (result IN ('processed', 'sent', 'delivered', 'failure')),
    error           TEXT NOT NULL DEFAULT '',
    provider        TEXT NOT NULL DEFAULT '',
    count           INTEGER NOT NULL DEFAULT 0,
    content         TEXT NOT NULL DEFAULT '',
    recipient       TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX receipts_rdv ON receipts(rdv_id, created_at);
CREATE INDEX receipts_created ON receipts(created_at);

-- Transactional outbox: every local mutation writes its business rows and one op here in the same
-- transaction. op_id (UUIDv7) is the idempotency key on the central server; seq orders the push.
-- state: 'pending' until the central acknowledges ('acked') or refuses it ('rejected', shown in
-- the « à traiter » list, never dropped).
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id           TEXT NOT NULL UNIQUE,
    organisation_id TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    op              TEXT NOT NULL,
    payload         TEXT NOT NULL, -- JSON of the entity after the change (tombstone: {"id": …})
    base_version    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
    result          TEXT NOT NULL DEFAULT '',
    done_at         INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox(state, seq);
CREATE INDEX outbox_entity ON outbox(entity, entity_id, state);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
