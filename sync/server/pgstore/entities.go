package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"

	"github.com/jackc/pgx/v5"
)

// querier is a transaction or the pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// upsertV inserts row id of table for org or updates it, and returns the version the change was
// based on (0 for an insert). version 0 numbers the row itself (1 on insert, + 1 on update);
// another version is written as it is (an office's op: the central keeps the office's
// numbering), so the statement's answer is not needed and a pipe sends it with the next ones.
// An id already used by another organisation is refused (duplicate): the suite's methods name
// rows by id alone.
func (s *Store) upsertV(ctx context.Context, tx dbtx, version int, table, org, id string, cols []string, vals []any) (int, error) {
	other, err := usedElsewhere(ctx, tx, table, org, id)
	if err != nil {
		return 0, err
	}
	if other {
		return 0, agenda.Wrap("pgstore.upsert", agenda.CodeDuplicate, fmt.Errorf("%s %s : identifiant déjà pris par une autre organisation", table, id))
	}
	marks := make([]string, len(cols))
	set := make([]string, len(cols))
	for i, c := range cols {
		marks[i] = "$" + strconv.Itoa(i+3)
		set[i] = c + " = EXCLUDED." + c
	}
	n := len(cols) + 3
	ts, vs := "$"+strconv.Itoa(n), "$"+strconv.Itoa(n+1)+"::integer"
	q := "INSERT INTO " + table + " AS t (organisation_id, id, " + strings.Join(cols, ", ") + ", version, updated_at) VALUES ($1, $2, " +
		strings.Join(marks, ", ") + ", CASE WHEN " + vs + " > 0 THEN " + vs + " ELSE 1 END, " + ts + ") ON CONFLICT (organisation_id, id) DO UPDATE SET " +
		strings.Join(set, ", ") + ", version = CASE WHEN " + vs + " > 0 THEN " + vs + " ELSE t.version + 1 END, updated_at = EXCLUDED.updated_at RETURNING version"
	args := append(append([]any{org, id}, vals...), s.now(), version)
	if version > 0 {
		_, err := tx.Exec(ctx, q, args...)
		return version - 1, err
	}
	var v int
	if err := tx.QueryRow(ctx, q, args...).Scan(&v); err != nil {
		return 0, err
	}
	return v - 1, nil
}

// checkNew gives an entity without id a new one, and refuses an id that cannot name a row.
func checkNew(op string, id *string) error {
	if *id == "" {
		*id = newID()
		return nil
	}
	if !validID(*id) {
		return agenda.Errorf(op, agenda.Invalid, "identifiant %q invalide (UUID attendu)", *id)
	}
	return nil
}

// ---- Organisations ----

const orgCols = "organisation_id::text, name, logo_png, accent_color, time_zone, email, phone, holidays_departement, lundi_pentecote_travaille, slot_grid_minutes, buffer_minutes"

// SaveOrganisation inserts or updates an organisation (a new one gets an id) and returns it.
func (s *Store) SaveOrganisation(ctx context.Context, o agenda.Organisation) (agenda.Organisation, error) {
	const op = "pgstore.SaveOrganisation"
	o = o.Normalized()
	if err := o.Validate(); err != nil {
		return o, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &o.ID); err != nil {
		return o, err
	}
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		var v int
		err := tx.QueryRow(ctx, `INSERT INTO organisations AS t (organisation_id, name, logo_png, accent_color, time_zone, email, phone,
				holidays_departement, lundi_pentecote_travaille, slot_grid_minutes, buffer_minutes, version, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12)
			ON CONFLICT (organisation_id) DO UPDATE SET name = EXCLUDED.name, logo_png = EXCLUDED.logo_png,
				accent_color = EXCLUDED.accent_color, time_zone = EXCLUDED.time_zone, email = EXCLUDED.email, phone = EXCLUDED.phone,
				holidays_departement = EXCLUDED.holidays_departement, lundi_pentecote_travaille = EXCLUDED.lundi_pentecote_travaille,
				slot_grid_minutes = EXCLUDED.slot_grid_minutes, buffer_minutes = EXCLUDED.buffer_minutes,
				version = t.version + 1, updated_at = EXCLUDED.updated_at, placeholder = false
			RETURNING version`,
			o.ID, o.Name, o.LogoPNG, o.AccentColor, o.TimeZone, o.Email, o.Phone, o.Holidays.Departement,
			o.Holidays.LundiPentecoteTravaille, o.SlotGridMinutes, o.BufferMinutes, s.now()).Scan(&v)
		if err != nil {
			return err
		}
		return s.appendChange(ctx, tx, o.ID, protocol.EntityOrganisation, o.ID, protocol.OpUpsert, v-1, protocol.FromOrganisation(o))
	})
	return o, err
}

