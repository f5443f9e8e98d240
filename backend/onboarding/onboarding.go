// Package onboarding is the first set-up of a commune, as rules without storage: what the
// assistant « Configurer ma commune » and « rdv-guichet init » both write. It holds the set-up's
// description (Config, read from init's JSON file or built step by step by the assistant), the
// motif templates of the common cases (templates.go), the place rules that derive the time zone
// and the holiday rules from the département (place.go), and the rule that turns a weekly table
// of opening half-days into plages d'ouverture (hours.go). No SQL, no Wails: backend/install
// writes what this package describes, one transaction per step.
package onboarding

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"rdvguichet/backend/agenda"
)

// Steps are the assistant's steps, in order. The step reached is stored in the data file, so
// that an assistant left half-way resumes where it stopped.
var Steps = []string{StepOrganisation, StepLieux, StepAgendas, StepMotifs, StepHoraires, StepRappels, StepImpression, StepServeur}

const (
	StepOrganisation = "organisation"
	StepLieux        = "lieux"
	StepAgendas      = "agendas"
	StepMotifs       = "motifs"
	StepHoraires     = "horaires"
	StepRappels      = "rappels"
	StepImpression   = "impression"
	StepServeur      = "serveur"
	// StepDone is stored once the assistant ended: the agenda opens.
	StepDone = "termine"
)

// Next returns the step after step (StepDone after the last one).
func Next(step string) string {
	for i, s := range Steps {
		if s == step && i+1 < len(Steps) {
			return Steps[i+1]
		}
	}
	return StepDone
}

// Config is a whole set-up: the organisation, its lieux, its agendas, its motifs and the weekly
// opening hours of each agenda. Names tie them together (an agenda's lieu, the motifs of its
// hours), since nothing has an id before it is written.
type Config struct {
	Organisation Organisation `json:"organisation"`
	Lieux        []Lieu       `json:"lieux"`
	Agendas      []Agenda     `json:"agendas"`
	Motifs       []Motif      `json:"motifs"`
	Hours        []Hours      `json:"horaires"`
}

// Organisation is the first step. Kind (mairie, france_services, ccas…) chooses the templates the
// assistant offers first; the address is the first lieu's unless the lieux step changes it.
type Organisation struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Street      string `json:"street"`
	PostalCode  string `json:"postalCode"`
	City        string `json:"city"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Departement string `json:"departement"` // empty: read from the postal code
	AccentColor string `json:"accentColor"`
	LogoPNG     []byte `json:"logoPng,omitempty"`
}

// Lieu is a place where usagers are received.
type Lieu struct {
	Name          string `json:"name"`
	Street        string `json:"street"`
	PostalCode    string `json:"postalCode"`
	City          string `json:"city"`
	Phone         string `json:"phone"`
	Accessibility string `json:"accessibility"`
}

// Agenda is an agent (with a login; the first agent is the administrator and chooses the
// password) or a guichet / DR (no login).
type Agenda struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"` // agent | guichet
	Login    string `json:"login"`
	Email    string `json:"email"`
	Password string `json:"password,omitempty"` // the administrator's only; never stored as is
}

// Motif is a motif as the assistant edits it: a template's fields, changed or not, and the
// channels it is open to. Template names the template it came from (init's file may give the
// template alone: Expand fills the rest).
type Motif struct {
	Template     string   `json:"template,omitempty"`
	Name         string   `json:"name"`
	Color        string   `json:"color"`
	DurationMin  int      `json:"durationMin"`
	Pieces       []string `json:"pieces"`
	Instructions string   `json:"instructions"`
	AntsCategory string   `json:"antsCategory"`
	Channels     Channels `json:"channels"`
}

// Channels says who may book a motif: the agent at the counter (the motif is in the agendas'
// opening hours), the lobby kiosk, online booking (through the central server).
type Channels struct {
	Guichet bool `json:"guichet"`
	Borne   bool `json:"borne"`
	EnLigne bool `json:"enLigne"`
}

// Read decodes an init file; unknown fields are refused, so that a typo does not go unnoticed.
func Read(r io.Reader) (Config, error) {
	var c Config
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, agenda.Errorf("onboarding.Read", agenda.Invalid, "fichier de configuration illisible : %v", err)
	}
	for i, m := range c.Motifs {
		full, err := m.Expand()
		if err != nil {
			return c, err
		}
		c.Motifs[i] = full
	}
	return c, c.Check()
}

