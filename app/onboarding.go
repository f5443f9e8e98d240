package app

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/cli"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/install"
	"rdvguichet/backend/onboarding"
)

// The first start (issue 14). A data file without an organisation opens on a chooser (Startup's
// Setup is SetupChoose): the demo (StartDemo), the assistant « Configurer ma commune » (the
// Setup* methods, one step each, written by backend/install in one transaction per step), or the
// pairing of a poste secondaire. The step reached is stored in the file, so that an assistant left
// half-way resumes. Until the agendas step has made the administrator, the file belongs to no
// one and the assistant's first steps need no session; from then on they are the
// administrator's, who is signed in by that step.

// SetupChoose is Startup.Setup for an empty file: the window shows the chooser.
const SetupChoose = "choisir"

// SetupService is the assistant's and the demo's door.
type SetupService struct{ agentDoor }

// SetupView is what the assistant shows: the step to resume at, the choices it offers and what
// the file holds already (each step's form filled again when the assistant goes back to it).
type SetupView struct {
	Step         string                  `json:"step"`
	Kinds        []KindView              `json:"kinds"`
	Groups       []onboarding.Group      `json:"groups"`
	KindGroups   map[string][]string     `json:"kindGroups"`
	Organisation onboarding.Organisation `json:"organisation"`
	Lieux        []onboarding.Lieu       `json:"lieux"`
	Agendas      []onboarding.Agenda     `json:"agendas"`
	Motifs       []onboarding.Motif      `json:"motifs"`
	// Hours are the weekly tables the hours step proposes (onboarding.Config.DefaultHours).
	Hours []onboarding.Hours `json:"hours"`
}

// KindView is a kind of organisation.
type KindView struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// step returns the assistant's stored step ("" when the file has none: an empty file, or a file
// set up before the assistant existed, which is ready).
func (s *SetupService) step(ctx context.Context) (string, error) {
	v, _, err := s.db.Setting(ctx, install.SettingStep)
	return v, err
}

// claimed says whether the file has its administrator: every step is then theirs.
func claimed(step string, hasOrg bool) bool {
	switch step {
	case "", onboarding.StepOrganisation, onboarding.StepLieux, onboarding.StepAgendas:
		return hasOrg && step == ""
	}
	return true
}

// setupCall runs a step: without a session while the file has no administrator, else as the
// administrator.
func setupCall[T any](s *SetupService, work func(ctx context.Context) (T, error)) (T, error) {
	return call(s.office, nil, noSession, func(ctx context.Context, _ agenda.Agent) (T, error) {
		var zero T
		step, err := s.step(ctx)
		if err != nil {
			return zero, err
		}
		orgs, err := s.db.ListOrganisations(ctx)
		if err != nil {
			return zero, err
		}
		if claimed(step, len(orgs) > 0) {
			if _, err := s.session.admin(); err != nil {
				return zero, err
			}
		}
		return work(ctx)
	})
}

// setupStep reports whether Startup must show the chooser or the assistant rather than the agenda.
func (s *AgentService) setupStep(ctx context.Context) (string, error) {
	step, _, err := s.db.Setting(ctx, install.SettingStep)
	if err != nil || step == onboarding.StepDone {
		return "", err
	}
	return step, nil
}

