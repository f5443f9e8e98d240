// Package install writes a first set-up (backend/onboarding) into a data file, one transaction
// per step: the assistant « Configurer ma commune » calls one step at a time, « rdv-guichet init »
// all of them in a row, so that both make the same organisation. A step given again (the assistant
// went back to it) updates what it wrote, matched by name, rather than adding twins.
package install

import (
	"context"
	"encoding/json"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/onboarding"
	"rdvguichet/backend/store"
)

// Settings of the set-up, local to the file.
const (
	// SettingStep is the assistant's next step (onboarding.Steps), onboarding.StepDone once ended.
	SettingStep = "onboarding_step"
	// SettingKind is the organisation's kind (onboarding.Kinds): it chooses the templates offered.
	SettingKind = "organisation_kind"
	// SettingAddress is the organisation's address (JSON street, postalCode, city): the
	// organisation has no address of its own, the assistant offers it to the first lieu.
	SettingAddress = "organisation_address"
)

// All writes a whole set-up (« rdv-guichet init »): every step, then the assistant marked done.
// today is the plages' first day.
func All(ctx context.Context, db *store.DB, c onboarding.Config, today agenda.Date) error {
	if err := c.Check(); err != nil {
		return err
	}
	org, err := Organisation(ctx, db, c.Organisation)
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { return Lieux(ctx, db, org.ID, c.Lieux) },
		func() error { return Agendas(ctx, db, org.ID, c.Agendas) },
		func() error { return Motifs(ctx, db, org.ID, c.Motifs) },
		func() error { return Hours(ctx, db, org.ID, c.CounterHours(), today) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return db.SetSetting(ctx, SettingStep, onboarding.StepDone)
}

// Organisation writes the first step: the organisation (the one of the file, updated when it
// exists) and its kind; the assistant goes on to the lieux.
func Organisation(ctx context.Context, db *store.DB, o onboarding.Organisation) (agenda.Organisation, error) {
	org := o.AgendaOrganisation()
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		return org, err
	}
	if len(orgs) > 0 {
		org.ID, org.SlotGridMinutes, org.BufferMinutes = orgs[0].ID, orgs[0].SlotGridMinutes, orgs[0].BufferMinutes
		if org.LogoPNG == nil {
			org.LogoPNG = orgs[0].LogoPNG
		}
	}
	err = db.Apply(ctx, "install.Organisation", func(b *store.Batch) error {
		if org, err = b.SaveOrganisation(org); err != nil {
			return err
		}
		if err := b.SetSetting(SettingKind, o.Kind); err != nil {
			return err
		}
		addr, _ := json.Marshal(Address{o.Street, o.PostalCode, o.City})
		if err := b.SetSetting(SettingAddress, string(addr)); err != nil {
			return err
		}
		return advance(ctx, db, b, onboarding.StepOrganisation)
	})
	return org, err
}

// Address is the organisation's address as SettingAddress keeps it.
type Address struct {
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
}

// advance stores the step after done as the assistant's next one, unless the assistant is further
// already (a step edited again does not send it back).
func advance(ctx context.Context, db *store.DB, b *store.Batch, done string) error {
	cur, _, err := db.Setting(ctx, SettingStep)
	if err != nil {
		return err
	}
	if index(cur) > index(done) {
		return nil
	}
	return b.SetSetting(SettingStep, onboarding.Next(done))
}

func index(step string) int {
	if step == onboarding.StepDone {
		return len(onboarding.Steps)
	}
	for i, s := range onboarding.Steps {
		if s == step {
			return i
		}
	}
	return -1
}

// Skip passes a step without writing anything (the optional ones: reminders, printers, server).
func Skip(ctx context.Context, db *store.DB, step string) error {
	return db.Apply(ctx, "install.Skip", func(b *store.Batch) error { return advance(ctx, db, b, step) })
}