// GetOrganisation returns one organisation.
func (s *Store) GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error) {
	o, err := getOrg(ctx, s.pool, id)
	return o, mapErr("pgstore.GetOrganisation", err)
}

func getOrg(ctx context.Context, q querier, id string) (agenda.Organisation, error) {
	var o agenda.Organisation
	if !validID(id) {
		return o, notFound("pgstore.GetOrganisation", "organisation", id)
	}
	err := q.QueryRow(ctx, "SELECT "+orgCols+" FROM organisations WHERE organisation_id = $1", id).Scan(
		&o.ID, &o.Name, &o.LogoPNG, &o.AccentColor, &o.TimeZone, &o.Email, &o.Phone,
		&o.Holidays.Departement, &o.Holidays.LundiPentecoteTravaille, &o.SlotGridMinutes, &o.BufferMinutes)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, notFound("pgstore.GetOrganisation", "organisation", id)
	}
	return o, err
}

// ---- Lieux ----

// SaveLieu inserts or updates a lieu (archive it with Enabled false: RDVs point at it).
func (s *Store) SaveLieu(ctx context.Context, l agenda.Lieu) (agenda.Lieu, error) {
	const op = "pgstore.SaveLieu"
	l = l.Normalized()
	if err := l.Validate(); err != nil {
		return l, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &l.ID); err != nil {
		return l, err
	}
	err := s.write(ctx, op, func(tx pgx.Tx) error { return s.writeLieu(ctx, tx, l, 0) })
	return l, err
}

// ---- Agents ----

// SaveAgent inserts or updates an agent or guichet (archive with Active false). The central
// holds no password.
func (s *Store) SaveAgent(ctx context.Context, a agenda.Agent) (agenda.Agent, error) {
	const op = "pgstore.SaveAgent"
	a = a.Normalized()
	if err := a.Validate(); err != nil {
		return a, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &a.ID); err != nil {
		return a, err
	}
	err := s.write(ctx, op, func(tx pgx.Tx) error { return s.writeAgent(ctx, tx, a, 0) })
	return a, err
}

// ---- Motifs ----

const motifCols = "organisation_id::text, id::text, name, color, duration_min, location_type, min_public_delay_s, max_public_delay_s, bookable_kiosk, bookable_online, collectif, capacity, pieces, instructions, ants_category, archived"

// SaveMotif inserts or updates a motif (archive it rather than delete it).
func (s *Store) SaveMotif(ctx context.Context, m agenda.Motif) (agenda.Motif, error) {
	const op = "pgstore.SaveMotif"
	m = m.Normalized()
	if err := m.Validate(); err != nil {
		return m, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &m.ID); err != nil {
		return m, err
	}
	err := s.write(ctx, op, func(tx pgx.Tx) error { return s.writeMotif(ctx, tx, m, 0) })
	return m, err
}

func getMotif(ctx context.Context, q querier, id string) (agenda.Motif, error) {
	var m agenda.Motif
	if !validID(id) {
		return m, notFound("pgstore.GetMotif", "motif", id)
	}
	var minS, maxS int64
	var pieces []byte
	err := q.QueryRow(ctx, "SELECT "+motifCols+" FROM motifs WHERE id = $1", id).Scan(&m.OrganisationID, &m.ID, &m.Name, &m.Color,
		&m.DurationMin, &m.LocationType, &minS, &maxS, &m.BookableKiosk, &m.BookableOnline, &m.Collectif, &m.Capacity, &pieces,
		&m.Instructions, &m.AntsCategory, &m.Archived)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, notFound("pgstore.GetMotif", "motif", id)
	}
	if err != nil {
		return m, err
	}
	m.MinPublicDelay, m.MaxPublicDelay = time.Duration(minS)*time.Second, time.Duration(maxS)*time.Second
	if len(pieces) > 0 && string(pieces) != "null" {
		if err := json.Unmarshal(pieces, &m.Pieces); err != nil {
			return m, fmt.Errorf("motif %s : pièces illisibles : %w", m.ID, err)
		}
	}
	return m, nil
}

// ---- Plages d'ouverture ----

