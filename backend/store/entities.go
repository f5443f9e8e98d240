package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

// upsert inserts row id of table (version 1) or updates it (version + 1), and returns the version
// the change was based on (0 for an insert), for the outbox.
func (db *DB) upsert(ctx context.Context, tx *txn, table, id string, cols []string, vals []any) (base int, err error) {
	base, exists, err := currentVersion(ctx, tx, table, id)
	if err != nil {
		return 0, err
	}
	now := ms(db.now())
	if exists {
		set := make([]string, len(cols))
		for i, c := range cols {
			set[i] = c + " = ?"
		}
		args := append(append([]any{}, vals...), now, id)
		_, err = tx.ExecContext(ctx, "UPDATE "+table+" SET "+strings.Join(set, ", ")+
			", version = version + 1, updated_at = ? WHERE id = ?", args...)
		return base, err
	}
	marks := strings.Repeat("?, ", len(cols)+2) + "?"
	args := append(append([]any{id}, vals...), 1, now)
	_, err = tx.ExecContext(ctx, "INSERT INTO "+table+" (id, "+strings.Join(cols, ", ")+
		", version, updated_at) VALUES ("+marks+")", args...)
	return 0, err
}

// notFound builds the NotFound error of a Get.
func notFound(op, what, id string) error {
	return agenda.NotFoundError(op, what, id)
}

// ---- Organisation ----

const orgCols = "id, name, logo_png, accent_color, time_zone, email, phone, holidays_departement, lundi_pentecote_travaille, slot_grid_minutes, buffer_minutes"

func scanOrg(s interface{ Scan(...any) error }) (agenda.Organisation, error) {
	var o agenda.Organisation
	var lundi int
	err := s.Scan(&o.ID, &o.Name, &o.LogoPNG, &o.AccentColor, &o.TimeZone, &o.Email, &o.Phone,
		&o.Holidays.Departement, &lundi, &o.SlotGridMinutes, &o.BufferMinutes)
	o.Holidays.LundiPentecoteTravaille = lundi == 1
	return o, err
}

// SaveOrganisation inserts or updates the organisation (a new one gets an id) and returns it.
func (db *DB) SaveOrganisation(ctx context.Context, o agenda.Organisation) (agenda.Organisation, error) {
	const op = "store.SaveOrganisation"
	return writeOne(ctx, db, op, o, prepOrganisation, db.putOrganisation)
}

func prepOrganisation(op string, o agenda.Organisation) (agenda.Organisation, error) {
	o = o.Normalized()
	if err := o.Validate(); err != nil {
		return o, agenda.E(op, agenda.Invalid, err)
	}
	if o.ID == "" {
		o.ID = newID()
	}
	return o, nil
}

func (db *DB) putOrganisation(ctx context.Context, tx *txn, o agenda.Organisation) (agenda.Organisation, error) {
	base, err := db.upsert(ctx, tx, "organisations", o.ID,
		[]string{"name", "logo_png", "accent_color", "time_zone", "email", "phone", "holidays_departement", "lundi_pentecote_travaille", "slot_grid_minutes", "buffer_minutes"},
		[]any{o.Name, o.LogoPNG, o.AccentColor, o.TimeZone, o.Email, o.Phone, o.Holidays.Departement, b2i(o.Holidays.LundiPentecoteTravaille), o.SlotGridMinutes, o.BufferMinutes})
	if err != nil {
		return o, err
	}
	return o, db.enqueue(ctx, tx, o.ID, EntityOrganisation, o.ID, OpUpsert, base, o)
}

// GetOrganisation returns one organisation.
func (db *DB) GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error) {
	o, err := getOrg(ctx, db.r, id)
	if err != nil {
		return o, mapErr("store.GetOrganisation", err)
	}
	return o, nil
}

func getOrg(ctx context.Context, q querier, id string) (agenda.Organisation, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, "SELECT "+orgCols+" FROM organisations WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("store.GetOrganisation", "organisation", id)
	}
	return o, err
}

