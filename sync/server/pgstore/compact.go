package pgstore

import (
	"context"
	"strconv"
	"time"

	"rdvguichet/sync/protocol"

	"github.com/jackc/pgx/v5"
)

// The change feed's compaction. Every accepted op adds a change holding the whole row (an RDV's
// every status change repeats the RDV), so the feed grows with the organisation's activity for
// ever. A change superseded by a later change of the same row says nothing an office needs once
// every office has pulled it; CompactFeed deletes those, for the rows no payload names
// (protocol.Unreferenced), below the smallest cursor of the organisation's offices that sync.
//
// An office that does not hold the compaction back — one that has never pulled, or has not
// pulled for longer than idle (a PC switched off for months) — still converges from any cursor:
// each row keeps its latest change, later than the one deleted, and the rows it names keep
// theirs, earlier (ADR 0016).

// DefaultCompactionIdle is how long an office may go without pulling and still hold the
// compaction back.
const DefaultCompactionIdle = 30 * 24 * time.Hour

// CompactReport says what the compaction of one organisation's feed deleted.
type CompactReport struct {
	OrganisationID string `json:"organisationId"`
	// Below is the cursor changes were deleted below (inclusive): the smallest of the offices
	// that hold the compaction back.
	Below   Cursor `json:"below"`
	Changes int    `json:"changes"`
}

// CompactFeed compacts the feed of every organisation with at least one office, not revoked,
// that has pulled within idle (0: DefaultCompactionIdle). Several processes may run it at once:
// they delete the same rows, once.
func (s *Store) CompactFeed(ctx context.Context, idle time.Duration) ([]CompactReport, error) {
	const op = "pgstore.CompactFeed"
	if idle <= 0 {
		idle = DefaultCompactionIdle
	}
	// Each organisation's smallest cursor among the offices that hold the compaction back.
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (organisation_id) organisation_id::text, pulled_txid::text, pulled_seq FROM offices
		WHERE revoked_at IS NULL AND pulled_txid IS NOT NULL AND last_pull_at >= $1
		ORDER BY organisation_id, pulled_txid, pulled_seq`, s.now().Add(-idle))
	if err != nil {
		return nil, mapErr(op, err)
	}
	var reps []CompactReport
	var txid string
	var seq int64
	var org string
	_, err = pgx.ForEachRow(rows, []any{&org, &txid, &seq}, func() error {
		tx, err := strconv.ParseUint(txid, 10, 64)
		reps = append(reps, CompactReport{OrganisationID: org, Below: Cursor{Txid: tx, Seq: seq}})
		return err
	})
	if err != nil {
		return nil, mapErr(op, err)
	}
	var entities []string
	for _, e := range []protocol.Entity{protocol.EntityOrganisation, protocol.EntityLieu, protocol.EntityAgent, protocol.EntityMotif,
		protocol.EntityPlage, protocol.EntityAbsence, protocol.EntityUsager, protocol.EntityRdv, protocol.EntityReceipt} {
		if protocol.Unreferenced(e) {
			entities = append(entities, string(e))
		}
	}
	var out []CompactReport
	for _, rep := range reps {
		err := s.write(ctx, op, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `DELETE FROM changes c
				WHERE c.organisation_id = $1 AND c.entity = ANY($2)
				  AND (c.txid, c.seq) <= ($3::text::xid8, $4)
				  AND EXISTS (SELECT 1 FROM changes n
				              WHERE n.organisation_id = c.organisation_id AND n.entity = c.entity AND n.entity_id = c.entity_id
				                AND (n.txid, n.seq) > (c.txid, c.seq))`,
				rep.OrganisationID, entities, strconv.FormatUint(rep.Below.Txid, 10), rep.Below.Seq)
			rep.Changes = int(tag.RowsAffected())
			return err
		})
		if err != nil {
			return out, err
		}
		out = append(out, rep)
	}
	return out, nil
}