func recurrenceParam(r agenda.Recurrence) (any, error) {
	if r.Every == agenda.Once {
		return nil, nil
	}
	b, err := json.Marshal(r)
	return string(b), err
}

func lastDayParam(d agenda.Date, ok bool) any {
	if !ok {
		return nil
	}
	return d.String()
}

// SavePlage inserts or updates a plage d'ouverture with its motifs and exceptions (both replaced
// as a whole).
func (s *Store) SavePlage(ctx context.Context, p agenda.PlageOuverture) (agenda.PlageOuverture, error) {
	const op = "pgstore.SavePlage"
	p = p.Normalized()
	if err := p.Validate(); err != nil {
		return p, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &p.ID); err != nil {
		return p, err
	}
	if _, err := recurrenceParam(p.Recurrence); err != nil {
		return p, agenda.E(op, agenda.Invalid, err)
	}
	err := s.write(ctx, op, func(tx pgx.Tx) error { return s.writePlage(ctx, tx, p, 0) })
	return p, err
}

// ---- Absences ----

// SaveAbsence inserts or updates an absence.
func (s *Store) SaveAbsence(ctx context.Context, a agenda.Absence) (agenda.Absence, error) {
	const op = "pgstore.SaveAbsence"
	a = a.Normalized()
	if err := a.Validate(); err != nil {
		return a, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &a.ID); err != nil {
		return a, err
	}
	if _, err := recurrenceParam(a.Recurrence); err != nil {
		return a, agenda.E(op, agenda.Invalid, err)
	}
	err := s.write(ctx, op, func(tx pgx.Tx) error { return s.writeAbsence(ctx, tx, a, 0) })
	return a, err
}

// ---- Usagers ----

// SaveUsager inserts or updates an usager (validated against today's date in the clock's zone).
func (s *Store) SaveUsager(ctx context.Context, u agenda.Usager) (agenda.Usager, error) {
	const op = "pgstore.SaveUsager"
	var out agenda.Usager
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		var err error
		out, err = s.saveUsager(ctx, tx, u, 0, s.now())
		return err
	})
	return out, err
}

// saveUsager is SaveUsager inside a transaction (Book creates the usager with the RDV); changed
// is the date of the change the retention reads (usagers.changed_at): the office's for its ops.
func (s *Store) saveUsager(ctx context.Context, tx dbtx, u agenda.Usager, version int, changed time.Time) (agenda.Usager, error) {
	const op = "pgstore.SaveUsager"
	u = u.Normalized()
	if err := u.ValidateAt(agenda.DateOf(s.clock.Now())); err != nil {
		return u, agenda.E(op, agenda.Invalid, err)
	}
	if err := checkNew(op, &u.ID); err != nil {
		return u, err
	}
	base, err := s.upsertV(ctx, tx, version, "usagers", u.OrganisationID, u.ID,
		[]string{"first_name", "last_name", "birth_name", "birth_date", "phone", "email", "notify_sms", "notify_email", "responsible_id", "ants_pre_demande", "changed_at"},
		[]any{u.FirstName, u.LastName, u.BirthName, dateParam(u.BirthDate), u.Phone, u.Email, u.NotifySMS, u.NotifyEmail, nullID(u.ResponsibleID), u.AntsPreDemande, changed})
	if err != nil {
		return u, err
	}
	return u, s.appendChange(ctx, tx, u.OrganisationID, protocol.EntityUsager, u.ID, protocol.OpUpsert, base, protocol.FromUsager(u))
}

// writeLieu writes l and its change in tx (version 0: the next one; else that version).
func (s *Store) writeLieu(ctx context.Context, tx dbtx, l agenda.Lieu, version int) error {
	base, err := s.upsertV(ctx, tx, version, "lieux", l.OrganisationID, l.ID,
		[]string{"name", "street", "postal_code", "city", "phone", "accessibility", "enabled"},
		[]any{l.Name, l.Street, l.PostalCode, l.City, l.Phone, l.Accessibility, l.Enabled})
	if err != nil {
		return err
	}
	return s.appendChange(ctx, tx, l.OrganisationID, protocol.EntityLieu, l.ID, protocol.OpUpsert, base, protocol.FromLieu(l))
}