// byName indexes existing rows by their name, folded, so that a step given again updates them.
func byName[T any](rows []T, name func(T) string) map[string]T {
	m := map[string]T{}
	for _, r := range rows {
		m[fold(name(r))] = r
	}
	return m
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// RowError is a refusal of one row of a step (the lieu, agenda or motif at Index): the assistant
// shows it beside that row.
type RowError struct {
	Index int
	Err   error
}

func (e *RowError) Error() string { return e.Err.Error() }
func (e *RowError) Unwrap() error { return e.Err }

// Lieux writes the lieux step (at least one lieu).
func Lieux(ctx context.Context, db *store.DB, orgID string, lieux []onboarding.Lieu) error {
	if len(lieux) == 0 {
		return agenda.Errorf("install.Lieux", agenda.Invalid, "il faut au moins un lieu")
	}
	have, err := db.ListLieux(ctx, orgID, true)
	if err != nil {
		return err
	}
	old := byName(have, func(l agenda.Lieu) string { return l.Name })
	return db.Apply(ctx, "install.Lieux", func(b *store.Batch) error {
		for i, l := range lieux {
			row := l.AgendaLieu(orgID)
			row.ID = old[fold(l.Name)].ID
			if _, err := b.SaveLieu(row); err != nil {
				return &RowError{i, err}
			}
		}
		return advance(ctx, db, b, onboarding.StepLieux)
	})
}

// Agendas writes the agendas step: the first agenda is the administrator, with the password it
// chose (hashed here; an empty password keeps the one already set when the step is given again).
func Agendas(ctx context.Context, db *store.DB, orgID string, agendas []onboarding.Agenda) error {
	const op = "install.Agendas"
	if len(agendas) == 0 || agendas[0].Kind != string(agenda.KindAgent) || agendas[0].Login == "" {
		return agenda.Errorf(op, agenda.Invalid, "le premier agenda est celui de l’administrateur : un agent avec un identifiant")
	}
	have, err := db.ListAgents(ctx, orgID, true)
	if err != nil {
		return err
	}
	old := byName(have, func(a agenda.Agent) string { return a.Name })
	hash := ""
	if p := agendas[0].Password; p != "" {
		if hash, err = store.HashPassword(p); err != nil {
			return err
		}
	} else if _, ok := old[fold(agendas[0].Name)]; !ok {
		return agenda.Errorf(op, agenda.Invalid, "l’administrateur doit choisir son mot de passe")
	}
	return db.Apply(ctx, op, func(b *store.Batch) error {
		for i, a := range agendas {
			row := a.AgendaAccount(orgID, i == 0)
			row.ID = old[fold(a.Name)].ID
			saved, err := b.SaveAgent(row)
			if err != nil {
				return &RowError{i, err}
			}
			if i == 0 && hash != "" {
				if err := b.SetAgentPasswordHash(saved.ID, hash); err != nil {
					return err
				}
			}
		}
		return advance(ctx, db, b, onboarding.StepAgendas)
	})
}

// Motifs writes the motifs step (templates edited, or empty motifs).
func Motifs(ctx context.Context, db *store.DB, orgID string, motifs []onboarding.Motif) error {
	have, err := db.ListMotifs(ctx, orgID, true)
	if err != nil {
		return err
	}
	old := byName(have, func(m agenda.Motif) string { return m.Name })
	return db.Apply(ctx, "install.Motifs", func(b *store.Batch) error {
		for i, m := range motifs {
			row := m.AgendaMotif(orgID)
			row.ID = old[fold(m.Name)].ID
			if _, err := b.SaveMotif(row); err != nil {
				return &RowError{i, err}
			}
		}
		return advance(ctx, db, b, onboarding.StepMotifs)
	})
}

// Hours writes the opening hours step: each agenda's weekly table becomes its plages, replacing
// the plages the step wrote before. The motifs of a table are those it names, or every motif open
// at the counter.
func Hours(ctx context.Context, db *store.DB, orgID string, hours []onboarding.Hours, today agenda.Date) error {
	const op = "install.Hours"
	agents, err := db.ListAgents(ctx, orgID, false)
	if err != nil {
		return err
	}
	lieux, err := db.ListLieux(ctx, orgID, false)
	if err != nil {
		return err
	}
	motifs, err := db.ListMotifs(ctx, orgID, false)
	if err != nil {
		return err
	}
	agentOf := byName(agents, func(a agenda.Agent) string { return a.Name })
	lieuOf := byName(lieux, func(l agenda.Lieu) string { return l.Name })
	motifOf := byName(motifs, func(m agenda.Motif) string { return m.Name })
	var plages []agenda.PlageOuverture
	replaced := map[string]bool{}
	resolved := make([]onboarding.Hours, len(hours))
	for i, h := range hours {
		a, ok1 := agentOf[fold(h.Agenda)]
		l, ok2 := lieuOf[fold(h.Lieu)]
		if !ok1 || !ok2 {
			return agenda.Errorf(op, agenda.Invalid, "horaires de « %s » : agenda ou lieu « %s » inconnu", h.Agenda, h.Lieu)
		}
		var offered []agenda.Motif
		for _, name := range h.Motifs {
			m, ok := motifOf[fold(name)]
			if !ok {
				return agenda.Errorf(op, agenda.Invalid, "horaires de « %s » : le motif « %s » n’existe pas", h.Agenda, name)
			}
			offered = append(offered, m)
		}
		if len(h.Motifs) == 0 {
			offered = counterMotifs(motifs)
			for _, m := range offered {
				h.Motifs = append(h.Motifs, m.Name)
			}
		}
		resolved[i] = h
		ps, err := onboarding.Plages(h, orgID, a.ID, l.ID, offered, today)
		if err != nil {
			return err
		}
		plages = append(plages, ps...)
		replaced[a.ID] = true
	}
	var online []string
	for _, m := range motifs {
		if m.BookableOnline && !m.Archived {
			online = append(online, m.Name)
		}
	}
	if unsold := onboarding.OnlineUnsold(resolved, online); len(unsold) > 0 {
		return agenda.Errorf(op, agenda.Invalid, "%s", onboarding.UnsoldText(unsold))
	}
	var old []string
	for id := range replaced {
		ps, err := db.ListPlages(ctx, orgID, id)
		if err != nil {
			return err
		}
		for _, p := range ps {
			old = append(old, p.ID)
		}
	}
	return db.Apply(ctx, op, func(b *store.Batch) error {
		for _, id := range old {
			if err := b.DeletePlage(id); err != nil {
				return err
			}
		}
		for _, p := range plages {
			if _, err := b.SavePlage(p); err != nil {
				return err
			}
		}
		return advance(ctx, db, b, onboarding.StepHoraires)
	})
}

// counterMotifs are the motifs the agendas' hours offer when the step names none: every motif
// not archived (an agent may always book).
func counterMotifs(motifs []agenda.Motif) []agenda.Motif {
	var out []agenda.Motif
	for _, m := range motifs {
		if !m.Archived {
			out = append(out, m)
		}
	}
	return out
}
