package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/secret"
	"rdvguichet/sync/protocol"
)

// The office's side of the sync (ARCHITECTURE.md, « Sync »; sync/client drives it):
//
//   - the push's answers are recorded with their ops (RecordPushResults): accepted ops are acked
//     with the central's new version, refused ones keep their code and params for the « à
//     traiter » list (RejectedOutbox), never dropped;
//   - a page of the central's change feed is applied in one transaction with the cursor that
//     ends it (ApplyRemote): a crash leaves either the whole page and its cursor, or neither;
//   - each pulled row is written as the central has it, with the central's version, without an
//     outbox op (no echo) and without planning messages (the central sends those of the RDVs it
//     sold); the booking triggers still guard: an RDV that would overlap a local active RDV is
//     set aside in the conflict list (SyncConflicts) with its code, and the page goes on;
//   - a row with pending local ops is not overwritten: the central's version waits in
//     sync_deferred and is applied once the row has no pending op left (the rebase).

// SyncStatus is what the window's sync badge and « rdv-guichet sync » show.
type SyncStatus struct {
	ServerURL     string      `json:"serverUrl"`
	Cursor        string      `json:"cursor"`
	LastPushAt    *time.Time  `json:"lastPushAt,omitempty"`
	LastPullAt    *time.Time  `json:"lastPullAt,omitempty"`
	LastSuccessAt *time.Time  `json:"lastSuccessAt,omitempty"`
	LastErrorCode agenda.Code `json:"lastErrorCode,omitempty"`
	LastErrorAt   *time.Time  `json:"lastErrorAt,omitempty"`
	Pending       int         `json:"pending"`   // ops not yet answered
	Rejected      int         `json:"rejected"`  // ops refused by the central (« à traiter »)
	Conflicts     int         `json:"conflicts"` // pulled changes set aside (« à traiter »)
	Deferred      int         `json:"deferred"`  // central versions waiting for local ops to be answered
}

// SyncStatus returns the sync state with its counters, read in one snapshot.
func (db *DB) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var s SyncStatus
	err := db.read(ctx, "store.SyncStatus", func(tx *txn) error {
		var push, pull, ok, errAt sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT server_url, cursor, last_push_at, last_pull_at, last_success_at, last_error_code, last_error_at
			FROM sync_state WHERE id = 1`).Scan(&s.ServerURL, &s.Cursor, &push, &pull, &ok, &s.LastErrorCode, &errAt); err != nil {
			return err
		}
		s.LastPushAt, s.LastPullAt, s.LastSuccessAt, s.LastErrorAt = ptrMS(push), ptrMS(pull), ptrMS(ok), ptrMS(errAt)
		return tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM outbox WHERE state = 'pending'),
			(SELECT count(*) FROM outbox WHERE state = 'rejected' AND treated_at IS NULL),
			(SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL),
			(SELECT count(*) FROM sync_deferred)`).Scan(&s.Pending, &s.Rejected, &s.Conflicts, &s.Deferred)
	})
	return s, err
}

