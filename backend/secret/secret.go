// Package secret seals the installation's secrets at rest (the SMTP password, the SMS
// provider's key, the sync token) with the operating system's facility where there is one.
//
// A sealed value is text, stored in the settings table, with a prefix naming its scheme:
//
//   - "dpapi:" + base64: Windows DPAPI for the current user (CryptProtectData). Only the same
//     Windows account on the same PC can open it: a data file copied to another PC or account
//     keeps its rendez-vous but loses these secrets (Open fails with ErrUnreadable), which must be
//     typed again.
//   - "plain:" + base64: systems without a facility assumed (Linux: no keyring is assumed on a
//     counter PC). This is not encryption: the protection is the data file's mode (0600, the
//     user's account only). The base64 only keeps the secret out of a casual glance.
//
// A value without a known prefix is a clear value written by an older version: Open returns it as
// it is, and the next save seals it (the migration happens on save, not on read).
package secret

import (
	"encoding/base64"
	"errors"
	"strings"
)

// Scheme prefixes.
const (
	PrefixDPAPI = "dpapi:"
	PrefixPlain = "plain:"
)

// ErrUnreadable says a sealed value cannot be opened here: sealed by another Windows account or
// PC, sealed with DPAPI and read on Linux, or damaged. The caller treats the secret as not set.
var ErrUnreadable = errors.New("secret illisible sur ce poste : il a été enregistré sur un autre poste ou par un autre compte, saisissez-le de nouveau")

// Seal seals data with this system's facility. An empty secret stays "" (not set).
func Seal(data []byte) (string, error) {
	if len(data) == 0 {
		return "", nil
	}
	return seal(data)
}

// Open returns the secret a sealed value holds. "" is "" (not set); a value without a known
// prefix is an old clear value, returned as it is.
func Open(value string) ([]byte, error) {
	switch {
	case value == "":
		return nil, nil
	case strings.HasPrefix(value, PrefixPlain):
		b, err := base64.StdEncoding.DecodeString(value[len(PrefixPlain):])
		if err != nil {
			return nil, ErrUnreadable
		}
		return b, nil
	case strings.HasPrefix(value, PrefixDPAPI):
		b, err := base64.StdEncoding.DecodeString(value[len(PrefixDPAPI):])
		if err != nil || len(b) == 0 {
			return nil, ErrUnreadable
		}
		return openDPAPI(b)
	}
	return []byte(value), nil
}

// SealString and OpenString are Seal and Open for text secrets.
func SealString(s string) (string, error) { return Seal([]byte(s)) }

// OpenString is Open for text secrets.
func OpenString(value string) (string, error) {
	b, err := Open(value)
	return string(b), err
}

// Sealed reports whether value is sealed (a known prefix) rather than an old clear value.
func Sealed(value string) bool {
	return strings.HasPrefix(value, PrefixDPAPI) || strings.HasPrefix(value, PrefixPlain)
}

// Scheme names the facility Seal uses on this system: "dpapi" or "plain".
func Scheme() string { return strings.TrimSuffix(scheme, ":") }
