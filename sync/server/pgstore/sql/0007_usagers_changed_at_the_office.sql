-- rdv-central schema, version 7: the office's date of an usager's last change, for the retention.

-- changed_at is when the usager was last created or corrected, by the office's clock
-- (protocol.Op.CreatedAt of its op, agenda.ChangedAt) or by the central's for the usagers it
-- writes itself (online bookings); updated_at stays the time of the central's last write. The
-- retention purge reads changed_at, so an usager uploaded long after the office last changed
-- them goes at the central when it goes at the office. Rows written before this version have
-- none: the purge reads their updated_at.
ALTER TABLE usagers ADD COLUMN changed_at timestamptz;
