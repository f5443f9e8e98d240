package agenda

// Codes of the data file and the files the command line writes: opening, checking, repairing,
// backing up and restoring the office's agenda, and the documents written next to it. Params
// are paths and numbers, never text.
var (
	CodeDatabaseMissing    = define("database_missing", NotFound, false)       // param "path"
	CodeDatabaseIsDir      = define("database_is_directory", Invalid, false)   // param "path"
	CodeDatabaseReadOnly   = define("database_read_only", Unavailable, false)  // param "path"
	CodeDatabaseInUse      = define("database_in_use", Unavailable, false)     // param "path": another process holds it
	CodeDatabaseUnreadable = define("database_unreadable", Unavailable, false) // param "path"
	CodeNotAnAgenda        = define("not_an_agenda", Invalid, false)           // param "path": empty, not SQLite, or another database
	CodeDatabaseTooNew     = define("database_too_new", Invalid, false)        // params "path", "version", "known"
	CodeDatabaseRepaired   = define("database_repaired", Other, false)         // notice, params "backup": an index rebuilt
	CodeRestoreHowTo       = define("restore_howto", Other, false)             // text only, params "path", "backups": how to restore

	CodeOutputExists     = define("output_exists", Invalid, false)          // param "path": refused without --force
	CodeOutputIsDatabase = define("output_is_database", Invalid, false)     // param "path": the agenda or its journal
	CodeOutputFailed     = define("output_failed", Unavailable, false)      // param "path"
	CodeBackupExists     = define("backup_exists", Invalid, false)          // param "path": a backup never overwrites
	CodeBackupMissing    = define("backup_missing", NotFound, false)        // param "path"
	CodeBackupNotAgenda  = define("backup_not_agenda", Invalid, false)      // param "path"
	CodeBackupEmpty      = define("backup_no_organisation", Invalid, false) // param "path"
	CodeBackupDamaged    = define("backup_damaged", Invalid, false)         // param "path"
	CodeBackupTooNew     = define("backup_too_new", Invalid, false)         // params "path", "version", "known"
	CodeBackupIsDatabase = define("backup_is_database", Invalid, false)     // param "path"
)

// CodeDatabaseIndexFault is what « rdv-guichet check » says of an index that disagrees with its
// table (the rows are sound): « check --repair » rebuilds it. Param "path".
var CodeDatabaseIndexFault = define("database_index_fault", Other, false)

// CodeIntegrityFault is what the agent window says when the check run beside it after start-up
// finds the data file damaged: whom to call, and where the backups are. Params "path", "backups".
var CodeIntegrityFault = define("integrity_fault", Other, false)
