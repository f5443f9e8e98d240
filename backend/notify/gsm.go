package notify

import "strings"

// GSM 03.38: the 7-bit alphabet every handset reads. One SMS holds 160 of its characters (153 per
// part when concatenated); a single character outside it switches the whole message to UCS-2 and
// 70 characters (67 per part), so an « ê » can double the bill. French accents that are in the
// alphabet (é è à ù ì ò É) are kept; the others are transliterated (domain.md 4.3).

// gsmBasic is the basic character set (one unit each).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension characters cost two units (escape + character).
const gsmExtension = "^{}\\[~]|€\f"

// transliteration maps the characters French texts use that GSM-7 lacks. Ç is in the basic set
// but handsets disagree on it (some show ç): it is written C.
var transliteration = map[rune]string{
	'â': "a", 'á': "a", 'ã': "a", 'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A",
	'ç': "c", 'Ç': "C",
	'ê': "e", 'ë': "e", 'È': "E", 'Ê': "E", 'Ë': "E",
	'î': "i", 'ï': "i", 'í': "i", 'Î': "I", 'Ï': "I", 'Í': "I", 'Ì': "I",
	'ô': "o", 'ó': "o", 'õ': "o", 'Ô': "O", 'Ó': "O", 'Õ': "O", 'Ò': "O",
	'û': "u", 'ú': "u", 'Û': "U", 'Ù': "U", 'Ú': "U",
	'ÿ': "y", 'Ÿ': "Y", 'ý': "y", 'Ý': "Y",
	'œ': "oe", 'Œ': "OE",
	'’': "'", '‘': "'", 'ʼ': "'", '′': "'",
	'«': "\"", '»': "\"", '“': "\"", '”': "\"", '„': "\"",
	'–': "-", '—': "-", '‑': "-", '−': "-",
	'…':      "...",
	'\u00a0': " ", '\u202f': " ", '\u2009': " ", '\u2007': " ", '\t': " ",
	'°': "o",
}

// ToGSM returns s in the GSM-7 alphabet: transliterated where French needs it, anything else
// replaced by « ? ». Consecutive spaces left by the typographic spaces are kept as they are.
func ToGSM(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsmBasic, r) && r != 'Ç':
			b.WriteRune(r)
		case strings.ContainsRune(gsmExtension, r):
			b.WriteRune(r)
		default:
			if t, ok := transliteration[r]; ok {
				b.WriteString(t)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// IsGSM reports whether every character of s is in the GSM-7 alphabet (basic or extension).
func IsGSM(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(gsmBasic, r) && !strings.ContainsRune(gsmExtension, r) {
			return false
		}
	}
	return true
}

// GSMUnits counts the 7-bit units of s (extension characters count two). s must be GSM-7.
func GSMUnits(s string) int {
	n := 0
	for _, r := range s {
		n++
		if strings.ContainsRune(gsmExtension, r) {
			n++
		}
	}
	return n
}

// SMSBudget is the size of one SMS in GSM-7 units.
const SMSBudget = 160

// SMSParts returns how many SMS a GSM-7 text is billed as.
func SMSParts(s string) int {
	u := GSMUnits(s)
	if u <= SMSBudget {
		return 1
	}
	return (u + 152) / 153
}
