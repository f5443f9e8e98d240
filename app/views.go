package app

import "rdvguichet/backend/agenda"

// The view types below are what the frontend receives: flat, display-ready, with instants as
// RFC 3339 strings and French labels computed here rather than in TypeScript, so that both the
// desktop and the browser tests show exactly what the domain says.

// Startup is what the agent window needs to draw its first screen.
type Startup struct {
	Organisation OrganisationView `json:"organisation"`
	Today        string           `json:"today"`  // YYYY-MM-DD in the organisation's zone
	Now          string           `json:"now"`    // RFC 3339
	Agents       []ResourceView   `json:"agents"` // empty without a session, as lieux and motifs
	Lieux        []LieuView       `json:"lieux"`
	Motifs       []MotifView      `json:"motifs"`
	Session      *SessionView     `json:"session"` // nil: the sign-in screen
	Demo         *DemoHint        `json:"demo"`    // set when the data file is the demo
	// Setup is SetupChoose for an empty file (the first start's chooser), the assistant's step to
	// resume at while it is not ended, "" once the agenda is ready.
	Setup string `json:"setup"`
	// Pairing: the pairing screen first (--appairer, an unpaired poste secondaire).
	Pairing bool `json:"pairing"`
}

// SessionView is the signed-in agent.
type SessionView struct {
	AgentID    string `json:"agentId"`
	Name       string `json:"name"`
	Role       string `json:"role"` // admin | agent
	TimeoutMin int    `json:"timeoutMin"`
}

// DemoHint lists the demo's accounts on the sign-in screen of a demo data file.
type DemoHint struct {
	Logins   []string `json:"logins"`
	Password string   `json:"password"`
}

type OrganisationView struct {
	Name        string `json:"name"`
	AccentColor string `json:"accentColor"`
	TimeZone    string `json:"timeZone"`
	LogoPng     string `json:"logoPng"` // PNG in base64; empty without a logo
}

type ResourceView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // agent | guichet
}

type LieuView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

type MotifView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	DurationMin int    `json:"durationMin"`
	Ants        bool   `json:"ants"` // ANTS motif: asks for the number of documents and pré-demandes
	Collectif   bool   `json:"collectif"`
}

// AgendaQuery selects what the agenda grid shows: days [Start, End) and optional filters.
type AgendaQuery struct {
	Start            string   `json:"start"` // YYYY-MM-DD
	End              string   `json:"end"`   // YYYY-MM-DD, exclusive
	LieuID           string   `json:"lieuId"`
	AgentIDs         []string `json:"agentIds"`
	IncludeCancelled bool     `json:"includeCancelled"`
}

// AgendaView is the content of the grid for a query.
type AgendaView struct {
	Rdvs     []GridRdv     `json:"rdvs"`
	Plages   []BlockView   `json:"plages"`
	Absences []BlockView   `json:"absences"`
	Holidays []HolidayView `json:"holidays"`
}

