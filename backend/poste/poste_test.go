package poste

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFingerprintAsShownAndTyped(t *testing.T) {
	fp := Fingerprint([]byte("certificat"))
	if len(fp) != 79 || strings.Count(fp, " ") != 15 || fp != strings.ToUpper(fp) {
		t.Errorf("fingerprint %q", fp)
	}
	typed := strings.ToLower(strings.ReplaceAll(fp, " ", ":"))
	if !SameFingerprint(fp, typed) || SameFingerprint(fp, Fingerprint([]byte("autre"))) || SameFingerprint("", "") {
		t.Error("comparison")
	}
}

func TestPairingCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c, err := newCode()
		if err != nil || len(c) != 12 || c[4] != '-' || c[9] != '-' || seen[c] {
			t.Fatalf("code %q %v", c, err)
		}
		seen[c] = true
		if n := NormalizeCode(c); len(n) != 10 || strings.ContainsAny(n, "ILOU-") {
			t.Errorf("%q → %q", c, n)
		}
	}
	// Typed as people type: lower case, spaces, look-alikes.
	if NormalizeCode("7kqm x4pd-2h") != "7KQMX4PD2H" || NormalizeCode("O1IL") != "0111" {
		t.Errorf("%q %q", NormalizeCode("7kqm x4pd-2h"), NormalizeCode("O1IL"))
	}
}

func TestCredentialsAreRandomAndHashed(t *testing.T) {
	a, _ := NewCredential()
	b, _ := NewCredential()
	if a == b || len(a) != 43 || len(Hash(a)) != 32 || string(Hash(a)) == string(Hash(b)) {
		t.Errorf("%q %q", a, b)
	}
}

// The poste's configuration is private to its user, its credential sealed, and opens its client.
func TestConfigSavedPrivateAndSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "poste.json")
	if _, ok, err := LoadConfig(path); ok || err != nil {
		t.Fatalf("no file: %v %v", ok, err)
	}
	cfg, err := Paired(Pairing{Address: "192.168.1.10:47650", PairReply: PairReply{Credential: "secret-du-poste", PosteID: "p", Name: "Borne", Role: "borne", Fingerprint: "AB"}})
	if err != nil || cfg.Credential == "secret-du-poste" {
		t.Fatalf("sealed: %q %v", cfg.Credential, err)
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Errorf("mode: %v %v", st.Mode(), err)
	}
	back, ok, err := LoadConfig(path)
	if err != nil || !ok || back.Name != "Borne" {
		t.Fatalf("%+v %v %v", back, ok, err)
	}
	c, err := back.Client()
	if err != nil || c.credential != "secret-du-poste" || c.Address() != "192.168.1.10:47650" {
		t.Errorf("client: %+v %v", c, err)
	}
}
