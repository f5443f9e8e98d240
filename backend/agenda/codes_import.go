package agenda

// Codes of the import of an existing agenda from a spreadsheet (backend/importer): the file's
// own faults, then each line's. Line faults carry the line number beside them, never in params.
var (
	CodeImportTooLarge       = define("import_too_large", Invalid, false)      // param "max": « 2 Mo »
	CodeImportEmpty          = define("import_empty", Invalid, false)          // no header, or a header and nothing under it
	CodeImportTooManyLines   = define("import_too_many_lines", Invalid, false) // params "lines", "max"
	CodeImportUnreadable     = define("import_unreadable", Invalid, false)     // neither CSV nor a readable XLSX
	CodeImportColumnMissing  = define("import_column_missing", Invalid, false) // param "column": a required column
	CodeImportColumnUnknown  = define("import_column_unknown", Invalid, false) // param "column": as written
	CodeImportColumnTwice    = define("import_column_twice", Invalid, false)   // param "column"
	CodeImportNoOrganisation = define("import_no_organisation", Invalid, false)
	// CodeImportRefused is the whole file's refusal when lines have problems (param "lines": how
	// many); the problems come beside it, each with its line.
	CodeImportRefused = define("import_refused", Invalid, false)

	CodeImportBirthDate     = define("import_birth_date", Invalid, false)     // param "value": not jj/mm/aaaa
	CodeImportDate          = define("import_date", Invalid, false)           // param "value": not jj/mm/aaaa
	CodeImportTime          = define("import_time", Invalid, false)           // param "value": not « 9 h 30 » or 09:30
	CodeImportRdvIncomplete = define("import_rdv_incomplete", Invalid, false) // param "column": what is missing
	CodeImportAgendaUnknown = define("import_agenda_unknown", Invalid, false) // param "value"
	CodeImportMotifUnknown  = define("import_motif_unknown", Invalid, false)  // param "value"
	CodeImportRdvPast       = define("import_rdv_past", Invalid, false)       // params "date", "time"
	CodeImportOverlap       = define("import_overlap", Conflict, false)       // the agenda is taken then (another RDV, or an earlier line)
	CodeImportTooManyCells  = define("import_too_many_cells", Invalid, false) // a line longer than the header
	// CodeImportNameAmbiguous is a line that names its usager alone (no birth date, phone or
	// e-mail) when several usagers of the agenda bear that name; params "name", "count".
	CodeImportNameAmbiguous = define("import_name_ambiguous", Conflict, false)
)
