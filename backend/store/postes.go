package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// The postes of one office (migration 10, ADR 0010): the poste principal's TLS identity, the
// postes secondaires it paired (the hash of each one's credential), its one-time pairing codes,
// and the answers to the postes' writes under their idempotency keys. Secrets are never stored:
// only their SHA-256 (the credential and the code are random, long enough for a fast hash).

// Poste roles: what a poste secondaire may reach.
const (
	RoleGuichet = "guichet" // a counter: the agents' operations, each agent signed in
	RoleBorne   = "borne"   // a lobby kiosk: the kiosk's operations only
)

// AttemptPairing is the failed_attempts scope of wrong pairing codes (key "*": the principal as a
// whole, since whoever tries a code is not known yet).
const AttemptPairing = "pairing"

// Poste is a poste secondaire as the principal knows it.
type Poste struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Hostname  string     `json:"hostname"` // as the poste said at pairing
	CreatedAt time.Time  `json:"createdAt"`
	PairedAt  *time.Time `json:"pairedAt,omitempty"`
	LastSeen  *time.Time `json:"lastSeen,omitempty"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
}

// PosteIdentity returns the principal's certificate and private key (DER), making them with mk
// on the first call. Two processes starting together keep the same one: the first insert wins.
func (db *DB) PosteIdentity(ctx context.Context, mk func() (cert, key []byte, err error)) (cert, key []byte, err error) {
	const op = "store.PosteIdentity"
	read := func() error {
		return db.r.QueryRowContext(ctx, "SELECT cert_der, key_der FROM poste_identity WHERE id = 1").Scan(&cert, &key)
	}
	if err = read(); !errors.Is(err, sql.ErrNoRows) {
		return cert, key, mapErr(op, err)
	}
	c, k, err := mk()
	if err != nil {
		return nil, nil, agenda.E(op, agenda.Other, err)
	}
	err = db.write(ctx, op, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO poste_identity(id, cert_der, key_der, created_at) VALUES (1, ?, ?, ?)", c, k, ms(db.now()))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return cert, key, mapErr(op, read())
}

// AddPoste records a new poste with its one-time pairing code (its hash), valid until expires.
func (db *DB) AddPoste(ctx context.Context, name, role string, codeHash []byte, expires time.Time) (Poste, error) {
	const op = "store.AddPoste"
	name = strings.TrimSpace(name)
	if role != RoleGuichet && role != RoleBorne {
		return Poste{}, agenda.Fail(op, agenda.CodePosteRole, "role", role)
	}
	if name == "" || len(name) > 80 || !agenda.ValidName(name) {
		return Poste{}, agenda.E(op, agenda.Invalid, agenda.ValidationError{{Field: "name", Code: agenda.CodeInvalidField, Message: "Indiquez le nom du poste (par exemple « Guichet 2 » ou « Borne du hall »)."}})
	}
	p := Poste{ID: newID(), Name: name, Role: role, CreatedAt: db.now()}
	err := db.write(ctx, op, func(tx *txn) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM postes WHERE name = ? COLLATE NOCASE AND revoked_at IS NULL", name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return agenda.Fail(op, agenda.CodePosteNomPris, "name", name)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO postes(id, name, role, created_at) VALUES (?, ?, ?, ?)", p.ID, p.Name, p.Role, ms(p.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO poste_pairing(code_hash, poste_id, expires_at) VALUES (?, ?, ?)", codeHash, p.ID, ms(expires))
		return err
	})
	return p, err
}

const posteColumns = "id, name, role, hostname, created_at, paired_at, last_seen, revoked_at"

func scanPoste(row interface{ Scan(...any) error }) (Poste, error) {
	var p Poste
	var created int64
	var paired, seen, revoked sql.NullInt64
	err := row.Scan(&p.ID, &p.Name, &p.Role, &p.Hostname, &created, &paired, &seen, &revoked)
	p.CreatedAt, p.PairedAt, p.LastSeen, p.RevokedAt = fromMS(created), ptrMS(paired), ptrMS(seen), ptrMS(revoked)
	return p, err
}

// ListPostes returns every poste, revoked ones included, the newest first.
func (db *DB) ListPostes(ctx context.Context) ([]Poste, error) {
	const op = "store.ListPostes"
	rows, err := db.r.QueryContext(ctx, "SELECT "+posteColumns+" FROM postes ORDER BY revoked_at IS NOT NULL, created_at DESC")
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	out := []Poste{}
	for rows.Next() {
		p, err := scanPoste(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, p)
	}
	return out, mapErr(op, rows.Err())
}

// RevokePoste revokes the active poste whose id or name (any case) is ref: its credential and
// its open codes stop working at once.
func (db *DB) RevokePoste(ctx context.Context, ref string) (Poste, error) {
	const op = "store.RevokePoste"
	ref = strings.TrimSpace(ref)
	var p Poste
	err := db.write(ctx, op, func(tx *txn) error {
		var err error
		p, err = scanPoste(tx.QueryRowContext(ctx, "SELECT "+posteColumns+" FROM postes WHERE revoked_at IS NULL AND (id = ? OR name = ? COLLATE NOCASE)", ref, ref))
		if errors.Is(err, sql.ErrNoRows) {
			return agenda.Fail(op, agenda.CodePosteInconnu, "poste", ref)
		}
		if err != nil {
			return err
		}
		now := db.now()
		p.RevokedAt = &now
		if _, err := tx.ExecContext(ctx, "UPDATE postes SET revoked_at = ? WHERE id = ?", ms(now), p.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM poste_pairing WHERE poste_id = ?", p.ID)
		return err
	})
	return p, err
}

// PairPoste spends a pairing code: the code's poste gets the credential (its hash) and is
// paired. An unknown or used code and an expired one are refused with their codes.
func (db *DB) PairPoste(ctx context.Context, codeHash, credentialHash []byte, hostname string) (Poste, error) {
	const op = "store.PairPoste"
	var p Poste
	err := db.write(ctx, op, func(tx *txn) error {
		var posteID string
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT poste_id, expires_at, used_at FROM poste_pairing WHERE code_hash = ?", codeHash).Scan(&posteID, &expires, &used)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && used.Valid):
			return agenda.Fail(op, agenda.CodePosteCodeInvalid)
		case err != nil:
			return err
		}
		now := db.now()
		if now.After(fromMS(expires)) {
			return agenda.Fail(op, agenda.CodePosteCodeExpire)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE poste_pairing SET used_at = ? WHERE code_hash = ?", ms(now), codeHash); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE postes SET credential_hash = ?, hostname = ?, paired_at = ? WHERE id = ? AND revoked_at IS NULL",
			credentialHash, hostname, ms(now), posteID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return agenda.Fail(op, agenda.CodePosteCodeInvalid)
		}
		p, err = scanPoste(tx.QueryRowContext(ctx, "SELECT "+posteColumns+" FROM postes WHERE id = ?", posteID))
		return err
	})
	return p, err
}

// seenEvery is how often a poste's last_seen is written: not at every call (a write each time
// the agenda refreshes would be waste).
const seenEvery = time.Minute

// PosteByCredential returns the poste whose credential hashes to credentialHash, refusing an
// unknown one (poste_non_appaire) and a revoked one (poste_revoque), and notes it was seen.
func (db *DB) PosteByCredential(ctx context.Context, credentialHash []byte) (Poste, error) {
	const op = "store.PosteByCredential"
	p, err := scanPoste(db.r.QueryRowContext(ctx, "SELECT "+posteColumns+" FROM postes WHERE credential_hash = ?", credentialHash))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Poste{}, agenda.Fail(op, agenda.CodePosteNonApparie)
	case err != nil:
		return Poste{}, mapErr(op, err)
	case p.RevokedAt != nil:
		return Poste{}, agenda.Fail(op, agenda.CodePosteRevoque)
	}
	now := db.now()
	if p.LastSeen == nil || now.Sub(*p.LastSeen) > seenEvery {
		err = db.write(ctx, op, func(tx *txn) error {
			_, err := tx.ExecContext(ctx, "UPDATE postes SET last_seen = ? WHERE id = ?", ms(now), p.ID)
			return err
		})
		p.LastSeen = &now
	}
	return p, err
}

// callKey is the context key of a poste's call under an idempotency key (WithCall).
type callKey struct{}

type postesCall struct{ poste, key string }

// WithCall returns ctx for a poste's call under an idempotency key: every write transaction run
// with it records the key in the same commit, so that a principal stopped between the change and
// its answer still knows, at the retry, that the change was made (CallReply's wrote).
func WithCall(ctx context.Context, posteID, key string) context.Context {
	return context.WithValue(ctx, callKey{}, postesCall{posteID, key})
}

// markCall records ctx's call in tx, if it has one (db.write calls it before each commit).
func (db *DB) markCall(ctx context.Context, tx *txn) error {
	c, ok := ctx.Value(callKey{}).(postesCall)
	if !ok {
		return nil
	}
	_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO poste_calls(poste_id, key, at) VALUES (?, ?, ?)", c.poste, c.key, ms(db.now()))
	return err
}

// callsKept is how long the answers to the postes' calls are kept for a retry.
const callsKept = 24 * time.Hour

// CallReply returns what the principal knows of a poste's call under key: its method and answer
// when it answered (found), or wrote alone when the call changed the data without an answer
// recorded (the principal stopped in between).
func (db *DB) CallReply(ctx context.Context, posteID, key string) (method string, reply []byte, found, wrote bool, err error) {
	err = db.r.QueryRowContext(ctx, "SELECT method, reply FROM poste_calls WHERE poste_id = ? AND key = ?", posteID, key).Scan(&method, &reply)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, false, false, nil
	}
	if err != nil {
		return "", nil, false, false, mapErr("store.CallReply", err)
	}
	return method, reply, reply != nil, reply == nil, nil
}

// RecordCallReply records the answer to a poste's call under key, and forgets those older than a day.
func (db *DB) RecordCallReply(ctx context.Context, posteID, key, method string, reply []byte) error {
	return db.write(ctx, "store.RecordCallReply", func(tx *txn) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, "DELETE FROM poste_calls WHERE at < ?", ms(now.Add(-callsKept))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO poste_calls(poste_id, key, method, at, reply) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (poste_id, key) DO UPDATE SET method = excluded.method, reply = excluded.reply`, posteID, key, method, ms(now), reply)
		return err
	})
}

