-- rdv-central schema, version 1: the agendas of many organisations, and the change feed.
--
-- Conventions:
--   * multi-tenant and Citus-ready: every table carries organisation_id (the distribution key),
--     every primary key, unique and exclusion constraint includes it, and every foreign key goes
--     through it (an RDV of one organisation can never point at an agent of another);
--   * ids are uuid (UUIDv7, created offline by the offices and kept as they are);
--   * instants are timestamptz; civil dates are date; wall-clock times of day are integer minutes
--     since midnight (*_min); recurrences are jsonb (agenda.Recurrence), NULL for a single day;
--   * every synchronised entity carries version (1 on insert, + 1 on each change) and updated_at.
-- The rules are the Go core's (backend/booking, backend/creneaux): this schema holds the last
-- line of the booking guarantee (the exclusion constraint on rdv_agents, the capacity trigger on
-- participations), nothing more.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE organisations (
    organisation_id           uuid PRIMARY KEY,
    name                      text NOT NULL,
    logo_png                  bytea,
    accent_color              text NOT NULL DEFAULT '',
    time_zone                 text NOT NULL DEFAULT 'Europe/Paris',
    email                     text NOT NULL DEFAULT '',
    phone                     text NOT NULL DEFAULT '',
    holidays_departement      text NOT NULL DEFAULT '',
    lundi_pentecote_travaille boolean NOT NULL DEFAULT false,
    slot_grid_minutes         integer NOT NULL DEFAULT 0,
    buffer_minutes            integer NOT NULL DEFAULT 0,
    version                   integer NOT NULL DEFAULT 1,
    updated_at                timestamptz NOT NULL
);

CREATE TABLE lieux (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    name            text NOT NULL,
    street          text NOT NULL DEFAULT '',
    postal_code     text NOT NULL DEFAULT '',
    city            text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    accessibility   text NOT NULL DEFAULT '',
    enabled         boolean NOT NULL DEFAULT true,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX lieux_id ON lieux (id);

-- agents holds people (kind 'agent', with a login) and guichets / DR (kind 'guichet'). No
-- password: the central never sees the offices' sign-in secrets.
CREATE TABLE agents (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('agent', 'guichet')),
    name            text NOT NULL,
    email           text NOT NULL DEFAULT '',
    login           text NOT NULL DEFAULT '',
    role            text NOT NULL DEFAULT 'agent',
    active          boolean NOT NULL DEFAULT true,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX agents_id ON agents (id);
CREATE UNIQUE INDEX agents_login ON agents (organisation_id, login) WHERE login <> '';

CREATE TABLE motifs (
    organisation_id    uuid NOT NULL REFERENCES organisations (organisation_id),
    id                 uuid NOT NULL,
    name               text NOT NULL,
    color              text NOT NULL DEFAULT '',
    duration_min       integer NOT NULL,
    location_type      text NOT NULL DEFAULT 'public_office',
    min_public_delay_s bigint NOT NULL DEFAULT 1800,
    max_public_delay_s bigint NOT NULL DEFAULT 7889238,
    bookable_kiosk     boolean NOT NULL DEFAULT false,
    bookable_online    boolean NOT NULL DEFAULT false,
    collectif          boolean NOT NULL DEFAULT false,
    capacity           integer NOT NULL DEFAULT 0,
    pieces             jsonb NOT NULL DEFAULT '[]',
    instructions       text NOT NULL DEFAULT '',
    ants_category      text NOT NULL DEFAULT '',
    archived           boolean NOT NULL DEFAULT false,
    version            integer NOT NULL DEFAULT 1,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id)
);
CREATE INDEX motifs_id ON motifs (id);

