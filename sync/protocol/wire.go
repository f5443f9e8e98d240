package protocol

import (
	"errors"
	"time"
)

// The payloads of version 1. They are the wire format, declared here once and on purpose: the
// agenda's domain types may rename or reshape a field, the wire does not change unless these do
// (and a change that an older peer cannot read is a new Version with new …V2 types). Instants are
// UTC (RFC 3339 with Z); days are "YYYY-MM-DD" ("" for none); wall-clock times are "HH:MM" in the
// organisation's zone; durations are whole seconds. Every payload names its row (id) and, but
// for a Tombstone, its organisation: Decode checks both against the op.

// payload is implemented by every wire type.
type payload interface {
	// rowIDs returns the payload's row id and organisation ("" when the payload carries none).
	rowIDs() (id, org string)
	// valid checks what JSON cannot: required ids, UTC instants, ordered spans.
	valid() error
}

// OrganisationV1 is an organisation's settings. Its organisation is itself.
type OrganisationV1 struct {
	ID                      string `json:"id"`
	Name                    string `json:"name"`
	LogoPNG                 []byte `json:"logoPng"` // base64 in JSON; null for none
	AccentColor             string `json:"accentColor"`
	TimeZone                string `json:"timeZone"`
	Email                   string `json:"email"`
	Phone                   string `json:"phone"`
	HolidaysDepartement     string `json:"holidaysDepartement"`
	LundiPentecoteTravaille bool   `json:"lundiPentecoteTravaille"`
	SlotGridMinutes         int    `json:"slotGridMinutes"`
	BufferMinutes           int    `json:"bufferMinutes"`
}

// LieuV1 is a place where usagers are received.
type LieuV1 struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	Name           string `json:"name"`
	Street         string `json:"street"`
	PostalCode     string `json:"postalCode"`
	City           string `json:"city"`
	Phone          string `json:"phone"`
	Accessibility  string `json:"accessibility"`
	Enabled        bool   `json:"enabled"`
}

// AgentV1 is an agent or a guichet. No password hash, ever: credentials stay in the office.
type AgentV1 struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	Kind           string `json:"kind"` // agent, guichet
	Name           string `json:"name"`
	Email          string `json:"email"`
	Login          string `json:"login"`
	Role           string `json:"role"` // admin, agent
	Active         bool   `json:"active"`
}

// MotifV1 is a motif with its booking rules.
type MotifV1 struct {
	ID                    string   `json:"id"`
	OrganisationID        string   `json:"organisationId"`
	Name                  string   `json:"name"`
	Color                 string   `json:"color"`
	DurationMinutes       int      `json:"durationMinutes"`
	LocationType          string   `json:"locationType"`
	MinPublicDelaySeconds int64    `json:"minPublicDelaySeconds"`
	MaxPublicDelaySeconds int64    `json:"maxPublicDelaySeconds"`
	BookableKiosk         bool     `json:"bookableKiosk"`
	BookableOnline        bool     `json:"bookableOnline"`
	Collectif             bool     `json:"collectif"`
	Capacity              int      `json:"capacity"`
	Pieces                []string `json:"pieces"`
	Instructions          string   `json:"instructions"`
	AntsCategory          string   `json:"antsCategory"` // "", CNI, PASSPORT, CNI-PASSPORT
	Archived              bool     `json:"archived"`
}

// RecurrenceV1 repeats a plage or an absence. Weekdays count from 0 = Sunday.
type RecurrenceV1 struct {
	Every    string `json:"every"` // week, month
	Interval int    `json:"interval"`
	Weekdays []int  `json:"weekdays"`
	Nth      int    `json:"nth"`
	Weekday  int    `json:"weekday"`
	Until    string `json:"until"` // "" = no end
}

// ExceptionV1 changes one occurrence of a plage.
type ExceptionV1 struct {
	Date      string `json:"date"`
	Cancelled bool   `json:"cancelled"`
	Start     string `json:"start"`
	End       string `json:"end"`
}

// PlageV1 is a plage d'ouverture. Canal says who sells its slots: guichet (the office) or
// en_ligne (the central).
type PlageV1 struct {
	ID             string        `json:"id"`
	OrganisationID string        `json:"organisationId"`
	AgentID        string        `json:"agentId"`
	LieuID         string        `json:"lieuId"`
	Title          string        `json:"title"`
	MotifIDs       []string      `json:"motifIds"`
	FirstDay       string        `json:"firstDay"`
	Start          string        `json:"start"`
	End            string        `json:"end"`
	Recurrence     *RecurrenceV1 `json:"recurrence"` // null: one occurrence, on FirstDay
	Exceptions     []ExceptionV1 `json:"exceptions"`
	Canal          string        `json:"canal"`
}

// AbsenceV1 makes an agent or a guichet unavailable.
type AbsenceV1 struct {
	ID             string        `json:"id"`
	OrganisationID string        `json:"organisationId"`
	AgentID        string        `json:"agentId"`
	Title          string        `json:"title"`
	FirstDay       string        `json:"firstDay"`
	EndDay         string        `json:"endDay"`
	Start          string        `json:"start"`
	End            string        `json:"end"`
	Recurrence     *RecurrenceV1 `json:"recurrence"`
}