// PosteSession is the agent signed in on a poste secondaire, kept across the principal's restarts.
type PosteSession struct {
	AgentID string
	Last    time.Time // the last activity
	Timeout time.Duration
}

// SavePosteSession keeps the session of posteID; nil forgets it (signed out, or ended).
func (db *DB) SavePosteSession(ctx context.Context, posteID string, s *PosteSession) error {
	return db.write(ctx, "store.SavePosteSession", func(tx *txn) error {
		if s == nil {
			_, err := tx.ExecContext(ctx, "DELETE FROM poste_sessions WHERE poste_id = ?", posteID)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO poste_sessions(poste_id, agent_id, last_at, timeout_ms) VALUES (?, ?, ?, ?)
			ON CONFLICT(poste_id) DO UPDATE SET agent_id = excluded.agent_id, last_at = excluded.last_at, timeout_ms = excluded.timeout_ms`,
			posteID, s.AgentID, ms(s.Last), s.Timeout.Milliseconds())
		return err
	})
}

// LoadPosteSession returns the session kept for posteID (ok false: none).
func (db *DB) LoadPosteSession(ctx context.Context, posteID string) (s PosteSession, ok bool, err error) {
	var last, timeout int64
	err = db.r.QueryRowContext(ctx, "SELECT agent_id, last_at, timeout_ms FROM poste_sessions WHERE poste_id = ?", posteID).Scan(&s.AgentID, &last, &timeout)
	if errors.Is(err, sql.ErrNoRows) {
		return PosteSession{}, false, nil
	}
	if err != nil {
		return PosteSession{}, false, mapErr("store.LoadPosteSession", err)
	}
	s.Last, s.Timeout = fromMS(last), time.Duration(timeout)*time.Millisecond
	return s, true, nil
}
