package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/creneaux"
)

// BookRequest is one booking, from the counter, the kiosk or an import: booking.Request.
type BookRequest = booking.Request

// Book books an RDV, or a seat in a collective session, in one BEGIN IMMEDIATE transaction: it
// reads the day's data in that transaction, re-checks the slot with creneaux.Available, writes the
// RDV, its agents, participations, history and outbox op, and commits. Two bookings of one slot,
// from two goroutines or two processes, give one RDV and one Conflict (« Ce créneau vient d'être
// pris. »); the trigger makes that true even if the check were wrong.
//
// For a collective motif, Book joins the session that starts at Start (Conflict « Cet atelier est
// complet. » when it is full); when there is none, an agent (origine guichet) opens a new session
// there, checked like an individual RDV.
func (db *DB) Book(ctx context.Context, req BookRequest) (agenda.Rdv, error) {
	const op = "store.Book"
	req, err := booking.Normalize(req)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}
	var out agenda.Rdv
	err = db.write(ctx, op, func(tx *txn) error {
		var err error
		out, _, err = db.book(ctx, tx, req)
		return err
	})
	return out, err
}

// book loads what the decision needs, decides, and writes. It returns the benign refusal booked
// over (req.Override), if any.
func (db *DB) book(ctx context.Context, tx *txn, req BookRequest) (agenda.Rdv, agenda.Code, error) {
	d, err := db.decideBooking(ctx, tx, req)
	if err != nil {
		return agenda.Rdv{}, "", err
	}
	rdv, err := db.writeBooking(ctx, tx, req, d)
	return rdv, d.dec.Overridden, err
}

// decided is a booking checked and not written yet.
type decided struct {
	motif agenda.Motif
	dec   booking.Decision
	now   time.Time
}

// decideBooking reads what the decision needs in tx and decides; it writes nothing.
func (db *DB) decideBooking(ctx context.Context, tx *txn, req BookRequest) (decided, error) {
	const op = "store.Book"
	now := db.now()
	motif, org, loc, err := motifScope(ctx, tx, op, req.MotifID)
	if err != nil {
		return decided{}, err
	}
	from, to := booking.Window(req.Start, booking.Span(motif, req.Documents, org), loc)
	data, err := loadData(ctx, tx, motif, org, loc, req.LieuID, from, to, "")
	if err != nil {
		return decided{}, err
	}
	dec, err := booking.Decide(data, motif, req, now)
	if err != nil {
		return decided{}, agenda.E(op, agenda.Other, err)
	}
	return decided{motif, dec, now}, nil
}

// writeBooking writes the booking d decided: its participants (new usagers, pré-demandes), then
// the RDV (or the seat), its history, messages and outbox op.
func (db *DB) writeBooking(ctx context.Context, tx *txn, req BookRequest, d decided) (agenda.Rdv, error) {
	const op = "store.Book"
	motif, dec, now := d.motif, d.dec, d.now
	usagers, err := db.participants(ctx, tx, req, motif.OrganisationID)
	if err != nil {
		return agenda.Rdv{}, err
	}
	if dec.Join() {
		return db.join(ctx, tx, dec.Slot.RdvID, usagers, req.By, now)
	}
	rdv, err := booking.NewRdv(newID(), dec, motif, req, usagers)
	if err != nil {
		return agenda.Rdv{}, agenda.E(op, agenda.Other, err)
	}
	if err := db.insertRdv(ctx, tx, rdv, now); err != nil {
		return agenda.Rdv{}, err
	}
	if err := db.history(ctx, tx, rdv, "", req.By, now, "", agenda.StatusUnknown); err != nil {
		return agenda.Rdv{}, err
	}
	if err := db.enqueueNotifications(ctx, tx, nil, rdv, req.By, now); err != nil {
		return agenda.Rdv{}, err
	}
	return rdv, db.enqueue(ctx, tx, rdv.OrganisationID, EntityRdv, rdv.ID, OpBook, 0, rdv)
}

