package app

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
)

// Settings screens. Forms travel with the JSON names of the agenda's fields, so that the
// FieldErrors of agenda.ValidationError land beside the right input; dates are YYYY-MM-DD and times
// HH:MM strings, read here with a message when they cannot be. The organisation, lieux, motifs and
// accounts are the administrators'; plages and absences are every agent's business.

// OrganisationForm is the organisation's settings, with the device's inactivity timeout.
type OrganisationForm struct {
	Name              string `json:"name"`
	AccentColor       string `json:"accentColor"`
	Email             string `json:"email"`
	Phone             string `json:"phone"`
	TimeZone          string `json:"timeZone"`
	Departement       string `json:"departement"` // agenda reports it as « holidays.departement »
	LogoPng           string `json:"logoPng"`     // base64; empty = no logo
	SlotGridMinutes   int    `json:"slotGridMinutes"`
	BufferMinutes     int    `json:"bufferMinutes"`
	SessionTimeoutMin int    `json:"sessionTimeoutMin"`
}

// AgentForm is an agent account or a guichet. Password is only written: set it to create an
// agent's account or to reset its password.
type AgentForm struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Email       string `json:"email"`
	Login       string `json:"login"`
	Role        string `json:"role"`
	Active      bool   `json:"active"`
	Password    string `json:"password"`
	HasPassword bool   `json:"hasPassword"`
}

// MotifForm is a motif; the public booking window is in minutes (minimum) and days (maximum).
type MotifForm struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Color              string   `json:"color"`
	DurationMin        int      `json:"durationMin"`
	LocationType       string   `json:"locationType"`
	MinPublicDelayMin  int      `json:"minPublicDelay"`
	MaxPublicDelayDays int      `json:"maxPublicDelay"`
	BookableKiosk      bool     `json:"bookableKiosk"`
	BookableOnline     bool     `json:"bookableOnline"`
	Collectif          bool     `json:"collectif"`
	Capacity           int      `json:"capacity"`
	Pieces             []string `json:"pieces"`
	Instructions       string   `json:"instructions"`
	AntsCategory       string   `json:"antsCategory"`
	Archived           bool     `json:"archived"`
}

// RecurrenceForm is agenda.Recurrence with the weekdays as numbers (0 = dimanche) and a text date.
type RecurrenceForm struct {
	Every    string `json:"every"` // "" (once), "week", "month"
	Interval int    `json:"interval"`
	Weekdays []int  `json:"weekdays"`
	Nth      int    `json:"nth"`
	Weekday  int    `json:"weekday"`
	Until    string `json:"until"`
}

// ExceptionForm cancels one occurrence of a plage or moves its times.
type ExceptionForm struct {
	Date      string `json:"date"`
	Cancelled bool   `json:"cancelled"`
	Start     string `json:"start"`
	End       string `json:"end"`
}

// PlageForm is a plage d'ouverture.
type PlageForm struct {
	ID         string          `json:"id"`
	AgentID    string          `json:"agentId"`
	LieuID     string          `json:"lieuId"`
	Title      string          `json:"title"`
	MotifIDs   []string        `json:"motifIds"`
	FirstDay   string          `json:"firstDay"`
	Start      string          `json:"start"`
	End        string          `json:"end"`
	Recurrence RecurrenceForm  `json:"recurrence"`
	Exceptions []ExceptionForm `json:"exceptions"`
	Canal      string          `json:"canal"`
	// EnTransfert (read only) says that the plage's change of canal waits for the central's
	// acknowledgement: until then neither the office nor the central sells its slots.
	EnTransfert bool `json:"enTransfert"`
}

// AbsenceForm is an absence.
type AbsenceForm struct {
	ID         string         `json:"id"`
	AgentID    string         `json:"agentId"`
	Title      string         `json:"title"`
	FirstDay   string         `json:"firstDay"`
	EndDay     string         `json:"endDay"`
	Start      string         `json:"start"`
	End        string         `json:"end"`
	Recurrence RecurrenceForm `json:"recurrence"`
}

