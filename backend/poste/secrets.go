package poste

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"rdvguichet/backend/store"
)

// A poste's credential is 32 random bytes (base64url): the principal keeps its SHA-256 only. A
// pairing code is 10 characters of an alphabet without look-alikes (50 bits), valid CodeValidity,
// used once; wrong codes make every pairing wait (store.AttemptPairing).

// CodeValidity is how long a pairing code can be used.
const CodeValidity = 10 * time.Minute

// codeAlphabet is Crockford's base 32: no I, L, O, U to misread.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCredential returns a new random credential.
func NewCredential() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Hash is the SHA-256 the principal stores of a credential or a pairing code.
func Hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// newCode returns a pairing code, « 7KQM-X4PD-2H » as shown.
func newCode() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := make([]byte, 0, 12)
	for i, c := range b {
		if i == 4 || i == 8 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out), nil
}

// NormalizeCode reads a typed code: case, spaces and dashes aside, and the look-alikes read as
// Crockford does (O → 0, I and L → 1).
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\u00a0':
			return -1
		case 'O', 'o':
			return '0'
		case 'I', 'i', 'L', 'l':
			return '1'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// Invitation is a new poste with its one-time pairing code, as the principal shows it.
type Invitation struct {
	Poste       store.Poste `json:"poste"`
	Code        string      `json:"code"`
	Expires     time.Time   `json:"expires"`
	Fingerprint string      `json:"fingerprint"` // the principal's, to compare on the new poste
}

// Invite adds a poste of role named name and returns its pairing code (Paramètres › Postes and
// « rdv-guichet poste add » alike).
func Invite(ctx context.Context, db *store.DB, name, role string, now time.Time) (Invitation, error) {
	id, err := LoadIdentity(ctx, db)
	if err != nil {
		return Invitation{}, err
	}
	code, err := newCode()
	if err != nil {
		return Invitation{}, err
	}
	expires := now.Add(CodeValidity)
	p, err := db.AddPoste(ctx, name, role, Hash(NormalizeCode(code)), expires)
	return Invitation{Poste: p, Code: code, Expires: expires, Fingerprint: id.Fingerprint}, err
}
