package agenda

// Codes of the « Hardening » issue's last cases: the SMTP secret of « Tester l'envoi », the
// persistent limits of the sign-in and the kiosk's check-in (store/attempts.go), changing one's
// own password, and the personal data (RGPD): the retention purge, the usager's export and
// erasure (store/rgpd.go). Texts in locales/fr/rgpd.json.
var (
	// The form names another server (host, port or user) than the stored one without typing the
	// password: the stored password is never sent to a server it was not given for.
	CodeSMTPPasswordNeeded = define("smtp_password_needed", Invalid, false)

	// Sign-in: too many refused attempts for this login (or for the window as a whole); param
	// "seconds". During the wait every attempt is refused, the right password too: otherwise the
	// wait would not slow down a guess.
	CodeSignInLocked = define("sign_in_locked", Forbidden, false)
	// Changing one's own password needs the current one; a wrong one is refused (and counted as a
	// failed sign-in of that login).
	CodeCurrentPasswordWrong = define("current_password_wrong", Forbidden, false)

	// Kiosk: too many codes not recognised in a short time; param "seconds".
	CodeKioskTooManyCodes = define("kiosk_too_many_codes", Invalid, false)

	// RGPD.
	CodeRetentionBounds = define("retention_bounds", Invalid, false) // params "min", "max" (years)
	CodeUsagerErased    = define("usager_erased", Invalid, false)    // the usager's data are already erased
)