-- plages: last_day is the recurrence's last possible day (NULL = open-ended), so that a range
-- query pre-filters without expanding recurrences. canal says who sells the slots: the office
-- (guichet) or this server (en_ligne).
CREATE TABLE plages (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    agent_id        uuid NOT NULL,
    lieu_id         uuid,
    title           text NOT NULL DEFAULT '',
    first_day       date NOT NULL,
    last_day        date,
    start_min       integer NOT NULL,
    end_min         integer NOT NULL,
    recurrence      jsonb,
    canal           text NOT NULL DEFAULT 'guichet' CHECK (canal IN ('guichet', 'en_ligne')),
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, agent_id) REFERENCES agents (organisation_id, id),
    FOREIGN KEY (organisation_id, lieu_id) REFERENCES lieux (organisation_id, id)
);
CREATE INDEX plages_id ON plages (id);
CREATE INDEX plages_range ON plages (organisation_id, first_day, last_day);
CREATE INDEX plages_agent ON plages (organisation_id, agent_id);

CREATE TABLE plage_motifs (
    organisation_id uuid NOT NULL,
    plage_id        uuid NOT NULL,
    motif_id        uuid NOT NULL,
    PRIMARY KEY (organisation_id, plage_id, motif_id),
    FOREIGN KEY (organisation_id, plage_id) REFERENCES plages (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, motif_id) REFERENCES motifs (organisation_id, id)
);
CREATE INDEX plage_motifs_motif ON plage_motifs (organisation_id, motif_id, plage_id);

-- One occurrence of a plage cancelled or held at other times.
CREATE TABLE plage_exceptions (
    organisation_id uuid NOT NULL,
    plage_id        uuid NOT NULL,
    day             date NOT NULL,
    cancelled       boolean NOT NULL DEFAULT false,
    start_min       integer NOT NULL DEFAULT 0,
    end_min         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, plage_id, day),
    FOREIGN KEY (organisation_id, plage_id) REFERENCES plages (organisation_id, id) ON DELETE CASCADE
);

-- absences: last_day as for plages (end_day for a multi-day absence, recurrence end otherwise).
CREATE TABLE absences (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    id              uuid NOT NULL,
    agent_id        uuid NOT NULL,
    title           text NOT NULL DEFAULT '',
    first_day       date NOT NULL,
    end_day         date,
    last_day        date,
    start_min       integer NOT NULL,
    end_min         integer NOT NULL,
    recurrence      jsonb,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, agent_id) REFERENCES agents (organisation_id, id)
);
CREATE INDEX absences_id ON absences (id);
CREATE INDEX absences_agent ON absences (organisation_id, agent_id, first_day, last_day);

CREATE TABLE usagers (
    organisation_id  uuid NOT NULL REFERENCES organisations (organisation_id),
    id               uuid NOT NULL,
    first_name       text NOT NULL DEFAULT '',
    last_name        text NOT NULL DEFAULT '',
    birth_name       text NOT NULL DEFAULT '',
    birth_date       date,
    phone            text NOT NULL DEFAULT '', -- E.164
    email            text NOT NULL DEFAULT '',
    notify_sms       boolean NOT NULL DEFAULT true,
    notify_email     boolean NOT NULL DEFAULT true,
    responsible_id   uuid,
    ants_pre_demande text NOT NULL DEFAULT '',
    version          integer NOT NULL DEFAULT 1,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, responsible_id) REFERENCES usagers (organisation_id, id)
);
CREATE INDEX usagers_id ON usagers (id);
CREATE INDEX usagers_name ON usagers (organisation_id, last_name, first_name);

-- An RDV lasts at most 24 hours, as at the office.
CREATE TABLE rdvs (
    organisation_id  uuid NOT NULL REFERENCES organisations (organisation_id),
    id               uuid NOT NULL,
    motif_id         uuid NOT NULL,
    lieu_id          uuid,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'unknown'
                     CHECK (status IN ('unknown', 'seen', 'noshow', 'excused', 'revoked')),
    context          text NOT NULL DEFAULT '',
    documents_number integer NOT NULL DEFAULT 0,
    collectif        boolean NOT NULL DEFAULT false,
    capacity         integer NOT NULL DEFAULT 0,
    created_by       text NOT NULL DEFAULT '',
    origine          text NOT NULL DEFAULT 'guichet',
    cancelled_at     timestamptz,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, motif_id) REFERENCES motifs (organisation_id, id),
    FOREIGN KEY (organisation_id, lieu_id) REFERENCES lieux (organisation_id, id),
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours')
);
CREATE INDEX rdvs_id ON rdvs (id);
CREATE INDEX rdvs_motif_start ON rdvs (organisation_id, motif_id, starts_at);
CREATE INDEX rdvs_start ON rdvs (organisation_id, starts_at);

