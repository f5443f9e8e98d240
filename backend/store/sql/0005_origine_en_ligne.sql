-- One word per concept: an RDV booked on the central's pages has the origine of the plages that
-- sell it, « en_ligne » (it was « online »). The history's authors follow.
UPDATE rdvs SET origine = 'en_ligne' WHERE origine = 'online';
UPDATE rdv_status_history SET by_who = 'en_ligne' WHERE by_who = 'online';
