-- rdv-central schema: the online booking pages of each organisation (sync/server/web).

-- slug names the organisation's pages (/<slug>/…): derived once from its name by the central
-- (pgstore.AssignSlugs), then kept, so that a printed address stays valid when the name changes.
-- organisations is small and read by every process: under Citus it is a reference table, where a
-- unique index without organisation_id is allowed.
-- online_enabled is the operator's switch (rdv-central office online --off).
-- secret (32 random bytes, made at first use) signs the check-in code of the convocations the
-- central issues (the office's own secret never leaves the office) and derives the tokens of the
-- cancel links (HMAC), so that a later message can carry a link whose hash alone is stored.
ALTER TABLE organisations
    ADD COLUMN slug           text CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    ADD COLUMN online_enabled boolean NOT NULL DEFAULT true,
    ADD COLUMN secret         bytea CHECK (length(secret) = 32);
CREATE UNIQUE INDEX organisations_slug ON organisations (slug);

-- A cancel link (/r/<token>) is found by its token's hash alone.
CREATE INDEX online_cancel_links_token ON online_cancel_links (token_hash);
