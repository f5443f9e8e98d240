package store

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// safeFTS is the whole language ftsQuery may write: one digit prefix on the phone column, or
// quoted prefix terms of letters and digits joined by AND. Nothing the agent types can add an
// FTS5 operator, a column filter, a NEAR group or a quote.
var (
	ftsPhone = regexp.MustCompile(`^phone : "[0-9]+" \*$`)
	ftsTerm  = regexp.MustCompile(`^"([^"]+)" \*$`)
)

func checkFTSQuery(t *testing.T, q, got string) {
	t.Helper()
	if got == "" || ftsPhone.MatchString(got) {
		return
	}
	for _, part := range strings.Split(got, " AND ") {
		m := ftsTerm.FindStringSubmatch(part)
		if m == nil {
			t.Fatalf("ftsQuery(%q) = %q: %q is not a quoted prefix term", q, got, part)
		}
		for _, r := range m[1] {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Fatalf("ftsQuery(%q) = %q: term %q holds %q", q, got, m[1], r)
			}
		}
	}
}

// FuzzFTSQuery feeds what an agent could type (operators, quotes, column filters, control
// characters, bytes that are not UTF-8) to the search: the query ftsQuery builds is always one
// of its safe forms, and SQLite's FTS5 runs it without a syntax error.
func FuzzFTSQuery(f *testing.F) {
	for _, s := range []string{"dup jea", "hélène", "06 12 34", "+33612", "jean.dupont@", `"dupont" OR x`, "NEAR(a b)",
		"last_name: dupont", "a* -b ^c", "\x00\x1b@", "\xff\xfe", "d'Artagnan", "  ", "+", "Ⅻ ²", "(", "dupont AND NOT",
		strings.Repeat("a ", 300)} {
		f.Add(s)
	}
	fx := newFixture(f, 1)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		checkFTSQuery(t, q, ftsQuery(q))
		if _, err := fx.db.SearchUsagers(ctx, q, 5); err != nil {
			t.Fatalf("SearchUsagers(%q) [%s]: %v", q, ftsQuery(q), err)
		}
	})
}