// SetupState returns the assistant's step and the file's set-up so far.
func (s *SetupService) SetupState() (SetupView, error) {
	return setupCall(s, func(ctx context.Context) (SetupView, error) {
		out := SetupView{Groups: onboarding.Groups, KindGroups: onboarding.KindGroups,
			Lieux: []onboarding.Lieu{}, Agendas: []onboarding.Agenda{}, Motifs: []onboarding.Motif{}, Hours: []onboarding.Hours{}}
		for _, k := range onboarding.Kinds {
			out.Kinds = append(out.Kinds, KindView{k.ID, k.Label})
		}
		var err error
		if out.Step, err = s.step(ctx); err != nil || out.Step == "" {
			out.Step = onboarding.StepOrganisation
			return out, err
		}
		org, _, err := s.org(ctx)
		if err != nil {
			return out, err
		}
		kind, _, _ := s.db.Setting(ctx, install.SettingKind)
		out.Organisation = onboarding.Organisation{Name: org.Name, Kind: kind, Phone: org.Phone, Email: org.Email,
			Departement: org.Holidays.Departement, AccentColor: org.AccentColor, LogoPNG: org.LogoPNG}
		lieux, err := s.db.ListLieux(ctx, org.ID, false)
		if err != nil {
			return out, err
		}
		for _, l := range lieux {
			out.Lieux = append(out.Lieux, onboarding.Lieu{Name: l.Name, Street: l.Street, PostalCode: l.PostalCode, City: l.City, Phone: l.Phone, Accessibility: l.Accessibility})
		}
		if v, ok, err := s.db.Setting(ctx, install.SettingAddress); err == nil && ok {
			var a install.Address
			if json.Unmarshal([]byte(v), &a) == nil {
				out.Organisation.Street, out.Organisation.PostalCode, out.Organisation.City = a.Street, a.PostalCode, a.City
			}
		}
		agents, err := s.db.ListAgents(ctx, org.ID, false)
		if err != nil {
			return out, err
		}
		for _, a := range adminFirst(agents) {
			out.Agendas = append(out.Agendas, onboarding.Agenda{Name: a.Name, Kind: string(a.Kind), Login: a.Login, Email: a.Email})
		}
		motifs, err := s.db.ListMotifs(ctx, org.ID, false)
		if err != nil {
			return out, err
		}
		for _, m := range motifs {
			out.Motifs = append(out.Motifs, onboarding.Motif{Name: m.Name, Color: m.Color, DurationMin: m.DurationMin, Pieces: m.Pieces,
				Instructions: m.Instructions, AntsCategory: string(m.AntsCategory),
				Channels: onboarding.Channels{Guichet: true, Borne: m.BookableKiosk, EnLigne: m.BookableOnline}})
		}
		out.Hours = onboarding.Config{Lieux: out.Lieux, Agendas: out.Agendas, Motifs: out.Motifs}.DefaultHours()
		return out, nil
	})
}

// adminFirst puts the administrators first, as the agendas step lists them.
func adminFirst(agents []agenda.Agent) []agenda.Agent {
	var admins, others []agenda.Agent
	for _, a := range agents {
		if a.Role == agenda.RoleAdmin {
			admins = append(admins, a)
		} else {
			others = append(others, a)
		}
	}
	return append(admins, others...)
}

// Place tells the département, time zone and local particulars of a postal code, as the
// organisation step shows them while the user types.
func (s *SetupService) Place(postalCode, departement string) (onboarding.Place, error) {
	p, _ := onboarding.PlaceOf(postalCode, departement)
	return p, nil
}

// stepResult turns a step's refusal into the form's errors: a row's fields are named
// « index.field » (« 1.name »: the second lieu's name).
func stepResult(err error) (SaveResult, error) {
	var row *install.RowError
	if errors.As(err, &row) {
		res, err := saved("", row.Err)
		for i := range res.Errors {
			res.Errors[i].Field = strconv.Itoa(row.Index) + "." + res.Errors[i].Field
		}
		return res, err
	}
	if agenda.KindOf(err) == agenda.Invalid {
		var v agenda.ValidationError
		if !errors.As(err, &v) {
			return SaveResult{Errors: []agenda.FieldError{{Field: "", Message: text(err)}}}, nil
		}
	}
	return saved("", err)
}

// SetupOrganisation writes the organisation step.
func (s *SetupService) SetupOrganisation(o onboarding.Organisation) (SaveResult, error) {
	return setupCall(s, func(ctx context.Context) (SaveResult, error) {
		_, err := install.Organisation(ctx, s.db, o)
		return stepResult(err)
	})
}