// SetSyncServer records the central's address. Another address is another change feed: its
// cursor starts again from the beginning (pulled rows are written as they are, so a full pull
// only rewrites them).
func (db *DB) SetSyncServer(ctx context.Context, url string) error {
	return db.write(ctx, "store.SetSyncServer", func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE sync_state SET cursor = CASE WHEN server_url = ? THEN cursor ELSE '' END, server_url = ? WHERE id = 1`, url, url)
		return err
	})
}

// SyncTokenKey is the setting of the office's bearer token for the central, sealed at rest
// (backend/secret: DPAPI on Windows); a clear token of an older version is read as it is and
// sealed at the next save.
const SyncTokenKey = "sync.token"

// SyncToken reads the office's token, unsealed. A token sealed on another PC or Windows account
// (the data file was carried over) cannot be opened: it is taken as not set, so that the
// administrator types it again in Paramètres › Serveur central.
func (db *DB) SyncToken(ctx context.Context) (string, error) {
	v, _, err := db.Setting(ctx, SyncTokenKey)
	if err != nil {
		return "", err
	}
	token, err := secret.OpenString(v)
	if err != nil {
		return "", nil
	}
	return token, nil
}

// SetSyncToken seals and records the office's token; an empty token forgets it (disconnection).
func (db *DB) SetSyncToken(ctx context.Context, token string) error {
	sealed := ""
	if token != "" {
		var err error
		if sealed, err = secret.SealString(token); err != nil {
			return agenda.E("store.SetSyncToken", agenda.Other, err)
		}
	}
	return db.SetSetting(ctx, SyncTokenKey, sealed)
}

// NoteSyncPush records that a push was answered (the last push time).
func (db *DB) NoteSyncPush(ctx context.Context) error {
	return db.write(ctx, "store.NoteSyncPush", func(tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE sync_state SET last_push_at = ? WHERE id = 1", ms(db.now()))
		return err
	})
}

// NoteSyncOutcome records the end of a round: code "" is a success, otherwise the round's code.
func (db *DB) NoteSyncOutcome(ctx context.Context, code agenda.Code) error {
	return db.write(ctx, "store.NoteSyncOutcome", func(tx *txn) error {
		now := ms(db.now())
		var err error
		if code == "" {
			_, err = tx.ExecContext(ctx, "UPDATE sync_state SET last_success_at = ?, last_error_code = '' WHERE id = 1", now)
		} else {
			_, err = tx.ExecContext(ctx, "UPDATE sync_state SET last_error_code = ?, last_error_at = ? WHERE id = 1", string(code), now)
		}
		return err
	})
}

// OfficeOrganisation returns the organisation this file holds: a synced office holds exactly
// one (the central's operator needs its id for « rdv-central office add --organisation »).
func (db *DB) OfficeOrganisation(ctx context.Context) (agenda.Organisation, error) {
	const op = "store.OfficeOrganisation"
	id, err := officeOrg(ctx, db.r)
	if err != nil {
		return agenda.Organisation{}, mapErr(op, err)
	}
	o, err := getOrg(ctx, db.r, id)
	return o, mapErr(op, err)
}

func officeOrg(ctx context.Context, q querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT id FROM organisations ORDER BY id LIMIT 3")
	if err != nil {
		return "", err
	}
	ids, err := collect(rows, func(s interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, s.Scan(&id)
	})
	if err != nil {
		return "", err
	}
	if len(ids) != 1 {
		n := strconv.Itoa(len(ids))
		if len(ids) > 2 {
			n = "plus de 2"
		}
		return "", agenda.Fail("store.OfficeOrganisation", agenda.CodeSyncOfficeOrg, "count", n)
	}
	return ids[0], nil
}

// RecordPushResults records the central's answers to pushed ops, all in one transaction: an
// accepted op is acked with its new version, a refused one keeps its code and params (the « à
// traiter » list). Only pending ops change, so a replayed answer changes nothing; an answer about
// an op this office never wrote is refused whole.
func (db *DB) RecordPushResults(ctx context.Context, results []protocol.Result) error {
	const op = "store.RecordPushResults"
	return db.write(ctx, op, func(tx *txn) error {
		now := ms(db.now())
		for _, r := range results {
			var res sql.Result
			var err error
			if r.Accepted {
				res, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'acked', result = ?, new_version = ?, done_at = ?
					WHERE op_id = ? AND state = 'pending'`, strconv.Itoa(r.NewVersion), r.NewVersion, now, r.OpID)
				if err == nil {
					// The central has the plage's new canal: its new owner may sell it.
					_, err = tx.ExecContext(ctx, "UPDATE plages_ouverture SET transfer_op = NULL WHERE transfer_op = ?", r.OpID)
				}
			} else {
				code := r.Code
				if code == "" {
					code = agenda.CodeInternal // a refusal must say why; the central forgot
				}
				params, _ := json.Marshal(r.Params)
				if r.Params == nil {
					params = []byte("{}")
				}
				res, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'rejected', result = ?, code = ?, params = ?, done_at = ?
					WHERE op_id = ? AND state = 'pending'`, string(code), string(code), string(params), now, r.OpID)
			}
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				var known int
				if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE op_id = ?", r.OpID).Scan(&known); err != nil {
					return err
				}
				if known == 0 {
					return notFound(op, "op", r.OpID)
				}
			}
		}
		return nil
	})
}

// PageReport counts what ApplyPage did with a page of the change feed.
type PageReport struct {
	Applied   int `json:"applied"`   // rows written as the central has them (tombstones included)
	Skipped   int `json:"skipped"`   // rows with pending local ops: deferred to the rebase
	Conflicts int `json:"conflicts"` // changes set aside in the conflict list
	Rebased   int `json:"rebased"`   // deferred central versions applied once their ops were answered
	Stale     int `json:"stale"`     // changes the office already has a newer version of (its own, echoed)
}

// ApplyRemote applies one page of the central's change feed and stores cursor with it, in one
// transaction (see ApplyPage).
func (db *DB) ApplyRemote(ctx context.Context, changes []protocol.Change, cursor string) error {
	_, err := db.ApplyPage(ctx, changes, cursor)
	return err
}

// ApplyPage applies one page of the central's change feed in one transaction, in feed order,
// and stores cursor (where the next page starts) in the same transaction: after a crash the
// office asks again from the last page it applied, and nothing is applied twice. Every change
// is decoded strictly first (protocol.Decode): a change the office cannot read refuses the whole
// page with its code, nothing is applied and the cursor stays. Then the central's versions set
// aside for rows whose local ops have all been answered are applied (the rebase), then the
// page: each row is written with the central's version, without outbox op and without
// messages; a row with pending local ops is deferred; a change the local rules refuse (an RDV
// on a slot a local active RDV holds: slot_taken) goes to the conflict list with its code and
// the page goes on. An empty page with an empty cursor keeps the stored cursor.
func (db *DB) ApplyPage(ctx context.Context, changes []protocol.Change, cursor string) (PageReport, error) {
	const op = "store.ApplyRemote"
	if cursor == "" && len(changes) > 0 {
		cursor = changes[len(changes)-1].Cursor
	}
	var rep PageReport
	err := db.write(ctx, op, func(tx *txn) error {
		rep = PageReport{}
		org, err := officeOrg(ctx, tx)
		if err != nil {
			return err
		}
		values := make([]any, len(changes))
		for i, c := range changes {
			if values[i], err = decodeChange(org, c, i+1); err != nil {
				return err
			}
		}
		now := db.now()
		if err := db.rebase(ctx, tx, org, now, &rep); err != nil {
			return err
		}
		for i, c := range changes {
			pending, err := pendingOps(ctx, tx, string(c.Entity), c.EntityID)
			if err != nil {
				return err
			}
			if pending {
				if err := deferChange(ctx, tx, c, now); err != nil {
					return err
				}
				rep.Skipped++
				continue
			}
			// A later change of the row supersedes a central version still waiting.
			if _, err := tx.ExecContext(ctx, "DELETE FROM sync_deferred WHERE entity = ? AND entity_id = ?", string(c.Entity), c.EntityID); err != nil {
				return err
			}
			// The feed echoes the office's own changes: a version the office has already passed is
			// history, not news (applying it would move an RDV back onto a slot sold since).
			if stale, err := staleChange(ctx, tx, c); err != nil {
				return err
			} else if stale {
				rep.Stale++
				continue
			}
			if err := db.applyChange(ctx, tx, c, values[i], now, &rep); err != nil {
				return err
			}
		}
		if cursor == "" {
			_, err = tx.ExecContext(ctx, "UPDATE sync_state SET last_pull_at = ? WHERE id = 1", ms(now))
		} else {
			_, err = tx.ExecContext(ctx, "UPDATE sync_state SET cursor = ?, last_pull_at = ? WHERE id = 1", cursor, ms(now))
		}
		return err
	})
	return rep, err
}

// feedOpID stands for the op id protocol.Decode checks: a change of the feed has none.
const feedOpID = "00000000-0000-7000-8000-000000000000"

// decodeChange decodes a pulled change strictly, as the central decodes a pushed op, against
// the office's organisation: a change about another organisation is refused.
func decodeChange(org string, c protocol.Change, n int) (any, error) {
	if c.Version < 0 {
		return nil, agenda.Fail("store.ApplyRemote", agenda.CodeSyncBaseVersion, "op", strconv.Itoa(n))
	}
	v, err := protocol.Decode(protocol.Op{ID: feedOpID, OrganisationID: org, Entity: c.Entity, EntityID: c.EntityID, Kind: c.Kind, Payload: c.Payload})
	if err != nil {
		// The decoder numbers the op 1: the change's position in the page says more.
		var ae *agenda.Error
		if errors.As(err, &ae) && ae.Params != nil {
			ae.Params["op"] = strconv.Itoa(n)
		}
		return nil, err
	}
	return v, nil
}

func pendingOps(ctx context.Context, tx *txn, entity, id string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE entity = ? AND entity_id = ? AND state = 'pending'", entity, id).Scan(&n)
	return n > 0, err
}

// deferChange keeps the central's latest version of a row that has pending local ops.
func deferChange(ctx context.Context, tx *txn, c protocol.Change, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO sync_deferred(entity, entity_id, kind, version, payload, cursor, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, string(c.Entity), c.EntityID, string(c.Kind), c.Version, string(c.Payload), c.Cursor, ms(now))
	return err
}

// rebase applies, in feed order, the central versions set aside for rows that have no pending
// op left: the ops were answered (acked: the central's version includes them; refused: the
// central's version is the truth), so the row can now follow the central.
func (db *DB) rebase(ctx context.Context, tx *txn, org string, now time.Time, rep *PageReport) error {
	rows, err := tx.QueryContext(ctx, `SELECT d.seq, d.entity, d.entity_id, d.kind, d.version, d.payload, d.cursor FROM sync_deferred d
		WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = d.entity AND o.entity_id = d.entity_id AND o.state = 'pending')
		ORDER BY d.seq`)
	if err != nil {
		return err
	}
	type deferred struct {
		seq int64
		c   protocol.Change
	}
	ds, err := collect(rows, func(s interface{ Scan(...any) error }) (deferred, error) {
		var d deferred
		var payload string
		err := s.Scan(&d.seq, &d.c.Entity, &d.c.EntityID, &d.c.Kind, &d.c.Version, &payload, &d.c.Cursor)
		d.c.Payload = json.RawMessage(payload)
		return d, err
	})
	if err != nil {
		return err
	}
	for _, d := range ds {
		v, err := decodeChange(org, d.c, 1)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sync_deferred WHERE seq = ?", d.seq); err != nil {
			return err
		}
		before := rep.Applied
		if err := db.applyChange(ctx, tx, d.c, v, now, rep); err != nil {
			return err
		}
		if rep.Applied > before {
			rep.Applied--
			rep.Rebased++
		}
	}
	return nil
}

// setAside lists the codes of a pulled change the local rules refuse: the change goes to the
// conflict list and the page goes on. Anything else (the disk, an interruption) refuses the page.
func setAside(c agenda.Code) bool {
	switch c {
	case agenda.CodeSlotTaken, agenda.CodeCollectifFull, agenda.CodeCapacityBelow, agenda.CodeIncoherent,
		agenda.CodeBrokenReference, agenda.CodeDuplicate, agenda.CodeRuleViolated:
		return true
	}
	return false
}

// applyChange writes one pulled change inside a savepoint: refused by the local rules, it is
// undone alone and set aside in the conflict list.
func (db *DB) applyChange(ctx context.Context, tx *txn, c protocol.Change, v any, now time.Time, rep *PageReport) error {
	const op = "store.ApplyRemote"
	if _, err := tx.ExecContext(ctx, "SAVEPOINT pulled_change"); err != nil {
		return err
	}
	err := db.writePulled(ctx, tx, c, v, now)
	if err == nil {
		if _, err := tx.ExecContext(ctx, "RELEASE pulled_change"); err != nil {
			return err
		}
		rep.Applied++
		// The row now is as the central has it: an earlier conflict about it is settled.
		_, err = tx.ExecContext(ctx, "UPDATE sync_conflicts SET resolved_at = ? WHERE entity = ? AND entity_id = ? AND resolved_at IS NULL",
			ms(now), string(c.Entity), c.EntityID)
		return err
	}
	mapped := mapErr(op, err)
	if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO pulled_change"); rerr != nil {
		return mapped
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE pulled_change"); rerr != nil {
		return mapped
	}
	code := agenda.CodeOf(mapped)
	if !setAside(code) {
		return mapped
	}
	params := agenda.ParamsOf(mapped)
	if params == nil {
		params = map[string]string{}
	}
	params["entity"], params["entityId"] = string(c.Entity), c.EntityID
	pj, _ := json.Marshal(params)
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_conflicts(entity, entity_id, kind, version, code, params, payload, cursor, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(c.Entity), c.EntityID, string(c.Kind), c.Version, string(code), string(pj),
		string(c.Payload), c.Cursor, ms(now)); err != nil {
		return err
	}
	rep.Conflicts++
	return nil
}

// writePulled writes the row after a pulled change with the central's version: no outbox op,
// no message planned, no history row (the central keeps the RDV's history of what it did).
func (db *DB) writePulled(ctx context.Context, tx *txn, c protocol.Change, v any, now time.Time) error {
	version := c.Version
	if version < 1 {
		version = 1
	}
	switch w := v.(type) {
	case protocol.OrganisationV1:
		o, _ := w.Agenda()
		return putRow(ctx, tx, "organisations", o.ID, version, now,
			[]string{"name", "logo_png", "accent_color", "time_zone", "email", "phone", "holidays_departement", "lundi_pentecote_travaille", "slot_grid_minutes", "buffer_minutes"},
			[]any{o.Name, o.LogoPNG, o.AccentColor, o.TimeZone, o.Email, o.Phone, o.Holidays.Departement, b2i(o.Holidays.LundiPentecoteTravaille), o.SlotGridMinutes, o.BufferMinutes})
	case protocol.LieuV1:
		l, _ := w.Agenda()
		return putRow(ctx, tx, "lieux", l.ID, version, now,
			[]string{"organisation_id", "name", "street", "postal_code", "city", "phone", "accessibility", "enabled"},
			[]any{l.OrganisationID, l.Name, l.Street, l.PostalCode, l.City, l.Phone, l.Accessibility, b2i(l.Enabled)})
	case protocol.AgentV1:
		a, _ := w.Agenda()
		// The login and the password hash are the office's: a new agent takes the central's
		// login, an existing one keeps its own (and its hash, never synchronised).
		_, err := tx.ExecContext(ctx, `INSERT INTO agents(id, organisation_id, kind, name, email, login, role, active, version, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET organisation_id = excluded.organisation_id, kind = excluded.kind, name = excluded.name,
				email = excluded.email, role = excluded.role, active = excluded.active, version = excluded.version, updated_at = excluded.updated_at`,
			a.ID, a.OrganisationID, string(a.Kind), a.Name, a.Email, a.Login, string(a.Role), b2i(a.Active), version, ms(now))
		return err
	case protocol.MotifV1:
		m, _ := w.Agenda()
		pieces := m.Pieces
		if pieces == nil {
			pieces = []string{}
		}
		pj, _ := json.Marshal(pieces)
		return putRow(ctx, tx, "motifs", m.ID, version, now,
			[]string{"organisation_id", "name", "color", "duration_min", "location_type", "min_public_delay_s", "max_public_delay_s", "bookable_kiosk", "bookable_online", "collectif", "capacity", "pieces", "instructions", "ants_category", "archived"},
			[]any{m.OrganisationID, m.Name, m.Color, m.DurationMin, string(m.LocationType), int64(m.MinPublicDelay / time.Second), int64(m.MaxPublicDelay / time.Second),
				b2i(m.BookableKiosk), b2i(m.BookableOnline), b2i(m.Collectif), m.Capacity, string(pj), m.Instructions, string(m.AntsCategory), b2i(m.Archived)})
	case protocol.PlageV1:
		p, err := w.Agenda()
		if err != nil {
			return agenda.E("store.ApplyRemote", agenda.Invalid, err)
		}
		return putPlage(ctx, tx, p, version, now)
	case protocol.AbsenceV1:
		a, err := w.Agenda()
		if err != nil {
			return agenda.E("store.ApplyRemote", agenda.Invalid, err)
		}
		rec, err := recurrenceJSON(a.Recurrence)
		if err != nil {
			return err
		}
		return putRow(ctx, tx, "absences", a.ID, version, now,
			[]string{"organisation_id", "agent_id", "title", "first_day", "end_day", "last_day", "start_min", "end_min", "recurrence"},
			[]any{a.OrganisationID, a.AgentID, a.Title, a.FirstDay.String(), dateStr(a.EndDay), lastDayCol(a.LastDay()), int(a.Start), int(a.End), rec})
	case protocol.UsagerV1:
		u, err := w.Agenda()
		if err != nil {
			return agenda.E("store.ApplyRemote", agenda.Invalid, err)
		}
		return putRow(ctx, tx, "usagers", u.ID, version, now,
			[]string{"organisation_id", "first_name", "last_name", "birth_name", "birth_date", "phone", "email", "notify_sms", "notify_email", "responsible_id", "ants_pre_demande"},
			[]any{u.OrganisationID, u.FirstName, u.LastName, u.BirthName, dateStr(u.BirthDate), u.Phone, u.Email, b2i(u.NotifySMS), b2i(u.NotifyEmail), nullStr(u.ResponsibleID), u.AntsPreDemande})
	case protocol.RdvV1:
		r, _ := w.Agenda()
		r.Version = version
		return db.putRdv(ctx, tx, r, now)
	case protocol.ReceiptV1:
		_, err := tx.ExecContext(ctx, `INSERT INTO receipts(id, organisation_id, rdv_id, usager_id, event, channel, result, error, provider, count, content, recipient, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET rdv_id = excluded.rdv_id, usager_id = excluded.usager_id, event = excluded.event, channel = excluded.channel,
				result = excluded.result, error = excluded.error, provider = excluded.provider, count = excluded.count, content = excluded.content,
				recipient = excluded.recipient, created_at = excluded.created_at`,
			w.ID, w.OrganisationID, w.RdvID, w.UsagerID, w.Event, w.Channel, w.Result, w.Error, w.Provider, w.Count, w.Content, w.Recipient, ms(w.CreatedAt))
		return err
	case protocol.Tombstone:
		table := map[protocol.Entity]string{protocol.EntityPlage: "plages_ouverture", protocol.EntityAbsence: "absences"}[c.Entity]
		if table == "" {
			return agenda.Fail("store.ApplyRemote", agenda.CodeSyncKindUnknown, "op", "1", "entity", string(c.Entity), "kind", string(c.Kind))
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ?", w.ID)
		return err
	}
	return agenda.Errorf("store.ApplyRemote", agenda.Other, "pulled payload %T not handled", v)
}

// putRow writes row id of table as the central has it: inserted, or updated in place (so the
// update triggers run), with the central's version.
func putRow(ctx context.Context, tx *txn, table, id string, version int, now time.Time, cols []string, vals []any) error {
	q := "INSERT INTO " + table + " (id"
	marks, set := "?", ""
	for _, c := range cols {
		q += ", " + c
		marks += ", ?"
		set += c + " = excluded." + c + ", "
	}
	q += ", version, updated_at) VALUES (" + marks + ", ?, ?) ON CONFLICT(id) DO UPDATE SET " + set +
		"version = excluded.version, updated_at = excluded.updated_at"
	args := append(append([]any{id}, vals...), version, ms(now))
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// putPlage writes a pulled plage with its motifs and exceptions (both replaced as a whole).
func putPlage(ctx context.Context, tx *txn, p agenda.PlageOuverture, version int, now time.Time) error {
	rec, err := recurrenceJSON(p.Recurrence)
	if err != nil {
		return err
	}
	if err := putRow(ctx, tx, "plages_ouverture", p.ID, version, now,
		// The central's version says who sells the plage: a transfer, if any, is over.
		[]string{"organisation_id", "agent_id", "lieu_id", "title", "first_day", "last_day", "start_min", "end_min", "recurrence", "canal", "transfer_op"},
		[]any{p.OrganisationID, p.AgentID, nullStr(p.LieuID), p.Title, p.FirstDay.String(), lastDayCol(p.LastDay()), int(p.Start), int(p.End), rec, string(p.Canal), nil}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM plage_motifs WHERE plage_id = ?", p.ID); err != nil {
		return err
	}
	for _, m := range p.MotifIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plage_motifs(plage_id, motif_id, organisation_id) VALUES (?, ?, ?)", p.ID, m, p.OrganisationID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM plage_exceptions WHERE plage_id = ?", p.ID); err != nil {
		return err
	}
	for _, e := range p.Exceptions {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plage_exceptions(plage_id, organisation_id, day, cancelled, start_min, end_min) VALUES (?, ?, ?, ?, ?, ?)",
			p.ID, p.OrganisationID, e.Date.String(), b2i(e.Cancelled), int(e.Start), int(e.End)); err != nil {
			return err
		}
	}
	return nil
}

// putRdv writes a pulled RDV through the same rows and triggers as a booking: a new RDV with
// insertRdv (its rdv_agents rows copied from the rdvs row, so the overlap trigger guards), an
// existing one updated in place (rdvs_sync_agents moves its busy rows, the trigger guards again).
// Its participations are replaced as a whole, in the central's order (the capacity trigger
// counts them). No message is planned: the central sends those of the RDVs it sells.
func (db *DB) putRdv(ctx context.Context, tx *txn, r agenda.Rdv, now time.Time) error {
	before, err := loadRdvs(ctx, tx, "FROM rdvs r WHERE r.id = ?", r.ID)
	if err != nil {
		return err
	}
	if len(before) == 0 {
		return db.insertRdv(ctx, tx, r, now)
	}
	old := before[0]
	if _, err := tx.ExecContext(ctx, "DELETE FROM participations WHERE rdv_id = ?", r.ID); err != nil {
		return err
	}
	oldAgents, newAgents := slices.Sorted(slices.Values(old.AgentIDs)), slices.Sorted(slices.Values(r.AgentIDs))
	agentsChanged := !slices.Equal(oldAgents, newAgents)
	if agentsChanged {
		// Free the old rows first, as Move does: the new times may only be free for the new agents.
		if _, err := tx.ExecContext(ctx, "DELETE FROM rdv_agents WHERE rdv_id = ?", r.ID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rdvs SET motif_id = ?, lieu_id = ?, starts_at = ?, ends_at = ?, status = ?, context = ?,
		documents_number = ?, collectif = ?, capacity = ?, created_by = ?, origine = ?, cancelled_at = ?, version = ?, updated_at = ? WHERE id = ?`,
		r.MotifID, nullStr(r.LieuID), ms(r.StartsAt), ms(r.EndsAt), string(r.Status), r.Context, r.DocumentsNumber, b2i(r.Collectif),
		r.Capacity, r.CreatedBy, string(r.Origine), nullMS(r.CancelledAt), r.Version, ms(now), r.ID); err != nil {
		return err
	}
	if agentsChanged {
		if err := insertRdvAgents(ctx, tx, r.ID, r.AgentIDs); err != nil {
			return err
		}
	}
	for _, p := range r.Participations {
		if _, err := tx.ExecContext(ctx, "INSERT INTO participations(rdv_id, usager_id, organisation_id, status, arrived_at) VALUES (?, ?, ?, ?, ?)",
			r.ID, p.UsagerID, r.OrganisationID, string(p.Status), nullMS(p.ArrivedAt)); err != nil {
			return err
		}
	}
	return nil
}