// Check finds what a set-up cannot do without: a name, a lieu, a first agent who administers
// with a password, and hours naming agendas, lieux and motifs that exist.
func (c Config) Check() error {
	var bad []string
	if strings.TrimSpace(c.Organisation.Name) == "" {
		bad = append(bad, "l’organisation n’a pas de nom")
	}
	if len(c.Lieux) == 0 {
		bad = append(bad, "il faut au moins un lieu")
	}
	if _, ok := c.Admin(); !ok {
		bad = append(bad, "le premier agenda doit être un agent avec un identifiant et un mot de passe (l’administrateur)")
	}
	names := func(n int, name func(int) string) map[string]bool {
		m := map[string]bool{}
		for i := range n {
			m[name(i)] = true
		}
		return m
	}
	lieux := names(len(c.Lieux), func(i int) string { return c.Lieux[i].Name })
	agendas := names(len(c.Agendas), func(i int) string { return c.Agendas[i].Name })
	motifs := names(len(c.Motifs), func(i int) string { return c.Motifs[i].Name })
	var online []string
	for _, m := range c.Motifs {
		if m.Channels.EnLigne {
			online = append(online, m.Name)
		}
	}
	if unsold := OnlineUnsold(c.CounterHours(), online); len(unsold) > 0 {
		bad = append(bad, UnsoldText(unsold))
	}
	for _, h := range c.Hours {
		if !agendas[h.Agenda] {
			bad = append(bad, fmt.Sprintf("horaires : l’agenda « %s » n’existe pas", h.Agenda))
		}
		if !lieux[h.Lieu] {
			bad = append(bad, fmt.Sprintf("horaires de « %s » : le lieu « %s » n’existe pas", h.Agenda, h.Lieu))
		}
		for _, m := range h.Motifs {
			if !motifs[m] {
				bad = append(bad, fmt.Sprintf("horaires de « %s » : le motif « %s » n’existe pas", h.Agenda, m))
			}
		}
		if _, err := h.Table(); err != nil {
			bad = append(bad, err.Error())
		}
	}
	if len(bad) > 0 {
		return agenda.Errorf("onboarding.Check", agenda.Invalid, "configuration incomplète : %s", strings.Join(bad, " ; "))
	}
	return nil
}

// Admin returns the first agenda when it can administer: an agent with a login and a password.
func (c Config) Admin() (Agenda, bool) {
	if len(c.Agendas) == 0 {
		return Agenda{}, false
	}
	a := c.Agendas[0]
	return a, a.Kind == string(agenda.KindAgent) && a.Login != "" && a.Password != ""
}

// AgendaAccount is the agenda.Agent an Agenda becomes: the first one administers.
func (a Agenda) AgendaAccount(orgID string, first bool) agenda.Agent {
	out := agenda.Agent{OrganisationID: orgID, Kind: agenda.ResourceKind(a.Kind), Name: a.Name, Email: a.Email, Role: agenda.RoleAgent, Active: true}
	if out.Kind != agenda.KindGuichet {
		out.Kind, out.Login = agenda.KindAgent, a.Login
	}
	if first {
		out.Role = agenda.RoleAdmin
	}
	return out
}

// AgendaLieu is the agenda.Lieu a Lieu becomes.
func (l Lieu) AgendaLieu(orgID string) agenda.Lieu {
	return agenda.Lieu{OrganisationID: orgID, Name: l.Name, Street: l.Street, PostalCode: l.PostalCode, City: l.City,
		Phone: l.Phone, Accessibility: l.Accessibility, Enabled: true}
}

// AgendaMotif is the agenda.Motif a Motif becomes: at the office, open to the kiosk and online
// as its channels say.
func (m Motif) AgendaMotif(orgID string) agenda.Motif {
	return agenda.Motif{OrganisationID: orgID, Name: m.Name, Color: m.Color, DurationMin: m.DurationMin,
		LocationType: agenda.PublicOffice, MinPublicDelay: minPublicDelay, MaxPublicDelay: maxPublicDelay, Pieces: m.Pieces, Instructions: m.Instructions,
		AntsCategory: agenda.AntsCategory(m.AntsCategory), BookableKiosk: m.Channels.Borne, BookableOnline: m.Channels.EnLigne}
}

// CounterHours are the hours with their motifs named: a table that names none offers the motifs
// open at the counter (Channels.Guichet), as the assistant's hours step proposes them.
func (c Config) CounterHours() []Hours {
	var counter []string
	for _, m := range c.Motifs {
		if m.Channels.Guichet {
			counter = append(counter, m.Name)
		}
	}
	out := make([]Hours, len(c.Hours))
	for i, h := range c.Hours {
		if len(h.Motifs) == 0 {
			h.Motifs = counter
		}
		out[i] = h
	}
	return out
}