// ListOrganisations returns the organisations of this database (usually one), by name.
func (db *DB) ListOrganisations(ctx context.Context) ([]agenda.Organisation, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+orgCols+" FROM organisations ORDER BY name")
	if err != nil {
		return nil, mapErr("store.ListOrganisations", err)
	}
	out, err := collect(rows, scanOrg)
	return out, mapErr("store.ListOrganisations", err)
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ---- Lieux ----

const lieuCols = "id, organisation_id, name, street, postal_code, city, phone, accessibility, enabled"

func scanLieu(s interface{ Scan(...any) error }) (agenda.Lieu, error) {
	var l agenda.Lieu
	var en int
	err := s.Scan(&l.ID, &l.OrganisationID, &l.Name, &l.Street, &l.PostalCode, &l.City, &l.Phone, &l.Accessibility, &en)
	l.Enabled = en == 1
	return l, err
}

// SaveLieu inserts or updates a lieu. A lieu is never deleted (RDVs point at it): set Enabled to
// false to archive it.
func (db *DB) SaveLieu(ctx context.Context, l agenda.Lieu) (agenda.Lieu, error) {
	return writeOne(ctx, db, "store.SaveLieu", l, prepLieu, db.putLieu)
}

func prepLieu(op string, l agenda.Lieu) (agenda.Lieu, error) {
	l = l.Normalized()
	if err := l.Validate(); err != nil {
		return l, agenda.E(op, agenda.Invalid, err)
	}
	if l.ID == "" {
		l.ID = newID()
	}
	return l, nil
}

func (db *DB) putLieu(ctx context.Context, tx *txn, l agenda.Lieu) (agenda.Lieu, error) {
	base, err := db.upsert(ctx, tx, "lieux", l.ID,
		[]string{"organisation_id", "name", "street", "postal_code", "city", "phone", "accessibility", "enabled"},
		[]any{l.OrganisationID, l.Name, l.Street, l.PostalCode, l.City, l.Phone, l.Accessibility, b2i(l.Enabled)})
	if err != nil {
		return l, err
	}
	return l, db.enqueue(ctx, tx, l.OrganisationID, EntityLieu, l.ID, OpUpsert, base, l)
}

// GetLieu returns one lieu.
func (db *DB) GetLieu(ctx context.Context, id string) (agenda.Lieu, error) {
	l, err := scanLieu(db.r.QueryRowContext(ctx, "SELECT "+lieuCols+" FROM lieux WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, notFound("store.GetLieu", "lieu", id)
	}
	return l, mapErr("store.GetLieu", err)
}

// ListLieux returns an organisation's lieux by name; archived ones only when includeDisabled.
func (db *DB) ListLieux(ctx context.Context, orgID string, includeDisabled bool) ([]agenda.Lieu, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+lieuCols+" FROM lieux WHERE organisation_id = ? AND (enabled = 1 OR ?) ORDER BY name", orgID, includeDisabled)
	if err != nil {
		return nil, mapErr("store.ListLieux", err)
	}
	out, err := collect(rows, scanLieu)
	return out, mapErr("store.ListLieux", err)
}

// ---- Agents ----

const agentCols = "id, organisation_id, kind, name, email, login, role, active"

func scanAgent(s interface{ Scan(...any) error }) (agenda.Agent, error) {
	var a agenda.Agent
	var act int
	err := s.Scan(&a.ID, &a.OrganisationID, &a.Kind, &a.Name, &a.Email, &a.Login, &a.Role, &act)
	a.Active = act == 1
	return a, err
}

// SaveAgent inserts or updates an agent or guichet. Archive by setting Active to false: RDVs and
// history keep pointing at it. The password hash is not touched (see SetAgentPasswordHash).
func (db *DB) SaveAgent(ctx context.Context, a agenda.Agent) (agenda.Agent, error) {
	return writeOne(ctx, db, "store.SaveAgent", a, prepAgent, db.putAgent)
}

func prepAgent(op string, a agenda.Agent) (agenda.Agent, error) {
	a = a.Normalized()
	if err := a.Validate(); err != nil {
		return a, agenda.E(op, agenda.Invalid, err)
	}
	if a.ID == "" {
		a.ID = newID()
	}
	return a, nil
}

