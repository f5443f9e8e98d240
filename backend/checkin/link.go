package checkin

import (
	"crypto/hmac"
	"encoding/base64"
)

// # Links to the RDV's page at the central
//
// A link /r/<token> names one usager's seat in one RDV. Whoever holds the organisation's key
// builds it (the office for its reminders, ADR 0012), and the central checks it without having
// stored it:
//
//	RDV id, a UUID (16) | HMAC-SHA256(key, "rdv-link" | RDV id | usager id), truncated (16)
//
// in base64url without padding: 43 characters, as long as the central's own cancel tokens. The
// MAC's 128 bits cannot be guessed nor enumerated; the link expires with its RDV (the central
// refuses it once the RDV has ended) and names no organisation: the central finds it from the
// RDV, then checks the MAC with that organisation's keys.

const linkMACLen = 16

// LinkChars is the length of a link token as text.
const LinkChars = ((idLen+linkMACLen)*8 + 5) / 6 // 43

func linkMAC(key []byte, rdvID string, usagerID string) []byte {
	return mac(key, []byte("rdv-link\x00"), []byte(rdvID), []byte{0}, []byte(usagerID))[:linkMACLen]
}

// LinkToken returns the token of usagerID's link to RDV rdvID (a UUID), signed with key.
func LinkToken(key []byte, rdvID, usagerID string) (string, error) {
	id, err := parseUUID(rdvID)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append(id[:], linkMAC(key, rdvID, usagerID)...)), nil
}

// LinkRdv reads the RDV id a link token names, without checking anything else: the caller loads
// that RDV and then asks LinkHolder which of its usagers holds the link.
func LinkRdv(token string) (string, bool) {
	if len(token) != LinkChars {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != idLen+linkMACLen || base64.RawURLEncoding.EncodeToString(raw) != token {
		return "", false
	}
	var id [idLen]byte
	copy(id[:], raw)
	return formatUUID(id), true
}

// LinkHolder returns which of usagers (the RDV's) holds the link token, checked with each of keys
// (the organisation's, current first), compared in constant time; false when none.
func LinkHolder(token string, keys [][]byte, usagers []string) (string, bool) {
	rdvID, ok := LinkRdv(token)
	if !ok {
		return "", false
	}
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	sum := raw[idLen:]
	for _, key := range keys {
		for _, u := range usagers {
			if hmac.Equal(sum, linkMAC(key, rdvID, u)) {
				return u, true
			}
		}
	}
	return "", false
}
