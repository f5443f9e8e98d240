package agenda

import "time"

// Identifiers are UUIDv7 strings: offices create rows offline, and the central server must be able
// to take them as they are.

// Organisation is the mairie or France Services office that owns the agenda.
type Organisation struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	LogoPNG     []byte       `json:"logoPng,omitempty"`
	AccentColor string       `json:"accentColor"` // #RRGGBB
	TimeZone    string       `json:"timeZone"`    // IANA name, Europe/Paris by default
	Email       string       `json:"email"`
	Phone       string       `json:"phone"`
	Holidays    HolidayRules `json:"holidays"`
	// SlotGridMinutes: 0 steps slots from the start of each free block (RDV Service Public's rule);
	// a positive value aligns slot starts on a fixed grid (every 15 min, say) counted from midnight.
	SlotGridMinutes int `json:"slotGridMinutes"`
	// BufferMinutes is kept free after each RDV (« temps de battement »).
	BufferMinutes int `json:"bufferMinutes"`
}

// Lieu is a place where usagers are received.
type Lieu struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	Name           string `json:"name"`
	Street         string `json:"street"`
	PostalCode     string `json:"postalCode"`
	City           string `json:"city"`
	Phone          string `json:"phone"`
	Accessibility  string `json:"accessibility"` // notes for usagers: ramp, lift, floor…
	Enabled        bool   `json:"enabled"`
}

// ResourceKind tells a person with a login from a desk without one. Both have agendas, plages and
// absences, and the créneaux engine treats them alike.
type ResourceKind string

const (
	KindAgent   ResourceKind = "agent"
	KindGuichet ResourceKind = "guichet" // a counter, a DR (dispositif de recueil): no login
)

// Role is an agent's access level.
type Role string

const (
	RoleAdmin Role = "admin"
	RoleAgent Role = "agent"
)

// Agent is an agenda resource: an agent (with a login) or a guichet (without).
type Agent struct {
	ID             string       `json:"id"`
	OrganisationID string       `json:"organisationId"`
	Kind           ResourceKind `json:"kind"`
	Name           string       `json:"name"` // "Guichet 1", "Claire Martin"
	Email          string       `json:"email"`
	Login          string       `json:"login"` // empty for a guichet
	Role           Role         `json:"role"`
	Active         bool         `json:"active"`
}

// LocationType is where the RDV takes place.
type LocationType string

const (
	PublicOffice LocationType = "public_office"
	Phone        LocationType = "phone"
	Home         LocationType = "home"
	Visio        LocationType = "visio"
)

// AntsCategory ties a motif to the ANTS anti-duplicate register (passports and ID cards).
type AntsCategory string

const (
	AntsNone         AntsCategory = ""
	AntsCNI          AntsCategory = "CNI"
	AntsPasseport    AntsCategory = "PASSPORT"
	AntsCNIPasseport AntsCategory = "CNI-PASSPORT"
)

// Motif is the reason for a visit; it carries the duration and the booking rules.
type Motif struct {
	ID             string       `json:"id"`
	OrganisationID string       `json:"organisationId"`
	Name           string       `json:"name"`
	Color          string       `json:"color"` // #RRGGBB
	DurationMin    int          `json:"durationMin"`
	LocationType   LocationType `json:"locationType"`
	// Public booking window (kiosk and online; agents are not limited): earliest now+Min, latest now+Max.
	MinPublicDelay time.Duration `json:"minPublicDelay"`
	MaxPublicDelay time.Duration `json:"maxPublicDelay"`
	// Agents may always book; these open the motif to the lobby kiosk and to online booking.
	BookableKiosk  bool         `json:"bookableKiosk"`
	BookableOnline bool         `json:"bookableOnline"`
	Collectif      bool         `json:"collectif"`
	Capacity       int          `json:"capacity"` // seats of a collective RDV; 0 for individual motifs
	Pieces         []string     `json:"pieces"`   // pièces à fournir
	Instructions   string       `json:"instructions"`
	AntsCategory   AntsCategory `json:"antsCategory"`
	Archived       bool         `json:"archived"`
}

// Duration returns the length of one RDV of this motif.
func (m Motif) Duration() time.Duration { return time.Duration(m.DurationMin) * time.Minute }

// Canal is who sells a plage's slots: the office (counter and kiosk) or the central server (online).
// A slot has exactly one seller, so offline offices and online booking can never collide.
type Canal string

const (
	CanalGuichet Canal = "guichet"
	CanalEnLigne Canal = "en_ligne"
)

// Exception changes one occurrence of a plage: cancelled, or held at other times.
type Exception struct {
	Date      Date      `json:"date"`
	Cancelled bool      `json:"cancelled"`
	Start     ClockTime `json:"start"` // replacement times when not cancelled
	End       ClockTime `json:"end"`
}

