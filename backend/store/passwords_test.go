package store

import (
	"runtime"
	"strings"
	"testing"
)

// A stored hash whose parameters are out of bounds (a damaged or hostile row) matches nothing and
// allocates nothing: m=4 GiB would otherwise be attempted at the next sign-in.
func TestCheckPasswordRefusesUnboundedParameters(t *testing.T) {
	h, err := HashPassword("demo-guichet")
	if err != nil {
		t.Fatal(err)
	}
	for _, params := range []string{"m=4194304,t=3,p=2", "m=65536,t=1000,p=2", "m=65536,t=3,p=200", "m=0,t=3,p=2", "m=65536,t=0,p=2", "m=8,t=3,p=2"} {
		bad := strings.Replace(h, "m=65536,t=3,p=2", params, 1)
		if CheckPassword(bad, "demo-guichet") {
			t.Errorf("%s: accepted", params)
		}
	}
}

// After a sign-in's check, argon2id's 64 MiB are given back to the system (issue 16, #3): the
// memory the runtime holds from the system (heap obtained minus released) is back near its level
// before the check.
func TestCheckPasswordGivesItsMemoryBack(t *testing.T) {
	h, err := HashPassword("demo-guichet")
	if err != nil {
		t.Fatal(err)
	}
	held := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapSys - m.HeapReleased
	}
	before := held()
	if !CheckPassword(h, "demo-guichet") {
		t.Fatal("the password does not match its hash")
	}
	if after := held(); after > before+16<<20 {
		t.Fatalf("heap held from the system: %d MiB before the check, %d MiB after", before>>20, after>>20)
	}
}
