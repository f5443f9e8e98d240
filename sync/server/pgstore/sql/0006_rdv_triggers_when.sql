-- rdv-central schema, version 4: the triggers of rdvs wake only when they have something to do.

-- The triggers of rdvs run only when they have something to do (issue 11: an office's first sync
-- sends tens of thousands of status changes, and each woke two PL/pgSQL functions for nothing).
--
-- rdvs_sync_agents copies the RDV's times and whether it holds its slot into rdv_agents: when
-- none of the three changes, the rows already hold them (rdv_agents_coherent sees to it).
DROP TRIGGER rdvs_sync_agents ON rdvs;
CREATE TRIGGER rdvs_sync_agents AFTER UPDATE OF starts_at, ends_at, status ON rdvs
    FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.ends_at IS DISTINCT FROM NEW.ends_at
          OR (OLD.status IN ('excused', 'revoked')) IS DISTINCT FROM (NEW.status IN ('excused', 'revoked')))
    EXECUTE FUNCTION rdvs_sync_agents();

-- rdvs_capacity_holds checks only collective sessions with a capacity: its function returns at
-- once for the others.
DROP TRIGGER rdvs_capacity_holds ON rdvs;
CREATE TRIGGER rdvs_capacity_holds BEFORE UPDATE OF capacity, collectif ON rdvs
    FOR EACH ROW
    WHEN (NEW.collectif AND NEW.capacity > 0)
    EXECUTE FUNCTION rdvs_capacity_holds();
