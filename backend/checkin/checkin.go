// Package checkin signs and checks what a convocation carries for the lobby kiosk: a token in
// the QR code and a short code the usager can type when the QR will not scan.
//
// # Token
//
// The token proves "this office issued a convocation for RDV <id>, valid until <expiry>" without
// any lookup: the kiosk can reject a forged, altered, foreign or stale code before touching the
// database. It is 33 bytes written in base32 (53 characters of A–Z and 2–7, which QR codes store
// in their compact alphanumeric mode, version 3 at level M):
//
//	version (1) | key id (2) | RDV id, a UUID (16) | expiry, unix seconds (4) | HMAC-SHA256 (10)
//
// The key id is the start of HMAC(secret, "key-id"): it tells a code made by another
// installation (ErrForeign) from one altered on the way (ErrAltered). The MAC covers everything
// before it and is truncated to 80 bits: a forger has to ask the kiosk, one attempt at a time.
// The expiry is the end of the RDV's day in the organisation's zone, so the code is useless
// after the RDV (domain.md 4.5).
//
// # Short code
//
// Eight characters from an alphabet without 0, O, 1 and I (ShortAlphabet): 40 bits of
// HMAC(secret, "short-code" | RDV id). It is not stored anywhere (the store has no column for
// it): the kiosk resolves it by computing the code of each RDV of the day and comparing
// (MatchShortCode). With a hundred RDVs a day the chance that two share a code is about 5·10⁻⁹;
// MatchShortCode refuses an ambiguous code rather than guess.
//
// # Secret
//
// One random 32-byte secret per installation, made with crypto/rand on first use and kept in the
// local settings under SecretKey (LoadSecret). Replacing it voids every convocation printed so far.
package checkin

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// SecretKey is the local setting that holds the installation's secret, hex-encoded.
const SecretKey = "checkin_secret"

// secretLen is the size of a new secret: as long as the HMAC-SHA256 block output, more is useless.
const secretLen = 32

const (
	tokenVersion = 1
	kidLen       = 2
	idLen        = 16
	expLen       = 4
	macLen       = 10
	tokenLen     = 1 + kidLen + idLen + expLen + macLen // 33 bytes
	// TokenChars is the length of a token as text.
	TokenChars = (tokenLen*8 + 4) / 5 // 53
)

// b32 is RFC 4648 base32 without padding: upper case letters and digits 2–7 only, which a QR code
// stores in alphanumeric mode (5.5 bits per character instead of 8).
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// The errors Verify returns (wrapped in an *agenda.Error of kind Invalid). Their text is what the
// kiosk shows.
var (
	ErrMalformed = errors.New("Code non reconnu : ce n’est pas un code de convocation.")
	ErrForeign   = errors.New("Code non reconnu : cette convocation n’a pas été émise par cet accueil.")
	ErrAltered   = errors.New("Code non reconnu : le code a été modifié ou mal lu.")
	ErrExpired   = errors.New("Ce code n’est plus valable : la date du rendez-vous est passée.")
	ErrNoMatch   = errors.New("Code non reconnu : aucun rendez-vous aujourd’hui ne correspond à ce code.")
)

// Claims is what a valid token says.
type Claims struct {
	RdvID   string
	Expires time.Time // UTC, second precision
}