func (db *DB) putAgent(ctx context.Context, tx *txn, a agenda.Agent) (agenda.Agent, error) {
	base, err := db.upsert(ctx, tx, "agents", a.ID,
		[]string{"organisation_id", "kind", "name", "email", "login", "role", "active"},
		[]any{a.OrganisationID, string(a.Kind), a.Name, a.Email, a.Login, string(a.Role), b2i(a.Active)})
	if err != nil {
		return a, err
	}
	return a, db.enqueue(ctx, tx, a.OrganisationID, EntityAgent, a.ID, OpUpsert, base, a)
}

// GetAgent returns one agent or guichet.
func (db *DB) GetAgent(ctx context.Context, id string) (agenda.Agent, error) {
	a, err := scanAgent(db.r.QueryRowContext(ctx, "SELECT "+agentCols+" FROM agents WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("store.GetAgent", "agent", id)
	}
	return a, mapErr("store.GetAgent", err)
}

// GetAgentByLogin returns the agent with this login in the organisation, and its password hash
// (for the sign-in).
func (db *DB) GetAgentByLogin(ctx context.Context, orgID, login string) (agenda.Agent, string, error) {
	var hash string
	row := db.r.QueryRowContext(ctx, "SELECT "+agentCols+", password_hash FROM agents WHERE organisation_id = ? AND login = ? AND login <> ''", orgID, login)
	var a agenda.Agent
	var act int
	err := row.Scan(&a.ID, &a.OrganisationID, &a.Kind, &a.Name, &a.Email, &a.Login, &a.Role, &act, &hash)
	a.Active = act == 1
	if errors.Is(err, sql.ErrNoRows) {
		return a, "", notFound("store.GetAgentByLogin", "login", login)
	}
	return a, hash, mapErr("store.GetAgentByLogin", err)
}

// SetAgentPasswordHash stores the agent's password hash (argon2id or bcrypt, computed by the
// caller). It is local to the office: no outbox op, the central server never sees it.
func (db *DB) SetAgentPasswordHash(ctx context.Context, agentID, hash string) error {
	const op = "store.SetAgentPasswordHash"
	return db.write(ctx, op, func(tx *txn) error { return setPasswordHash(ctx, tx, agentID, hash) })
}

func setPasswordHash(ctx context.Context, tx *txn, agentID, hash string) error {
	res, err := tx.ExecContext(ctx, "UPDATE agents SET password_hash = ? WHERE id = ?", hash, agentID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("store.SetAgentPasswordHash", "agent", agentID)
	}
	return nil
}

// ListAgents returns an organisation's agents and guichets by name; inactive ones only when
// includeInactive.
func (db *DB) ListAgents(ctx context.Context, orgID string, includeInactive bool) ([]agenda.Agent, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+agentCols+" FROM agents WHERE organisation_id = ? AND (active = 1 OR ?) ORDER BY kind, name", orgID, includeInactive)
	if err != nil {
		return nil, mapErr("store.ListAgents", err)
	}
	out, err := collect(rows, scanAgent)
	return out, mapErr("store.ListAgents", err)
}

// ---- Motifs ----

const motifCols = "id, organisation_id, name, color, duration_min, location_type, min_public_delay_s, max_public_delay_s, bookable_kiosk, bookable_online, collectif, capacity, pieces, instructions, ants_category, archived"

func scanMotif(s interface{ Scan(...any) error }) (agenda.Motif, error) {
	var m agenda.Motif
	var minS, maxS int64
	var kiosk, online, coll, arch int
	var pieces string
	err := s.Scan(&m.ID, &m.OrganisationID, &m.Name, &m.Color, &m.DurationMin, &m.LocationType, &minS, &maxS,
		&kiosk, &online, &coll, &m.Capacity, &pieces, &m.Instructions, &m.AntsCategory, &arch)
	if err != nil {
		return m, err
	}
	m.MinPublicDelay, m.MaxPublicDelay = time.Duration(minS)*time.Second, time.Duration(maxS)*time.Second
	m.BookableKiosk, m.BookableOnline, m.Collectif, m.Archived = kiosk == 1, online == 1, coll == 1, arch == 1
	if pieces != "" && pieces != "null" {
		if err := json.Unmarshal([]byte(pieces), &m.Pieces); err != nil {
			return m, fmt.Errorf("motif %s : pièces illisibles : %w", m.ID, err)
		}
	}
	return m, nil
}

