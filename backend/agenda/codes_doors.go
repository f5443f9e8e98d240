package agenda

// Codes of the doors themselves (sign-in, sessions, what a form must send): refused before any
// rule of the domain is asked. They are in the one list so that every door and catalogue knows them.
var (
	CodeAdminOnly        = define("admin_only", Forbidden, false)
	CodeSignInRefused    = define("sign_in_refused", Forbidden, false)
	CodeSignInWait       = define("sign_in_wait", Forbidden, false) // param "seconds"
	CodeAccountDisabled  = define("account_disabled", Forbidden, false)
	CodeOwnPasswordOnly  = define("own_password_only", Forbidden, false)
	CodeNoOrganisation   = define("no_organisation", NotFound, false)
	CodeNotDemo          = define("not_demo", Invalid, false)
	CodeUnknownFormat    = define("unknown_format", Invalid, false) // param "format"
	CodeChooseMotif      = define("choose_motif", Invalid, false)
	CodeChooseSlot       = define("choose_slot", Invalid, false)
	CodeChooseDay        = define("choose_day", Invalid, false)
	CodeBadPeriod        = define("bad_period", Invalid, false)
	CodeNoTicketPrinter  = define("no_ticket_printer", Invalid, false)
	CodePrinterFailed    = define("printer_failed", Unavailable, false) // params "detail" (the printer's own words), "printer"
	CodeKioskNotBookable = define("kiosk_not_bookable", Invalid, false)
	CodeKioskPersons     = define("kiosk_persons", Invalid, false) // param "max"
)
