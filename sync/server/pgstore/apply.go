package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Apply applies one op an office pushed and returns its result: ApplyBatch of one op. A
// failure that says nothing about the op is returned with its code (kind Unavailable) and
// recorded nowhere: the office pushes it again.
func (s *Store) Apply(ctx context.Context, office Office, op protocol.Op) protocol.Result {
	res, err := s.ApplyBatch(ctx, office, []protocol.Op{op})
	if err != nil {
		return protocol.Rejected(op.ID, err)
	}
	return res[0]
}

// Batch bounds: a push is applied in transactions of at most DefaultBatchOps ops, each
// committed once it has run for DefaultBatchTime. The time bound keeps the change feed's horizon
// (the oldest running transaction, ADR 0006) close to now, and the agents' rows a batch locked
// (lockAgents) are not held from online bookings for longer than that. The ops bound stays under
// PostgreSQL's cache of 64 subtransaction ids per backend: each op's savepoint that writes takes
// one, released or not, until the commit; past 64 every other session's snapshot « overflows »
// and its visibility checks go through pg_subtrans, slowing the whole cluster.
const (
	DefaultBatchOps  = 50
	DefaultBatchTime = 200 * time.Millisecond
)

// fastFactor scales the ops bound for the fast path (applyFast): without a savepoint per op the
// subtransaction cache is not at stake, and fewer, larger transactions mean fewer round trips
// and commits. The time bound still holds: 250 usager upserts take some 50 ms on the build
// machine, 250 RDV changes about 200 ms (docs/benchmarks.md, « Sync (issue 11) »).
const fastFactor = 5

// fastFlush is how many ops' statements the fast path queues before it sends them and looks at
// the time.
const fastFlush = 50

// SetBatchLimits sets the bounds of ApplyBatch's transactions (ops ≤ 0 or d ≤ 0: the default).
// ops = 1 is the former behaviour, one transaction per op. Call it before serving.
func (s *Store) SetBatchLimits(ops int, d time.Duration) {
	s.batchOps, s.batchTime = ops, d
}

func (s *Store) limits() (int, time.Duration) {
	ops, d := s.batchOps, s.batchTime
	if ops <= 0 {
		ops = DefaultBatchOps
	}
	if d <= 0 {
		d = DefaultBatchTime
	}
	return ops, d
}

// ApplyBatch applies the ops of one push, in order, and returns their results, each recorded in
// applied_ops under (organisation, op id) in the same transaction as the op's writes: a replayed
// op — the same push sent again after a lost answer, from any process, after any restart — gets
// the stored result and is not applied again.
//
// The ops share transactions (at most DefaultBatchOps ops and DefaultBatchTime each, see
// SetBatchLimits): one commit, one WAL flush, for many ops. Inside a transaction each op first
// inserts its applied_ops row (ON CONFLICT DO NOTHING), then runs under its own savepoint: a
// refused op is rolled back to its savepoint alone and its refusal recorded in its row. Two
// processes applying the same op at once meet on that row's unique key: the second waits for
// the first's transaction to end and then reads its result (or, if it rolled back, applies the
// op itself).
//
// A deadlock or serialization failure in an op rolls back that op alone: the ops before it are
// committed, and the op runs again in a new transaction, after a short random pause (a few
// times). Any other failure that says nothing about the op (the database unavailable, a timeout,
// the request cancelled) ends the batch: the results returned are those committed, for
// ops[:len(results)], and the error (kind Unavailable) says why the rest was not decided; the
// office pushes them again. A failure outside any op's savepoint that is not of that kind (a
// bug) is retried with the op alone in its transaction, whose result is then that refusal,
// unrecorded, as Apply always did.
//
// Settings, usagers and receipts are row upserts (and tombstones): the op's base version must be
// the central's version of the row, or the op is rejected with conflict (a row the central does
// not have yet, or an organisation « office add » created as a placeholder, takes any base).
// The row gets version base + 1, the office's numbering.
//
// RDV ops keep the office's ids and versions. The office owns the slots of its guichet plages:
// its decision stands, the central re-runs no slot rule for them, but the database guarantee
// still holds (the exclusion constraint: slot_taken; the capacity trigger: collectif_full). A
// book or a move onto a slot of an en_ligne plage — sold by the central — is refused with
// canal_en_ligne. status and arrived change neither the times nor the agents (else
// incoherent_change).
//
// Every accepted op appends its row, in the protocol's wire form, to the change feed.
func (s *Store) ApplyBatch(ctx context.Context, office Office, ops []protocol.Op) ([]protocol.Result, error) {
	return s.ApplyDecoded(ctx, office, ops, nil)
}

