-- rdv-central schema: the rotation of an organisation's key (ADR 0012, rdv-central office
-- rotate-key). organisations.secret stays the current key; a rotation moves it here with the
-- instant it was retired. A former key still verifies what it signed — the convocations' codes,
-- the links in messages, the central's cancel tokens — while an RDV it may have signed has not
-- ended: one known to the central before the offices picked the new key up (an hour after the
-- rotation, pgstore.keysGrace). Expired keys are deleted at the next rotation.
CREATE TABLE organisation_old_keys (
    organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
    retired_at      timestamptz NOT NULL,
    secret          bytea NOT NULL CHECK (length(secret) = 32),
    PRIMARY KEY (organisation_id, secret)
);
