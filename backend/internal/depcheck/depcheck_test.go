package depcheck

import (
	"fmt"
	"testing"
)

// recorder is a testing.TB that keeps the errors instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// The check sees a real dependency (the store uses database/sql) and passes a package without it.
func TestForbidSeesDependencies(t *testing.T) {
	r := &recorder{TB: t}
	Forbid(r, "rdvguichet/backend/store", "database/sql")
	if len(r.errors) == 0 {
		t.Error("the store's dependency on database/sql was not seen")
	}
	r = &recorder{TB: t}
	Forbid(r, "rdvguichet/backend/agenda", IO...)
	if len(r.errors) != 0 {
		t.Errorf("agenda: %v", r.errors)
	}
}
