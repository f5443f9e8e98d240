-- RDV Guichet local schema, version 9: plages en transfert (issue 11, « Channels »).
--
-- A plage whose canal changed at the office (guichet ↔ en_ligne) while the office syncs with a
-- central holds the id of its outbox op here until the central answers it: until then neither
-- side sells its slots (agenda.PlageOuverture.Seller). The acknowledgement (RecordPushResults)
-- or a pulled version of the plage clears it. NULL: no transfer.
ALTER TABLE plages_ouverture ADD COLUMN transfer_op TEXT;
-- Every acknowledgement looks its op up here: only the few plages en transfert are indexed.
CREATE INDEX plages_transfer ON plages_ouverture(transfer_op) WHERE transfer_op IS NOT NULL;