// SetupLieux writes the lieux step.
func (s *SetupService) SetupLieux(lieux []onboarding.Lieu) (SaveResult, error) {
	return setupCall(s, func(ctx context.Context) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		return stepResult(install.Lieux(ctx, s.db, org.ID, lieux))
	})
}

// SetupAgendas writes the agendas step and signs the administrator in: the next steps are theirs.
func (s *SetupService) SetupAgendas(agendas []onboarding.Agenda) (SaveResult, error) {
	return setupCall(s, func(ctx context.Context) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		if len(agendas) > 0 && agendas[0].Password != "" {
			if errs := checkPassword(agendas[0].Password); errs != nil {
				errs[0].Field = "0.password"
				return SaveResult{Errors: errs}, nil
			}
		}
		if res, err := stepResult(install.Agendas(ctx, s.db, org.ID, agendas)); err != nil || len(res.Errors) > 0 {
			return res, err
		}
		admin, _, err := s.db.GetAgentByLogin(ctx, org.ID, agendas[0].Login)
		if err != nil {
			return SaveResult{}, err
		}
		s.session.mu.Lock()
		s.session.agent, s.session.last, s.session.timeout = &admin, s.clock.Now(), time.Duration(s.timeoutMin(ctx))*time.Minute
		s.session.mu.Unlock()
		return saved(admin.ID, nil)
	})
}

// SetupMotifs writes the motifs step.
func (s *SetupService) SetupMotifs(motifs []onboarding.Motif) (SaveResult, error) {
	return setupCall(s, func(ctx context.Context) (SaveResult, error) {
		org, _, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		return stepResult(install.Motifs(ctx, s.db, org.ID, motifs))
	})
}

// SetupHours writes the opening hours step: each agenda's weekly table becomes its plages from today.
func (s *SetupService) SetupHours(hours []onboarding.Hours) (SaveResult, error) {
	return setupCall(s, func(ctx context.Context) (SaveResult, error) {
		org, loc, err := s.org(ctx)
		if err != nil {
			return SaveResult{}, err
		}
		return stepResult(install.Hours(ctx, s.db, org.ID, hours, agenda.DateOf(s.clock.Now().In(loc))))
	})
}

// SetupSkip passes an optional step (reminders, printers, central server), configured or not.
func (s *SetupService) SetupSkip(step string) error {
	_, err := setupCall(s, func(ctx context.Context) (done, error) { return done{}, install.Skip(ctx, s.db, step) })
	return err
}

// StartDemo fills the empty file with the demo agenda (the chooser's first choice).
func (s *SetupService) StartDemo() error {
	_, err := call(s.office, nil, noSession, func(ctx context.Context, _ agenda.Agent) (done, error) {
		_, err := demo.Create(ctx, s.db.Path(), s.clock.Now(), cli.DemoDays)
		return done{}, err
	})
	return err
}

// LeaveDemo keeps a backup of the demo beside the data file, then empties the file: the window
// goes back to the chooser. It returns the backup's path. Anyone may leave the demo (its password
// is on the sign-in screen); a real agenda cannot be emptied this way.
func (s *SetupService) LeaveDemo() (string, error) {
	return call(s.office, nil, noSession, func(ctx context.Context, _ agenda.Agent) (string, error) {
		if _, ok, err := s.db.Setting(ctx, demo.SettingDemo); err != nil || !ok {
			if err == nil {
				err = agenda.Fail("app.LeaveDemo", agenda.CodeNotDemo)
			}
			return "", err
		}
		kept := filepath.Join(filepath.Dir(s.db.Path()), "demonstration-"+s.clock.Now().Format("2006-01-02-150405")+".sqlite")
		if err := s.db.Backup(kept); err != nil {
			return "", err
		}
		if err := s.db.Empty(ctx); err != nil {
			return "", err
		}
		s.session.mu.Lock()
		s.session.agent = nil
		s.session.mu.Unlock()
		return kept, nil
	})
}
