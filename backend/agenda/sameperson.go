package agenda

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SamePerson reports whether two usagers are most likely one person: the same last and first
// names (case, accents, hyphens and apostrophes aside) and the same phone number or the same birth
// date. Before a new usager is created, the existing ones that are the same person are offered
// instead (« C'est la même personne ? »): a second file for one person splits their history and
// their ANTS pré-demandes. Phones are compared as stored (E.164, see NormalizePhone).
func SamePerson(a, b Usager) bool {
	return SameName(a, b) && ((a.Phone != "" && a.Phone == b.Phone) || (!a.BirthDate.IsZero() && a.BirthDate == b.BirthDate))
}

// SameName reports whether two usagers bear the same last and first names, folded as SamePerson
// folds them; a last name is required.
func SameName(a, b Usager) bool {
	last := foldName(a.LastName)
	return last != "" && last == foldName(b.LastName) && foldName(a.FirstName) == foldName(b.FirstName)
}

// NameOnly reports whether u is known by their name alone: no birth date, phone or e-mail tells
// them from a namesake.
func (u Usager) NameOnly() bool {
	return u.BirthDate.IsZero() && u.Phone == "" && u.Email == ""
}

// foldName writes a name without accents, in lower case, its words separated by one space
// (« Lefèvre-Durand » and « LEFEVRE DURAND » agree).
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