-- rdv_agents: one row per (RDV, agent or guichet) with the RDV's times and whether it holds its
-- slot (active = status neither excused nor revoked). Rows are written by copying from rdvs,
-- kept in step by rdvs_sync_agents, and refused by rdv_agents_coherent when they disagree.
--
-- THE GUARANTEE: two active RDVs of one agent (or guichet) never overlap. Ranges are half-open
-- [starts_at, ends_at), so back-to-back RDVs are allowed. The gist index behind the constraint
-- also serves the busy-time reads of the booking path.
CREATE TABLE rdv_agents (
    organisation_id uuid NOT NULL,
    rdv_id          uuid NOT NULL,
    agent_id        uuid NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    active          boolean NOT NULL,
    PRIMARY KEY (organisation_id, rdv_id, agent_id),
    FOREIGN KEY (organisation_id, rdv_id) REFERENCES rdvs (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, agent_id) REFERENCES agents (organisation_id, id),
    CONSTRAINT rdv_agents_no_overlap EXCLUDE USING gist (
        organisation_id WITH =,
        agent_id WITH =,
        tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (active)
);

CREATE FUNCTION rdv_agents_coherent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM rdvs r
        WHERE r.organisation_id = NEW.organisation_id AND r.id = NEW.rdv_id
          AND r.starts_at = NEW.starts_at AND r.ends_at = NEW.ends_at
          AND (r.status NOT IN ('excused', 'revoked')) = NEW.active) THEN
        RAISE EXCEPTION 'rdv_agents_incoherent' USING ERRCODE = 'RG003';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER rdv_agents_coherent BEFORE INSERT OR UPDATE ON rdv_agents
    FOR EACH ROW EXECUTE FUNCTION rdv_agents_coherent();

-- Keeps rdv_agents in step with its RDV inside the statement that changes the RDV: moving or
-- re-activating an RDV onto a taken slot fails on the exclusion constraint, and the whole
-- UPDATE is undone.
CREATE FUNCTION rdvs_sync_agents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rdv_agents
    SET starts_at = NEW.starts_at,
        ends_at = NEW.ends_at,
        active = (NEW.status NOT IN ('excused', 'revoked'))
    WHERE organisation_id = NEW.organisation_id AND rdv_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER rdvs_sync_agents AFTER UPDATE OF starts_at, ends_at, status ON rdvs
    FOR EACH ROW EXECUTE FUNCTION rdvs_sync_agents();

-- An RDV keeps its identity and its organisation.
CREATE FUNCTION rdvs_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.organisation_id <> OLD.organisation_id THEN
        RAISE EXCEPTION 'rdv_identite_figee' USING ERRCODE = 'RG003';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER rdvs_identity_fixed BEFORE UPDATE OF id, organisation_id ON rdvs
    FOR EACH ROW EXECUTE FUNCTION rdvs_identity_fixed();

-- participations: position keeps the order in which usagers were added.
CREATE TABLE participations (
    organisation_id uuid NOT NULL,
    rdv_id          uuid NOT NULL,
    usager_id       uuid NOT NULL,
    position        integer NOT NULL,
    status          text NOT NULL DEFAULT 'unknown'
                    CHECK (status IN ('unknown', 'seen', 'noshow', 'excused', 'revoked')),
    arrived_at      timestamptz,
    PRIMARY KEY (organisation_id, rdv_id, usager_id),
    FOREIGN KEY (organisation_id, rdv_id) REFERENCES rdvs (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, usager_id) REFERENCES usagers (organisation_id, id)
);
CREATE INDEX participations_usager ON participations (organisation_id, usager_id);

