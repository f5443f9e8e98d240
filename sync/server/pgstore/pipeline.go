package pgstore

import (
	"context"
	"errors"
	"slices"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// dbtx is where an op's statements run: a transaction, each statement answered before the next
// is sent (the careful path of ApplyBatch, and every other write), or a pipe over one (its fast
// path).
type dbtx interface {
	querier
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// pipe runs the ops of ApplyBatch's fast path (applyFast) with few round trips. Its Exec queues
// the statement and returns at once, with an empty command tag; queued statements go to the
// server in one pipelined batch with the next read (Query, QueryRow) or at flush. A queued
// statement's failure is therefore seen late, by a later statement or op: the fast path takes
// any database failure as the whole transaction's, which it rolls back and applies again the
// careful way.
//
// pipe also holds what the transaction knows without asking: the versions of the rows it read
// up front (prefetch) or wrote, the RDVs it locked or wrote, the organisation and its en_ligne
// plages. These are what the careful path would read at that point of the same transaction —
// the rows are locked, and the ops that could change the rest (a plage, the organisation) clear
// it — so an op decides the same from them.
type pipe struct {
	tx    pgx.Tx
	batch *pgx.Batch

	versions map[rowKey]rowVersion // rows prefetched (locked) or written
	others   map[rowKey]bool       // true: the id names a row of another organisation
	rdvs     map[string]agenda.Rdv // RDVs locked or written, as getRdv would read them
	org      *agenda.Organisation
	enLigne  []enLignePlage // the organisation's en_ligne plages, when enLoaded
	enLoaded bool           // cleared by a write of a plage

	bulk   bulk            // the RDV writes not sent yet, sent set-based
	locked map[string]bool // agents locked by this transaction
}

type rowKey struct{ table, id string }

type rowVersion struct {
	version int
	found   bool
}

func newPipe(tx pgx.Tx) *pipe {
	return &pipe{tx: tx, batch: &pgx.Batch{}, versions: map[rowKey]rowVersion{}, others: map[rowKey]bool{},
		rdvs: map[string]agenda.Rdv{}, locked: map[string]bool{}}
}

// Exec queues a statement after the pending RDV writes (bulk). Its command tag is empty: the
// fast path's callers never read it.
func (p *pipe) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	p.bulk.emitWrites(p.batch)
	p.batch.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

// Query sends the queued statements and the query in one batch, and returns the query's rows
// once the statements before it succeeded.
func (p *pipe) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	p.bulk.emitWrites(p.batch)
	queued := p.batch.Len()
	p.batch.Queue(sql, args...)
	br := p.tx.SendBatch(ctx, p.batch)
	p.batch = &pgx.Batch{}
	for range queued {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, err
		}
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &pipeRows{Rows: rows, br: br}, nil
}

// QueryRow is Query for one row.
func (p *pipe) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := p.Query(ctx, sql, args...)
	return pipeRow{rows: rows, err: err}
}

// flush sends the queued statements and waits for their answers.
func (p *pipe) flush(ctx context.Context) error {
	p.bulk.emitWrites(p.batch)
	p.bulk.emitAppends(p.batch)
	if p.batch.Len() == 0 {
		return nil
	}
	err := p.tx.SendBatch(ctx, p.batch).Close()
	p.batch = &pgx.Batch{}
	return err
}

// pipeRows closes the batch with the rows: the connection is free again.
type pipeRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *pipeRows) Close() {
	r.Rows.Close()
	r.br.Close()
}

type pipeRow struct {
	rows pgx.Rows
	err  error
}

func (r pipeRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// The reads of a chunk's rows join the ids (unnest) to LATERAL subqueries that LIMIT or OFFSET
// keeps from being flattened: one primary-key lookup per id, whatever the table's statistics say.
// A table filled since its last ANALYZE (an office's first sync) otherwise gets a plan that scans
// every row of the organisation for each chunk.

// prefetchRows locks the rows of table the chunk's ops name (in id order, as applyRow would one
// by one) and reads their versions, and which of the ids another organisation uses: two reads
// for the whole chunk instead of two per op.
func (p *pipe) prefetchRows(ctx context.Context, org, table string, ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	rows, err := p.Query(ctx, `SELECT k.id::text, t.version FROM unnest($2::uuid[]) AS k(id)
		CROSS JOIN LATERAL (SELECT version FROM `+table+` WHERE organisation_id = $1 AND id = k.id LIMIT 1 FOR UPDATE) t`, org, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p.versions[rowKey{table, id}] = rowVersion{}
	}
	var id string
	var v int
	if _, err := pgx.ForEachRow(rows, []any{&id, &v}, func() error {
		p.versions[rowKey{table, id}] = rowVersion{version: v, found: true}
		return nil
	}); err != nil {
		return err
	}
	rows, err = p.Query(ctx, `SELECT k.id::text FROM unnest($2::uuid[]) AS k(id)
		CROSS JOIN LATERAL (SELECT FROM `+table+` WHERE id = k.id AND organisation_id <> $1 LIMIT 1) t`, org, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p.others[rowKey{table, id}] = false
	}
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		p.others[rowKey{table, id}] = true
		return nil
	})
	return err
}

