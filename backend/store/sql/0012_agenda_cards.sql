-- RDV Guichet local schema, version 12: the agenda grid's read model (issue 16, ADR 0017). The
-- grid polls a week of every agenda; reading each RDV's agents, participations and usagers costs
-- four b-tree descents per RDV, a week of a busy office 7 ms. agenda_cards holds, per RDV, what
-- the grid draws, in the order it reads it: one range of one b-tree. The triggers below keep it in
-- the transaction that changes an RDV, its agents, its participations or an usager's name, so it
-- is never behind. A file that already had RDVs is filled beside the window after start-up
-- (store.BuildAgendaCards); until then the grid reads the tables themselves.

-- What a card is, computed from the tables: the triggers and the build write it, the conformance
-- test compares the table with it. agent_ids: the agents' ids by id, separated by char(31);
-- people: per participation in the order added, « last_name char(31) first_name char(31)
-- arrived_at (ms, or '') », separated by char(30) (names hold no control character: Validate
-- refuses them, and replace() keeps the format even for one written by hand).
CREATE VIEW agenda_card_source AS
SELECT r.organisation_id, r.starts_at, r.id AS rdv_id, r.ends_at, coalesce(r.lieu_id, '') AS lieu_id, r.motif_id,
       r.status, r.documents_number,
       coalesce((SELECT group_concat(a.agent_id, char(31))
                 FROM (SELECT agent_id FROM rdv_agents WHERE rdv_id = r.id ORDER BY agent_id) a), '') AS agent_ids,
       coalesce((SELECT group_concat(x.person, char(30))
                 FROM (SELECT replace(replace(u.last_name, char(31), ' '), char(30), ' ') || char(31) ||
                              replace(replace(u.first_name, char(31), ' '), char(30), ' ') || char(31) ||
                              coalesce(p.arrived_at, '') AS person
                       FROM participations p JOIN usagers u ON u.id = p.usager_id
                       WHERE p.rdv_id = r.id ORDER BY p.rowid) x), '') AS people
FROM rdvs r;

CREATE TABLE agenda_cards (
    organisation_id  TEXT NOT NULL,
    starts_at        INTEGER NOT NULL,
    rdv_id           TEXT NOT NULL,
    ends_at          INTEGER NOT NULL,
    lieu_id          TEXT NOT NULL,
    motif_id         TEXT NOT NULL,
    status           TEXT NOT NULL,
    documents_number INTEGER NOT NULL,
    agent_ids        TEXT NOT NULL,
    people           TEXT NOT NULL,
    PRIMARY KEY (organisation_id, starts_at, rdv_id)
) STRICT, WITHOUT ROWID;

-- An RDV's card is written again whole (INSERT OR REPLACE on its key) after any change to what it
-- shows; only a change of the RDV's start or organisation moves the key, so the RDV's own update
-- deletes the old one first.
CREATE TRIGGER agenda_cards_rdv_insert AFTER INSERT ON rdvs
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id = NEW.id;
END;

CREATE TRIGGER agenda_cards_rdv_update AFTER UPDATE OF organisation_id, starts_at, ends_at, lieu_id, motif_id, status, documents_number ON rdvs
BEGIN
    DELETE FROM agenda_cards WHERE organisation_id = OLD.organisation_id AND starts_at = OLD.starts_at AND rdv_id = OLD.id;
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id = NEW.id;
END;

CREATE TRIGGER agenda_cards_rdv_delete AFTER DELETE ON rdvs
BEGIN
    DELETE FROM agenda_cards WHERE organisation_id = OLD.organisation_id AND starts_at = OLD.starts_at AND rdv_id = OLD.id;
END;

CREATE TRIGGER agenda_cards_agent_insert AFTER INSERT ON rdv_agents
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id = NEW.rdv_id;
END;

CREATE TRIGGER agenda_cards_agent_update AFTER UPDATE OF rdv_id, agent_id ON rdv_agents
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id IN (OLD.rdv_id, NEW.rdv_id);
END;

CREATE TRIGGER agenda_cards_agent_delete AFTER DELETE ON rdv_agents
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id = OLD.rdv_id;
END;

CREATE TRIGGER agenda_cards_participation_insert AFTER INSERT ON participations
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id = NEW.rdv_id;
END;

CREATE TRIGGER agenda_cards_participation_update AFTER UPDATE OF rdv_id, usager_id, arrived_at ON participations
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id IN (OLD.rdv_id, NEW.rdv_id);
END;

CREATE TRIGGER agenda_cards_participation_delete AFTER DELETE ON participations
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source WHERE rdv_id = OLD.rdv_id;
END;

CREATE TRIGGER agenda_cards_usager_name AFTER UPDATE OF last_name, first_name ON usagers
BEGIN
    INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source
    WHERE rdv_id IN (SELECT rdv_id FROM participations WHERE usager_id = NEW.id);
END;

-- A file without RDVs has nothing to build: its cards are complete from now on.
INSERT INTO settings(key, value) SELECT 'agenda_cards_built', 'oui' WHERE NOT EXISTS (SELECT 1 FROM rdvs);
