package agenda

// Codes of the text rules (text.go, issue 10, #5) and of the holiday rules (holidays.go,
// issue 10, #15). They are field rules like those of codes_fields.go: set in FieldError.Code,
// with their text in the door's catalogue (backend/messages, locales/<lang>/text.json).
var (
	// CodeTextInvalidUTF8: the bytes are not UTF-8 text (a file read in Latin-1, a broken pipe).
	CodeTextInvalidUTF8 = define("text_invalid_utf8", Invalid, false)
	// CodeNameControlChar: a name or a title (one line) holds a control character: C0 (tab and
	// line feed included), DEL or C1.
	CodeNameControlChar = define("name_control_character", Invalid, false)
	// CodeNameFormatChar: a name or a title holds an invisible layout character: a line or
	// paragraph separator (U+2028, U+2029) or a bidirectional control (U+202A–202E, U+2066–2069,
	// and the marks U+061C, U+200E, U+200F), which can make a name read otherwise than it is.
	CodeNameFormatChar = define("name_format_character", Invalid, false)
	// CodeTextControlChar: a free text (several lines) holds a control character other than a
	// line feed or a tab.
	CodeTextControlChar = define("text_control_character", Invalid, false)
	// CodeDepartementUnsupported: a real INSEE code whose public holidays RDV Guichet does not
	// model (984, the Terres australes et antarctiques, without communes; 985, Mayotte's former
	// code): refused rather than given the métropole's holidays.
	CodeDepartementUnsupported = define("departement_unsupported", Invalid, false)
)
