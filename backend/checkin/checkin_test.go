package checkin

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

var (
	secret = bytes.Repeat([]byte{7}, 32)
	other  = bytes.Repeat([]byte{9}, 32)
	rdvID  = "019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b"
	paris  = mustLoc("Europe/Paris")
)

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func TestSignVerify(t *testing.T) {
	start := time.Date(2026, 3, 3, 9, 30, 0, 0, paris)
	exp := Expiry(start, paris)
	if want := time.Date(2026, 3, 4, 0, 0, 0, 0, paris); !exp.Equal(want) {
		t.Fatalf("expiry %v, want %v", exp, want)
	}
	tok, err := Sign(secret, rdvID, exp)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != TokenChars || strings.Trim(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		t.Fatalf("token %q: want %d base32 characters", tok, TokenChars)
	}
	c, err := Verify(tok, secret, start)
	if err != nil {
		t.Fatal(err)
	}
	if c.RdvID != rdvID || !c.Expires.Equal(exp) {
		t.Fatalf("claims %+v", c)
	}
	// Lower case and stray spaces from a scanner are accepted.
	if _, err := Verify(" "+strings.ToLower(tok)+"\n", secret, start); err != nil {
		t.Fatal(err)
	}
	// Just before midnight: still valid; at midnight: expired.
	if _, err := Verify(tok, secret, exp.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	check(t, tok, secret, exp, ErrExpired)
	check(t, tok, other, start, ErrForeign)
	check(t, "", secret, start, ErrMalformed)
	check(t, "HELLO", secret, start, ErrMalformed)
	check(t, tok[:len(tok)-1]+"0", secret, start, ErrMalformed)

	// Any change to any character is refused, never accepted for another RDV.
	for i := range tok {
		for _, r := range "AZ27" {
			if rune(tok[i]) == r {
				continue
			}
			alt := tok[:i] + string(r) + tok[i+1:]
			if _, err := Verify(alt, secret, start); err == nil {
				t.Fatalf("altered token %q (position %d) accepted", alt, i)
			}
		}
	}
	// An altered expiry (pushed to 2030) is reported as altered, not as valid.
	raw, _ := b32.DecodeString(tok)
	raw[1+kidLen+idLen] = 0x72
	check(t, b32.EncodeToString(raw), secret, start, ErrAltered)
}

func check(t *testing.T, tok string, key []byte, now time.Time, want error) {
	t.Helper()
	_, err := Verify(tok, key, now)
	if !errors.Is(err, want) {
		t.Fatalf("Verify(%q) = %v, want %v", tok, err, want)
	}
	if agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("kind %v, want invalid", agenda.KindOf(err))
	}
}

func TestSignRejectsNonUUID(t *testing.T) {
	if _, err := Sign(secret, "rdv-1", time.Unix(2e9, 0)); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("err = %v", err)
	}
}

func TestShortCode(t *testing.T) {
	code := ShortCode(secret, rdvID)
	if len(code) != ShortLen || strings.Trim(code, ShortAlphabet) != "" {
		t.Fatalf("code %q", code)
	}
	if code != ShortCode(secret, rdvID) || code == ShortCode(other, rdvID) {
		t.Fatal("short code must depend on the secret and nothing else")
	}
	typed := strings.ToLower(code[:4]) + " - " + code[4:]
	rdvs := []agenda.Rdv{
		{ID: "019a6b2c-0000-7000-8000-000000000001", Status: agenda.StatusUnknown},
		{ID: rdvID, Status: agenda.StatusUnknown},
	}
	got, err := MatchShortCode(secret, typed, rdvs)
	if err != nil || got.ID != rdvID {
		t.Fatalf("MatchShortCode = %v, %v", got.ID, err)
	}
	rdvs[1].Status = agenda.StatusExcused
	if _, err := MatchShortCode(secret, code, rdvs); !errors.Is(err, ErrNoMatch) {
		t.Fatalf("cancelled RDV matched: %v", err)
	}
	for _, bad := range []string{"", "ABCD", "ABCD0FGH", "ABCDIFGH", "ABCDEFGHJ", "ÉBCDEFGH"} {
		if _, err := NormalizeShortCode(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("NormalizeShortCode(%q) = %v", bad, err)
		}
	}
	if got := FormatShortCode("ABCDEFGH"); got != "ABCD\u00a0EFGH" {
		t.Fatalf("FormatShortCode = %q", got)
	}
}

type memSettings map[string]string

func (m memSettings) Setting(_ context.Context, k string) (string, bool, error) {
	v, ok := m[k]
	return v, ok, nil
}
func (m memSettings) InitSetting(_ context.Context, k, v string) (string, error) {
	if old, ok := m[k]; ok {
		return old, nil
	}
	m[k] = v
	return v, nil
}

func TestLoadSecret(t *testing.T) {
	ctx := context.Background()
	m := memSettings{}
	s1, err := LoadSecret(ctx, m, nil)
	if err != nil || len(s1) != 32 {
		t.Fatalf("LoadSecret = %x, %v", s1, err)
	}
	s2, err := LoadSecret(ctx, m, nil)
	if err != nil || !bytes.Equal(s1, s2) {
		t.Fatal("second LoadSecret must return the stored secret")
	}
	m[SecretKey] = "zz"
	if _, err := LoadSecret(ctx, m, nil); err == nil {
		t.Fatal("damaged secret accepted")
	}
}

// FuzzVerify feeds arbitrary text to the decoder: it must never panic, and anything it accepts
// must be exactly a token Sign makes for the claims it returns.
func FuzzVerify(f *testing.F) {
	start := time.Date(2026, 3, 3, 9, 30, 0, 0, paris)
	tok, _ := Sign(secret, rdvID, Expiry(start, paris))
	f.Add(tok)
	f.Add(strings.ToLower(tok))
	f.Add("")
	f.Add(strings.Repeat("A", TokenChars))
	f.Add(tok[:TokenChars-1] + "B")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Verify(s, secret, start)
		if err != nil {
			if agenda.KindOf(err) != agenda.Invalid {
				t.Fatalf("kind %v for %q", agenda.KindOf(err), s)
			}
			return
		}
		again, err := Sign(secret, c.RdvID, c.Expires)
		if err != nil || again != strings.ToUpper(strings.TrimSpace(s)) {
			t.Fatalf("accepted %q, which Sign writes %q (%v)", s, again, err)
		}
	})
}