// SaveMotif inserts or updates a motif. Archive it (Archived) rather than delete it: RDVs keep
// their motif.
func (db *DB) SaveMotif(ctx context.Context, m agenda.Motif) (agenda.Motif, error) {
	return writeOne(ctx, db, "store.SaveMotif", m, prepMotif, db.putMotif)
}

func prepMotif(op string, m agenda.Motif) (agenda.Motif, error) {
	m = m.Normalized()
	if err := m.Validate(); err != nil {
		return m, agenda.E(op, agenda.Invalid, err)
	}
	if m.ID == "" {
		m.ID = newID()
	}
	return m, nil
}

func (db *DB) putMotif(ctx context.Context, tx *txn, m agenda.Motif) (agenda.Motif, error) {
	pieces := m.Pieces
	if pieces == nil {
		pieces = []string{}
	}
	pj, _ := json.Marshal(pieces)
	base, err := db.upsert(ctx, tx, "motifs", m.ID,
		[]string{"organisation_id", "name", "color", "duration_min", "location_type", "min_public_delay_s", "max_public_delay_s", "bookable_kiosk", "bookable_online", "collectif", "capacity", "pieces", "instructions", "ants_category", "archived"},
		[]any{m.OrganisationID, m.Name, m.Color, m.DurationMin, string(m.LocationType), int64(m.MinPublicDelay / time.Second), int64(m.MaxPublicDelay / time.Second),
			b2i(m.BookableKiosk), b2i(m.BookableOnline), b2i(m.Collectif), m.Capacity, string(pj), m.Instructions, string(m.AntsCategory), b2i(m.Archived)})
	if err != nil {
		return m, err
	}
	return m, db.enqueue(ctx, tx, m.OrganisationID, EntityMotif, m.ID, OpUpsert, base, m)
}

// GetMotif returns one motif.
func (db *DB) GetMotif(ctx context.Context, id string) (agenda.Motif, error) {
	m, err := getMotif(ctx, db.r, id)
	return m, mapErr("store.GetMotif", err)
}

func getMotif(ctx context.Context, q querier, id string) (agenda.Motif, error) {
	m, err := scanMotif(q.QueryRowContext(ctx, "SELECT "+motifCols+" FROM motifs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("store.GetMotif", "motif", id)
	}
	return m, err
}

// ListMotifs returns an organisation's motifs by name; archived ones only when includeArchived.
func (db *DB) ListMotifs(ctx context.Context, orgID string, includeArchived bool) ([]agenda.Motif, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+motifCols+" FROM motifs WHERE organisation_id = ? AND (archived = 0 OR ?) ORDER BY name", orgID, includeArchived)
	if err != nil {
		return nil, mapErr("store.ListMotifs", err)
	}
	out, err := collect(rows, scanMotif)
	return out, mapErr("store.ListMotifs", err)
}

// ---- Plages d'ouverture ----

const plageCols = "p.id, p.organisation_id, p.agent_id, coalesce(p.lieu_id, ''), p.title, p.first_day, p.start_min, p.end_min, coalesce(p.recurrence, ''), p.canal, p.transfer_op IS NOT NULL"

func scanPlage(s interface{ Scan(...any) error }) (agenda.PlageOuverture, error) {
	var p agenda.PlageOuverture
	var first, rec string
	err := s.Scan(&p.ID, &p.OrganisationID, &p.AgentID, &p.LieuID, &p.Title, &first, &p.Start, &p.End, &rec, &p.Canal, &p.EnTransfert)
	if err != nil {
		return p, err
	}
	p.FirstDay = parseDate(first)
	if rec != "" {
		if err := json.Unmarshal([]byte(rec), &p.Recurrence); err != nil {
			return p, fmt.Errorf("plage %s : récurrence illisible : %w", p.ID, err)
		}
	}
	return p, nil
}

