package pgstore

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
)

// The organisation's keys (ADR 0012): the current one, organisations.secret, signs what the
// central issues and goes to every office of the organisation (GET /v1/keys); the former ones,
// organisation_old_keys, still verify what they signed until it has expired.

// keysGrace is how long the offices may still sign with a key once it is rotated: a running
// office asks for the keys hourly (sync/client keysEvery).
const keysGrace = time.Hour

// maxOldKeys bounds the former keys kept: an office takes at most 8 keys (checkin's
// maxOrgKeys), the current one and seven former. A rotation beyond drops the oldest.
const maxOldKeys = 7

// oldKeysKept is the condition on a former key k, at instant $2, that keeps it: retired less
// than keysGrace ago ($3: now - keysGrace), or an RDV of its organisation known to the central
// before the offices picked the next key up has not ended (the furthest convocation or link it
// may have signed). $4 is keysGrace in seconds.
const oldKeysKept = `(k.retired_at > $3::timestamptz OR EXISTS (SELECT 1 FROM rdvs r
	WHERE r.organisation_id = k.organisation_id AND r.starts_at > $2::timestamptz - interval '24 hours' AND r.ends_at > $2::timestamptz
	  AND r.created_at < k.retired_at + make_interval(secs => $4::float8)))`

// orgKeys returns organisation orgID's keys at instant now, current first, then the former ones
// still kept, newest first; none before the organisation's first key is made (OrganisationSecret).
func orgKeys(ctx context.Context, q querier, orgID string, now time.Time) ([][]byte, error) {
	rows, err := q.Query(ctx, `SELECT secret FROM organisations WHERE organisation_id = $1 AND secret IS NOT NULL
		UNION ALL (SELECT k.secret FROM organisation_old_keys k WHERE k.organisation_id = $1 AND `+oldKeysKept+`
		ORDER BY k.retired_at DESC)`, orgID, now, now.Add(-keysGrace), keysGrace.Seconds())
	if err != nil {
		return nil, err
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// OrganisationKeys are organisation orgID's keys, current first (ADR 0012): what its offices
// receive (GET /v1/keys) to sign their convocations and their links to the RDV's page and to
// verify those signed before a rotation. The current key is made at first use.
func (s *Store) OrganisationKeys(ctx context.Context, orgID string) ([][]byte, error) {
	if _, err := s.OrganisationSecret(ctx, orgID); err != nil {
		return nil, err
	}
	keys, err := orgKeys(ctx, s.pool, orgID, s.now())
	return keys, mapErr("pgstore.OrganisationKeys", err)
}

// KeyRotation is what RotateKey did.
type KeyRotation struct {
	Office Office // the office named, revoked or not
	// Kept is the number of former keys still accepted; Dropped those deleted (expired, or
	// every one with now).
	Kept, Dropped int
}

// RotateKey gives the organisation of office officeID a new key (ADR 0012): the current one
// becomes a former key, still accepted for what it signed (oldKeysKept; maxOldKeys at most)
// unless now is set, when every former key is deleted at once — a key that left with a lost PC. The offices receive the
// new list at their next sync; a revoked office never does (its requests are refused). The
// office may be a revoked one: rotating after a revocation is what the key is rotated for.
func (s *Store) RotateKey(ctx context.Context, officeID string, now bool) (KeyRotation, error) {
	const op = "pgstore.RotateKey"
	if !validID(officeID) {
		return KeyRotation{}, notFound(op, "bureau", officeID)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return KeyRotation{}, agenda.E(op, agenda.Other, err)
	}
	var out KeyRotation
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		at := s.now()
		rows, err := tx.Query(ctx, "SELECT "+officeCols+" FROM offices f JOIN organisations o ON o.organisation_id = f.organisation_id WHERE f.id = $1", officeID)
		if err != nil {
			return err
		}
		out = KeyRotation{}
		out.Office, err = pgx.CollectExactlyOneRow(rows, scanOffice)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(op, "bureau", officeID)
		}
		if err != nil {
			return err
		}
		org := out.Office.OrganisationID
		// The organisation's row lock orders two rotations, and a first use of the key.
		var old []byte
		if err := tx.QueryRow(ctx, "SELECT secret FROM organisations WHERE organisation_id = $1 FOR UPDATE", org).Scan(&old); err != nil {
			return err
		}
		if old != nil {
			if _, err := tx.Exec(ctx, "INSERT INTO organisation_old_keys(organisation_id, retired_at, secret) VALUES ($1, $2, $3)", org, at, old); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE organisations SET secret = $2 WHERE organisation_id = $1", org, fresh); err != nil {
			return err
		}
		drop := "DELETE FROM organisation_old_keys k WHERE k.organisation_id = $1 AND NOT " + oldKeysKept
		args := []any{org, at, at.Add(-keysGrace), keysGrace.Seconds()}
		if now {
			drop, args = "DELETE FROM organisation_old_keys WHERE organisation_id = $1", args[:1]
		}
		tag, err := tx.Exec(ctx, drop, args...)
		if err != nil {
			return err
		}
		out.Dropped = int(tag.RowsAffected())
		if tag, err = tx.Exec(ctx, `DELETE FROM organisation_old_keys WHERE organisation_id = $1 AND secret NOT IN
			(SELECT secret FROM organisation_old_keys WHERE organisation_id = $1 ORDER BY retired_at DESC LIMIT $2)`, org, maxOldKeys); err != nil {
			return err
		}
		out.Dropped += int(tag.RowsAffected())
		return tx.QueryRow(ctx, "SELECT count(*) FROM organisation_old_keys WHERE organisation_id = $1", org).Scan(&out.Kept)
	})
	return out, err
}
