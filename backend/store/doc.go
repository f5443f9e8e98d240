// Package store is the office's local database: SQLite through modernc.org/sqlite (pure Go, so
// the Windows binary needs no C toolchain), opened in WAL mode with synchronous=FULL, foreign keys
// on, and an integrity check at every start.
//
// # The booking guarantee
//
// A slot is sold once. Book, Move and SetStatus run in one BEGIN IMMEDIATE transaction (SQLite
// has a single writer, so the check and the insert cannot be interleaved by another writer, even
// from another process), re-check the slot with the créneaux engine on data read in that same
// transaction, then write. The check is only there to give the friendly message: the guarantee
// itself is the rdv_agents triggers (sql/0001_init.sql), which refuse any insert or update that
// would make two active RDVs of one agent or guichet overlap, and any collective RDV beyond its
// capacity, whoever writes (this package, a future migration, a hand-typed SQL statement).
// Those refusals come back as *agenda.Error of kind Conflict: « Ce créneau vient d'être pris. »
//
// rdv_agents denormalises each RDV's times and "active" flag (status neither excused nor
// revoked) per agent, so that the overlap test is one index range scan on (agent_id, starts_at).
// It is kept in step by a trigger on rdvs (rdvs_sync_agents), so that moving or cancelling an RDV
// with plain SQL keeps it right, and triggers refuse rows that disagree with their RDV.
//
// # Storage conventions
//
//   - ids: UUIDv7 TEXT (created offline, kept by the central server);
//   - instants: INTEGER unix milliseconds, UTC. Integers keep the overlap trigger and its index
//     simple and exact (no text format to get wrong across drivers);
//   - civil dates: TEXT 'YYYY-MM-DD'; wall-clock times of day: INTEGER minutes since midnight;
//   - lists and recurrences: JSON TEXT; booleans INTEGER 0/1; tables are STRICT;
//   - an RDV lasts at most 24 h (a CHECK): the trigger uses it to bound its index scan.
//
// # Sync
//
// Every mutation writes, in its own transaction, an outbox row (op_id UUIDv7, entity, entity_id,
// op, payload = the entity after the change as JSON, base_version = the version the change was
// made on). The sync client pushes pending ops in seq order and marks them acked or rejected.
//
// # Time
//
// The store never reads the system clock except through Options.Clock (UUIDv7 ids take their
// own timestamp: they are identity, not order).
package store
