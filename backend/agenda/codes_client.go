package agenda

// Codes of the office's sync client (sync/client, store/sync.go): why a sync round stopped, and
// why a pulled change waits in the « à traiter » list. A refusal the central names with its own
// code (ErrorReply) keeps the central's code; these are the office's words for what it sees
// itself. The network's failures (no answer, a timeout, a 5xx without a coded body) are CodeUnavailable
// with param "server": the ops stay pending and the next round sends them again.
var (
	CodeSyncUnauthorized  = define("sync_unauthorized", Forbidden, false)      // 401 without a coded body: the office's token is refused
	CodeSyncForbidden     = define("sync_forbidden", Forbidden, false)         // 403 without a coded body
	CodeSyncRefused       = define("sync_refused", Invalid, false)             // another 4xx without a coded body; param "status"
	CodeSyncReplyInvalid  = define("sync_reply_invalid", Other, false)         // the central's reply breaks the contract; param "detail"
	CodeSyncNotConfigured = define("sync_not_configured", Invalid, false)      // no server address or no token
	CodeSyncOfficeOrg     = define("sync_office_organisation", Invalid, false) // param "count": the file must hold exactly one organisation
)