// writeAgent writes a and its change in tx (version 0: the next one; else that version).
func (s *Store) writeAgent(ctx context.Context, tx dbtx, a agenda.Agent, version int) error {
	base, err := s.upsertV(ctx, tx, version, "agents", a.OrganisationID, a.ID,
		[]string{"kind", "name", "email", "login", "role", "active"},
		[]any{string(a.Kind), a.Name, a.Email, a.Login, string(a.Role), a.Active})
	if err != nil {
		return err
	}
	return s.appendChange(ctx, tx, a.OrganisationID, protocol.EntityAgent, a.ID, protocol.OpUpsert, base, protocol.FromAgent(a))
}

// writeMotif writes m and its change in tx (version 0: the next one; else that version).
func (s *Store) writeMotif(ctx context.Context, tx dbtx, m agenda.Motif, version int) error {
	pieces := m.Pieces
	if pieces == nil {
		pieces = []string{}
	}
	pj, _ := json.Marshal(pieces)
	base, err := s.upsertV(ctx, tx, version, "motifs", m.OrganisationID, m.ID,
		[]string{"name", "color", "duration_min", "location_type", "min_public_delay_s", "max_public_delay_s", "bookable_kiosk",
			"bookable_online", "collectif", "capacity", "pieces", "instructions", "ants_category", "archived"},
		[]any{m.Name, m.Color, m.DurationMin, string(m.LocationType), int64(m.MinPublicDelay / time.Second), int64(m.MaxPublicDelay / time.Second),
			m.BookableKiosk, m.BookableOnline, m.Collectif, m.Capacity, string(pj), m.Instructions, string(m.AntsCategory), m.Archived})
	if err != nil {
		return err
	}
	return s.appendChange(ctx, tx, m.OrganisationID, protocol.EntityMotif, m.ID, protocol.OpUpsert, base, protocol.FromMotif(m))
}

// writePlage writes p and its change in tx (version 0: the next one; else that version).
func (s *Store) writePlage(ctx context.Context, tx dbtx, p agenda.PlageOuverture, version int) error {
	rec, err := recurrenceParam(p.Recurrence)
	if err != nil {
		return err
	}
	ld, ok := p.LastDay()
	base, err := s.upsertV(ctx, tx, version, "plages", p.OrganisationID, p.ID,
		[]string{"agent_id", "lieu_id", "title", "first_day", "last_day", "start_min", "end_min", "recurrence", "canal"},
		[]any{p.AgentID, nullID(p.LieuID), p.Title, p.FirstDay.String(), lastDayParam(ld, ok), int(p.Start), int(p.End), rec, string(p.Canal)})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM plage_motifs WHERE organisation_id = $1 AND plage_id = $2", p.OrganisationID, p.ID); err != nil {
		return err
	}
	for _, m := range p.MotifIDs {
		if _, err := tx.Exec(ctx, "INSERT INTO plage_motifs(organisation_id, plage_id, motif_id) VALUES ($1, $2, $3)", p.OrganisationID, p.ID, m); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "DELETE FROM plage_exceptions WHERE organisation_id = $1 AND plage_id = $2", p.OrganisationID, p.ID); err != nil {
		return err
	}
	for _, e := range p.Exceptions {
		if _, err := tx.Exec(ctx, "INSERT INTO plage_exceptions(organisation_id, plage_id, day, cancelled, start_min, end_min) VALUES ($1, $2, $3, $4, $5, $6)",
			p.OrganisationID, p.ID, e.Date.String(), e.Cancelled, int(e.Start), int(e.End)); err != nil {
			return err
		}
	}
	return s.appendChange(ctx, tx, p.OrganisationID, protocol.EntityPlage, p.ID, protocol.OpUpsert, base, protocol.FromPlage(p))
}

// writeAbsence writes a and its change in tx (version 0: the next one; else that version).
func (s *Store) writeAbsence(ctx context.Context, tx dbtx, a agenda.Absence, version int) error {
	rec, err := recurrenceParam(a.Recurrence)
	if err != nil {
		return err
	}
	ld, ok := a.LastDay()
	base, err := s.upsertV(ctx, tx, version, "absences", a.OrganisationID, a.ID,
		[]string{"agent_id", "title", "first_day", "end_day", "last_day", "start_min", "end_min", "recurrence"},
		[]any{a.AgentID, a.Title, a.FirstDay.String(), dateParam(a.EndDay), lastDayParam(ld, ok), int(a.Start), int(a.End), rec})
	if err != nil {
		return err
	}
	return s.appendChange(ctx, tx, a.OrganisationID, protocol.EntityAbsence, a.ID, protocol.OpUpsert, base, protocol.FromAbsence(a))
}
