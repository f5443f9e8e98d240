package pgstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
)

// Office is an office that syncs with the central: its poste principal, with one bearer token.
// The token itself is never stored: only its SHA-256.
type Office struct {
	OrganisationID string
	ID             string
	Name           string
	CreatedAt      time.Time
	RevokedAt      *time.Time
	LastPushAt     *time.Time
	LastPullAt     *time.Time
	// Placeholder is set while the office's organisation is the row « office add » created, not
	// yet replaced by the office's own organisation upsert.
	Placeholder bool
	// Slug names the organisation's online booking pages (/<slug>/); "" until its first push.
	Slug string
	// Online is the operator's switch of those pages (rdv-central office online).
	Online bool
}

// Revoked reports whether the office's token has been revoked.
func (o Office) Revoked() bool { return o.RevokedAt != nil }

// tokenBytes is the size of an office's token before encoding: 256 random bits.
const tokenBytes = 32

// placeholderName is the name of an organisation created by AddOffice before its office pushed.
const placeholderName = "(organisation en attente de la première synchronisation)"

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// AddOffice registers an office of organisation orgID and returns it with its token, which is
// shown once and never stored (only its hash is). When the organisation does not exist yet at
// the central, a placeholder row is created; the office's first push replaces it with its own
// organisation upsert.
func (s *Store) AddOffice(ctx context.Context, orgID, name string) (Office, string, error) {
	const op = "pgstore.AddOffice"
	if !validID(orgID) {
		return Office{}, "", agenda.Errorf(op, agenda.Invalid, "identifiant d’organisation %q invalide (UUID attendu)", orgID)
	}
	name = strings.TrimSpace(agenda.NormalizeName(name))
	if name == "" {
		return Office{}, "", agenda.Errorf(op, agenda.Invalid, "nom du bureau manquant")
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return Office{}, "", agenda.E(op, agenda.Other, err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	o := Office{OrganisationID: orgID, ID: newID(), Name: name, CreatedAt: s.now()}
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO organisations(organisation_id, name, placeholder, version, updated_at)
			VALUES ($1, $2, true, 0, $3) ON CONFLICT (organisation_id) DO NOTHING`, orgID, placeholderName, o.CreatedAt); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT placeholder FROM organisations WHERE organisation_id = $1", orgID).Scan(&o.Placeholder); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO offices(organisation_id, id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
			orgID, o.ID, name, tokenHash(token), o.CreatedAt)
		return err
	})
	if err != nil {
		return Office{}, "", err
	}
	return o, token, nil
}

const officeCols = `f.organisation_id::text, f.id::text, f.name, f.created_at, f.revoked_at, f.last_push_at, f.last_pull_at, o.placeholder,
	coalesce(o.slug, ''), o.online_enabled`

func scanOffice(r pgx.CollectableRow) (Office, error) {
	var o Office
	err := r.Scan(&o.OrganisationID, &o.ID, &o.Name, &o.CreatedAt, &o.RevokedAt, &o.LastPushAt, &o.LastPullAt, &o.Placeholder, &o.Slug, &o.Online)
	o.CreatedAt = o.CreatedAt.UTC()
	o.RevokedAt, o.LastPushAt, o.LastPullAt = utcPtr(o.RevokedAt), utcPtr(o.LastPushAt), utcPtr(o.LastPullAt)
	return o, err
}

// ListOffices returns every office, by organisation then creation, each organisation with the
// slug of its pages (given now to those that had none).
func (s *Store) ListOffices(ctx context.Context) ([]Office, error) {
	const op = "pgstore.ListOffices"
	if err := s.AssignSlugs(ctx); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, "SELECT "+officeCols+` FROM offices f JOIN organisations o ON o.organisation_id = f.organisation_id
		ORDER BY f.organisation_id, f.created_at, f.id`)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, scanOffice)
	return out, mapErr(op, err)
}

// RevokeOffice revokes an office's token: its next request is refused (403). Revoking twice
// keeps the first date.
func (s *Store) RevokeOffice(ctx context.Context, id string) (Office, error) {
	const op = "pgstore.RevokeOffice"
	if !validID(id) {
		return Office{}, notFound(op, "bureau", id)
	}
	var o Office
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE offices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", id, s.now())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound(op, "bureau", id)
		}
		rows, err := tx.Query(ctx, "SELECT "+officeCols+" FROM offices f JOIN organisations o ON o.organisation_id = f.organisation_id WHERE f.id = $1", id)
		if err != nil {
			return err
		}
		o, err = pgx.CollectExactlyOneRow(rows, scanOffice)
		return err
	})
	return o, err
}

// ErrUnknownToken and ErrRevoked are Authenticate's refusals: 401 and 403 at the door.
var (
	ErrUnknownToken = agenda.Fail("pgstore.Authenticate", agenda.CodeTokenUnknown)
	ErrRevoked      = agenda.Fail("pgstore.Authenticate", agenda.CodeOfficeRevoked)
)

// Authenticate returns the office whose token this is. An unknown token is ErrUnknownToken
// (kind Forbidden, code token_unknown), a revoked office's ErrRevoked (office_revoked). The row
// is found by the token's hash and the hashes are compared again in constant time.
func (s *Store) Authenticate(ctx context.Context, token string) (Office, error) {
	const op = "pgstore.Authenticate"
	if token == "" || len(token) > 256 {
		return Office{}, ErrUnknownToken
	}
	h := tokenHash(token)
	var stored []byte
	rows, err := s.pool.Query(ctx, "SELECT "+officeCols+", f.token_hash FROM offices f JOIN organisations o ON o.organisation_id = f.organisation_id WHERE f.token_hash = $1", h)
	if err != nil {
		return Office{}, mapErr(op, err)
	}
	o, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (Office, error) {
		var o Office
		err := r.Scan(&o.OrganisationID, &o.ID, &o.Name, &o.CreatedAt, &o.RevokedAt, &o.LastPushAt, &o.LastPullAt, &o.Placeholder, &o.Slug, &o.Online, &stored)
		return o, err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return Office{}, ErrUnknownToken
	}
	if err != nil {
		return Office{}, mapErr(op, err)
	}
	if subtle.ConstantTimeCompare(stored, h) != 1 {
		return Office{}, ErrUnknownToken
	}
	if o.RevokedAt != nil {
		return Office{}, ErrRevoked
	}
	return o, nil
}

// TouchOffice records the office's last push (pulled nil) or its last pull, and then where that
// pull started: the feed the office has applied up to (its own cursor, kept with what it applied),
// which CompactFeed must not pass while the office syncs.
func (s *Store) TouchOffice(ctx context.Context, officeID string, pulled *Cursor) error {
	var err error
	if pulled == nil {
		_, err = s.pool.Exec(ctx, "UPDATE offices SET last_push_at = $2 WHERE id = $1", officeID, s.now())
	} else {
		_, err = s.pool.Exec(ctx, "UPDATE offices SET last_pull_at = $2, pulled_txid = $3::text::xid8, pulled_seq = $4 WHERE id = $1",
			officeID, s.now(), strconv.FormatUint(pulled.Txid, 10), pulled.Seq)
	}
	return mapErr("pgstore.TouchOffice", err)
}

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	return mapErr("pgstore.Ping", s.pool.Ping(ctx))
}
