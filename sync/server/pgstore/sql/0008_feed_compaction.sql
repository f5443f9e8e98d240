-- rdv-central schema, version 8: where each office has pulled the feed up to, for its compaction.

-- (pulled_txid, pulled_seq) is the cursor of the office's last recorded pull (pgstore.Cursor):
-- what the office had applied when it asked for more, recorded with last_pull_at (at most every
-- 5 s, so a little behind, never ahead). pgstore.CompactFeed deletes superseded changes only
-- below the smallest of these among the organisation's offices that sync. NULL: never pulled.
ALTER TABLE offices ADD COLUMN pulled_txid xid8, ADD COLUMN pulled_seq bigint;
