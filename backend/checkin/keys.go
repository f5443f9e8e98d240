package checkin

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	sealing "rdvguichet/backend/secret"
)

// # The organisation's keys (ADR 0012)
//
// An office alone signs with its installation's secret (LoadSecret). Once it syncs with
// rdv-central, the central gives it its organisation's keys (GET /v1/keys, over the office's
// authenticated connection; current key first): every office of the organisation and the
// central then sign with the same key, so that a convocation printed by the central's pages or by
// another office of the organisation verifies at this office's kiosk, and a link built by the
// office (LinkToken) opens the RDV's page at the central. The kiosk still accepts the
// installation's secret: convocations printed before the first sync keep working.

// OrgKeysKey is the local setting that holds the organisation's keys, sealed (backend/secret)
// like the office's other secrets.
const OrgKeysKey = "checkin_org_keys"

// maxOrgKeys bounds what the central may hand an office (a rotation keeps a few old keys).
const maxOrgKeys = 8

// Keys are what an office signs and verifies with.
type Keys struct {
	// Org are the organisation's keys from the central, current first; empty before the first
	// sync, or when the sealed setting cannot be opened here (a file carried to another PC: the
	// next sync brings them again).
	Org [][]byte
	// Local is the installation's secret (LoadSecret).
	Local []byte
}

// Signing is the key new convocations and short codes are signed with: the organisation's
// current key once known, else the installation's secret.
func (k Keys) Signing() []byte {
	if len(k.Org) > 0 {
		return k.Org[0]
	}
	return k.Local
}

// Link is the key of the links to the RDV's page at the central (LinkToken); nil while the
// office has no organisation key (its messages then carry no link).
func (k Keys) Link() []byte {
	if len(k.Org) > 0 {
		return k.Org[0]
	}
	return nil
}

// All are the keys the kiosk accepts, the organisation's first.
func (k Keys) All() [][]byte {
	all := append([][]byte(nil), k.Org...)
	if k.Local != nil {
		all = append(all, k.Local)
	}
	return all
}

// SettingsWriter is the part of the store SaveOrgKeys needs (store.DB has it).
type SettingsWriter interface {
	SetSetting(ctx context.Context, key, value string) error
}

// SaveOrgKeys seals and records the organisation's keys (current first), replacing those known.
// Each key must be 16 bytes at least; an empty list is refused (the central always has one).
func SaveOrgKeys(ctx context.Context, s SettingsWriter, keys [][]byte) error {
	const op = "checkin.SaveOrgKeys"
	if len(keys) == 0 || len(keys) > maxOrgKeys {
		return agenda.Errorf(op, agenda.Invalid, "%d clés d’organisation reçues : entre 1 et %d attendues", len(keys), maxOrgKeys)
	}
	enc := make([]string, len(keys))
	for i, k := range keys {
		if len(k) < 16 {
			return agenda.Errorf(op, agenda.Invalid, "clé d’organisation trop courte (%d octets)", len(k))
		}
		enc[i] = base64.RawStdEncoding.EncodeToString(k)
	}
	sealed, err := sealing.SealString(strings.Join(enc, ","))
	if err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	if err := s.SetSetting(ctx, OrgKeysKey, sealed); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	return nil
}

// LoadKeys returns the installation's secret (created on first use, see LoadSecret) and the
// organisation's keys the last sync recorded. Keys sealed elsewhere or damaged read as none.
func LoadKeys(ctx context.Context, s Settings) (Keys, error) {
	local, err := LoadSecret(ctx, s, nil)
	if err != nil {
		return Keys{}, err
	}
	k := Keys{Local: local}
	v, ok, err := s.Setting(ctx, OrgKeysKey)
	if err != nil {
		return Keys{}, agenda.E("checkin.LoadKeys", agenda.Other, err)
	}
	if !ok {
		return k, nil
	}
	opened, err := sealing.OpenString(v)
	if err != nil || opened == "" {
		return k, nil
	}
	for _, e := range strings.Split(opened, ",") {
		key, err := base64.RawStdEncoding.DecodeString(e)
		if err != nil || len(key) < 16 {
			return Keys{Local: local}, nil
		}
		k.Org = append(k.Org, key)
	}
	return k, nil
}

// VerifyAny is Verify with each of keys (Keys.All): a token signed by none of them is
// ErrForeign; any other answer is that of the key that signed it.
func VerifyAny(token string, keys [][]byte, now time.Time) (Claims, error) {
	err := agenda.E("checkin.Verify", agenda.Invalid, ErrForeign)
	for _, key := range keys {
		var c Claims
		if c, err = Verify(token, key, now); !errors.Is(err, ErrForeign) {
			return c, err
		}
	}
	return Claims{}, err
}

// MatchShortCodeAny is MatchShortCode with each of keys in turn: the first key under which the
// code names an RDV of candidates wins; ErrNoMatch when none does.
func MatchShortCodeAny(keys [][]byte, typed string, candidates []agenda.Rdv) (agenda.Rdv, error) {
	err := agenda.E("checkin.MatchShortCode", agenda.Invalid, ErrNoMatch)
	for _, key := range keys {
		var r agenda.Rdv
		if r, err = MatchShortCode(key, typed, candidates); !errors.Is(err, ErrNoMatch) {
			return r, err
		}
	}
	return agenda.Rdv{}, err
}

// SigningKey is LoadKeys' Signing key: what an office signs a new convocation with.
func SigningKey(ctx context.Context, s Settings) ([]byte, error) {
	k, err := LoadKeys(ctx, s)
	return k.Signing(), err
}