// motifScope reads a motif with its organisation and the organisation's zone: what every slot
// question about a motif starts from.
func motifScope(ctx context.Context, q querier, op, motifID string) (agenda.Motif, agenda.Organisation, *time.Location, error) {
	motif, err := getMotif(ctx, q, motifID)
	if err != nil {
		return motif, agenda.Organisation{}, nil, err
	}
	org, err := getOrg(ctx, q, motif.OrganisationID)
	if err != nil {
		return motif, org, nil, err
	}
	loc, err := org.Location()
	if err != nil {
		return motif, org, nil, agenda.E(op, agenda.Other, err)
	}
	return motif, org, loc, nil
}

// participants writes the booking's new usagers and the pré-demande numbers of its existing ones,
// and returns the participants in order (booking.Request): the first person, the other existing
// usagers, then the relatives, created as relatives of the first.
func (db *DB) participants(ctx context.Context, tx *txn, req BookRequest, orgID string) ([]string, error) {
	save := func(u agenda.Usager) (string, error) {
		if u.OrganisationID == "" {
			u.OrganisationID = orgID
		}
		u, err := db.saveUsager(ctx, tx, u)
		return u.ID, err
	}
	var usagers []string
	if req.NewUsager != nil {
		id, err := save(*req.NewUsager)
		if err != nil {
			return nil, err
		}
		usagers = append(usagers, id)
	}
	usagers = append(usagers, req.Usagers...)
	if err := checkUsagers(ctx, tx, usagers); err != nil {
		return nil, err
	}
	for _, id := range slices.Sorted(maps.Keys(req.PreDemandes)) {
		u, err := scanUsager(tx.QueryRowContext(ctx, "SELECT "+usagerCols+" FROM usagers u WHERE u.id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, agenda.NotFoundError("store.Book", "usager", id)
		}
		if err != nil {
			return nil, err
		}
		if n := req.PreDemandes[id]; u.AntsPreDemande != n {
			u.AntsPreDemande = n
			if _, err := save(u); err != nil {
				return nil, err
			}
		}
	}
	if len(req.Relatives) > 0 && len(usagers) == 0 {
		return nil, agenda.Fail("store.Book", agenda.CodeUsagerRequired)
	}
	for _, r := range req.Relatives {
		r.ResponsibleID = usagers[0]
		id, err := save(r)
		if err != nil {
			return nil, err
		}
		usagers = append(usagers, id)
	}
	return usagers, nil
}

func checkUsagers(ctx context.Context, q querier, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	idj, _ := json.Marshal(ids)
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM usagers WHERE id IN (SELECT value FROM json_each(?))", string(idj)).Scan(&n); err != nil {
		return err
	}
	if n != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
		return agenda.NotFoundError("store.Book", "usager", "")
	}
	return nil
}

// insertRdv writes a new RDV, its rdv_agents rows (copied from the rdvs row, so they cannot
// disagree) and its participations.
func (db *DB) insertRdv(ctx context.Context, tx *txn, r agenda.Rdv, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rdvs(id, organisation_id, motif_id, lieu_id, starts_at, ends_at, status, context,
		documents_number, collectif, capacity, created_by, origine, cancelled_at, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.OrganisationID, r.MotifID, nullStr(r.LieuID), ms(r.StartsAt), ms(r.EndsAt), string(r.Status), r.Context,
		r.DocumentsNumber, b2i(r.Collectif), r.Capacity, r.CreatedBy, string(r.Origine), nullMS(r.CancelledAt), r.Version, ms(now), ms(now))
	if err != nil {
		return err
	}
	if err := insertRdvAgents(ctx, tx, r.ID, r.AgentIDs); err != nil {
		return err
	}
	for _, p := range r.Participations {
		if _, err := tx.ExecContext(ctx, "INSERT INTO participations(rdv_id, usager_id, organisation_id, status, arrived_at) VALUES (?, ?, ?, ?, ?)",
			r.ID, p.UsagerID, r.OrganisationID, string(p.Status), nullMS(p.ArrivedAt)); err != nil {
			return err
		}
	}
	return nil
}