// SyncConflict is a pulled change set aside: the « à traiter » list shows the text of Code with
// Params (entity and entityId always among them).
type SyncConflict struct {
	ID       int64             `json:"id"`
	Entity   string            `json:"entity"`
	EntityID string            `json:"entityId"`
	Kind     string            `json:"kind"`
	Version  int               `json:"version"`
	Code     agenda.Code       `json:"code"`
	Params   map[string]string `json:"params,omitempty"`
	Payload  json.RawMessage   `json:"payload"` // the central's row (protocol's wire type)
	Cursor   string            `json:"cursor"`
	At       time.Time         `json:"at"`
}

// SyncConflicts returns the open conflicts, oldest first.
func (db *DB) SyncConflicts(ctx context.Context, limit int) ([]SyncConflict, error) {
	const op = "store.SyncConflicts"
	if limit <= 0 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, entity, entity_id, kind, version, code, params, payload, cursor, at
		FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := collect(rows, func(s interface{ Scan(...any) error }) (SyncConflict, error) {
		var c SyncConflict
		var params, payload string
		var at int64
		if err := s.Scan(&c.ID, &c.Entity, &c.EntityID, &c.Kind, &c.Version, &c.Code, &params, &payload, &c.Cursor, &at); err != nil {
			return c, err
		}
		c.Payload, c.At = json.RawMessage(payload), fromMS(at)
		return c, json.Unmarshal([]byte(params), &c.Params)
	})
	return out, mapErr(op, err)
}