func recurrenceJSON(r agenda.Recurrence) (any, error) {
	if r.Every == agenda.Once {
		return nil, nil
	}
	b, err := json.Marshal(r)
	return string(b), err
}

func lastDayCol(d agenda.Date, ok bool) any {
	if !ok {
		return nil
	}
	return d.String()
}

// SavePlage inserts or updates a plage d'ouverture with its motifs and exceptions (both replaced
// as a whole).
func (db *DB) SavePlage(ctx context.Context, p agenda.PlageOuverture) (agenda.PlageOuverture, error) {
	return writeOne(ctx, db, "store.SavePlage", p, prepPlage, db.putPlage)
}

func prepPlage(op string, p agenda.PlageOuverture) (agenda.PlageOuverture, error) {
	p = p.Normalized()
	if err := p.Validate(); err != nil {
		return p, agenda.E(op, agenda.Invalid, err)
	}
	if _, err := recurrenceJSON(p.Recurrence); err != nil {
		return p, agenda.E(op, agenda.Invalid, err)
	}
	if p.ID == "" {
		p.ID = newID()
	}
	return p, nil
}

func (db *DB) putPlage(ctx context.Context, tx *txn, p agenda.PlageOuverture) (agenda.PlageOuverture, error) {
	rec, err := recurrenceJSON(p.Recurrence)
	if err != nil {
		return p, err
	}
	transfer, err := inTransfer(ctx, tx, p)
	if err != nil {
		return p, err
	}
	before, err := queryPlages(ctx, tx, "WHERE p.id = ?", p.ID)
	if err != nil {
		return p, err
	}
	base, err := db.upsert(ctx, tx, "plages_ouverture", p.ID,
		[]string{"organisation_id", "agent_id", "lieu_id", "title", "first_day", "last_day", "start_min", "end_min", "recurrence", "canal"},
		[]any{p.OrganisationID, p.AgentID, nullStr(p.LieuID), p.Title, p.FirstDay.String(), lastDayCol(p.LastDay()), int(p.Start), int(p.End), rec, string(p.Canal)})
	if err != nil {
		return p, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM plage_motifs WHERE plage_id = ?", p.ID); err != nil {
		return p, err
	}
	for _, m := range p.MotifIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plage_motifs(plage_id, motif_id, organisation_id) VALUES (?, ?, ?)", p.ID, m, p.OrganisationID); err != nil {
			return p, err
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM plage_exceptions WHERE plage_id = ?", p.ID); err != nil {
		return p, err
	}
	for _, e := range p.Exceptions {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plage_exceptions(plage_id, organisation_id, day, cancelled, start_min, end_min) VALUES (?, ?, ?, ?, ?, ?)",
			p.ID, p.OrganisationID, e.Date.String(), b2i(e.Cancelled), int(e.Start), int(e.End)); err != nil {
			return p, err
		}
	}
	opID, err := db.enqueueOp(ctx, tx, p.OrganisationID, EntityPlage, p.ID, OpUpsert, base, p)
	if err != nil {
		return p, err
	}
	// En transfert until the central answers this op, the plage's latest (its answer
	// covers the earlier ones: the outbox is pushed in order).
	var pending any
	if transfer {
		pending = opID
	} else if pending, err = occurrenceTransfer(ctx, tx, p, before, opID); err != nil {
		return p, err
	}
	p.EnTransfert = pending != nil
	_, err = tx.ExecContext(ctx, "UPDATE plages_ouverture SET transfer_op = ? WHERE id = ?", pending, p.ID)
	return p, err
}