func insertRdvAgents(ctx context.Context, tx *txn, rdvID string, agents []string) error {
	for _, a := range agents {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rdv_agents(rdv_id, agent_id, organisation_id, starts_at, ends_at, active)
			SELECT id, ?, organisation_id, starts_at, ends_at, status NOT IN ('excused', 'revoked') FROM rdvs WHERE id = ?`, a, rdvID); err != nil {
			return err
		}
	}
	return nil
}

// history writes one status history row (usagerID "" for the RDV's own status).
func firstOf(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func (db *DB) history(ctx context.Context, tx *txn, r agenda.Rdv, usagerID string, by agenda.Actor, at time.Time, from, to agenda.Status) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO rdv_status_history(rdv_id, organisation_id, usager_id, by_who, at, from_status, to_status) VALUES (?, ?, ?, ?, ?, ?, ?)",
		r.ID, r.OrganisationID, usagerID, by.String(), ms(at), string(from), string(to))
	return err
}

// join adds usagers to a collective session; the capacity trigger is the last word on seats.
func (db *DB) join(ctx context.Context, tx *txn, rdvID string, usagers []string, by agenda.Actor, now time.Time) (agenda.Rdv, error) {
	const op = "store.Book"
	before, err := getRdv(ctx, tx, rdvID)
	if err != nil {
		return before, err
	}
	rdv, seats, err := booking.Join(before, usagers)
	if err != nil {
		return before, agenda.E(op, agenda.Other, err)
	}
	for _, seat := range seats {
		if seat.From != "" {
			_, err = tx.ExecContext(ctx, "UPDATE participations SET status = 'unknown' WHERE rdv_id = ? AND usager_id = ?", rdvID, seat.UsagerID)
		} else {
			_, err = tx.ExecContext(ctx, "INSERT INTO participations(rdv_id, usager_id, organisation_id, status) VALUES (?, ?, ?, 'unknown')", rdvID, seat.UsagerID, rdv.OrganisationID)
		}
		if err != nil {
			return before, err
		}
		if err := db.history(ctx, tx, rdv, seat.UsagerID, by, now, seat.From, agenda.StatusUnknown); err != nil {
			return before, err
		}
	}
	if err := db.bump(ctx, tx, &rdv, now); err != nil {
		return before, err
	}
	if err := db.enqueueNotifications(ctx, tx, &before, rdv, by, now); err != nil {
		return before, err
	}
	return rdv, db.enqueue(ctx, tx, rdv.OrganisationID, EntityRdv, rdv.ID, OpBook, before.Version, rdv)
}

// bump increments the RDV's version (every change of the RDV or its participations).
func (db *DB) bump(ctx context.Context, tx *txn, r *agenda.Rdv, now time.Time) error {
	r.Version++
	_, err := tx.ExecContext(ctx, "UPDATE rdvs SET version = ?, updated_at = ? WHERE id = ?", r.Version, ms(now), r.ID)
	return err
}

// Move moves an RDV to newStart, with newAgentID ("" keeps its agent), through the same check as
// Book (its own slot does not count against it). A moved RDV keeps its duration rule
// (documents × the motif's duration), lieu, participations and status. The history of statuses is
// untouched; the outbox gets a "move" op.
func (db *DB) Move(ctx context.Context, rdvID string, newStart time.Time, newAgentID string, by agenda.Actor, override bool) (agenda.Rdv, error) {
	const op = "store.Move"
	var out agenda.Rdv
	err := db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		before, err := getRdv(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		if before.Status.Cancelled() {
			return agenda.Fail(op, agenda.CodeRdvCancelled)
		}
		motif, org, loc, err := motifScope(ctx, tx, op, before.MotifID)
		if err != nil {
			return err
		}
		req := booking.MoveRequest{NewStart: newStart, NewAgentID: newAgentID, By: by, Override: override}
		from, to := booking.MoveWindow(before, req, org, loc)
		data, err := loadData(ctx, tx, motif, org, loc, before.LieuID, from, to, before.ID)
		if err != nil {
			return err
		}
		rdv, err := booking.Move(data, motif, before, req, now)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		// Free the old rows first: moving the times of the old agent's row onto a slot only the new
		// agent has free would be refused by the trigger.
		if _, err := tx.ExecContext(ctx, "DELETE FROM rdv_agents WHERE rdv_id = ?", rdv.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rdvs SET starts_at = ?, ends_at = ?, lieu_id = ?, version = ?, updated_at = ? WHERE id = ?",
			ms(rdv.StartsAt), ms(rdv.EndsAt), nullStr(rdv.LieuID), rdv.Version, ms(now), rdv.ID); err != nil {
			return err
		}
		if err := insertRdvAgents(ctx, tx, rdv.ID, rdv.AgentIDs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rdv_status_history(rdv_id, organisation_id, usager_id, by_who, at, from_status, to_status,
			moved_from_at, moved_to_at, moved_from_agent, moved_to_agent) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`,
			rdv.ID, rdv.OrganisationID, by.String(), ms(now), string(rdv.Status), string(rdv.Status),
			ms(before.StartsAt), ms(rdv.StartsAt), firstOf(before.AgentIDs), firstOf(rdv.AgentIDs)); err != nil {
			return err
		}
		if err := db.enqueueNotifications(ctx, tx, &before, rdv, by, now); err != nil {
			return err
		}
		out = rdv
		return db.enqueue(ctx, tx, rdv.OrganisationID, EntityRdv, rdv.ID, OpMove, before.Version, rdv)
	})
	return out, err
}