// ApplyDecoded is ApplyBatch for ops already decoded (values[i] is protocol.Decode(ops[i]), as
// protocol.DecodePushValues returns them): the payloads are not decoded again. values nil:
// ApplyBatch, which decodes them.
func (s *Store) ApplyDecoded(ctx context.Context, office Office, ops []protocol.Op, values []any) ([]protocol.Result, error) {
	const name = "pgstore.Apply"
	out := make([]protocol.Result, 0, len(ops))
	decoded := make([]any, len(ops))
	refused := make([]*protocol.Result, len(ops)) // refused before the database: not recorded
	for i, op := range ops {
		if op.OrganisationID != office.OrganisationID {
			r := protocol.Rejected(op.ID, agenda.Fail(name, agenda.CodeForeignOrganisation, "op", strconv.Itoa(i+1)))
			refused[i] = &r
			continue
		}
		if values != nil {
			decoded[i] = values[i]
			continue
		}
		v, err := protocol.Decode(op)
		if err != nil {
			r := protocol.Rejected(op.ID, err)
			refused[i] = &r
			continue
		}
		decoded[i] = v
	}
	maxOps, maxTime := s.limits()
	// chunkEnd bounds a chunk from i: at most limit ops, and it stops before an op refused before
	// the database (answered on its own above).
	chunkEnd := func(i, limit int) int {
		end := i + 1
		for end < len(ops) && end-i < limit && refused[end] == nil {
			end++
		}
		return end
	}
	// aloneUntil: after a failure outside any op's savepoint that is neither transient nor
	// retryable, the ops of the failed transaction go one per transaction. carefulUntil: the ops
	// of a chunk the fast path gave up on go the careful way, one savepoint each.
	attempts, aloneUntil, carefulUntil := 0, 0, 0
	for len(out) < len(ops) {
		i := len(out)
		if refused[i] != nil {
			out = append(out, *refused[i])
			continue
		}
		alone := i < aloneUntil
		if !alone && i >= carefulUntil {
			end := chunkEnd(i, fastFactor*maxOps)
			if res, ok := s.applyFast(ctx, office, ops[i:end], decoded[i:end], maxTime); ok {
				out = append(out, res...)
				attempts = 0
				continue
			}
			carefulUntil = end
			s.careful.Add(1)
		}
		limit := maxOps
		if alone {
			limit = 1
		}
		end := chunkEnd(i, limit)
		res, err := s.applyChunk(ctx, office, ops[i:end], decoded[i:end], maxTime)
		out = append(out, res...)
		if len(res) > 0 {
			attempts = 0
		}
		if err == nil {
			continue
		}
		mapped := mapErr(name, err)
		switch {
		case retryable(err):
			attempts++
			if attempts >= maxAttempts {
				return out, mapped
			}
			pause := time.Duration(attempts) * time.Duration(1+rand.IntN(10)) * time.Millisecond
			select {
			case <-time.After(pause):
			case <-ctx.Done():
				return out, mapErr(name, ctx.Err())
			}
		case agenda.KindOf(mapped) == agenda.Unavailable:
			return out, mapped
		case alone:
			out = append(out, protocol.Rejected(ops[i].ID, mapped))
		default:
			aloneUntil = end
		}
	}
	// A large push may have outgrown the statistics (refreshStats); small ones do not ask. Only
	// the statistics are at stake: a failure here changes nothing of the push.
	if len(ops) >= statsPush {
		_ = s.refreshStats(ctx)
	}
	return out, nil
}

// CarefulChunks returns how many chunks the fast path (applyFast) gave up on since the store
// was opened: each was applied again the careful way, one savepoint per op.
func (s *Store) CarefulChunks() int64 { return s.careful.Load() }

// errRetryOp marks the op at which a chunk stopped because PostgreSQL aborted it to break a
// deadlock (or a serialization failure): the op was rolled back alone, the ops before it commit.
type errRetryOp struct{ err error }

func (e errRetryOp) Error() string { return e.err.Error() }
func (e errRetryOp) Unwrap() error { return e.err }

