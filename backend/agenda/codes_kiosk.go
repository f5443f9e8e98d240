package agenda

// Codes of the lobby kiosk's use cases (backend/kiosk): its check-in and its booking for a new
// usager. Their texts speak to the usager, in French and English (locales/*/kiosk.json).
var (
	// Check-in.
	CodeKioskUnknownCode = define("kiosk_unknown_code", NotFound, false) // the code matches no RDV of today
	CodeKioskCodeExpired = define("kiosk_code_expired", Invalid, false)  // the convocation's day is past
	CodeKioskCancelled   = define("kiosk_rdv_cancelled", Invalid, false)
	CodeKioskOtherDay    = define("kiosk_other_day", Invalid, false) // param "start" (RFC 3339); the door adds "when"

	// Booking.
	CodeKioskChooseTime  = define("kiosk_choose_time", Invalid, false)
	CodeKioskTimeGone    = define("kiosk_time_withdrawn", Invalid, false) // the engine refused the time (window, grid)
	CodeKioskFields      = define("kiosk_fields", Invalid, false)         // the form has fields to correct
	CodeKioskPhoneNeeded = define("kiosk_phone_missing", Invalid, false)
	CodeKioskPhoneBad    = define("kiosk_phone_invalid", Invalid, false)
	CodeKioskPreDemande  = define("kiosk_predemande_missing", Invalid, false)
	CodeKioskPreDemandeX = define("kiosk_predemande_invalid", Invalid, false)
	CodeKioskPreDemande2 = define("kiosk_predemande_duplicate", Invalid, false)
)
