// Package poste is what the postes of one office share (ADR 0010): the poste principal's TLS
// identity and its fingerprint, the credentials and one-time pairing codes, the wire types of the
// postes' API, the secondary's client (pinned certificate, idempotent retries) and its local
// configuration. The principal's server, which needs the app's doors, is app/principal.
package poste

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"strings"
	"time"

	"rdvguichet/backend/store"
)

// newIdentity makes the principal's self-signed ECDSA P-256 certificate and its PKCS #8 key.
// Nobody validates it against an authority: the postes pin its fingerprint, so its names and
// dates only need to be acceptable to TLS (valid for 30 years).
func newIdentity() (certDER, keyDER []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "RDV Guichet — poste principal"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(30, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"rdv-guichet-principal"},
	}
	if certDER, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key); err != nil {
		return nil, nil, err
	}
	keyDER, err = x509.MarshalPKCS8PrivateKey(key)
	return certDER, keyDER, err
}

// Identity is the principal's TLS identity and its fingerprint.
type Identity struct {
	Certificate tls.Certificate
	Fingerprint string // Fingerprint of the certificate, grouped
}

// LoadIdentity returns the principal's identity from its data file, made at the first call:
// it travels with the file (a restored backup serves the same postes).
func LoadIdentity(ctx context.Context, db *store.DB) (Identity, error) {
	certDER, keyDER, err := db.PosteIdentity(ctx, newIdentity)
	if err != nil {
		return Identity{}, err
	}
	key, err := x509.ParsePKCS8PrivateKey(keyDER)
	if err != nil {
		return Identity{}, err
	}
	return Identity{Certificate: tls.Certificate{Certificate: [][]byte{certDER}, PrivateKey: key}, Fingerprint: Fingerprint(certDER)}, nil
}

// Fingerprint is the SHA-256 of a certificate (DER), in upper-case hexadecimal by groups of
// four, as the principal shows it and the administrator compares it on the new poste.
func Fingerprint(certDER []byte) string {
	sum := sha256.Sum256(certDER)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	groups := make([]string, 0, len(h)/4)
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, " ")
}

// SameFingerprint compares two fingerprints as people type them: spaces, colons and case aside.
func SameFingerprint(a, b string) bool {
	norm := func(s string) string {
		return strings.ToUpper(strings.Map(func(r rune) rune {
			if r == ' ' || r == ':' || r == '-' || r == '\u00a0' {
				return -1
			}
			return r
		}, s))
	}
	return norm(a) != "" && norm(a) == norm(b)
}