// applyChunk applies ops in one transaction, stopping after maxTime, and returns the results of
// the ops it committed. A retryable failure in an op (errRetryOp) commits the ops before it and
// is returned; any other failure rolls the whole transaction back and returns no result.
func (s *Store) applyChunk(ctx context.Context, office Office, ops []protocol.Op, decoded []any, maxTime time.Duration) ([]protocol.Result, error) {
	var res []protocol.Result
	var stop error
	start := time.Now()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		res, stop = res[:0], nil
		for i, op := range ops {
			if i > 0 && time.Since(start) >= maxTime {
				return nil
			}
			r, err := s.applyOne(ctx, tx, office, op, decoded[i])
			var again errRetryOp
			if errors.As(err, &again) {
				stop = again.err
				if i == 0 {
					return stop
				}
				return nil // commit the ops before it
			}
			if err != nil {
				return err
			}
			res = append(res, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, stop
}

// applyOne applies op (decoded payload v) in tx: its applied_ops row first, then the op under a
// savepoint, then its result into its row.
func (s *Store) applyOne(ctx context.Context, tx pgx.Tx, office Office, op protocol.Op, v any) (protocol.Result, error) {
	const name = "pgstore.Apply"
	var res protocol.Result
	tag, err := tx.Exec(ctx, `INSERT INTO applied_ops(organisation_id, op_id, office_id, entity, entity_id, kind, result, applied_at)
		VALUES ($1, $2, $3, $4, $5, $6, '{}', $7) ON CONFLICT (organisation_id, op_id) DO NOTHING`,
		op.OrganisationID, op.ID, office.ID, string(op.Entity), op.EntityID, string(op.Kind), s.now())
	if err != nil {
		return res, err
	}
	if tag.RowsAffected() == 0 { // applied before (or just now, by another process): its result
		var stored []byte
		if err := tx.QueryRow(ctx, "SELECT result FROM applied_ops WHERE organisation_id = $1 AND op_id = $2",
			op.OrganisationID, op.ID).Scan(&stored); err != nil {
			return res, err
		}
		return res, json.Unmarshal(stored, &res)
	}
	sp, err := tx.Begin(ctx) // a savepoint: a refused write undoes the op, not its record
	if err != nil {
		return res, err
	}
	version, err := s.applyOp(ctx, sp, op, v)
	if err != nil {
		if rerr := sp.Rollback(ctx); rerr != nil {
			return res, rerr
		}
		mapped := mapErr(name, err)
		if retryable(err) {
			// Nothing decided: the op's row goes too (it is this transaction's own, uncommitted).
			if _, derr := tx.Exec(ctx, "DELETE FROM applied_ops WHERE organisation_id = $1 AND op_id = $2", op.OrganisationID, op.ID); derr != nil {
				return res, derr
			}
			return res, errRetryOp{err}
		}
		if agenda.KindOf(mapped) == agenda.Unavailable {
			return res, err // nothing decided: nothing recorded (the transaction rolls back)
		}
		res = protocol.Rejected(op.ID, mapped)
	} else {
		if err := sp.Commit(ctx); err != nil {
			return res, err
		}
		res = protocol.Result{OpID: op.ID, Accepted: true, NewVersion: version}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return res, err
	}
	_, err = tx.Exec(ctx, "UPDATE applied_ops SET result = $3 WHERE organisation_id = $1 AND op_id = $2", op.OrganisationID, op.ID, string(b))
	return res, err
}

// Transient reports whether a result says nothing about its op (kind Unavailable: database
// busy or unreachable, interrupted): the op was not recorded and must be pushed again.
func Transient(r protocol.Result) bool {
	return !r.Accepted && r.Code.Kind() == agenda.Unavailable
}

// AppliedResult returns the stored result of op id in organisation org, and false when the op
// was never applied.
func (s *Store) AppliedResult(ctx context.Context, org, opID string) (protocol.Result, bool, error) {
	var res protocol.Result
	if !validID(org) || !validID(opID) {
		return res, false, nil
	}
	var stored []byte
	err := s.pool.QueryRow(ctx, "SELECT result FROM applied_ops WHERE organisation_id = $1 AND op_id = $2", org, opID).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return res, false, nil
	}
	if err != nil {
		return res, false, mapErr("pgstore.AppliedResult", err)
	}
	return res, true, json.Unmarshal(stored, &res)
}

// applyOp applies the decoded payload v of op in tx and returns the row's new version.
func (s *Store) applyOp(ctx context.Context, tx dbtx, op protocol.Op, v any) (int, error) {
	const name = "pgstore.Apply"
	org, base := op.OrganisationID, op.BaseVersion
	invalid := func(err error) (int, error) { return 0, agenda.E(name, agenda.Invalid, err) }
	switch p := v.(type) {
	case protocol.OrganisationV1:
		o, _ := p.Agenda()
		if o = o.Normalized(); o.Validate() != nil {
			return invalid(o.Validate())
		}
		return base + 1, s.applyOrganisation(ctx, tx, o, base)
	case protocol.LieuV1:
		l, _ := p.Agenda()
		if l = l.Normalized(); l.Validate() != nil {
			return invalid(l.Validate())
		}
		return s.applyRow(ctx, tx, "lieux", org, l.ID, base, func(version int) error { return s.writeLieu(ctx, tx, l, version) })
	case protocol.AgentV1:
		a, _ := p.Agenda()
		if a = a.Normalized(); a.Validate() != nil {
			return invalid(a.Validate())
		}
		return s.applyRow(ctx, tx, "agents", org, a.ID, base, func(version int) error { return s.writeAgent(ctx, tx, a, version) })
	case protocol.MotifV1:
		m, _ := p.Agenda()
		if m = m.Normalized(); m.Validate() != nil {
			return invalid(m.Validate())
		}
		return s.applyRow(ctx, tx, "motifs", org, m.ID, base, func(version int) error { return s.writeMotif(ctx, tx, m, version) })
	case protocol.PlageV1:
		pl, err := p.Agenda()
		if err != nil {
			return invalid(err)
		}
		if pl = pl.Normalized(); pl.Validate() != nil {
			return invalid(pl.Validate())
		}
		return s.applyRow(ctx, tx, "plages", org, pl.ID, base, func(version int) error { return s.writePlage(ctx, tx, pl, version) })
	case protocol.AbsenceV1:
		a, err := p.Agenda()
		if err != nil {
			return invalid(err)
		}
		if a = a.Normalized(); a.Validate() != nil {
			return invalid(a.Validate())
		}
		return s.applyRow(ctx, tx, "absences", org, a.ID, base, func(version int) error { return s.writeAbsence(ctx, tx, a, version) })
	case protocol.UsagerV1:
		u, err := p.Agenda()
		if err != nil {
			return invalid(err)
		}
		return s.applyRow(ctx, tx, "usagers", org, u.ID, base, func(version int) error {
			_, err := s.saveUsager(ctx, tx, u, version, agenda.ChangedAt(op.CreatedAt, s.now()))
			return err
		})
	case protocol.ReceiptV1:
		return s.applyRow(ctx, tx, "receipts", org, p.ID, base, func(version int) error {
			b, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO receipts(organisation_id, id, rdv_id, payload, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (organisation_id, id) DO UPDATE SET rdv_id = EXCLUDED.rdv_id, payload = EXCLUDED.payload,
					version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`, org, p.ID, nullID(p.RdvID), string(b), version, s.now()); err != nil {
				return err
			}
			return s.appendChange(ctx, tx, org, protocol.EntityReceipt, p.ID, protocol.OpUpsert, version-1, p)
		})
	case protocol.Tombstone:
		table := map[protocol.Entity]string{protocol.EntityPlage: "plages", protocol.EntityAbsence: "absences"}[op.Entity]
		if table == "" {
			return 0, agenda.Fail(name, agenda.CodeSyncKindUnknown, "op", "1", "entity", string(op.Entity), "kind", string(op.Kind))
		}
		version, err := s.applyRow(ctx, tx, table, org, p.ID, base, func(version int) error {
			if _, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE organisation_id = $1 AND id = $2", org, p.ID); err != nil {
				return err
			}
			return s.appendChange(ctx, tx, org, op.Entity, p.ID, protocol.OpDelete, version-1, p)
		})
		if err == nil {
			wroteRow(tx, table, p.ID, 0, false)
		}
		return version, err
	case protocol.RdvV1:
		r, _ := p.Agenda()
		r = r.Normalized()
		if err := r.Validate(); err != nil {
			return invalid(err)
		}
		if op.Kind == protocol.OpBook && base == 0 {
			return r.Version, s.applyNewRdv(ctx, tx, r)
		}
		return r.Version, s.applyRdvChange(ctx, tx, op.Kind, base, r)
	}
	return 0, agenda.Errorf(name, agenda.Other, "payload %T sans traitement", v)
}

// applyRow checks the base version of a row upsert or delete against the central's row (locked
// until the end of the transaction) and runs write with the row's new version.
func (s *Store) applyRow(ctx context.Context, tx dbtx, table, org, id string, base int, write func(version int) error) (int, error) {
	current, found, err := lockedVersion(ctx, tx, table, org, id)
	switch {
	case err != nil:
		return 0, err
	case found && current != base: // a row the central does not have yet takes any base
		return 0, conflict(current, base)
	}
	if err := write(base + 1); err != nil {
		return 0, err
	}
	wroteRow(tx, table, id, base+1, true)
	return base + 1, nil
}

func conflict(current, base int) error {
	return agenda.Fail("pgstore.Apply", agenda.CodeConflict, "version", strconv.Itoa(current), "base", strconv.Itoa(base))
}

// applyOrganisation writes the office's organisation: over a placeholder whatever its base,
// else with the base version check.
func (s *Store) applyOrganisation(ctx context.Context, tx dbtx, o agenda.Organisation, base int) error {
	var current int
	var placeholder bool
	err := tx.QueryRow(ctx, "SELECT version, placeholder FROM organisations WHERE organisation_id = $1 FOR UPDATE", o.ID).Scan(&current, &placeholder)
	switch {
	case errors.Is(err, pgx.ErrNoRows), err == nil && placeholder:
	case err != nil:
		return err
	case current != base:
		return conflict(current, base)
	}
	_, err = tx.Exec(ctx, `INSERT INTO organisations AS t (organisation_id, name, logo_png, accent_color, time_zone, email, phone,
			holidays_departement, lundi_pentecote_travaille, slot_grid_minutes, buffer_minutes, version, updated_at, placeholder)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, false)
		ON CONFLICT (organisation_id) DO UPDATE SET name = EXCLUDED.name, logo_png = EXCLUDED.logo_png,
			accent_color = EXCLUDED.accent_color, time_zone = EXCLUDED.time_zone, email = EXCLUDED.email, phone = EXCLUDED.phone,
			holidays_departement = EXCLUDED.holidays_departement, lundi_pentecote_travaille = EXCLUDED.lundi_pentecote_travaille,
			slot_grid_minutes = EXCLUDED.slot_grid_minutes, buffer_minutes = EXCLUDED.buffer_minutes,
			version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, placeholder = false`,
		o.ID, o.Name, o.LogoPNG, o.AccentColor, o.TimeZone, o.Email, o.Phone, o.Holidays.Departement,
		o.Holidays.LundiPentecoteTravaille, o.SlotGridMinutes, o.BufferMinutes, base+1, s.now())
	if err != nil {
		return err
	}
	wroteRow(tx, "organisations", o.ID, base+1, true)
	return s.appendChange(ctx, tx, o.ID, protocol.EntityOrganisation, o.ID, protocol.OpUpsert, base, protocol.FromOrganisation(o))
}

// applyNewRdv creates the RDV an office booked, as the office booked it (ids, version, agents,
// participations): the agents' rows are locked first, so that the central's own bookings of them
// wait, and the slot must not be one the central sells.
func (s *Store) applyNewRdv(ctx context.Context, tx dbtx, r agenda.Rdv) error {
	if r.Version < 1 {
		return agenda.Fail("pgstore.Apply", agenda.CodeIncoherent)
	}
	if err := lockAgents(ctx, tx, r.OrganisationID, r.AgentIDs); err != nil {
		return err
	}
	if err := s.checkCanal(ctx, tx, r); err != nil {
		return err
	}
	now := s.now()
	if err := insertRdv(ctx, tx, r, now); err != nil {
		return err
	}
	by := agenda.Sync
	if r.CreatedBy != "" {
		by = agenda.ParseActor(r.CreatedBy)
	}
	if err := history(ctx, tx, r, "", by, now, "", r.Status); err != nil {
		return err
	}
	wroteRdv(tx, r)
	return s.appendChange(ctx, tx, r.OrganisationID, protocol.EntityRdv, r.ID, protocol.OpBook, 0, protocol.FromRdv(r))
}

// applyRdvChange applies a move, a status change, a check-in or seats taken in a collective
// session (book with a base version) to an existing RDV: base must be its version at the
// central; the RDV becomes after.
func (s *Store) applyRdvChange(ctx context.Context, tx dbtx, kind protocol.OpKind, base int, after agenda.Rdv) error {
	const name = "pgstore.Apply"
	org := after.OrganisationID
	before, err := lockRdv(ctx, tx, org, after.ID)
	if err != nil {
		return err
	}
	if before.Version != base {
		return conflict(before.Version, base)
	}
	if after.Version <= base {
		return agenda.Fail(name, agenda.CodeIncoherent)
	}
	sameSlot := before.StartsAt.Equal(after.StartsAt) && before.EndsAt.Equal(after.EndsAt) && before.LieuID == after.LieuID &&
		slices.Equal(slices.Sorted(slices.Values(before.AgentIDs)), slices.Sorted(slices.Values(after.AgentIDs)))
	switch kind {
	case protocol.OpMove:
		if err := lockAgents(ctx, tx, org, append(slices.Clone(before.AgentIDs), after.AgentIDs...)); err != nil {
			return err
		}
		if err := s.checkCanal(ctx, tx, after); err != nil {
			return err
		}
	case protocol.OpBook:
		if !before.Collectif || !sameSlot {
			return agenda.Fail(name, agenda.CodeIncoherent)
		}
	default: // status, arrived
		if !sameSlot {
			return agenda.Fail(name, agenda.CodeIncoherent)
		}
		if before.Status.Cancelled() && !after.Status.Cancelled() {
			if err := lockAgents(ctx, tx, org, before.AgentIDs); err != nil {
				return err
			}
		}
	}
	now := s.now()
	// Another set of agents: their rows are written again from the RDV's. The same agents: the
	// rows follow the RDV's times and status through the trigger rdvs_sync_agents. Either way a
	// move, or a cancelled RDV back on its slot, meets the exclusion constraint.
	sameAgents := slices.Equal(slices.Sorted(slices.Values(before.AgentIDs)), slices.Sorted(slices.Values(after.AgentIDs)))
	if !sameAgents {
		if _, err := tx.Exec(ctx, "DELETE FROM rdv_agents WHERE organisation_id = $1 AND rdv_id = $2", org, after.ID); err != nil {
			return err
		}
	}
	if p, ok := tx.(*pipe); ok {
		p.updateRdv(after, now, !before.Status.Cancelled() && (!sameSlot || after.Status.Cancelled()))
	} else if _, err := tx.Exec(ctx, `UPDATE rdvs SET motif_id = $3, lieu_id = $4, starts_at = $5, ends_at = $6, status = $7, context = $8,
			documents_number = $9, collectif = $10, capacity = $11, cancelled_at = $12, version = $13, updated_at = $14
		WHERE organisation_id = $1 AND id = $2`, org, after.ID, after.MotifID, nullID(after.LieuID), after.StartsAt, after.EndsAt,
		string(after.Status), after.Context, after.DocumentsNumber, after.Collectif, after.Capacity, utcPtr(after.CancelledAt), after.Version, now); err != nil {
		return err
	}
	if !sameAgents {
		if err := insertRdvAgents(ctx, tx, org, after.ID, after.AgentIDs); err != nil {
			return err
		}
	}
	old := make(map[string]agenda.Participation, len(before.Participations))
	for _, p := range before.Participations {
		old[p.UsagerID] = p
	}
	for i, p := range after.Participations {
		o, had := old[p.UsagerID]
		if had && o.Status == p.Status && ptrEqual(o.ArrivedAt, p.ArrivedAt) {
			continue
		}
		// The RDV's row is locked: no one else adds or changes its participations meanwhile.
		if err := writeParticipation(ctx, tx, org, after.ID, p, had, len(before.Participations)+i); err != nil {
			return err
		}
		if !had || o.Status != p.Status {
			if err := history(ctx, tx, after, p.UsagerID, agenda.Sync, now, o.Status, p.Status); err != nil {
				return err
			}
		}
	}
	if before.Status != after.Status {
		if err := history(ctx, tx, after, "", agenda.Sync, now, before.Status, after.Status); err != nil {
			return err
		}
	}
	if !before.StartsAt.Equal(after.StartsAt) || firstOf(before.AgentIDs) != firstOf(after.AgentIDs) {
		if err := moveHistory(ctx, tx, after, agenda.Sync, now, before.StartsAt, firstOf(before.AgentIDs)); err != nil {
			return err
		}
	}
	// An online RDV changed at the counter: the central sends its message (ADR 0007).
	if err := s.planMessages(ctx, tx, &before, after, agenda.Sync); err != nil {
		return err
	}
	wroteRdv(tx, changed(before, after))
	return s.appendChange(ctx, tx, org, protocol.EntityRdv, after.ID, kind, base, protocol.FromRdv(after))
}

// writeParticipation updates a participation the RDV had, or adds it at position.
func writeParticipation(ctx context.Context, tx dbtx, org, rdvID string, p agenda.Participation, had bool, position int) error {
	var err error
	if pp, ok := tx.(*pipe); ok && had {
		pp.updateParticipation(org, rdvID, p)
	} else if had {
		_, err = tx.Exec(ctx, `UPDATE participations SET status = $4, arrived_at = $5
			WHERE organisation_id = $1 AND rdv_id = $2 AND usager_id = $3`, org, rdvID, p.UsagerID, string(p.Status), utcPtr(p.ArrivedAt))
	} else {
		_, err = tx.Exec(ctx, `INSERT INTO participations(organisation_id, rdv_id, usager_id, position, status, arrived_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, org, rdvID, p.UsagerID, position, string(p.Status), utcPtr(p.ArrivedAt))
	}
	return err
}

// changed is the RDV as the rows applyRdvChange wrote hold it: after's columns, before's origin,
// before's participations updated by after's and after's new ones (participations are never
// removed).
func changed(before, after agenda.Rdv) agenda.Rdv {
	r := after
	r.CreatedBy, r.Origine = before.CreatedBy, before.Origine
	news := make(map[string]agenda.Participation, len(after.Participations))
	for _, p := range after.Participations {
		news[p.UsagerID] = p
	}
	r.Participations = make([]agenda.Participation, 0, len(before.Participations)+len(after.Participations))
	had := make(map[string]bool, len(before.Participations))
	for _, p := range before.Participations {
		had[p.UsagerID] = true
		if n, ok := news[p.UsagerID]; ok {
			p.Status, p.ArrivedAt = n.Status, n.ArrivedAt
		}
		r.Participations = append(r.Participations, p)
	}
	for _, p := range after.Participations {
		if !had[p.UsagerID] {
			r.Participations = append(r.Participations, p)
		}
	}
	return r
}

func ptrEqual(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// checkCanal refuses an office's RDV on a slot of an en_ligne plage of one of its agents: the
// central sells those. The plages are expanded by the core (agenda.PlageOuverture.Occurrences,
// what the slot engine expands), in the organisation's zone.
func (s *Store) checkCanal(ctx context.Context, tx dbtx, r agenda.Rdv) error {
	org, err := opOrg(ctx, tx, r.OrganisationID)
	if err != nil {
		return err
	}
	loc, err := org.Location()
	if err != nil {
		return agenda.E("pgstore.Apply", agenda.Other, err)
	}
	dayFrom, dayTo := days(r.StartsAt, r.EndsAt, loc)
	plages, err := enLignePlages(ctx, tx, r.OrganisationID, r.AgentIDs, dayFrom, dayTo)
	if err != nil {
		return err
	}
	from, _ := agenda.ParseDate(dayFrom)
	to, _ := agenda.ParseDate(dayTo)
	for _, p := range plages {
		for _, iv := range p.Occurrences(from, to, loc) {
			if iv.Start.Before(r.EndsAt) && r.StartsAt.Before(iv.End) {
				return agenda.Fail("pgstore.Apply", agenda.CodeCanalEnLigne)
			}
		}
	}
	return nil
}

// opOrg returns the organisation an op is applied in (known to a pipe after its first read).
func opOrg(ctx context.Context, tx dbtx, id string) (agenda.Organisation, error) {
	p, _ := tx.(*pipe)
	if p != nil && p.org != nil && p.org.ID == id {
		return *p.org, nil
	}
	o, err := getOrg(ctx, tx, id)
	if p != nil && err == nil {
		p.org = &o
	}
	return o, err
}

// enLignePlage is an en_ligne plage with the last day checkCanal filters on (NULL: none).
type enLignePlage struct {
	agenda.PlageOuverture
	lastDay string
}

const enLigneQuery = `SELECT p.id::text, p.agent_id::text, p.first_day, coalesce(p.last_day::text, ''), p.start_min, p.end_min, p.recurrence,
		coalesce((SELECT jsonb_agg(jsonb_build_array(e.day, e.cancelled, e.start_min, e.end_min))
			FROM plage_exceptions e WHERE e.organisation_id = p.organisation_id AND e.plage_id = p.id), '[]')
	FROM plages p
	WHERE p.organisation_id = $1 AND p.canal = 'en_ligne'`

// enLignePlages returns the en_ligne plages of agents that meet [dayFrom, dayTo]. A pipe reads
// every en_ligne plage of the organisation once (a few rows) and filters them itself.
func enLignePlages(ctx context.Context, tx dbtx, org string, agents []string, dayFrom, dayTo string) ([]agenda.PlageOuverture, error) {
	var all []enLignePlage
	var err error
	if p, ok := tx.(*pipe); ok {
		if !p.enLoaded {
			if p.enLigne, err = scanEnLigne(tx.Query(ctx, enLigneQuery, org)); err != nil {
				return nil, err
			}
			p.enLoaded = true
		}
		all = p.enLigne
	} else if all, err = scanEnLigne(tx.Query(ctx, enLigneQuery+` AND p.agent_id = ANY($2::uuid[])
			AND p.first_day <= $3::date AND (p.last_day IS NULL OR p.last_day >= $4::date)`, org, agents, dayTo, dayFrom)); err != nil {
		return nil, err
	}
	var out []agenda.PlageOuverture
	for _, p := range all {
		if p.FirstDay.String() <= dayTo && (p.lastDay == "" || p.lastDay >= dayFrom) &&
			slices.ContainsFunc(agents, func(a string) bool { return strings.EqualFold(a, p.AgentID) }) {
			pl := p.PlageOuverture
			pl.OrganisationID = org
			out = append(out, pl)
		}
	}
	return out, nil
}

func scanEnLigne(rows pgx.Rows, err error) ([]enLignePlage, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (enLignePlage, error) {
		var p enLignePlage
		var first time.Time
		var rec, exc []byte
		if err := row.Scan(&p.ID, &p.AgentID, &first, &p.lastDay, &p.Start, &p.End, &rec, &exc); err != nil {
			return p, err
		}
		p.FirstDay, p.Canal = dateOf(first), agenda.CanalEnLigne
		if len(rec) > 0 {
			if err := json.Unmarshal(rec, &p.Recurrence); err != nil {
				return p, fmt.Errorf("plage %s : récurrence illisible : %w", p.ID, err)
			}
		}
		var es [][4]any
		if err := json.Unmarshal(exc, &es); err != nil {
			return p, err
		}
		for _, e := range es {
			d, err := agenda.ParseDate(fmt.Sprint(e[0]))
			if err != nil {
				return p, err
			}
			p.Exceptions = append(p.Exceptions, agenda.Exception{Date: d, Cancelled: e[1] == true,
				Start: agenda.ClockTime(e[2].(float64)), End: agenda.ClockTime(e[3].(float64))})
		}
		return p, nil
	})
}

// applyFast applies ops (none refused before the database) in one transaction without a
// savepoint per op, their statements pipelined (pipe): the chunk's applied_ops rows in one
// statement, the rows and RDVs its ops name locked and read in a few more, then every op's
// writes and results sent together, fastFlush ops at a time; once the transaction has run for
// maxTime it commits the ops it has applied (res is then shorter than ops) and gives back the
// rows of the others. An op the rules refuse before it writes anything (a base
// version behind, an id of another organisation, a slot the central sells…) is recorded as
// refused, as on the careful path. Any failure of the database — a constraint, a deadlock, the
// connection — rolls the whole transaction back and ok is false: nothing of it is recorded, and
// the caller applies the same ops the careful way (applyChunk), one savepoint each.
func (s *Store) applyFast(ctx context.Context, office Office, ops []protocol.Op, decoded []any, maxTime time.Duration) (res []protocol.Result, ok bool) {
	const name = "pgstore.Apply"
	seen := make(map[string]bool, len(ops))
	for _, op := range ops {
		// The same op twice in a chunk (the careful path answers the second from the first's row),
		// or an id PostgreSQL spells otherwise (the rows read back would not match it).
		if seen[op.ID] || !canonicalID(op.ID) {
			return nil, false
		}
		seen[op.ID] = true
	}
	start := time.Now()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		res = make([]protocol.Result, len(ops))
		p := newPipe(tx)
		fresh, err := s.claimOps(ctx, p, office, ops, res)
		if err != nil {
			return err
		}
		if err := prefetch(ctx, p, office.OrganisationID, ops, decoded, fresh); err != nil {
			return err
		}
		var ids, results []string
		done := len(ops)
		for i, op := range ops {
			// Every fastFlush ops the queued statements go, and the chunk stops once it has run
			// for maxTime (as the careful path does, §5): the ops after it are this
			// transaction's no more.
			if i > 0 && i%fastFlush == 0 {
				if err := p.flush(ctx); err != nil {
					return err
				}
				if time.Since(start) >= maxTime {
					done = i
					break
				}
			}
			if !fresh[op.ID] {
				continue // decided before: res[i] is its stored result
			}
			version, err := s.applyOp(ctx, p, op, decoded[i])
			switch {
			case err == nil:
				res[i] = protocol.Result{OpID: op.ID, Accepted: true, NewVersion: version}
			case refusedBeforeWriting(err):
				res[i] = protocol.Rejected(op.ID, mapErr(name, err))
			default:
				return err
			}
			b, err := json.Marshal(res[i])
			if err != nil {
				return err
			}
			ids, results = append(ids, op.ID), append(results, string(b))
		}
		if err := unclaim(ctx, p, office.OrganisationID, ops[done:], fresh); err != nil {
			return err
		}
		res = res[:done]
		// The rows are found by primary key, then updated by their tuple id: a plain join
		// would scan the organisation's every applied op when the statistics are behind.
		if _, err := p.Exec(ctx, `UPDATE applied_ops a SET result = k.result::jsonb
			FROM (SELECT u.result, x.ctid AS row FROM unnest($2::uuid[], $3::text[]) AS u(op_id, result)
				CROSS JOIN LATERAL (SELECT ctid FROM applied_ops WHERE organisation_id = $1 AND op_id = u.op_id LIMIT 1) x) k
			WHERE a.ctid = k.row`, office.OrganisationID, ids, results); err != nil {
			return err
		}
		return p.flush(ctx)
	})
	return res, err == nil
}

// unclaim deletes the applied_ops rows this transaction inserted for ops it leaves to the next
// one: nothing was decided about them.
func unclaim(ctx context.Context, p *pipe, org string, ops []protocol.Op, fresh map[string]bool) error {
	var ids []string
	for _, op := range ops {
		if fresh[op.ID] {
			ids = append(ids, op.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := p.Exec(ctx, `DELETE FROM applied_ops a USING (SELECT x.ctid AS row FROM unnest($2::uuid[]) AS u(op_id)
		CROSS JOIN LATERAL (SELECT ctid FROM applied_ops WHERE organisation_id = $1 AND op_id = u.op_id LIMIT 1) x) k
		WHERE a.ctid = k.row`, org, ids)
	return err
}

// refusedBeforeWriting reports whether an op's error is a refusal of the rules, decided before
// the op wrote anything: a coded error of ours, not the database's.
func refusedBeforeWriting(err error) bool {
	var ae *agenda.Error
	var pe *pgconn.PgError
	return errors.As(err, &ae) && !errors.As(err, &pe) && agenda.KindOf(err) != agenda.Unavailable
}

// claimOps inserts the applied_ops rows of ops in one statement (ON CONFLICT DO NOTHING, as
// applyOne does op by op) and returns the ops whose row it inserted: this transaction applies
// them. The others were decided before, by this process or another: their stored results go
// into res.
func (s *Store) claimOps(ctx context.Context, p *pipe, office Office, ops []protocol.Op, res []protocol.Result) (map[string]bool, error) {
	ids, entities, entityIDs, kinds := make([]string, len(ops)), make([]string, len(ops)), make([]string, len(ops)), make([]string, len(ops))
	for i, op := range ops {
		ids[i], entities[i], entityIDs[i], kinds[i] = op.ID, string(op.Entity), op.EntityID, string(op.Kind)
	}
	rows, err := p.Query(ctx, `INSERT INTO applied_ops(organisation_id, op_id, office_id, entity, entity_id, kind, result, applied_at)
		SELECT $1, u.op_id, $2, u.entity, u.entity_id, u.kind, '{}', $3
		FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[]) AS u(op_id, entity, entity_id, kind)
		ON CONFLICT (organisation_id, op_id) DO NOTHING RETURNING op_id::text`,
		office.OrganisationID, office.ID, s.now(), ids, entities, entityIDs, kinds)
	if err != nil {
		return nil, err
	}
	claimed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	fresh := make(map[string]bool, len(claimed))
	for _, id := range claimed {
		fresh[id] = true
	}
	var replayed []string
	at := make(map[string]int, len(ops))
	for i, op := range ops {
		if !fresh[op.ID] {
			replayed = append(replayed, op.ID)
			at[op.ID] = i
		}
	}
	if len(replayed) == 0 {
		return fresh, nil
	}
	rows, err = p.Query(ctx, `SELECT k.id::text, a.result FROM unnest($2::uuid[]) AS k(id)
		CROSS JOIN LATERAL (SELECT result FROM applied_ops WHERE organisation_id = $1 AND op_id = k.id LIMIT 1) a`,
		office.OrganisationID, replayed)
	if err != nil {
		return nil, err
	}
	var id string
	var stored []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &stored}, func() error {
		return json.Unmarshal(stored, &res[at[id]])
	})
	return fresh, err
}

// rowTables are the tables of the row upserts and tombstones, by entity.
var rowTables = map[protocol.Entity]string{
	protocol.EntityLieu: "lieux", protocol.EntityAgent: "agents", protocol.EntityMotif: "motifs", protocol.EntityPlage: "plages",
	protocol.EntityAbsence: "absences", protocol.EntityUsager: "usagers", protocol.EntityReceipt: "receipts",
}

// prefetch locks and reads, for the whole chunk, what its ops would read one by one: the rows
// their upserts and tombstones name (tables in name order, ids in id order), and the RDVs their
// changes name. Ids not in PostgreSQL's own spelling are left to the ops' own reads.
func prefetch(ctx context.Context, p *pipe, org string, ops []protocol.Op, decoded []any, fresh map[string]bool) error {
	rows := map[string][]string{}
	var rdvs []string
	for i, op := range ops {
		if !fresh[op.ID] || !canonicalID(op.EntityID) {
			continue
		}
		if _, ok := decoded[i].(protocol.RdvV1); ok {
			if op.Kind != protocol.OpBook || op.BaseVersion != 0 {
				rdvs = append(rdvs, op.EntityID)
			}
			continue
		}
		if table := rowTables[op.Entity]; table != "" {
			rows[table] = append(rows[table], op.EntityID)
		}
	}
	for _, table := range slices.Sorted(maps.Keys(rows)) {
		if err := p.prefetchRows(ctx, org, table, rows[table]); err != nil {
			return err
		}
	}
	if len(rdvs) == 0 {
		return nil
	}
	return p.prefetchRdvs(ctx, org, rdvs)
}

// canonicalID reports whether id is a uuid as PostgreSQL writes it (lower case, hyphens).
func canonicalID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}
