-- rdv-central schema, version 3: the cancel links of online bookings.

-- One row per seat booked online (the RDV, or a seat of a collective session, and its usager):
-- the SHA-256 of the secret token of the usager's cancel link, never the token itself (32 random
-- bytes, given once in the booking's answer). The row goes with its RDV.
CREATE TABLE online_cancel_links (
    organisation_id uuid NOT NULL,
    rdv_id          uuid NOT NULL,
    usager_id       uuid NOT NULL,
    token_hash      bytea NOT NULL CHECK (length(token_hash) = 32),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, rdv_id, usager_id),
    FOREIGN KEY (organisation_id, rdv_id) REFERENCES rdvs (organisation_id, id) ON DELETE CASCADE
);
