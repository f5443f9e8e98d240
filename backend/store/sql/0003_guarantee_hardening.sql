-- RDV Guichet local schema, version 3: the guarantee also holds against hand-written SQL that
-- does not go through UPDATE, and against collective sessions changed from the side.

-- An RDV keeps its identity. INSERT OR REPLACE of an existing RDV deletes and re-inserts the row
-- without firing rdvs_sync_agents, so its busy rows would keep the old times (or, with foreign
-- keys on, vanish with the cascade): refused, as is changing an RDV's id.
CREATE TRIGGER rdvs_no_replace BEFORE INSERT ON rdvs
WHEN EXISTS (SELECT 1 FROM rdvs WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM rdv_agents WHERE rdv_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'rdv_identite_figee');
END;

CREATE TRIGGER rdvs_id_fixed BEFORE UPDATE OF id ON rdvs
WHEN NEW.id <> OLD.id
BEGIN
    SELECT RAISE(ABORT, 'rdv_identite_figee');
END;

-- A deleted RDV (the two-year purge) frees its slot and its seats, foreign keys on or off.
CREATE TRIGGER rdvs_delete_frees AFTER DELETE ON rdvs
BEGIN
    DELETE FROM rdv_agents WHERE rdv_id = OLD.id;
    DELETE FROM participations WHERE rdv_id = OLD.id;
END;

-- A seat moved to another session, or re-activated, must fit in that session.
DROP TRIGGER participations_capacity_update;
CREATE TRIGGER participations_capacity_update BEFORE UPDATE OF rdv_id, status ON participations
WHEN NEW.status NOT IN ('excused', 'revoked')
 AND (OLD.status IN ('excused', 'revoked') OR OLD.rdv_id <> NEW.rdv_id)
BEGIN
    SELECT RAISE(ABORT, 'collectif_complet')
    FROM rdvs r
    WHERE r.id = NEW.rdv_id AND r.collectif = 1 AND r.capacity > 0
      AND (SELECT count(*) FROM participations p
           WHERE p.rdv_id = NEW.rdv_id AND p.status NOT IN ('excused', 'revoked')) >= r.capacity;
END;

-- A session's capacity never drops below the seats already taken.
CREATE TRIGGER rdvs_capacity_holds BEFORE UPDATE OF capacity, collectif ON rdvs
WHEN NEW.collectif = 1 AND NEW.capacity > 0
BEGIN
    SELECT RAISE(ABORT, 'capacite_insuffisante')
    WHERE (SELECT count(*) FROM participations p
           WHERE p.rdv_id = NEW.id AND p.status NOT IN ('excused', 'revoked')) > NEW.capacity;
END;
