package agenda

// Codes of the field rules (Validate): one per rule, set in FieldError.Code; the text is the
// door's (backend/messages, locales/<lang>/fields.json). A FieldError has no params: a text
// that names a limit writes it itself (too_long says 200, MaxNameLength).

// Shared by several entities.
var (
	CodeOrganisationRequired = define("organisation_required", Invalid, false)
	CodeNameRequired         = define("name_required", Invalid, false)
	CodeTitleRequired        = define("title_required", Invalid, false)
	CodeTooLong              = define("too_long", Invalid, false)
	CodeColorRequired        = define("color_required", Invalid, false)
	CodeColorFormat          = define("color_format", Invalid, false)
	CodeEmailInvalid         = define("email_invalid", Invalid, false)
	CodePhoneInvalidField    = define("phone_invalid_field", Invalid, false)
	CodeAgentRequired        = define("agent_required", Invalid, false)
	CodeFirstDayRequired     = define("first_day_required", Invalid, false)
	CodeDateInvalid          = define("date_invalid", Invalid, false)
	CodeClockRange           = define("clock_range", Invalid, false)
	CodeEndAfterStart        = define("end_after_start", Invalid, false)
	CodeDSTWindow            = define("dst_window", Invalid, false)
)

// Recurrence (plages, absences).
var (
	CodeUntilWithoutRepeat    = define("until_without_repeat", Invalid, false)
	CodeWeeklyIntervalRange   = define("weekly_interval_range", Invalid, false)
	CodeWeekdayInvalid        = define("weekday_invalid", Invalid, false)
	CodeWeekdayRepeated       = define("weekday_repeated", Invalid, false)
	CodeFirstDayNotInWeekdays = define("first_day_not_in_weekdays", Invalid, false)
	CodeMonthlyIntervalRange  = define("monthly_interval_range", Invalid, false)
	CodeNthRange              = define("nth_range", Invalid, false)
	CodeFirstDayNotNth        = define("first_day_not_nth", Invalid, false)
	CodeEveryInvalid          = define("every_invalid", Invalid, false)
	CodeUntilAfterFirstDay    = define("until_after_first_day", Invalid, false)
)

// Organisation.
var (
	CodeTimeZoneRequired   = define("time_zone_required", Invalid, false)
	CodeTimeZoneInvalid    = define("time_zone_invalid", Invalid, false)
	CodeDepartementInvalid = define("departement_invalid", Invalid, false)
	CodeSlotGridRange      = define("slot_grid_range", Invalid, false)
	CodeBufferRange        = define("buffer_range", Invalid, false)
	CodeLogoNotPng         = define("logo_not_png", Invalid, false)
	CodeLogoTooLarge       = define("logo_too_large", Invalid, false)
)

// Lieu.
var (
	CodeStreetRequired     = define("street_required", Invalid, false)
	CodePostalCodeRequired = define("postal_code_required", Invalid, false)
	CodePostalCodeFormat   = define("postal_code_format", Invalid, false)
	CodeCityRequired       = define("city_required", Invalid, false)
)

// Agent and guichet.
var (
	CodeLoginRequired    = define("login_required", Invalid, false)
	CodeLoginFormat      = define("login_format", Invalid, false)
	CodeRoleInvalid      = define("role_invalid", Invalid, false)
	CodeGuichetLogin     = define("guichet_login", Invalid, false)
	CodeGuichetEmail     = define("guichet_email", Invalid, false)
	CodeGuichetAdmin     = define("guichet_admin", Invalid, false)
	CodeAgentKindInvalid = define("agent_kind_invalid", Invalid, false)
)

// Motif.
var (
	CodeDurationRange           = define("duration_range", Invalid, false)
	CodeDurationStep            = define("duration_step", Invalid, false)
	CodeMinDelayNegative        = define("min_delay_negative", Invalid, false)
	CodeMaxDelayBelowMin        = define("max_delay_below_min", Invalid, false)
	CodeMaxDelayTooLong         = define("max_delay_too_long", Invalid, false)
	CodeLocationTypeInvalid     = define("location_type_invalid", Invalid, false)
	CodeAntsOnSite              = define("ants_on_site", Invalid, false)
	CodeAntsNotCollectif        = define("ants_not_collectif", Invalid, false)
	CodeAntsCategoryInvalid     = define("ants_category_invalid", Invalid, false)
	CodeCollectifMotifCapacity  = define("collectif_motif_capacity", Invalid, false)
	CodeCollectifOnSite         = define("collectif_on_site", Invalid, false)
	CodeCapacityMotifIndividual = define("capacity_motif_individual", Invalid, false)
	CodePieceEmpty              = define("piece_empty", Invalid, false)
)

// Plage d'ouverture.
var (
	CodeLieuRequired           = define("lieu_required", Invalid, false)
	CodeMotifsRequired         = define("motifs_required", Invalid, false)
	CodeMotifEmpty             = define("motif_empty", Invalid, false)
	CodeMotifRepeated          = define("motif_repeated", Invalid, false)
	CodeCanalInvalid           = define("canal_invalid", Invalid, false)
	CodeExceptionRepeated      = define("exception_repeated", Invalid, false)
	CodeExceptionNotOccurrence = define("exception_not_occurrence", Invalid, false)
)

// Absence.
var (
	CodeEndDayBeforeFirst         = define("end_day_before_first", Invalid, false)
	CodeAbsenceMultiDayRecurrence = define("absence_multi_day_recurrence", Invalid, false)
)

// Usager.
var (
	CodeFirstNameRequired   = define("first_name_required", Invalid, false)
	CodeBirthDateBefore1900 = define("birth_date_before_1900", Invalid, false)
	CodeBirthDateFuture     = define("birth_date_future", Invalid, false)
	CodePhoneE164           = define("phone_e164", Invalid, false)
	CodePreDemandeFormat    = define("pre_demande_format", Invalid, false)
	CodeOwnResponsible      = define("own_responsible", Invalid, false)
)

// Rendez-vous.
var (
	CodeMotifRequired         = define("motif_required", Invalid, false)
	CodeStartRequired         = define("start_required", Invalid, false)
	CodeRdvEndAfterStart      = define("rdv_end_after_start", Invalid, false)
	CodeRdvTooLong            = define("rdv_too_long", Invalid, false)
	CodeAgentsRequired        = define("agents_required", Invalid, false)
	CodeAgentEmpty            = define("agent_empty", Invalid, false)
	CodeAgentRepeated         = define("agent_repeated", Invalid, false)
	CodeUsagersRequired       = define("usagers_required", Invalid, false)
	CodeUsagerRequired        = define("usager_required", Invalid, false)
	CodeUsagerRepeated        = define("usager_repeated", Invalid, false)
	CodeStatusInvalid         = define("status_invalid", Invalid, false)
	CodeDocumentsNumberMin    = define("documents_number_min", Invalid, false)
	CodeDocumentsNumberMax    = define("documents_number_max", Invalid, false)
	CodeCollectifStatus       = define("collectif_status", Invalid, false)
	CodeCancelledAtMissing    = define("cancelled_at_missing", Invalid, false)
	CodeCancelledAtUnexpected = define("cancelled_at_unexpected", Invalid, false)
	CodeCollectifRdvCapacity  = define("collectif_rdv_capacity", Invalid, false)
	CodeCapacityExceeded      = define("capacity_exceeded", Invalid, false)
	CodeCapacityRdvIndividual = define("capacity_rdv_individual", Invalid, false)
	CodeOrigineInvalid        = define("origine_invalid", Invalid, false)
)