-- A collective RDV (atelier) never holds more active participations than its capacity (0 =
-- unlimited). The RDV's row is locked first, so that two seats taken at once are counted one
-- after the other: under READ COMMITTED the count runs after the lock, on a fresh snapshot.
CREATE FUNCTION participations_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    coll boolean;
    cap  integer;
    taken integer;
BEGIN
    IF NEW.status IN ('excused', 'revoked') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status NOT IN ('excused', 'revoked') AND OLD.rdv_id = NEW.rdv_id THEN
        RETURN NEW;
    END IF;
    SELECT r.collectif, r.capacity INTO coll, cap FROM rdvs r
    WHERE r.organisation_id = NEW.organisation_id AND r.id = NEW.rdv_id
    FOR NO KEY UPDATE;
    IF NOT coalesce(coll, false) OR cap <= 0 THEN
        RETURN NEW;
    END IF;
    SELECT count(*) INTO taken FROM participations p
    WHERE p.organisation_id = NEW.organisation_id AND p.rdv_id = NEW.rdv_id
      AND p.status NOT IN ('excused', 'revoked') AND p.usager_id <> NEW.usager_id;
    IF taken >= cap THEN
        RAISE EXCEPTION 'collectif_complet' USING ERRCODE = 'RG001';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER participations_capacity BEFORE INSERT OR UPDATE OF rdv_id, status ON participations
    FOR EACH ROW EXECUTE FUNCTION participations_capacity();

-- A session's capacity never drops below the seats already taken.
CREATE FUNCTION rdvs_capacity_holds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.collectif AND NEW.capacity > 0 AND (
        SELECT count(*) FROM participations p
        WHERE p.organisation_id = NEW.organisation_id AND p.rdv_id = NEW.id
          AND p.status NOT IN ('excused', 'revoked')) > NEW.capacity THEN
        RAISE EXCEPTION 'capacite_insuffisante' USING ERRCODE = 'RG002';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER rdvs_capacity_holds BEFORE UPDATE OF capacity, collectif ON rdvs
    FOR EACH ROW EXECUTE FUNCTION rdvs_capacity_holds();

-- Audit trail of an RDV: status changes (usager_id NULL for the RDV's own status, else the
-- participation's) and moves (moved_* set).
CREATE TABLE rdv_history (
    organisation_id  uuid NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    rdv_id           uuid NOT NULL,
    usager_id        uuid,
    by_who           text NOT NULL,
    at               timestamptz NOT NULL,
    from_status      text NOT NULL,
    to_status        text NOT NULL,
    moved_from_at    timestamptz,
    moved_to_at      timestamptz,
    moved_from_agent text NOT NULL DEFAULT '',
    moved_to_agent   text NOT NULL DEFAULT '',
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, rdv_id) REFERENCES rdvs (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX rdv_history_rdv ON rdv_history (organisation_id, rdv_id, id);

-- The change feed: every write appends here in its own transaction, numbered by one server
-- sequence (order comes from the server, never from device clocks). payload is the entity after
-- the change (a tombstone {"id": …} for a deletion); base_version is the version it was based on.
-- txid is the writing transaction. A sequence number is taken at the write but visible only at
-- commit, so a reader goes in (txid, seq) order and only up to the oldest transaction still
-- running (txid < pg_snapshot_xmin(pg_current_snapshot())): past that horizon no change can
-- appear any more, and a cursor (txid, seq) skips nothing.
CREATE SEQUENCE changes_seq AS bigint;

CREATE TABLE changes (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    seq             bigint NOT NULL DEFAULT nextval('changes_seq'),
    entity          text NOT NULL,
    entity_id       uuid NOT NULL,
    kind            text NOT NULL,
    base_version    integer NOT NULL DEFAULT 0,
    payload         jsonb NOT NULL,
    at              timestamptz NOT NULL,
    txid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (organisation_id, seq)
);
CREATE INDEX changes_feed ON changes (organisation_id, txid, seq);
CREATE INDEX changes_entity ON changes (organisation_id, entity, entity_id, seq);
