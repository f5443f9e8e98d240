package notify

import "regexp"

// What the sender writes to its log names messages, RDVs and usagers by their ids, never by
// their phone number or e-mail address (issue 10, #11). Redact masks what may still carry one: a
// provider's or a mail server's error quoting the recipient.
var (
	emailLike = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+`)
	// A phone number: an optional +, then at least 8 digits, possibly split by spaces, dots or
	// dashes (« +33612345678 », « 06 12 34 56 78 », « 33612345678 »).
	// A UUID (our ids) is matched first and kept as it is.
	phoneLike = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\+?\d(?:[ .\-]?\d){7,}`)
	uuidLike  = regexp.MustCompile(`^[0-9a-fA-F]{8}-`)
)

// Redact replaces e-mail addresses and phone numbers in s by « [adresse] » and « [numéro] ».
func Redact(s string) string {
	s = emailLike.ReplaceAllString(s, "[adresse]")
	return phoneLike.ReplaceAllStringFunc(s, func(m string) string {
		if uuidLike.MatchString(m) {
			return m
		}
		return "[numéro]"
	})
}