// SettingsView is everything the settings screens edit.
type SettingsView struct {
	Organisation OrganisationForm `json:"organisation"`
	Lieux        []agenda.Lieu    `json:"lieux"`
	Agents       []AgentForm      `json:"agents"`
	Motifs       []MotifForm      `json:"motifs"`
	Plages       []PlageForm      `json:"plages"`
	Absences     []AbsenceForm    `json:"absences"`
	IsAdmin      bool             `json:"isAdmin"`
}

// Settings returns the content of the settings screens, archived entries included.
func (s *AgentService) Settings() (SettingsView, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SettingsView, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SettingsView{}, err
		}
		out := SettingsView{IsAdmin: me.Role == agenda.RoleAdmin, Lieux: []agenda.Lieu{}, Agents: []AgentForm{}, Motifs: []MotifForm{},
			Plages: []PlageForm{}, Absences: []AbsenceForm{},
			Organisation: OrganisationForm{Name: org.Name, AccentColor: org.AccentColor, Email: org.Email, Phone: org.Phone, TimeZone: org.TimeZone,
				Departement: org.Holidays.Departement, LogoPng: base64.StdEncoding.EncodeToString(org.LogoPNG),
				SlotGridMinutes: org.SlotGridMinutes, BufferMinutes: org.BufferMinutes, SessionTimeoutMin: s.timeoutMin(ctx)}}
		lieux, err := s.db.ListLieux(ctx, org.ID, true)
		if err != nil {
			return SettingsView{}, err
		}
		out.Lieux = append(out.Lieux, lieux...)
		agents, err := s.db.ListAgents(ctx, org.ID, true)
		if err != nil {
			return SettingsView{}, err
		}
		for _, a := range agents {
			f := AgentForm{ID: a.ID, Kind: string(a.Kind), Name: a.Name, Email: a.Email, Login: a.Login, Role: string(a.Role), Active: a.Active}
			if a.Login != "" {
				_, hash, err := s.db.GetAgentByLogin(ctx, org.ID, a.Login)
				if err != nil {
					return SettingsView{}, err
				}
				f.HasPassword = hash != ""
			}
			out.Agents = append(out.Agents, f)
		}
		motifs, err := s.db.ListMotifs(ctx, org.ID, true)
		if err != nil {
			return SettingsView{}, err
		}
		for _, m := range motifs {
			out.Motifs = append(out.Motifs, MotifForm{ID: m.ID, Name: m.Name, Color: m.Color, DurationMin: m.DurationMin, LocationType: string(m.LocationType),
				MinPublicDelayMin: int(m.MinPublicDelay / time.Minute), MaxPublicDelayDays: int(m.MaxPublicDelay / (24 * time.Hour)),
				BookableKiosk: m.BookableKiosk, BookableOnline: m.BookableOnline, Collectif: m.Collectif, Capacity: m.Capacity,
				Pieces: append([]string{}, m.Pieces...), Instructions: m.Instructions, AntsCategory: string(m.AntsCategory), Archived: m.Archived})
		}
		plages, err := s.db.ListPlages(ctx, org.ID, "")
		if err != nil {
			return SettingsView{}, err
		}
		for _, p := range plages {
			f := PlageForm{ID: p.ID, AgentID: p.AgentID, LieuID: p.LieuID, Title: p.Title, MotifIDs: append([]string{}, p.MotifIDs...),
				FirstDay: p.FirstDay.String(), Start: p.Start.String(), End: p.End.String(), Recurrence: recurrenceForm(p.Recurrence),
				Exceptions: []ExceptionForm{}, Canal: string(p.Canal), EnTransfert: p.EnTransfert}
			for _, e := range p.Exceptions {
				f.Exceptions = append(f.Exceptions, ExceptionForm{Date: e.Date.String(), Cancelled: e.Cancelled, Start: e.Start.String(), End: e.End.String()})
			}
			out.Plages = append(out.Plages, f)
		}
		absences, err := s.db.ListAbsences(ctx, org.ID, "")
		if err != nil {
			return SettingsView{}, err
		}
		for _, a := range absences {
			out.Absences = append(out.Absences, AbsenceForm{ID: a.ID, AgentID: a.AgentID, Title: a.Title, FirstDay: a.FirstDay.String(),
				EndDay: dateText(a.EndDay), Start: a.Start.String(), End: a.End.String(), Recurrence: recurrenceForm(a.Recurrence)})
		}
		return out, nil
	})
}