// UsagerV1 is a member of the public.
type UsagerV1 struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	FirstName      string `json:"firstName"`
	LastName       string `json:"lastName"`
	BirthName      string `json:"birthName"`
	BirthDate      string `json:"birthDate"`
	Phone          string `json:"phone"` // E.164
	Email          string `json:"email"`
	NotifySMS      bool   `json:"notifySms"`
	NotifyEmail    bool   `json:"notifyEmail"`
	ResponsibleID  string `json:"responsibleId"`
	AntsPreDemande string `json:"antsPreDemande"`
}

// ParticipationV1 is one usager's seat in an RDV.
type ParticipationV1 struct {
	UsagerID  string     `json:"usagerId"`
	Status    string     `json:"status"`
	ArrivedAt *time.Time `json:"arrivedAt"` // null until the usager checks in
}

// RdvV1 is an RDV after the change the op names (every RDV op carries the whole RDV: the kind
// says which rule the central re-runs, the op's base version says against which copy).
type RdvV1 struct {
	ID              string            `json:"id"`
	OrganisationID  string            `json:"organisationId"`
	MotifID         string            `json:"motifId"`
	LieuID          string            `json:"lieuId"`
	AgentIDs        []string          `json:"agentIds"`
	StartsAt        time.Time         `json:"startsAt"`
	EndsAt          time.Time         `json:"endsAt"`
	Status          string            `json:"status"`
	Participations  []ParticipationV1 `json:"participations"`
	DocumentsNumber int               `json:"documentsNumber"`
	Collectif       bool              `json:"collectif"`
	Capacity        int               `json:"capacity"`
	Origine         string            `json:"origine"`   // guichet, kiosk, en_ligne, import
	CreatedBy       string            `json:"createdBy"` // agent id; "" for kiosk and online bookings
	CancelledAt     *time.Time        `json:"cancelledAt"`
	Context         string            `json:"context"` // the agents' free note
	Version         int               `json:"version"` // the RDV's version after the change
}

// ReceiptV1 is one notification sent (or tried) about an RDV.
type ReceiptV1 struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisationId"`
	RdvID          string    `json:"rdvId"`
	UsagerID       string    `json:"usagerId"`
	Event          string    `json:"event"`
	Channel        string    `json:"channel"`
	Result         string    `json:"result"`
	Error          string    `json:"error"`
	Provider       string    `json:"provider"`
	Count          int       `json:"count"`
	Content        string    `json:"content"`
	Recipient      string    `json:"recipient"`
	CreatedAt      time.Time `json:"createdAt"`
}

// Tombstone is the payload of a delete: the row is gone, only its id travels.
type Tombstone struct {
	ID string `json:"id"`
}

func (v OrganisationV1) rowIDs() (string, string) { return v.ID, v.ID }
func (v LieuV1) rowIDs() (string, string)         { return v.ID, v.OrganisationID }
func (v AgentV1) rowIDs() (string, string)        { return v.ID, v.OrganisationID }
func (v MotifV1) rowIDs() (string, string)        { return v.ID, v.OrganisationID }
func (v PlageV1) rowIDs() (string, string)        { return v.ID, v.OrganisationID }
func (v AbsenceV1) rowIDs() (string, string)      { return v.ID, v.OrganisationID }
func (v UsagerV1) rowIDs() (string, string)       { return v.ID, v.OrganisationID }
func (v RdvV1) rowIDs() (string, string)          { return v.ID, v.OrganisationID }
func (v ReceiptV1) rowIDs() (string, string)      { return v.ID, v.OrganisationID }
func (v Tombstone) rowIDs() (string, string)      { return v.ID, "" }

var (
	errNotUTC    = errors.New("instant not in UTC")
	errSpan      = errors.New("startsAt must be before endsAt")
	errMissingID = errors.New("missing id")
)

func utc(t time.Time) bool {
	_, off := t.Zone()
	return off == 0 && t.Location() == time.UTC
}

func (v OrganisationV1) valid() error { return nil }
func (v LieuV1) valid() error         { return nil }
func (v AgentV1) valid() error        { return nil }
func (v MotifV1) valid() error        { return nil }
func (v PlageV1) valid() error        { _, err := v.Agenda(); return err }
func (v AbsenceV1) valid() error      { _, err := v.Agenda(); return err }
func (v UsagerV1) valid() error       { _, err := v.Agenda(); return err }
func (v Tombstone) valid() error      { return nil }

func (v RdvV1) valid() error {
	if v.MotifID == "" {
		return errMissingID
	}
	if !utc(v.StartsAt) || !utc(v.EndsAt) || (v.CancelledAt != nil && !utc(*v.CancelledAt)) {
		return errNotUTC
	}
	if !v.StartsAt.Before(v.EndsAt) {
		return errSpan
	}
	for _, p := range v.Participations {
		if p.UsagerID == "" {
			return errMissingID
		}
		if p.ArrivedAt != nil && !utc(*p.ArrivedAt) {
			return errNotUTC
		}
	}
	return nil
}

func (v ReceiptV1) valid() error {
	if !utc(v.CreatedAt) {
		return errNotUTC
	}
	return nil
}