// occurrenceTransfer guards the occurrences moved from the online pages to the counter
// (agenda.PlageOuverture.TakesFromOnline, ADR 0008), at an office that syncs with a central.
// Saving p, an en_ligne plage (its op opID; before, its stored version if any), puts every counter
// plage of its agent that takes hours p gives up by this save's exceptions en transfert until the
// central answers opID. Saving p, a counter plage, returns the op p waits for: the latest pending
// op of an en_ligne plage of its agent whose given-up hours p takes (nil: none).
func occurrenceTransfer(ctx context.Context, tx *txn, p agenda.PlageOuverture, before []agenda.PlageOuverture, opID string) (any, error) {
	var server string
	if err := tx.QueryRowContext(ctx, "SELECT server_url FROM sync_state WHERE id = 1").Scan(&server); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if server == "" {
		return nil, nil
	}
	if p.Canal == agenda.CanalEnLigne {
		if len(before) == 1 {
			p.Exceptions = agenda.ExceptionsChanged(before[0].Exceptions, p.Exceptions)
		}
		counter, err := queryPlages(ctx, tx, "WHERE p.agent_id = ? AND p.canal <> ? AND p.id <> ?", p.AgentID, string(agenda.CanalEnLigne), p.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range counter {
			if c.TakesFromOnline(p) {
				if _, err := tx.ExecContext(ctx, "UPDATE plages_ouverture SET transfer_op = ? WHERE id = ?", opID, c.ID); err != nil {
					return nil, err
				}
			}
		}
		return nil, nil
	}
	online, err := queryPlages(ctx, tx, `WHERE p.agent_id = ? AND p.canal = ? AND p.id <> ?
		AND EXISTS (SELECT 1 FROM outbox o WHERE o.entity = ? AND o.entity_id = p.id AND o.state = 'pending')`,
		p.AgentID, string(agenda.CanalEnLigne), p.ID, string(EntityPlage))
	if err != nil {
		return nil, err
	}
	var wait any
	var waitSeq int64
	for _, o := range online {
		if !p.TakesFromOnline(o) {
			continue
		}
		var id string
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT op_id, seq FROM outbox WHERE entity = ? AND entity_id = ? AND state = 'pending'
			ORDER BY seq DESC LIMIT 1`, string(EntityPlage), o.ID).Scan(&id, &seq); err != nil {
			return nil, err
		}
		if seq > waitSeq {
			wait, waitSeq = id, seq
		}
	}
	return wait, nil
}

// inTransfer says whether saving p leaves it en transfert (agenda.PlageOuverture.Seller): its
// canal changes now, or changed in an op the central has not answered yet. Only an office that
// syncs with a central transfers: alone, it is the only seller of its plages. A new plage has no
// former seller.
func inTransfer(ctx context.Context, tx *txn, p agenda.PlageOuverture) (bool, error) {
	var canal, server string
	var pending bool
	err := tx.QueryRowContext(ctx, `SELECT p.canal, p.transfer_op IS NOT NULL, (SELECT server_url FROM sync_state WHERE id = 1)
		FROM plages_ouverture p WHERE p.id = ?`, p.ID).Scan(&canal, &pending, &server)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return server != "" && (pending || agenda.Canal(canal) != p.Canal), nil
}

// GetPlage returns one plage with its motifs and exceptions.
func (db *DB) GetPlage(ctx context.Context, id string) (agenda.PlageOuverture, error) {
	var out []agenda.PlageOuverture
	err := db.read(ctx, "store.GetPlage", func(tx *txn) error {
		var err error
		out, err = queryPlages(ctx, tx, "WHERE p.id = ?", id)
		return err
	})
	if err != nil {
		return agenda.PlageOuverture{}, err
	}
	if len(out) == 0 {
		return agenda.PlageOuverture{}, notFound("store.GetPlage", "plage", id)
	}
	return out[0], nil
}

// ListPlages returns an organisation's plages (of one agent when agentID is set), by first day.
func (db *DB) ListPlages(ctx context.Context, orgID, agentID string) ([]agenda.PlageOuverture, error) {
	var out []agenda.PlageOuverture
	err := db.read(ctx, "store.ListPlages", func(tx *txn) error {
		var err error
		out, err = queryPlages(ctx, tx, "WHERE p.organisation_id = ? AND (? = '' OR p.agent_id = ?)", orgID, agentID, agentID)
		return err
	})
	return out, err
}

// queryPlages loads the plages matching where (on alias p), then their motifs and exceptions in
// two more queries (not one per plage).
func queryPlages(ctx context.Context, q querier, where string, args ...any) ([]agenda.PlageOuverture, error) {
	return queryPlagesFor(ctx, q, "", where, args...)
}

// queryPlagesFor is queryPlages; when onlyMotif is set, the plages' MotifIDs are just that motif
// (the slot engine only asks whether a plage offers the requested motif), which spares reading
// every plage's motif list on the booking path.
func queryPlagesFor(ctx context.Context, q querier, onlyMotif, where string, args ...any) ([]agenda.PlageOuverture, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+plageCols+" FROM plages_ouverture p "+where+" ORDER BY p.first_day, p.start_min, p.id", args...)
	if err != nil {
		return nil, err
	}
	ps, err := collect(rows, scanPlage)
	if err != nil || len(ps) == 0 {
		return ps, err
	}
	byID := make(map[string]*agenda.PlageOuverture, len(ps))
	ids := make([]string, len(ps))
	for i := range ps {
		byID[ps[i].ID] = &ps[i]
		ids[i] = ps[i].ID
	}
	idj, _ := json.Marshal(ids)
	if onlyMotif != "" {
		for i := range ps {
			ps[i].MotifIDs = []string{onlyMotif}
		}
	} else {
		rows, err = q.QueryContext(ctx, "SELECT plage_id, motif_id FROM plage_motifs WHERE plage_id IN (SELECT value FROM json_each(?)) ORDER BY plage_id, motif_id", string(idj))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var pid, mid string
			if err := rows.Scan(&pid, &mid); err != nil {
				rows.Close()
				return nil, err
			}
			byID[pid].MotifIDs = append(byID[pid].MotifIDs, mid)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
	}
	rows, err = q.QueryContext(ctx, "SELECT plage_id, day, cancelled, start_min, end_min FROM plage_exceptions WHERE plage_id IN (SELECT value FROM json_each(?)) ORDER BY plage_id, day", string(idj))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid, day string
		var e agenda.Exception
		var canc int
		if err := rows.Scan(&pid, &day, &canc, &e.Start, &e.End); err != nil {
			return nil, err
		}
		e.Date, e.Cancelled = parseDate(day), canc == 1
		byID[pid].Exceptions = append(byID[pid].Exceptions, e)
	}
	return ps, rows.Err()
}

// DeletePlage deletes a plage d'ouverture (its motifs and exceptions go with it). Existing RDVs
// are kept: they do not depend on the plage once booked.
func (db *DB) DeletePlage(ctx context.Context, id string) error {
	return db.deleteRow(ctx, "store.DeletePlage", "plages_ouverture", EntityPlage, "plage d’ouverture", id)
}

func (db *DB) deleteRow(ctx context.Context, op, table, entity, what, id string) error {
	return db.write(ctx, op, func(tx *txn) error { return db.deleteIn(ctx, tx, op, table, entity, what, id) })
}

func (db *DB) deleteIn(ctx context.Context, tx *txn, op, table, entity, what, id string) error {
	var org string
	var version int
	err := tx.QueryRowContext(ctx, "SELECT organisation_id, version FROM "+table+" WHERE id = ?", id).Scan(&org, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(op, what, id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ?", id); err != nil {
		return err
	}
	return db.enqueue(ctx, tx, org, entity, id, OpDelete, version, protocol.Tombstone{ID: id})
}

// ---- Absences ----

const absenceCols = "id, organisation_id, agent_id, title, first_day, end_day, start_min, end_min, coalesce(recurrence, '')"

func scanAbsence(s interface{ Scan(...any) error }) (agenda.Absence, error) {
	var a agenda.Absence
	var first, end, rec string
	err := s.Scan(&a.ID, &a.OrganisationID, &a.AgentID, &a.Title, &first, &end, &a.Start, &a.End, &rec)
	if err != nil {
		return a, err
	}
	a.FirstDay, a.EndDay = parseDate(first), parseDate(end)
	if rec != "" {
		if err := json.Unmarshal([]byte(rec), &a.Recurrence); err != nil {
			return a, fmt.Errorf("absence %s : récurrence illisible : %w", a.ID, err)
		}
	}
	return a, nil
}

// SaveAbsence inserts or updates an absence.
func (db *DB) SaveAbsence(ctx context.Context, a agenda.Absence) (agenda.Absence, error) {
	return writeOne(ctx, db, "store.SaveAbsence", a, prepAbsence, db.putAbsence)
}

func prepAbsence(op string, a agenda.Absence) (agenda.Absence, error) {
	a = a.Normalized()
	if err := a.Validate(); err != nil {
		return a, agenda.E(op, agenda.Invalid, err)
	}
	if _, err := recurrenceJSON(a.Recurrence); err != nil {
		return a, agenda.E(op, agenda.Invalid, err)
	}
	if a.ID == "" {
		a.ID = newID()
	}
	return a, nil
}

func (db *DB) putAbsence(ctx context.Context, tx *txn, a agenda.Absence) (agenda.Absence, error) {
	rec, err := recurrenceJSON(a.Recurrence)
	if err != nil {
		return a, err
	}
	base, err := db.upsert(ctx, tx, "absences", a.ID,
		[]string{"organisation_id", "agent_id", "title", "first_day", "end_day", "last_day", "start_min", "end_min", "recurrence"},
		[]any{a.OrganisationID, a.AgentID, a.Title, a.FirstDay.String(), dateStr(a.EndDay), lastDayCol(a.LastDay()), int(a.Start), int(a.End), rec})
	if err != nil {
		return a, err
	}
	return a, db.enqueue(ctx, tx, a.OrganisationID, EntityAbsence, a.ID, OpUpsert, base, a)
}

// GetAbsence returns one absence.
func (db *DB) GetAbsence(ctx context.Context, id string) (agenda.Absence, error) {
	a, err := scanAbsence(db.r.QueryRowContext(ctx, "SELECT "+absenceCols+" FROM absences WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("store.GetAbsence", "absence", id)
	}
	return a, mapErr("store.GetAbsence", err)
}

// ListAbsences returns an organisation's absences (of one agent when agentID is set), by first day.
func (db *DB) ListAbsences(ctx context.Context, orgID, agentID string) ([]agenda.Absence, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+absenceCols+" FROM absences WHERE organisation_id = ? AND (? = '' OR agent_id = ?) ORDER BY first_day, start_min, id", orgID, agentID, agentID)
	if err != nil {
		return nil, mapErr("store.ListAbsences", err)
	}
	out, err := collect(rows, scanAbsence)
	return out, mapErr("store.ListAbsences", err)
}

// DeleteAbsence deletes an absence.
func (db *DB) DeleteAbsence(ctx context.Context, id string) error {
	return db.deleteRow(ctx, "store.DeleteAbsence", "absences", EntityAbsence, "absence", id)
}

// ---- Settings (local to this device: not synchronised) ----

// Setting returns the value of a local setting and whether it is set.
func (db *DB) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, mapErr("store.Setting", err)
	}
	return v, true, nil
}

// InitSetting stores value under key unless a value is already there, and returns the stored
// one, in one write transaction: of several processes creating a setting at once (the desktop
// and the CLI creating the check-in secret), the first writer wins and all read its value.
func (db *DB) InitSetting(ctx context.Context, key, value string) (string, error) {
	var stored string
	err := db.write(ctx, "store.InitSetting", func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", key, value); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&stored)
	})
	return stored, err
}

// SetSetting stores a local setting (sync cursor, kiosk options…). Settings belong to this
// device: no outbox op.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.write(ctx, "store.SetSetting", func(tx *txn) error { return setSetting(ctx, tx, key, value) })
}

func setSetting(ctx context.Context, tx *txn, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