// DismissSyncConflict closes a conflict an agent has dealt with (it leaves the list).
func (db *DB) DismissSyncConflict(ctx context.Context, id int64) error {
	const op = "store.DismissSyncConflict"
	return db.write(ctx, op, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, "UPDATE sync_conflicts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL", ms(db.now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(op, "conflict", strconv.FormatInt(id, 10))
		}
		return nil
	})
}

// OutboxByState returns up to limit ops in state (pending, acked, rejected), in outbox order:
// the sync log of the window and the tests' view of what was answered.
func (db *DB) OutboxByState(ctx context.Context, state string, limit int) ([]OutboxOp, error) {
	return db.listOutbox(ctx, "store.OutboxByState", state, limit, "")
}

// versionedTables are the tables whose rows carry the version the feed's changes name.
var versionedTables = map[protocol.Entity]string{
	protocol.EntityOrganisation: "organisations", protocol.EntityLieu: "lieux", protocol.EntityAgent: "agents",
	protocol.EntityMotif: "motifs", protocol.EntityPlage: "plages_ouverture", protocol.EntityAbsence: "absences",
	protocol.EntityUsager: "usagers", protocol.EntityRdv: "rdvs",
}

// staleChange reports whether the office's row is already at c's version or newer. Tombstones
// and receipts (no version) are never stale.
func staleChange(ctx context.Context, tx *txn, c protocol.Change) (bool, error) {
	table, ok := versionedTables[c.Entity]
	if !ok || c.Kind == protocol.OpDelete {
		return false, nil
	}
	v, found, err := currentVersion(ctx, tx, table, c.EntityID)
	return found && v >= c.Version, err
}
