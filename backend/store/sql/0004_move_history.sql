-- RDV Guichet local schema, version 4: the RDV's history also records moves (who moved it, when,
-- from which start and agenda to which), not only status changes. A status row keeps these NULL.
ALTER TABLE rdv_status_history ADD COLUMN moved_from_at INTEGER;
ALTER TABLE rdv_status_history ADD COLUMN moved_to_at INTEGER;
ALTER TABLE rdv_status_history ADD COLUMN moved_from_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE rdv_status_history ADD COLUMN moved_to_agent TEXT NOT NULL DEFAULT '';