// prefetchRdvs locks the RDVs the chunk's changes name, in id order, and reads them.
func (p *pipe) prefetchRdvs(ctx context.Context, org string, ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	rs, err := loadRdvs(ctx, p, org, `SELECT `+rdvCols+` FROM unnest($2::uuid[]) AS k(id)
		CROSS JOIN LATERAL (SELECT * FROM rdvs WHERE organisation_id = $1 AND id = k.id LIMIT 1 FOR NO KEY UPDATE) r`, org, ids)
	if err != nil {
		return err
	}
	for _, r := range rs {
		p.rdvs[r.ID] = r
	}
	return nil
}

// lockedVersion returns the version of row id of table, locked until the end of the
// transaction (found false: the central has no such row).
func lockedVersion(ctx context.Context, tx dbtx, table, org, id string) (int, bool, error) {
	p, _ := tx.(*pipe)
	if p != nil {
		if v, ok := p.versions[rowKey{table, id}]; ok {
			return v.version, v.found, nil
		}
	}
	var current int
	err := tx.QueryRow(ctx, "SELECT version FROM "+table+" WHERE organisation_id = $1 AND id = $2 FOR UPDATE", org, id).Scan(&current)
	found := err == nil
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	if p != nil && err == nil {
		p.versions[rowKey{table, id}] = rowVersion{version: current, found: found}
	}
	return current, found, err
}

// usedElsewhere reports whether id names a row of table in another organisation.
func usedElsewhere(ctx context.Context, tx dbtx, table, org, id string) (bool, error) {
	p, _ := tx.(*pipe)
	if p != nil {
		if other, ok := p.others[rowKey{table, id}]; ok {
			return other, nil
		}
	}
	var other bool
	err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1 AND organisation_id <> $2)", id, org).Scan(&other)
	return other, err
}

// wroteRow records that row id of table now has version (found false: deleted). A plage written
// or deleted clears the en_ligne plages known; the organisation written, its zone.
func wroteRow(tx dbtx, table, id string, version int, found bool) {
	p, ok := tx.(*pipe)
	if !ok {
		return
	}
	p.versions[rowKey{table, id}] = rowVersion{version: version, found: found}
	switch table {
	case "plages":
		p.enLigne, p.enLoaded = nil, false
	case "organisations":
		p.org = nil
	}
}

// wroteRdv records an RDV as the transaction now holds it.
func wroteRdv(tx dbtx, r agenda.Rdv) {
	if p, ok := tx.(*pipe); ok {
		p.rdvs[r.ID] = stored(r)
	}
}

// stored is r as getRdv reads it back: instants in UTC to the microsecond (PostgreSQL's
// precision), agents in id order.
func stored(r agenda.Rdv) agenda.Rdv {
	micro := func(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
	microPtr := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := micro(*t)
		return &u
	}
	r.StartsAt, r.EndsAt, r.CancelledAt = micro(r.StartsAt), micro(r.EndsAt), microPtr(r.CancelledAt)
	r.AgentIDs = slices.Sorted(slices.Values(r.AgentIDs))
	ps := make([]agenda.Participation, len(r.Participations))
	for i, p := range r.Participations {
		p.ArrivedAt = microPtr(p.ArrivedAt)
		ps[i] = p
	}
	r.Participations = ps
	return r
}

// cachedRdv returns a copy of an RDV the transaction already holds.
func cachedRdv(tx dbtx, id string) (agenda.Rdv, bool) {
	p, ok := tx.(*pipe)
	if !ok {
		return agenda.Rdv{}, false
	}
	r, ok := p.rdvs[id]
	if !ok {
		return r, false
	}
	r.AgentIDs = slices.Clone(r.AgentIDs)
	r.Participations = slices.Clone(r.Participations)
	return r, true
}

// newRdv queues the rows of a new RDV (set-based, see bulk).
func (p *pipe) newRdv(r agenda.Rdv, now time.Time) {
	if !p.bulk.newRdv(r, now) {
		p.bulk.emitWrites(p.batch)
		p.bulk.newRdv(r, now)
	}
}

// updateRdv queues the update of an RDV's columns to r's (frees: the change frees a slot).
func (p *pipe) updateRdv(r agenda.Rdv, now time.Time, frees bool) {
	if !p.bulk.updateRdv(r, now, frees) {
		p.bulk.emitWrites(p.batch)
		p.bulk.updateRdv(r, now, frees)
	}
}

// updateParticipation queues the update of a participation's status and arrival.
func (p *pipe) updateParticipation(org, rdv string, v agenda.Participation) {
	if !p.bulk.updateParticipation(org, rdv, v) {
		p.bulk.emitWrites(p.batch)
		p.bulk.updateParticipation(org, rdv, v)
	}
}

// lockAgents queues the row locks of the agents the transaction has not locked yet, ahead of
// the pending RDV writes: a lock taken earlier in the same transaction changes nothing they do.
func (p *pipe) lockAgents(org string, ids []string) {
	ids = slices.DeleteFunc(ids, func(id string) bool { return p.locked[id] })
	if len(ids) == 0 {
		return
	}
	for _, id := range ids {
		p.locked[id] = true
	}
	p.batch.Queue(lockAgentsQuery, org, ids)
}
