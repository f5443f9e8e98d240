package checkin_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/secret"
	"rdvguichet/backend/store"
)

const (
	keysRdv    = "019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b"
	keysUsager = "019a6b2c-0000-7000-8000-000000000001"
)

// The organisation's keys are sealed in the file; the office then signs with the current one,
// and its kiosk accepts what any of them or the installation's secret signed.
func TestOrgKeys(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "office.sqlite"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	before, err := checkin.LoadKeys(ctx, db)
	if err != nil || before.Org != nil || before.Link() != nil || !bytes.Equal(before.Signing(), before.Local) {
		t.Fatalf("before any sync: %+v %v", before, err)
	}
	current, old := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if err := checkin.SaveOrgKeys(ctx, db, [][]byte{current, old}); err != nil {
		t.Fatal(err)
	}
	stored, _, _ := db.Setting(ctx, checkin.OrgKeysKey)
	if !secret.Sealed(stored) {
		t.Fatalf("keys stored unsealed: %q", stored)
	}
	k, err := checkin.LoadKeys(ctx, db)
	if err != nil || !bytes.Equal(k.Signing(), current) || !bytes.Equal(k.Link(), current) || len(k.All()) != 3 || !bytes.Equal(k.Local, before.Local) {
		t.Fatalf("after the sync: %+v %v", k, err)
	}
	exp := time.Now().Add(24 * time.Hour)
	for _, key := range k.All() {
		tok, err := checkin.Sign(key, keysRdv, exp)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := checkin.VerifyAny(tok, k.All(), time.Now()); err != nil || c.RdvID != keysRdv {
			t.Errorf("VerifyAny: %+v %v", c, err)
		}
		rdvs := []agenda.Rdv{{ID: keysRdv}}
		if r, err := checkin.MatchShortCodeAny(k.All(), checkin.ShortCode(key, keysRdv), rdvs); err != nil || r.ID != keysRdv {
			t.Errorf("MatchShortCodeAny: %+v %v", r, err)
		}
	}
	foreign, _ := checkin.Sign(bytes.Repeat([]byte{3}, 32), keysRdv, exp)
	if _, err := checkin.VerifyAny(foreign, k.All(), time.Now()); !errors.Is(err, checkin.ErrForeign) {
		t.Errorf("foreign token: %v", err)
	}
	for _, bad := range [][][]byte{nil, {[]byte("short")}} {
		if err := checkin.SaveOrgKeys(ctx, db, bad); agenda.KindOf(err) != agenda.Invalid {
			t.Errorf("SaveOrgKeys(%q) = %v", bad, err)
		}
	}
	// A value that cannot be opened here (sealed on another PC) reads as no key.
	if err := db.SetSetting(ctx, checkin.OrgKeysKey, secret.PrefixDPAPI+"AAAA"); err != nil {
		t.Fatal(err)
	}
	if k, err := checkin.LoadKeys(ctx, db); err != nil || k.Org != nil {
		t.Errorf("unreadable keys: %+v %v", k, err)
	}
}

// A link names its RDV; only the organisation's keys find who holds it; an altered link, another
// usager's or another key's is nobody's.
func TestLinkToken(t *testing.T) {
	key, old := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	tok, err := checkin.LinkToken(key, keysRdv, keysUsager)
	if err != nil || len(tok) != checkin.LinkChars || strings.ContainsAny(tok, "+/=") {
		t.Fatalf("LinkToken = %q, %v", tok, err)
	}
	if id, ok := checkin.LinkRdv(tok); !ok || id != keysRdv {
		t.Fatalf("LinkRdv = %q %v", id, ok)
	}
	others := []string{"019a6b2c-0000-7000-8000-000000000002", keysUsager}
	if u, ok := checkin.LinkHolder(tok, [][]byte{old, key}, others); !ok || u != keysUsager {
		t.Fatalf("LinkHolder = %q %v", u, ok)
	}
	if _, ok := checkin.LinkHolder(tok, [][]byte{old}, others); ok {
		t.Error("a link verified with another key")
	}
	if _, ok := checkin.LinkHolder(tok, [][]byte{key}, others[:1]); ok {
		t.Error("a link held by another usager")
	}
	altered := []byte(tok)
	altered[30] ^= 1
	if _, ok := checkin.LinkHolder(string(altered), [][]byte{key}, others); ok {
		t.Error("an altered link verified")
	}
	if _, ok := checkin.LinkRdv(tok[:42]); ok {
		t.Error("a short link parsed")
	}
	if _, err := checkin.LinkToken(key, "not-a-uuid", keysUsager); err == nil {
		t.Error("LinkToken accepted a malformed id")
	}
}