// SetStatus changes an RDV's status with the agenda rules (allowed transitions for the RDV's day,
// cascade to participations, cancelled_at), bumps its version, writes the history and the outbox
// op. Cancelling frees the slot at once (the trigger on rdvs flips rdv_agents.active);
// re-activating a cancelled RDV whose slot was taken since is a Conflict.
func (db *DB) SetStatus(ctx context.Context, rdvID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	const op = "store.SetStatus"
	var out agenda.Rdv
	err := db.write(ctx, op, func(tx *txn) (err error) {
		out, err = db.setStatus(ctx, tx, rdvID, status, by)
		return err
	})
	return out, err
}

// setStatus is SetStatus inside a transaction.
func (db *DB) setStatus(ctx context.Context, tx *txn, rdvID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	const op = "store.SetStatus"
	now := db.now()
	rdv, err := getRdv(ctx, tx, rdvID)
	if err != nil {
		return rdv, err
	}
	loc, err := rdvLocation(ctx, tx, rdv)
	if err != nil {
		return rdv, err
	}
	after, err := booking.ChangeStatus(rdv, status, now, loc)
	if err != nil {
		return rdv, agenda.E(op, agenda.Other, err)
	}
	return after, db.saveStatus(ctx, tx, rdv, after, by, now)
}

// Cancel cancels an RDV: excused when the usager asked (byUsager), revoked when the service
// cancels. A collective session can only be revoked.
func (db *DB) Cancel(ctx context.Context, rdvID string, by agenda.Actor, byUsager bool) (agenda.Rdv, error) {
	return db.SetStatus(ctx, rdvID, agenda.CancelledBy(byUsager), by)
}

// SetParticipationStatus changes one usager's status in an RDV (a seat of a collective session,
// or one member of a family), and derives the RDV's status from its participations.
func (db *DB) SetParticipationStatus(ctx context.Context, rdvID, usagerID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error) {
	const op = "store.SetParticipationStatus"
	var out agenda.Rdv
	err := db.write(ctx, op, func(tx *txn) error {
		now := db.now()
		rdv, err := getRdv(ctx, tx, rdvID)
		if err != nil {
			return err
		}
		after, err := booking.ChangeParticipation(rdv, usagerID, status, now)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		out = after
		return db.saveStatus(ctx, tx, rdv, after, by, now)
	})
	return out, err
}

func rdvLocation(ctx context.Context, q querier, r agenda.Rdv) (*time.Location, error) {
	org, err := getOrg(ctx, q, r.OrganisationID)
	if err != nil {
		return nil, err
	}
	loc, err := org.Location()
	if err != nil {
		return nil, agenda.E("store.SetStatus", agenda.Other, err)
	}
	return loc, nil
}

