package app

// The view types below are what the frontend receives: flat, display-ready, with instants as
// RFC 3339 strings and French labels computed here rather than in TypeScript, so that both the
// desktop and the browser tests show exactly what the domain says.

// Startup is what the agent window needs to draw its first screen.
type Startup struct {
	Organisation OrganisationView `json:"organisation"`
	Today        string           `json:"today"` // YYYY-MM-DD in the organisation's zone
	Now          string           `json:"now"`   // RFC 3339
	Agents       []ResourceView   `json:"agents"`
	Lieux        []LieuView       `json:"lieux"`
	Motifs       []MotifView      `json:"motifs"`
}

type OrganisationView struct {
	Name        string `json:"name"`
	AccentColor string `json:"accentColor"`
	TimeZone    string `json:"timeZone"`
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
	Rdvs     []RdvView     `json:"rdvs"`
	Plages   []BlockView   `json:"plages"`
	Absences []BlockView   `json:"absences"`
	Holidays []HolidayView `json:"holidays"`
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
	LieuID      string         `json:"lieuId"`
	LieuName    string         `json:"lieuName"`
	MotifID     string         `json:"motifId"`
	MotifName   string         `json:"motifName"`
	Color       string         `json:"color"`
	Status      string         `json:"status"`
	StatusLabel string         `json:"statusLabel"`
	Usagers     []string       `json:"usagers"` // « NOM Prénom »
	Phone       string         `json:"phone"`
	Context     string         `json:"context"`
	Documents   int            `json:"documents"`
	Origine     string         `json:"origine"`
	ArrivedAt   string         `json:"arrivedAt"`
	Transitions []StatusOption `json:"transitions"`
}

// StatusOption is a status the agent may set now, with its label.
type StatusOption struct {
	Status string `json:"status"`
	Label  string `json:"label"`
}
