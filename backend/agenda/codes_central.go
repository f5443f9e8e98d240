package agenda

// Codes of rdv-central: the refusals of the central's doors (an office's token, the size and pace
// of its requests, the feed's cursor) and of the ops it applies for an office. The office shows
// their text (backend/messages, locales/fr/central.json) in its sync status or in the « à
// traiter » list; the central's operator reads them in its logs.
var (
	// CodeCanalEnLigne refuses an office's book or move onto a slot of an en_ligne plage: the
	// central sells those slots, an office never does (ARCHITECTURE.md, « The booking guarantee »).
	CodeCanalEnLigne = define("canal_en_ligne", Conflict, false)

	CodeTokenMissing        = define("token_missing", Forbidden, false)        // no « Authorization: Bearer … »: HTTP 401
	CodeTokenUnknown        = define("token_unknown", Forbidden, false)        // a token the central does not know: HTTP 401
	CodeOfficeRevoked       = define("office_revoked", Forbidden, false)       // the office's token was revoked: HTTP 403
	CodeForeignOrganisation = define("foreign_organisation", Forbidden, false) // param "op": an op of another organisation than the token's
	CodeRateLimited         = define("rate_limited", Unavailable, false)       // param "seconds": too many requests, try again later
	CodeBodyTooLarge        = define("body_too_large", Invalid, false)         // param "max" (bytes)
	CodeCursorInvalid       = define("cursor_invalid", Invalid, false)         // a pull cursor the central did not give
	CodeLimitInvalid        = define("limit_invalid", Invalid, false)          // param "max"
	CodeMethodNotAllowed    = define("method_not_allowed", Invalid, false)     // param "method"
	CodeRouteUnknown        = define("route_unknown", NotFound, false)

	// The online booking API (/v1/public/…, sync/server/public.go): the usager's side.
	CodeCancelLinkInvalid = define("cancel_link_invalid", Forbidden, false) // an unknown RDV or a wrong cancel token: one answer for both
	CodePublicParam       = define("public_param_invalid", Invalid, false)  // param "name": a query or body field missing or malformed
	CodeDaysRange         = define("days_out_of_range", Invalid, false)     // param "max": creneaux?days= between 1 and max
	CodeContactRequired   = define("contact_required", Invalid, false)      // an online booking names no phone and no e-mail

	// « office revoke --purge »: an organisation's data are shared by its offices, so they leave
	// the central only with its last office; param "count", the offices still active.
	CodeOfficesStillActive = define("offices_still_active", Conflict, false)
	// The online booking pages (sync/server/web).
	CodeCancelLinkExpired = define("cancel_link_expired", Invalid, false)   // the RDV of the link has ended
	CodeMoveCollectif     = define("online_move_collectif", Invalid, false) // a seat of a collective session is cancelled, not moved
	CodeOnlineCap         = define("online_cap_reached", Conflict, false)   // param "max": future online RDVs of one contact for one motif
	CodeOnlineClosed      = define("online_closed", NotFound, false)        // the operator turned the organisation's pages off
)