// saveStatus writes the statuses of after (RDV and changed participations, version already
// bumped by the decision), the history rows and the outbox op. Re-activations go through the
// triggers (slot, capacity).
func (db *DB) saveStatus(ctx context.Context, tx *txn, before, after agenda.Rdv, by agenda.Actor, now time.Time) error {
	base := before.Version
	// Participations first when they are cancelled (frees seats), after the RDV otherwise; the
	// capacity trigger only looks at re-activated seats, so the order only matters for clarity.
	if _, err := tx.ExecContext(ctx, "UPDATE rdvs SET status = ?, cancelled_at = ?, version = ?, updated_at = ? WHERE id = ?",
		string(after.Status), nullMS(after.CancelledAt), after.Version, ms(now), after.ID); err != nil {
		return err
	}
	if before.Status != after.Status {
		if err := db.history(ctx, tx, after, "", by, now, before.Status, after.Status); err != nil {
			return err
		}
	}
	for i, p := range after.Participations {
		old := before.Participations[i]
		if old.Status == p.Status {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE participations SET status = ? WHERE rdv_id = ? AND usager_id = ?", string(p.Status), after.ID, p.UsagerID); err != nil {
			return err
		}
		if err := db.history(ctx, tx, after, p.UsagerID, by, now, old.Status, p.Status); err != nil {
			return err
		}
	}
	if err := db.enqueueNotifications(ctx, tx, &before, after, by, now); err != nil {
		return err
	}
	return db.enqueue(ctx, tx, after.OrganisationID, EntityRdv, after.ID, OpStatus, base, after)
}

// MarkArrived records that usagers have arrived (kiosk QR check-in or the agent's button), all in
// one transaction and one outbox op: a family checks in at once. nil usagerIDs means every
// participant not cancelled. The rules are agenda.Rdv.MarkArrived's; at zero means now.
func (db *DB) MarkArrived(ctx context.Context, rdvID string, usagerIDs []string, at time.Time) (agenda.Rdv, error) {
	const op = "store.MarkArrived"
	var out agenda.Rdv
	err := db.write(ctx, op, func(tx *txn) (err error) {
		out, err = db.markArrived(ctx, tx, rdvID, usagerIDs, at)
		return err
	})
	return out, err
}

// markArrived is MarkArrived inside a transaction.
func (db *DB) markArrived(ctx context.Context, tx *txn, rdvID string, usagerIDs []string, at time.Time) (agenda.Rdv, error) {
	const op = "store.MarkArrived"
	now := db.now()
	if at.IsZero() {
		at = now
	}
	rdv, err := getRdv(ctx, tx, rdvID)
	if err != nil {
		return rdv, err
	}
	before := slices.Clone(rdv.Participations)
	changed, err := rdv.MarkArrived(usagerIDs, at)
	if err != nil {
		return rdv, agenda.E(op, agenda.Other, err)
	}
	if !changed {
		return rdv, nil
	}
	for i, p := range rdv.Participations {
		if before[i].ArrivedAt == nil && p.ArrivedAt != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE participations SET arrived_at = ? WHERE rdv_id = ? AND usager_id = ?", ms(*p.ArrivedAt), rdvID, p.UsagerID); err != nil {
				return rdv, err
			}
		}
	}
	base := rdv.Version
	if err := db.bump(ctx, tx, &rdv, now); err != nil {
		return rdv, err
	}
	return rdv, db.enqueue(ctx, tx, rdv.OrganisationID, EntityRdv, rdv.ID, OpArrived, base, rdv)
}

// ---- Slot data ----

// LoadCreneauxData reads what the slot engine needs to answer for motifID (at lieuID, "" = all)
// between from and to, and nothing more: the motif's plages whose [first_day, last_day] meets the
// range, the absences of their agents in the range, the busy spans (rdv_agents, by the
// (agent_id, starts_at) index) and, for a collective motif, its sessions with their participations.
// The plages' MotifIDs hold only motifID: the Data answers questions about that motif.
func (db *DB) LoadCreneauxData(ctx context.Context, motifID, lieuID string, from, to time.Time) (*creneaux.Data, error) {
	const op = "store.LoadCreneauxData"
	var d *creneaux.Data
	err := db.read(ctx, op, func(tx *txn) error {
		motif, org, loc, err := motifScope(ctx, tx, op, motifID)
		if err != nil {
			return err
		}
		d, err = loadData(ctx, tx, motif, org, loc, lieuID, from, to, "")
		return err
	})
	return d, err
}