// GridRdv is an RDV as the agenda grid draws it: when, in which agendas, for whom, what for and
// where it stands. The grid polls a week of every agenda: what it does not draw is not sent (the
// panel reads the RDV in full, RdvDetail).
type GridRdv struct {
	ID          string   `json:"id"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	AgentIDs    []string `json:"agentIds"`
	MotifName   string   `json:"motifName"`
	Color       string   `json:"color"`
	Documents   int      `json:"documents"`
	Status      string   `json:"status"`
	StatusLabel string   `json:"statusLabel"`
	Usagers     []string `json:"usagers"` // « NOM Prénom »
	ArrivedAt   string   `json:"arrivedAt"`
}

// HolidayView is a jour férié: a whole day without slots.
type HolidayView struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
}

// BlockView is an occurrence of a plage d'ouverture or an absence, for one agenda column.
type BlockView struct {
	AgentID string `json:"agentId"`
	LieuID  string `json:"lieuId"`
	Start   string `json:"start"`
	End     string `json:"end"`
	Title   string `json:"title"`
	Canal   string `json:"canal"`
}

// RdvView is an RDV as the agenda and the lists show it.
type RdvView struct {
	ID          string         `json:"id"`
	Start       string         `json:"start"`
	End         string         `json:"end"`
	AgentIDs    []string       `json:"agentIds"`
	AgentNames  []string       `json:"agentNames"`
	LieuID      string         `json:"lieuId"`
	LieuName    string         `json:"lieuName"`
	MotifID     string         `json:"motifId"`
	MotifName   string         `json:"motifName"`
	Color       string         `json:"color"`
	Status      string         `json:"status"`
	StatusLabel string         `json:"statusLabel"`
	Usagers     []string       `json:"usagers"` // « NOM Prénom »
	UsagerIDs   []string       `json:"usagerIds"`
	Phone       string         `json:"phone"`
	Context     string         `json:"context"`
	Documents   int            `json:"documents"`
	Origine     string         `json:"origine"`
	ArrivedAt   string         `json:"arrivedAt"`
	Transitions []StatusOption `json:"transitions"`
	Started     bool           `json:"started"` // the RDV has begun (noshow becomes possible)
	Past        bool           `json:"past"`    // its day is over: « À renseigner »
}

// StatusOption is a status the agent may set now, with its label.
type StatusOption struct {
	Status string `json:"status"`
	Label  string `json:"label"`
}

// SlotQuery is « Trouver un créneau »: a motif, optionally a lieu and an agent, from a day on.
type SlotQuery struct {
	MotifID   string `json:"motifId"`
	LieuID    string `json:"lieuId"`
	AgentID   string `json:"agentId"`
	From      string `json:"from"`      // YYYY-MM-DD; today when empty
	Documents int    `json:"documents"` // ANTS titles in one RDV; 0 means 1
	Limit     int    `json:"limit"`     // 0 means 8
}

// SlotView is a free slot, with the French label the list shows.
type SlotView struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	AgentID   string `json:"agentId"`
	AgentName string `json:"agentName"`
	LieuID    string `json:"lieuId"`
	LieuName  string `json:"lieuName"`
	Label     string `json:"label"` // « jeudi 12 mars 2026 à 10 h 00 »
}

// UsagerForm is an usager as the search lists it and as the inline form edits it. Phone is
// E.164 when read; when saved it may be typed in any usual way (« 06 12 34 56 78 »).
type UsagerForm struct {
	ID             string `json:"id"`
	FirstName      string `json:"firstName"`
	LastName       string `json:"lastName"`
	BirthName      string `json:"birthName"`
	BirthDate      string `json:"birthDate"` // YYYY-MM-DD or empty
	Phone          string `json:"phone"`
	Email          string `json:"email"`
	NotifySms      bool   `json:"notifySms"`
	NotifyEmail    bool   `json:"notifyEmail"`
	AntsPreDemande string `json:"antsPreDemande"`
}

// BookInput is the booking form: a slot and its people. The first person is NewUsager, or else
// UsagerIDs[0] (UsagerIDs are existing usagers); for an ANTS motif, Others are the second person
// on, one per further title, and PreDemandes the people's numbers in that order.
type BookInput struct {
	MotifID     string       `json:"motifId"`
	LieuID      string       `json:"lieuId"`
	AgentID     string       `json:"agentId"`
	Start       string       `json:"start"` // RFC 3339
	Documents   int          `json:"documents"`
	UsagerIDs   []string     `json:"usagerIds"`
	NewUsager   *UsagerForm  `json:"newUsager"`
	Others      []BookPerson `json:"others"`
	PreDemandes []string     `json:"preDemandes"`
	Context     string       `json:"context"`
	Override    bool         `json:"override"` // book anyway over a benign warning (outside the plages, absence, holiday)
}

// BookPerson is a further person of an ANTS booking: an existing usager (UsagerID) or a new one
// (New), created as a relative of the first person.
type BookPerson struct {
	UsagerID string      `json:"usagerId"`
	New      *UsagerForm `json:"new"`
}

// BookResult is the answer to a booking or a move. A refusal the agent can act on is data:
// Conflict (the slot was taken meanwhile) comes with the next free slots; Warning (outside the
// plages, absence, holiday) may be overridden; Errors are the fields of the new usager to correct.
type BookResult struct {
	Rdv          *RdvView            `json:"rdv"`
	Conflict     bool                `json:"conflict"`
	Warning      bool                `json:"warning"`
	Message      string              `json:"message"`
	Alternatives []SlotView          `json:"alternatives"`
	Errors       []agenda.FieldError `json:"errors"`
}

// RdvDetail is the RDV panel: the RDV, its usagers, what to bring, and who changed what.
type RdvDetail struct {
	Rdv          RdvView       `json:"rdv"`
	Usagers      []UsagerForm  `json:"usagers"`
	Pieces       []string      `json:"pieces"`
	Instructions string        `json:"instructions"`
	CreatedBy    string        `json:"createdBy"`
	History      []HistoryView `json:"history"`
	// TicketPrinter says that Paramètres › Impression names a ticket printer (« Imprimer le ticket »).
	TicketPrinter bool `json:"ticketPrinter"`
}

// HistoryView is one change of the RDV, with the author's name: a status change, or a move.
type HistoryView struct {
	At    string `json:"at"` // RFC 3339
	By    string `json:"by"`
	From  string `json:"from"` // label; empty for the creation
	To    string `json:"to"`
	Moved string `json:"moved"` // « déplacé du … au … » for a move; empty otherwise
}

// WaitingView is an usager in the waiting room.
type WaitingView struct {
	Rdv        RdvView `json:"rdv"`
	WaitingMin int     `json:"waitingMin"`
}

// DayListQuery selects a day list: one day, a lieu or an agenda (guichet), or everything.
type DayListQuery struct {
	Date    string `json:"date"` // YYYY-MM-DD
	LieuID  string `json:"lieuId"`
	AgentID string `json:"agentId"`
}

// DayListView is the day list on screen, as printed.
type DayListView struct {
	Title string        `json:"title"`
	Day   string        `json:"day"` // « mardi 10 mars 2026 »
	Rows  []DayListLine `json:"rows"`
	// Rdvs are the rows' RDVs in full, for the arrivals and statuses recorded from the list.
	Rdvs []RdvView `json:"rdvs"`
}

// DayListLine is one RDV of the day list.
type DayListLine struct {
	RdvID      string   `json:"rdvId"`
	Time       string   `json:"time"` // « 9 h 30 »
	Usagers    []string `json:"usagers"`
	Phone      string   `json:"phone"`
	PreDemande string   `json:"preDemande"`
	Motif      string   `json:"motif"`
	Ants       bool     `json:"ants"` // passports and CNI: the number of titres matters
	Documents  int      `json:"documents"`
	Agent      string   `json:"agent"`
	Context    string   `json:"context"`
	Status     string   `json:"status"`
}

// FileResult is a document written in the data folder.
type FileResult struct {
	Path     string `json:"path"`
	FileName string `json:"fileName"`
	URL      string `json:"url"` // file:// address, to open the file or subscribe to it
	Base64   string `json:"base64"`
	Printed  bool   `json:"printed"`
	// PrintedOn names the printer it went to (« l'imprimante par défaut »), for « Imprimé sur … ».
	PrintedOn string `json:"printedOn"`
	// Folder, in a poste secondaire's call only: the folder the poste writes the file into
	// (RemoteService), under its own data folder; nothing is written on the principal.
	Folder string `json:"folder,omitempty"`
}

// SaveResult is the answer to a settings form: the saved entity's id, or the fields to correct
// (Field is the JSON name of the form's field, as agenda.ValidationError gives it).
type SaveResult struct {
	ID     string              `json:"id"`
	Errors []agenda.FieldError `json:"errors"`
}