func recurrenceForm(r agenda.Recurrence) RecurrenceForm {
	f := RecurrenceForm{Every: string(r.Every), Interval: max(r.Interval, 1), Weekdays: []int{}, Nth: r.Nth, Weekday: int(r.Weekday), Until: dateText(r.Until)}
	for _, w := range r.Weekdays {
		f.Weekdays = append(f.Weekdays, int(w))
	}
	return f
}

func (fe *formErrors) recurrence(f RecurrenceForm) agenda.Recurrence {
	r := agenda.Recurrence{Every: agenda.Frequency(f.Every), Interval: f.Interval, Nth: f.Nth, Weekday: time.Weekday(f.Weekday),
		Until: fe.date("recurrence.until", f.Until, false)}
	if r.Every == agenda.Once {
		r.Interval, r.Nth, r.Weekday = 0, 0, 0
	}
	if r.Every == agenda.Weekly {
		for _, w := range f.Weekdays {
			r.Weekdays = append(r.Weekdays, time.Weekday(w))
		}
		slices.Sort(r.Weekdays)
	}
	return r
}

// SaveOrganisation saves the organisation's settings and the inactivity timeout.
func (s *AgentService) SaveOrganisation(f OrganisationForm) (SaveResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		var fe formErrors
		logo, err := base64.StdEncoding.DecodeString(f.LogoPng)
		if err != nil {
			fe.add("logoPng", "Le logo n’a pas pu être lu : choisissez une image PNG.")
		}
		if f.SessionTimeoutMin < 1 || f.SessionTimeoutMin > 480 {
			fe.add("sessionTimeoutMin", "La déconnexion automatique doit intervenir entre 1 et 480 minutes.")
		}
		org.Name, org.AccentColor, org.Email, org.Phone, org.TimeZone = f.Name, f.AccentColor, f.Email, f.Phone, f.TimeZone
		org.Holidays.Departement, org.LogoPNG, org.SlotGridMinutes, org.BufferMinutes = f.Departement, logo, f.SlotGridMinutes, f.BufferMinutes
		if len(logo) == 0 {
			org.LogoPNG = nil
		}
		if fe.any(org.Validate()) {
			for i, e := range fe.list {
				if e.Field == "holidays.departement" {
					fe.list[i].Field = "departement"
				}
			}
			return SaveResult{Errors: fe.list}, nil
		}
		if _, err := s.db.SaveOrganisation(ctx, org); err != nil {
			return saved("", err)
		}
		if err := s.db.SetSetting(ctx, settingSessionTimeout, strconv.Itoa(f.SessionTimeoutMin)); err != nil {
			return SaveResult{}, err
		}
		s.session.mu.Lock()
		s.session.timeout = time.Duration(f.SessionTimeoutMin) * time.Minute
		s.session.mu.Unlock()
		return saved(org.ID, nil)
	})
}

// SaveLieu creates or updates a lieu (archive it with Enabled false).
func (s *AgentService) SaveLieu(l agenda.Lieu) (SaveResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		l.OrganisationID = org.ID
		l, err = s.db.SaveLieu(ctx, l)
		return saved(l.ID, err)
	})
}

// SaveAgent creates or updates an agent account or a guichet: an administrator's task. A new
// agent needs a password; deactivating an account closes it without losing its history.
func (s *AgentService) SaveAgent(f AgentForm) (SaveResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		var fe formErrors
		a := agenda.Agent{ID: f.ID, OrganisationID: org.ID, Kind: agenda.ResourceKind(f.Kind), Name: f.Name, Email: f.Email, Login: f.Login,
			Role: agenda.Role(f.Role), Active: f.Active}
		if a.Kind == agenda.KindGuichet && a.Role == "" {
			a.Role = agenda.RoleAgent
		}
		if f.ID == me.ID && (!f.Active || a.Role != agenda.RoleAdmin) {
			fe.add("active", "Vous ne pouvez pas retirer vos propres droits d’administrateur ni désactiver votre compte.")
		}
		newAccount := f.ID == "" && a.Kind == agenda.KindAgent
		if newAccount || f.Password != "" {
			fe.list = append(fe.list, checkPassword(f.Password)...)
		}
		if fe.any(a.Validate()) {
			return SaveResult{Errors: fe.list}, nil
		}
		a, err = s.db.SaveAgent(ctx, a)
		if agenda.KindOf(err) == agenda.Conflict {
			return SaveResult{Errors: []agenda.FieldError{{Field: "login", Message: "Cet identifiant est déjà utilisé."}}}, nil
		}
		if err != nil || f.Password == "" {
			return saved(a.ID, err)
		}
		return s.SetAgentPassword(a.ID, f.Password)
	})
}