// PlageOuverture is a (recurring) window in which one agent or guichet offers some motifs at one lieu.
// Start and End are wall-clock times in the organisation's zone.
type PlageOuverture struct {
	ID             string      `json:"id"`
	OrganisationID string      `json:"organisationId"`
	AgentID        string      `json:"agentId"`
	LieuID         string      `json:"lieuId"`
	Title          string      `json:"title"`
	MotifIDs       []string    `json:"motifIds"`
	FirstDay       Date        `json:"firstDay"`
	Start          ClockTime   `json:"start"`
	End            ClockTime   `json:"end"`
	Recurrence     Recurrence  `json:"recurrence"`
	Exceptions     []Exception `json:"exceptions"`
	Canal          Canal       `json:"canal"`
	// EnTransfert is set at the office while a change of the plage's canal waits for the
	// central's acknowledgement (Seller). It is the office's state: it never travels.
	EnTransfert bool `json:"enTransfert"`
}

// Seller says who may sell the plage's slots now: the office (guichet: counter and kiosk) or the
// central (en_ligne), and an unset canal is the office's. While the plage is en transfert —
// its canal changed at the office and the central has not acknowledged the change yet — no
// one does (ok false): the old owner may still be selling it, the new one may not start.
// Once the central has applied the change it sells by the new canal; once the office has its
// acknowledgement, so does the office.
func (p PlageOuverture) Seller() (c Canal, ok bool) {
	switch {
	case p.EnTransfert:
		return "", false
	case p.Canal == "":
		return CanalGuichet, true
	}
	return p.Canal, true
}

// Absence makes an agent or guichet unavailable: one day, several consecutive days (from Start on
// FirstDay to End on EndDay), or a recurring time span on single days.
type Absence struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisationId"`
	AgentID        string     `json:"agentId"`
	Title          string     `json:"title"`
	FirstDay       Date       `json:"firstDay"`
	EndDay         Date       `json:"endDay"`
	Start          ClockTime  `json:"start"`
	End            ClockTime  `json:"end"`
	Recurrence     Recurrence `json:"recurrence"`
}

// Usager is a member of the public. A proche (child, dependant) has a ResponsibleID and, when it has
// no contact details of its own, is reached through its responsible.
type Usager struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	FirstName      string `json:"firstName"`
	LastName       string `json:"lastName"`
	BirthName      string `json:"birthName"`
	BirthDate      Date   `json:"birthDate,omitzero"`
	Phone          string `json:"phone"` // E.164
	Email          string `json:"email"`
	NotifySMS      bool   `json:"notifySms"`
	NotifyEmail    bool   `json:"notifyEmail"`
	ResponsibleID  string `json:"responsibleId"`
	// AntsPreDemande is the ANTS pré-demande number: 10 characters [A-Z0-9].
	AntsPreDemande string `json:"antsPreDemande"`
}

// Origine is the channel an RDV was booked through.
type Origine string

const (
	OrigineGuichet Origine = "guichet"
	OrigineKiosk   Origine = "kiosk"
	OrigineEnLigne Origine = "en_ligne"
	OrigineImport  Origine = "import"
)

// Participation is one usager's place in an RDV, with its own status.
type Participation struct {
	UsagerID  string     `json:"usagerId"`
	Status    Status     `json:"status"`
	ArrivedAt *time.Time `json:"arrivedAt,omitempty"` // kiosk or agent check-in; not a status
}

// Rdv is an appointment. Instants are UTC.
type Rdv struct {
	ID              string          `json:"id"`
	OrganisationID  string          `json:"organisationId"`
	MotifID         string          `json:"motifId"`
	LieuID          string          `json:"lieuId"`
	AgentIDs        []string        `json:"agentIds"`
	StartsAt        time.Time       `json:"startsAt"`
	EndsAt          time.Time       `json:"endsAt"`
	Status          Status          `json:"status"`
	Context         string          `json:"context"` // free note for the agents
	DocumentsNumber int             `json:"documentsNumber"`
	Collectif       bool            `json:"collectif"`
	Capacity        int             `json:"capacity"`  // seats when collectif
	CreatedBy       string          `json:"createdBy"` // agent id; empty for kiosk and online bookings
	Origine         Origine         `json:"origine"`
	CancelledAt     *time.Time      `json:"cancelledAt,omitempty"`
	Version         int             `json:"version"`
	Participations  []Participation `json:"participations"`
}

// Interval returns the span the RDV occupies.
func (r Rdv) Interval() Interval { return Interval{r.StartsAt, r.EndsAt} }

// StatusChange is a row of an RDV's history: who changed its status, when, from what to what.
type StatusChange struct {
	RdvID string    `json:"rdvId"`
	By    string    `json:"by"` // agent id, "kiosk", "online", "sync"
	At    time.Time `json:"at"`
	From  Status    `json:"from"`
	To    Status    `json:"to"`
}
