package checkin

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// shortCodeModel is what NormalizeShortCode promises, written the plain way: the typed text
// without its separators (spaces, no-break spaces, tabs, hyphens), ASCII letters in either case,
// eight characters of ShortAlphabet.
func shortCodeModel(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r == ' ' || r == '-' || r == '\u00a0' || r == '\u202f' || r == '\t':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r < 128 && strings.ContainsRune(ShortAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	s := b.String()
	if len(s) != ShortLen || strings.Trim(s, ShortAlphabet) != "" {
		return "", false
	}
	return s, true
}

// FuzzNormalizeShortCode: what the kiosk's keyboard sends is read as the model reads it; an
// accepted code is eight characters of ShortAlphabet; a refusal is ErrMalformed, kind Invalid.
func FuzzNormalizeShortCode(f *testing.F) {
	code := ShortCode(secret, rdvID)
	for _, s := range []string{code, strings.ToLower(code), code[:4] + " - " + code[4:], FormatShortCode(code), "",
		"ABCD0FGH", "ABCDIFGH", "ABCDEFGHJ", "ÉBCDEFGH", "abcd\u202fefgh", "\x00BCDEFGH", "\xffBCDEFGH"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		got, err := NormalizeShortCode(typed)
		want, ok := shortCodeModel(typed)
		if err != nil {
			if ok {
				t.Fatalf("%q refused (%v), the model reads %q", typed, err, want)
			}
			if !errors.Is(err, ErrMalformed) || agenda.KindOf(err) != agenda.Invalid {
				t.Fatalf("%q: %v", typed, err)
			}
			return
		}
		if !ok || got != want {
			t.Fatalf("%q read as %q, the model says %q (%v)", typed, got, want, ok)
		}
		// The kiosk matches it against the day's RDVs without failing otherwise than by a code.
		rdvs := []agenda.Rdv{{ID: rdvID, Status: agenda.StatusUnknown}}
		if r, err := MatchShortCode(secret, typed, rdvs); err == nil && ShortCode(secret, r.ID) != got {
			t.Fatalf("%q matched %s", typed, r.ID)
		} else if err != nil && !errors.Is(err, ErrNoMatch) {
			t.Fatalf("%q: %v", typed, err)
		}
	})
}

// FuzzTokenSpelling: a token has one spelling, up to ASCII case and the whitespace a scanner
// adds around it. Whatever Verify accepts is, once trimmed, ASCII and equal to the token Sign
// writes, ignoring case; any other input is refused as Invalid, never with a panic.
func FuzzTokenSpelling(f *testing.F) {
	start := time.Date(2026, 3, 3, 9, 30, 0, 0, paris)
	tok, _ := Sign(secret, rdvID, Expiry(start, paris))
	for _, s := range []string{tok, strings.ToLower(tok), " " + tok + "\r\n", tok[:10], tok + "A", "\u00a0" + tok,
		strings.Replace(tok, "S", "\u017f", 1), "\x00" + tok[1:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Verify(s, secret, start)
		if err != nil {
			if agenda.KindOf(err) != agenda.Invalid {
				t.Fatalf("%q: kind %v", s, agenda.KindOf(err))
			}
			return
		}
		trimmed := strings.TrimSpace(s)
		for i := 0; i < len(trimmed); i++ {
			if trimmed[i] >= 0x80 {
				t.Fatalf("accepted %q: byte %#02x is not ASCII", s, trimmed[i])
			}
		}
		again, err := Sign(secret, c.RdvID, c.Expires)
		if err != nil || !strings.EqualFold(again, trimmed) {
			t.Fatalf("accepted %q, which Sign writes %q (%v)", s, again, err)
		}
	})
}