// loadData is LoadCreneauxData inside a transaction; exclude is an RDV not to count as busy (the
// one being moved).
func loadData(ctx context.Context, q querier, motif agenda.Motif, org agenda.Organisation, loc *time.Location, lieuID string, from, to time.Time, exclude string) (*creneaux.Data, error) {
	d := &creneaux.Data{Org: org}
	// Days in the organisation's zone, one more on each side: a day's occurrences reach past
	// midnight UTC, and the engine looks at absences of the neighbouring days.
	dayFrom := agenda.DateOf(from.In(loc)).AddDays(-1).String()
	dayTo := agenda.DateOf(to.In(loc)).AddDays(1).String()
	plages, err := queryPlagesFor(ctx, q, motif.ID, `JOIN plage_motifs pm ON pm.plage_id = p.id AND pm.motif_id = ?
		WHERE p.organisation_id = ? AND p.first_day <= ? AND (p.last_day IS NULL OR p.last_day >= ?)
		  AND (? = '' OR p.lieu_id = ?)
		  -- A deactivated agent or guichet, or a disabled lieu, sells nothing; its plages stay
		  -- for the day it comes back.
		  AND EXISTS (SELECT 1 FROM agents a WHERE a.id = p.agent_id AND a.active = 1)
		  AND (p.lieu_id IS NULL OR EXISTS (SELECT 1 FROM lieux l WHERE l.id = p.lieu_id AND l.enabled = 1))`,
		motif.ID, motif.OrganisationID, dayTo, dayFrom, lieuID, lieuID)
	if err != nil {
		return nil, err
	}
	d.Plages = plages
	var agents []string
	for _, p := range plages {
		if !slices.Contains(agents, p.AgentID) {
			agents = append(agents, p.AgentID)
		}
	}
	if len(agents) > 0 {
		aj, _ := json.Marshal(agents)
		rows, err := q.QueryContext(ctx, "SELECT "+absenceCols+` FROM absences
			WHERE agent_id IN (SELECT value FROM json_each(?)) AND first_day <= ? AND (last_day IS NULL OR last_day >= ?)`, string(aj), dayTo, dayFrom)
		if err != nil {
			return nil, err
		}
		if d.Absences, err = collect(rows, scanAbsence); err != nil {
			return nil, err
		}
		// Busy spans: every active RDV of these agents that can come within the buffer of the range.
		buf := int64(org.BufferMinutes) * int64(time.Minute/time.Millisecond)
		lo, hi := ms(from)-buf, ms(to)+buf
		maxDur := int64(agenda.MaxRdvDuration / time.Millisecond)
		for _, a := range agents {
			rows, err := q.QueryContext(ctx, `SELECT starts_at, ends_at FROM rdv_agents
				WHERE agent_id = ? AND starts_at < ? AND starts_at > ? AND ends_at > ? AND active = 1 AND rdv_id <> ?
				ORDER BY starts_at`, a, hi, lo-maxDur, lo, exclude)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var s, e int64
				if err := rows.Scan(&s, &e); err != nil {
					rows.Close()
					return nil, err
				}
				d.Busy = append(d.Busy, creneaux.Busy{AgentID: a, Interval: agenda.Interval{Start: fromMS(s), End: fromMS(e)}})
			}
			if err := rows.Err(); err != nil {
				return nil, err
			}
			rows.Close()
		}
	}
	if motif.Collectif {
		d.Collectifs, err = loadRdvs(ctx, q, `FROM rdvs r WHERE r.motif_id = ? AND r.starts_at < ? AND r.starts_at >= ?
			AND r.status NOT IN ('excused', 'revoked') AND r.id <> ? ORDER BY r.starts_at, r.id`, motif.ID, ms(to), ms(from), exclude)
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// NextFree returns up to n free slots of the motif from from on, for one document and any agent
// (the kiosk's first screen); FindFree takes the full query.
func (db *DB) NextFree(ctx context.Context, motifID, lieuID string, from time.Time, n int, origine agenda.Origine) ([]creneaux.Creneau, error) {
	return db.FindFree(ctx, SlotQuery{MotifID: motifID, LieuID: lieuID, From: from, N: n, Origine: origine})
}