// SaveMotif creates or updates a motif (archive it rather than delete it).
func (s *AgentService) SaveMotif(f MotifForm) (SaveResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		pieces := slices.DeleteFunc(slices.Clone(f.Pieces), func(p string) bool { return p == "" })
		m := agenda.Motif{ID: f.ID, OrganisationID: org.ID, Name: f.Name, Color: f.Color, DurationMin: f.DurationMin,
			LocationType: agenda.LocationType(f.LocationType), MinPublicDelay: time.Duration(f.MinPublicDelayMin) * time.Minute,
			MaxPublicDelay: time.Duration(f.MaxPublicDelayDays) * 24 * time.Hour, BookableKiosk: f.BookableKiosk, BookableOnline: f.BookableOnline,
			Collectif: f.Collectif, Capacity: f.Capacity, Pieces: pieces, Instructions: f.Instructions,
			AntsCategory: agenda.AntsCategory(f.AntsCategory), Archived: f.Archived}
		m, err = s.db.SaveMotif(ctx, m)
		return saved(m.ID, err)
	})
}

// SavePlage creates or updates a plage d'ouverture.
func (s *AgentService) SavePlage(f PlageForm) (SaveResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		var fe formErrors
		p := agenda.PlageOuverture{ID: f.ID, OrganisationID: org.ID, AgentID: f.AgentID, LieuID: f.LieuID, Title: f.Title,
			MotifIDs: f.MotifIDs, FirstDay: fe.date("firstDay", f.FirstDay, true), Start: fe.clock("start", f.Start), End: fe.clock("end", f.End),
			Recurrence: fe.recurrence(f.Recurrence), Canal: agenda.Canal(f.Canal)}
		for i, e := range f.Exceptions {
			prefix := "exceptions[" + strconv.Itoa(i) + "]."
			x := agenda.Exception{Date: fe.date(prefix+"date", e.Date, true), Cancelled: e.Cancelled}
			if !e.Cancelled {
				x.Start, x.End = fe.clock(prefix+"start", e.Start), fe.clock(prefix+"end", e.End)
			}
			p.Exceptions = append(p.Exceptions, x)
		}
		if fe.any(p.Validate()) {
			return SaveResult{Errors: fe.list}, nil
		}
		p, err = s.db.SavePlage(ctx, p)
		return saved(p.ID, err)
	})
}

// DeletePlage deletes a plage d'ouverture; its RDVs stay.
func (s *AgentService) DeletePlage(id string) error {
	_, err := call(s.office, s.session, asAgent, func(ctx context.Context, _ agenda.Agent) (done, error) {
		return done{}, s.db.DeletePlage(ctx, id)
	})
	return err
}

// SaveAbsence creates or updates an absence.
func (s *AgentService) SaveAbsence(f AbsenceForm) (SaveResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		var fe formErrors
		a := agenda.Absence{ID: f.ID, OrganisationID: org.ID, AgentID: f.AgentID, Title: f.Title, FirstDay: fe.date("firstDay", f.FirstDay, true),
			EndDay: fe.date("endDay", f.EndDay, false), Start: fe.clock("start", f.Start), End: fe.clock("end", f.End), Recurrence: fe.recurrence(f.Recurrence)}
		if fe.any(a.Validate()) {
			return SaveResult{Errors: fe.list}, nil
		}
		a, err = s.db.SaveAbsence(ctx, a)
		return saved(a.ID, err)
	})
}

// DeleteAbsence deletes an absence.
func (s *AgentService) DeleteAbsence(id string) error {
	_, err := call(s.office, s.session, asAgent, func(ctx context.Context, _ agenda.Agent) (done, error) {
		return done{}, s.db.DeleteAbsence(ctx, id)
	})
	return err
}
