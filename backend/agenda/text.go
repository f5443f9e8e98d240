package agenda

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text hygiene (issue 10, #5). Names and free text come from the agents' forms, the command line
// and the lobby kiosk, are stored, sent to the central server and printed raw on ESC/POS tickets,
// where a control character is a printer command (ESC @ resets the printer, GS V cuts the paper).
// Two kinds of text:
//
//   - a name (usager's names, names and titles of entities, a lieu's street and city, a motif's
//     pièces) is one line: no control character at all (C0, tab and line feed included, DEL,
//     C1), no line or paragraph separator (U+2028, U+2029) and no bidirectional control
//     (Unicode's Bidi_Control: the embeddings and overrides U+202A–202E, the isolates
//     U+2066–2069, the marks U+061C, U+200E, U+200F), which can make a name read otherwise than
//     it is stored (« Trojan Source »);
//   - a free text (a lieu's accessibility notes, a motif's instructions, an RDV's context) may
//     hold line feeds and tabs, and no other control character.
//
// Both must be UTF-8. The stores save text in Unicode NFC (a macOS keyboard or a pasted PDF
// gives « é » as e + U+0301: one spelling in the database, for search and for uniqueness): call
// the entity's Normalized method before Validate. Normalisation never makes invalid text valid;
// Validate refuses it with the codes of codes_text.go.

// NormalizeName returns s in NFC. Text that is not UTF-8 is returned as it is, for Validate to
// refuse.
func NormalizeName(s string) string {
	if !utf8.ValidString(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// NormalizeFreeText returns s in NFC with its line breaks written "\n": CR LF, a lone CR, and
// the Unicode line and paragraph separators (U+2028, U+2029). Text that is not UTF-8 is returned
// as it is, for Validate to refuse.
func NormalizeFreeText(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	if strings.ContainsAny(s, "\r\u2028\u2029") {
		s = lineBreaks.Replace(s)
	}
	return NormalizeName(s)
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n")

// textProblem returns the code of the first rule s breaks as a name (multiline false) or as a
// free text (multiline true), or "".
func textProblem(s string, multiline bool) Code {
	if !utf8.ValidString(s) {
		return CodeTextInvalidUTF8
	}
	for _, r := range s {
		switch {
		case isControl(r):
			if multiline && (r == '\n' || r == '\t') {
				continue
			}
			if multiline {
				return CodeTextControlChar
			}
			return CodeNameControlChar
		case !multiline && (r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)):
			return CodeNameFormatChar
		}
	}
	return ""
}

// isControl reports whether r is a C0 control, DEL or a C1 control (Unicode category Cc).
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// ValidName reports whether s may be stored as a name: UTF-8, no control, separator or
// bidirectional control character. It does not check emptiness nor length.
func ValidName(s string) bool { return textProblem(s, false) == "" }

// ValidFreeText reports whether s may be stored as a free text: UTF-8, no control character
// other than line feed and tab.
func ValidFreeText(s string) bool { return textProblem(s, true) == "" }

// checkLine adds the text rule a one-line name breaks and reports whether it is clean.
func (f *fieldErrors) checkLine(field, value string) bool {
	if c := textProblem(value, false); c != "" {
		f.rule(field, c)
		return false
	}
	return true
}

// checkFreeText adds the text rule a free text breaks.
func (f *fieldErrors) checkFreeText(field, value string) {
	if c := textProblem(value, true); c != "" {
		f.rule(field, c)
	}
}

// Normalized returns the organisation with its text in NFC (see NormalizeName).
func (o Organisation) Normalized() Organisation {
	o.Name = NormalizeName(o.Name)
	return o
}

// Normalized returns the lieu with its names in NFC and its accessibility notes normalised as a
// free text.
func (l Lieu) Normalized() Lieu {
	l.Name, l.Street, l.City = NormalizeName(l.Name), NormalizeName(l.Street), NormalizeName(l.City)
	l.Accessibility = NormalizeFreeText(l.Accessibility)
	return l
}

// Normalized returns the agent with its name in NFC.
func (a Agent) Normalized() Agent {
	a.Name = NormalizeName(a.Name)
	return a
}

// Normalized returns the motif with its name and pièces in NFC and its instructions normalised
// as a free text. The pièces are a new slice: the caller's is not changed.
func (m Motif) Normalized() Motif {
	m.Name = NormalizeName(m.Name)
	if m.Pieces != nil {
		pieces := make([]string, len(m.Pieces))
		for i, p := range m.Pieces {
			pieces[i] = NormalizeName(p)
		}
		m.Pieces = pieces
	}
	m.Instructions = NormalizeFreeText(m.Instructions)
	return m
}

// Normalized returns the plage with its title in NFC.
func (p PlageOuverture) Normalized() PlageOuverture {
	p.Title = NormalizeName(p.Title)
	return p
}

// Normalized returns the absence with its title in NFC.
func (a Absence) Normalized() Absence {
	a.Title = NormalizeName(a.Title)
	return a
}

// Normalized returns the usager with its names in NFC.
func (u Usager) Normalized() Usager {
	u.FirstName, u.LastName, u.BirthName = NormalizeName(u.FirstName), NormalizeName(u.LastName), NormalizeName(u.BirthName)
	return u
}

// Normalized returns the RDV with its context normalised as a free text.
func (r Rdv) Normalized() Rdv {
	r.Context = NormalizeFreeText(r.Context)
	return r
}
