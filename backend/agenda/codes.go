package agenda

import "slices"

// Code is the stable name of a failure: it crosses every door (the app, the kiosk, the CLI's
// --json output, the sync protocol) and the door chooses the text from it (backend/messages,
// one catalogue per language). Codes are snake_case English and never change meaning; the list
// is documented in docs/architecture.md (« Errors »).
type Code string

type codeSpec struct {
	kind   Kind
	benign bool
}

var codes = map[Code]codeSpec{}

// define registers a code with its kind; benign codes are the refusals an agent may override.
func define(name string, kind Kind, benign bool) Code {
	c := Code(name)
	if _, dup := codes[c]; dup {
		panic("agenda: code " + name + " defined twice")
	}
	codes[c] = codeSpec{kind, benign}
	return c
}

// Kind returns the kind of failure the code names (Other for an unknown code).
func (c Code) Kind() Kind { return codes[c].kind }

// Benign reports whether an agent may override a refusal with this code.
func (c Code) Benign() bool { return codes[c].benign }

// Codes returns every defined code, sorted: the catalogues are tested against it.
func Codes() []Code {
	out := make([]Code, 0, len(codes))
	for c := range codes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// kindCode is the code of an error that has only a kind.
func kindCode(k Kind) Code {
	switch k {
	case Invalid:
		return CodeInvalid
	case Conflict:
		return CodeConflict
	case NotFound:
		return CodeNotFound
	case Forbidden:
		return CodeForbidden
	case Unavailable:
		return CodeUnavailable
	}
	return CodeInternal
}

// General codes: one per kind, for the failures no more precise code describes.
var (
	CodeInternal     = define("internal", Other, false)        // a bug or an I/O failure: the log says more
	CodeInvalid      = define("invalid", Invalid, false)       // a request the rules refuse, with no finer code
	CodeInvalidField = define("invalid_field", Invalid, false) // one or more fields to correct (FieldError list)
	CodeConflict     = define("conflict", Conflict, false)     // the row changed meanwhile
	CodeNotFound     = define("not_found", NotFound, false)    // param "what": rendez-vous, usager, motif…
	CodeForbidden    = define("forbidden", Forbidden, false)   // the caller may not do this
	CodeUnavailable  = define("unavailable", Unavailable, false)
	CodeSignedOut    = define("signed_out", Forbidden, false) // the agent's session ended: sign in again
)

// Booking: the slot engine's and the booking decision's refusals.
var (
	CodeSlotTaken           = define("slot_taken", Conflict, false)
	CodeCollectifFull       = define("collectif_full", Conflict, false)
	CodeAgentAbsent         = define("agent_absent", Invalid, true)
	CodeOutsidePlages       = define("outside_plages", Invalid, true)
	CodeHoliday             = define("holiday", Invalid, true)
	CodeOffStep             = define("off_step", Invalid, false)
	CodeSlotPast            = define("slot_past", Invalid, false)
	CodeTooSoon             = define("outside_booking_window", Invalid, false) // param "delay": « 2 h »; "bound": min or max
	CodeMotifNotBookable    = define("motif_not_bookable", Invalid, false)
	CodeMotifArchived       = define("motif_archived", Invalid, false) // param "motif"
	CodeOverrideAgent       = define("override_agents_only", Forbidden, false)
	CodeAlreadyInSession    = define("already_registered", Conflict, false)
	CodeSessionNeedsUser    = define("session_needs_usager", Invalid, false)
	CodeNoSession           = define("no_session", Invalid, false)
	CodeRdvCancelled        = define("rdv_cancelled", Invalid, false)
	CodeNotParticipant      = define("not_participant", NotFound, false)
	CodeTransition          = define("status_transition", Invalid, false) // params "status", "temporal"
	CodeStatusUnknown       = define("status_unknown", Invalid, false)    // param "status"
	CodeStatusUnchanged     = define("status_unchanged", Invalid, false)  // params "status", "temporal"
	CodeStatusResetOnly     = define("status_reset_only", Invalid, false) // params "status", "temporal"
	CodeStatusCollectif     = define("status_collectif", Invalid, false)  // params "status", "temporal"
	CodeStatusFuture        = define("status_future", Invalid, false)     // params "status", "temporal"
	CodeStatusNoshowEarly   = define("status_noshow_early", Invalid, false)
	CodeStatusNoshowArrived = define("status_noshow_arrived", Invalid, false)
	CodeUnknownTimeZone     = define("unknown_time_zone", Invalid, false) // param "zone"
	CodeDocumentsRange      = define("documents_out_of_range", Invalid, false)
	CodePeopleTitles        = define("people_titles", Invalid, false) // param "titles": one person per ANTS title
	CodePersonTwice         = define("person_twice", Invalid, false)  // one usager named twice in a booking
	CodeNotMobile           = define("not_mobile", Invalid, false)    // param "phone"
	CodeNoEmailServer       = define("no_email_server", Invalid, false)
	CodeNoSMSProvider       = define("no_sms_provider", Invalid, false)
	CodeReminderTooLate     = define("reminder_too_late", Invalid, false)
	CodeNoChannel           = define("no_channel_enabled", Invalid, false)
	CodeNothingToRemind     = define("nothing_to_remind", Invalid, false)
	CodePhoneInvalid        = define("phone_invalid", Invalid, false) // param "phone"
	CodePhoneRegion         = define("phone_region", Invalid, false)  // param "region"
)

// Database: refusals of the stores, whatever the engine behind them.
var (
	CodeDatabaseBusy    = define("database_busy", Unavailable, false)
	CodeInterrupted     = define("interrupted", Unavailable, false)
	CodeDiskError       = define("disk_error", Unavailable, false)
	CodeDatabaseDamaged = define("database_damaged", Other, false)
	CodeDuplicate       = define("duplicate", Conflict, false)
	CodeBrokenReference = define("broken_reference", Invalid, false)
	CodeRuleViolated    = define("rule_violated", Invalid, false)
	CodeCapacityBelow   = define("capacity_below_seats", Invalid, false)
	CodeIncoherent      = define("incoherent_change", Invalid, false)
)
