package secret

import (
	"encoding/base64"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// A sealed value names its scheme, never shows the secret, and opens back to it.
func TestSealFormatAndRoundTrip(t *testing.T) {
	for _, s := range []string{"mot-de-passe", "clé d'API é€ 🔑", strings.Repeat("x", 4096)} {
		v, err := SealString(s)
		if err != nil {
			t.Fatal(err)
		}
		want := PrefixPlain
		if runtime.GOOS == "windows" {
			want = PrefixDPAPI
		}
		if !strings.HasPrefix(v, want) || Scheme()+":" != want || !Sealed(v) {
			t.Fatalf("sealed %q as %q, want the prefix %q", s, v, want)
		}
		if strings.Contains(v, s) {
			t.Fatalf("the secret shows in the sealed value %q", v)
		}
		if _, err := base64.StdEncoding.DecodeString(v[len(want):]); err != nil {
			t.Fatalf("not base64 after the prefix: %q", v)
		}
		got, err := OpenString(v)
		if err != nil || got != s {
			t.Fatalf("open(%q) = %q, %v", v, got, err)
		}
	}
}

// Values written before the sealing (clear text) are still read, unchanged, and reported as not
// sealed so that the next save seals them.
func TestOldClearValuesAreRead(t *testing.T) {
	for _, s := range []string{"hunter2", "jeton-du-guichet-7f3a", "a:b", "DPAPI:majuscules", " espace "} {
		got, err := OpenString(s)
		if err != nil || got != s {
			t.Errorf("old clear value %q read as %q, %v", s, got, err)
		}
		if Sealed(s) {
			t.Errorf("%q taken for a sealed value", s)
		}
	}
}

func TestEmptyIsNotSet(t *testing.T) {
	if v, err := Seal(nil); v != "" || err != nil {
		t.Fatalf("Seal(nil) = %q, %v", v, err)
	}
	if b, err := Open(""); b != nil || err != nil {
		t.Fatalf("Open(\"\") = %q, %v", b, err)
	}
}

// A value sealed elsewhere or damaged is unreadable, with an error that says so without the value.
func TestUnreadable(t *testing.T) {
	bad := []string{"plain:!!pas-du-base64", "dpapi:", "dpapi:%%%"}
	if runtime.GOOS != "windows" {
		// A value sealed by DPAPI on a Windows PC, read here (a data file carried to Linux).
		bad = append(bad, "dpapi:"+base64.StdEncoding.EncodeToString([]byte("blob DPAPI")))
	}
	for _, v := range bad {
		if _, err := Open(v); !errors.Is(err, ErrUnreadable) {
			t.Errorf("Open(%q) = %v, want ErrUnreadable", v, err)
		}
	}
	// A plain value is read on every system (a data file carried from Linux to Windows).
	if got, err := OpenString("plain:" + base64.StdEncoding.EncodeToString([]byte("s3cret"))); err != nil || got != "s3cret" {
		t.Fatalf("plain value: %q, %v", got, err)
	}
}
