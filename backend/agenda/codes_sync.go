package agenda

// Codes of the sync protocol (sync/protocol): the refusals of a malformed push, decided before
// any op is applied. The central answers them for the whole batch; the office shows their text
// (backend/messages) in the sync status. Params: "op" is the 1-based position of the op in the
// batch, the others are named where they are defined.
var (
	CodeSyncUnreadable      = define("sync_unreadable", Invalid, false)           // not one JSON message of the protocol
	CodeSyncVersion         = define("sync_version_unknown", Invalid, false)      // params "version", "supported"
	CodeSyncBatchTooLarge   = define("sync_batch_too_large", Invalid, false)      // params "count", "max"
	CodeSyncOpID            = define("sync_op_id_invalid", Invalid, false)        // param "op"
	CodeSyncOpDuplicate     = define("sync_op_duplicate", Invalid, false)         // params "op", "id"
	CodeSyncOrganisation    = define("sync_organisation_invalid", Invalid, false) // param "op"
	CodeSyncMixedOrgs       = define("sync_mixed_organisations", Invalid, false)  // param "op"
	CodeSyncEntityUnknown   = define("sync_entity_unknown", Invalid, false)       // params "op", "entity"
	CodeSyncEntityID        = define("sync_entity_id_missing", Invalid, false)    // param "op"
	CodeSyncBaseVersion     = define("sync_base_version_invalid", Invalid, false) // param "op"
	CodeSyncKindUnknown     = define("sync_kind_unknown", Invalid, false)         // params "op", "entity", "kind"
	CodeSyncPayloadInvalid  = define("sync_payload_invalid", Invalid, false)      // param "op"; the decoder's words stay in the log
	CodeSyncPayloadMismatch = define("sync_payload_mismatch", Invalid, false)     // param "op": the payload names another row or organisation
)