func mac(secret []byte, parts ...[]byte) []byte {
	h := hmac.New(sha256.New, secret)
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// keyID names the secret without revealing it.
func keyID(secret []byte) []byte { return mac(secret, []byte("key-id"))[:kidLen] }

// Expiry returns the end of the civil day of start in loc: when a convocation stops being valid.
func Expiry(start time.Time, loc *time.Location) time.Time {
	return agenda.DateOf(start.In(loc)).AddDays(1).At(0, loc).UTC()
}

// Sign makes the token of an RDV. rdvID must be a UUID (the store's ids are UUIDv7).
func Sign(secret []byte, rdvID string, expires time.Time) (string, error) {
	const op = "checkin.Sign"
	if len(secret) == 0 {
		return "", agenda.Errorf(op, agenda.Other, "secret vide")
	}
	id, err := parseUUID(rdvID)
	if err != nil {
		return "", agenda.E(op, agenda.Invalid, err)
	}
	exp := expires.Unix()
	if exp <= 0 || exp > 1<<32-1 {
		return "", agenda.Errorf(op, agenda.Invalid, "date d’expiration hors limites : %v", expires)
	}
	buf := make([]byte, 0, tokenLen)
	buf = append(buf, tokenVersion)
	buf = append(buf, keyID(secret)...)
	buf = append(buf, id[:]...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(exp))
	buf = append(buf, mac(secret, buf)[:macLen]...)
	return b32.EncodeToString(buf), nil
}

// Verify checks a token read from a QR code (or typed) at now. It returns ErrMalformed,
// ErrForeign, ErrAltered or ErrExpired (test with errors.Is), each inside an *agenda.Error of
// kind Invalid. The MAC is checked before the expiry, so an altered expiry reads as altered.
func Verify(token string, secret []byte, now time.Time) (Claims, error) {
	const op = "checkin.Verify"
	raw, err := decode(token)
	if err != nil {
		return Claims{}, agenda.E(op, agenda.Invalid, err)
	}
	if !hmac.Equal(raw[1:1+kidLen], keyID(secret)) {
		return Claims{}, agenda.E(op, agenda.Invalid, ErrForeign)
	}
	body, sum := raw[:tokenLen-macLen], raw[tokenLen-macLen:]
	if !hmac.Equal(sum, mac(secret, body)[:macLen]) {
		return Claims{}, agenda.E(op, agenda.Invalid, ErrAltered)
	}
	var id [idLen]byte
	copy(id[:], raw[1+kidLen:])
	exp := time.Unix(int64(binary.BigEndian.Uint32(raw[1+kidLen+idLen:])), 0).UTC()
	c := Claims{RdvID: formatUUID(id), Expires: exp}
	if !now.Before(exp) {
		return c, agenda.E(op, agenda.Invalid, ErrExpired)
	}
	return c, nil
}

// decode reads the token's bytes and checks its shape; it trusts nothing in it yet. Scanners add
// stray whitespace and some keyboards lower-case: both are forgiven.
func decode(token string) ([]byte, error) {
	token = asciiUpper(strings.TrimSpace(token))
	if len(token) != TokenChars {
		return nil, ErrMalformed
	}
	raw, err := b32.DecodeString(token)
	if err != nil || len(raw) != tokenLen || raw[0] != tokenVersion {
		return nil, ErrMalformed
	}
	// base32 ignores the low bits of the last character; a canonical token has them at zero, so
	// that each token has one spelling only.
	if b32.EncodeToString(raw) != token {
		return nil, ErrMalformed
	}
	return raw, nil
}

// asciiUpper upper-cases the ASCII letters of s and nothing else. strings.ToUpper also turns
// « ſ » (U+017F) into « S » and « ı » (U+0131) into « I », which gave a token or a short code a
// second spelling (found by FuzzTokenSpelling; testdata/fuzz).
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func parseUUID(s string) ([idLen]byte, error) {
	var id [idLen]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return id, fmt.Errorf("identifiant de rendez-vous %q : UUID attendu", s)
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(id[:], []byte(h)); err != nil {
		return id, fmt.Errorf("identifiant de rendez-vous %q : UUID attendu", s)
	}
	return id, nil
}

func formatUUID(id [idLen]byte) string {
	h := hex.EncodeToString(id[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ShortAlphabet has no 0/O nor 1/I, which people confuse when they read a printed code aloud or
// type it at the kiosk. It has 32 symbols: 5 bits each.
const ShortAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// ShortLen is the number of characters of a short code (40 bits).
const ShortLen = 8

// ShortCode returns the RDV's 8-character code, e.g. « K7PQ3XMA ». It depends only on the secret
// and the id, so it never changes while the RDV lives (a moved RDV keeps its code).
func ShortCode(secret []byte, rdvID string) string {
	sum := mac(secret, []byte("short-code"), []byte(rdvID))
	v := uint64(sum[0])<<32 | uint64(sum[1])<<24 | uint64(sum[2])<<16 | uint64(sum[3])<<8 | uint64(sum[4])
	var out [ShortLen]byte
	for i := ShortLen - 1; i >= 0; i-- {
		out[i] = ShortAlphabet[v&31]
		v >>= 5
	}
	return string(out[:])
}

// FormatShortCode writes a code as two groups of four, « K7PQ 3XMA », easier to read and copy.
func FormatShortCode(code string) string {
	if len(code) != ShortLen {
		return code
	}
	return code[:4] + "\u00a0" + code[4:]
}

// NormalizeShortCode turns what the usager typed into a code: upper case, spaces and hyphens
// removed. It returns ErrMalformed if a character is not in ShortAlphabet or the length is wrong.
func NormalizeShortCode(typed string) (string, error) {
	var b strings.Builder
	for _, r := range asciiUpper(typed) {
		switch {
		case r == ' ' || r == '-' || r == '\u00a0' || r == '\u202f' || r == '\t':
			continue
		case r < 128 && strings.IndexByte(ShortAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", agenda.E("checkin.NormalizeShortCode", agenda.Invalid, ErrMalformed)
		}
	}
	if b.Len() != ShortLen {
		return "", agenda.E("checkin.NormalizeShortCode", agenda.Invalid, ErrMalformed)
	}
	return b.String(), nil
}

// MatchShortCode finds, among candidates (the RDVs of the day), the one whose short code is
// typed. Cancelled RDVs are skipped: their convocation no longer admits anyone. It returns
// ErrMalformed or ErrNoMatch (kind Invalid), and a Conflict if two RDVs share the code.
func MatchShortCode(secret []byte, typed string, candidates []agenda.Rdv) (agenda.Rdv, error) {
	const op = "checkin.MatchShortCode"
	code, err := NormalizeShortCode(typed)
	if err != nil {
		return agenda.Rdv{}, err
	}
	found := -1
	for i, r := range candidates {
		if r.Status.Cancelled() {
			continue
		}
		if hmac.Equal([]byte(ShortCode(secret, r.ID)), []byte(code)) {
			if found >= 0 && candidates[found].ID != r.ID {
				return agenda.Rdv{}, agenda.Errorf(op, agenda.Conflict,
					"ce code correspond à plusieurs rendez-vous : présentez-vous à l’accueil")
			}
			found = i
		}
	}
	if found < 0 {
		return agenda.Rdv{}, agenda.E(op, agenda.Invalid, ErrNoMatch)
	}
	return candidates[found], nil
}

// Settings is the part of the store LoadSecret needs (store.DB has it).
type Settings interface {
	Setting(ctx context.Context, key string) (string, bool, error)
	// InitSetting stores value unless the key has one, and returns the stored value.
	InitSetting(ctx context.Context, key, value string) (string, error)
}

// LoadSecret returns the installation's secret, creating it from random (crypto/rand.Reader when
// nil) on first use. The creation is first-writer-wins (Settings.InitSetting), so two processes
// starting at once sign with the same secret.
func LoadSecret(ctx context.Context, s Settings, random io.Reader) ([]byte, error) {
	const op = "checkin.LoadSecret"
	if v, ok, err := s.Setting(ctx, SecretKey); err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	} else if ok {
		return parseSecret(op, v)
	}
	if random == nil {
		random = rand.Reader
	}
	secret := make([]byte, secretLen)
	if _, err := io.ReadFull(random, secret); err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	v, err := s.InitSetting(ctx, SecretKey, hex.EncodeToString(secret))
	if err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	return parseSecret(op, v)
}

func parseSecret(op, v string) ([]byte, error) {
	secret, err := hex.DecodeString(v)
	if err != nil || len(secret) < 16 || bytes.Count(secret, []byte{0}) == len(secret) {
		return nil, agenda.Errorf(op, agenda.Other, "le réglage %s est abîmé : les convocations ne peuvent pas être signées", SecretKey)
	}
	return secret, nil
}
