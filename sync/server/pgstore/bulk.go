package pgstore

import (
	"time"

	"rdvguichet/backend/agenda"

	"github.com/jackc/pgx/v5"
)

// bulk gathers the row writes of the fast path's RDV ops (applyFast) and sends each kind as one
// set-based statement (INSERT … SELECT FROM unnest, UPDATE … FROM unnest) instead of one
// statement per row: an office's first sync writes tens of thousands of RDVs, and PostgreSQL's
// cost per statement (parse, bind, execute, its answer) was most of it (docs/benchmarks.md, « The
// first sync of three years »). The rows still go through every constraint and trigger: the
// exclusion constraint and the capacity trigger stay the guarantee.
//
// Order. The pipe sends the pending writes (emitWrites) before any other statement it is given,
// so that what it sends runs in the ops' order but for these reorderings, inside the run of RDV
// writes between two other statements:
//   - the new RDVs (rdvs, then rdv_agents, then participations) go before the updates of RDVs and
//     participations (in their ops' order), but never before an update that frees a slot (a move,
//     a cancellation): a new RDV after one sends the run first. An insert then sees the slots
//     held one op at a time would show it, or fewer only when a held-back update takes a slot
//     (an RDV brought back from cancelled): that update then meets the new RDV, the run fails,
//     and the chunk goes the careful way (§6 of ADR 0006). A run that succeeds set-based succeeds
//     one op at a time, with the same rows;
//   - one update per RDV (and per participation) per run: a second one sends the run first;
//   - the history rows and the feed's changes, which nothing in the transaction reads, go at the
//     flush (emitAppends), in the ops' order (their ids and sequence numbers keep it).
type bulk struct {
	newRdvs, rdvUpdates  rdvRows
	newAgents            agentRows
	newParts, partUpdate partRows
	updated              map[string]bool    // RDVs in rdvUpdates
	frees                bool               // an update in rdvUpdates frees a slot
	partUpdated          map[[2]string]bool // (RDV, usager) in partUpdate
	history              historyRows
	changes              changeRows
}

type rdvRows struct {
	org, id, motif, lieu, status, context, createdBy, origine []string
	starts, ends, at                                          []time.Time
	cancelled                                                 []*time.Time
	docs, capacity, version                                   []int32
	collectif                                                 []bool
}

func (r *rdvRows) add(v agenda.Rdv, at time.Time) {
	r.org, r.id, r.motif, r.lieu = append(r.org, v.OrganisationID), append(r.id, v.ID), append(r.motif, v.MotifID), append(r.lieu, v.LieuID)
	r.status, r.context = append(r.status, string(v.Status)), append(r.context, v.Context)
	r.createdBy, r.origine = append(r.createdBy, v.CreatedBy), append(r.origine, string(v.Origine))
	r.starts, r.ends, r.at = append(r.starts, v.StartsAt), append(r.ends, v.EndsAt), append(r.at, at)
	r.cancelled = append(r.cancelled, utcPtr(v.CancelledAt))
	r.docs, r.capacity, r.version = append(r.docs, int32(v.DocumentsNumber)), append(r.capacity, int32(v.Capacity)), append(r.version, int32(v.Version))
	r.collectif = append(r.collectif, v.Collectif)
}

func (r *rdvRows) args() []any {
	return []any{r.org, r.id, r.motif, r.lieu, r.starts, r.ends, r.status, r.context, r.docs, r.collectif, r.capacity,
		r.createdBy, r.origine, r.cancelled, r.version, r.at}
}

const rdvUnnest = `unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[],
		$9::int[], $10::bool[], $11::int[], $12::text[], $13::text[], $14::timestamptz[], $15::int[], $16::timestamptz[])
	AS u(org, id, motif, lieu, starts, ends, status, context, docs, collectif, capacity, created_by, origine, cancelled, version, at)`

type agentRows struct {
	org, rdv, agent, status []string
	starts, ends            []time.Time
}

type partRows struct {
	org, rdv, usager, status []string
	position                 []int32
	arrived                  []*time.Time
}

func (p *partRows) add(org, rdv string, v agenda.Participation, position int) {
	p.org, p.rdv, p.usager, p.status = append(p.org, org), append(p.rdv, rdv), append(p.usager, v.UsagerID), append(p.status, string(v.Status))
	p.position, p.arrived = append(p.position, int32(position)), append(p.arrived, utcPtr(v.ArrivedAt))
}

type historyRows struct {
	org, rdv, usager, by, from, to, fromAgent, toAgent []string
	at                                                 []time.Time
	movedFrom, movedTo                                 []*time.Time
}

type changeRows struct {
	org, entity, entityID, kind, payload []string
	base, version                        []int32
	at                                   []time.Time
}

// newRdv adds a new RDV's rows: the RDV, its agents' rows, its participations; false when an
// update of the run frees a slot (the caller sends the run first).
func (b *bulk) newRdv(r agenda.Rdv, now time.Time) bool {
	if b.frees {
		return false
	}
	b.newRdvs.add(r, now)
	a := &b.newAgents
	for _, agent := range r.AgentIDs {
		a.org, a.rdv, a.agent, a.status = append(a.org, r.OrganisationID), append(a.rdv, r.ID), append(a.agent, agent), append(a.status, string(r.Status))
		a.starts, a.ends = append(a.starts, r.StartsAt), append(a.ends, r.EndsAt)
	}
	for i, p := range r.Participations {
		b.newParts.add(r.OrganisationID, r.ID, p, i)
	}
	return true
}

// updateRdv adds the update of an RDV's columns (frees: it frees a slot); false when the run
// already updates it (the caller sends the run first).
func (b *bulk) updateRdv(r agenda.Rdv, now time.Time, frees bool) bool {
	if b.updated[r.ID] {
		return false
	}
	b.frees = b.frees || frees
	if b.updated == nil {
		b.updated = map[string]bool{}
	}
	b.updated[r.ID] = true
	b.rdvUpdates.add(r, now)
	return true
}

// updateParticipation adds the update of a participation's status and arrival; false as
// updateRdv.
func (b *bulk) updateParticipation(org, rdv string, p agenda.Participation) bool {
	key := [2]string{rdv, p.UsagerID}
	if b.partUpdated[key] {
		return false
	}
	if b.partUpdated == nil {
		b.partUpdated = map[[2]string]bool{}
	}
	b.partUpdated[key] = true
	b.partUpdate.add(org, rdv, p, 0)
	return true
}

func (b *bulk) addHistory(org, rdv, usager string, by agenda.Actor, at time.Time, from, to agenda.Status, movedFrom, movedTo *time.Time, fromAgent, toAgent string) {
	h := &b.history
	h.org, h.rdv, h.usager, h.by = append(h.org, org), append(h.rdv, rdv), append(h.usager, usager), append(h.by, by.String())
	h.from, h.to, h.at = append(h.from, string(from)), append(h.to, string(to)), append(h.at, at)
	h.movedFrom, h.movedTo = append(h.movedFrom, movedFrom), append(h.movedTo, movedTo)
	h.fromAgent, h.toAgent = append(h.fromAgent, fromAgent), append(h.toAgent, toAgent)
}

func (b *bulk) addChange(org, entity, entityID, kind string, base, version int, payload string, at time.Time) {
	c := &b.changes
	c.org, c.entity, c.entityID, c.kind = append(c.org, org), append(c.entity, entity), append(c.entityID, entityID), append(c.kind, kind)
	c.base, c.version, c.payload, c.at = append(c.base, int32(base)), append(c.version, int32(version)), append(c.payload, payload), append(c.at, at)
}

// emitWrites queues the pending RDV writes into batch, in the order above, and forgets them.
func (b *bulk) emitWrites(batch *pgx.Batch) {
	if len(b.newRdvs.id) > 0 {
		batch.Queue(`INSERT INTO rdvs(organisation_id, id, motif_id, lieu_id, starts_at, ends_at, status, context, documents_number,
				collectif, capacity, created_by, origine, cancelled_at, version, created_at, updated_at)
			SELECT org, id, motif, nullif(lieu, '')::uuid, starts, ends, status, context, docs, collectif, capacity, created_by, origine,
				cancelled, version, at, at
			FROM `+rdvUnnest, b.newRdvs.args()...)
	}
	if a := b.newAgents; len(a.rdv) > 0 {
		batch.Queue(`INSERT INTO rdv_agents(organisation_id, rdv_id, agent_id, starts_at, ends_at, active)
			SELECT org, rdv, agent, starts, ends, status NOT IN ('excused', 'revoked')
			FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::text[])
				AS u(org, rdv, agent, starts, ends, status)`, a.org, a.rdv, a.agent, a.starts, a.ends, a.status)
	}
	if p := b.newParts; len(p.rdv) > 0 {
		batch.Queue(`INSERT INTO participations(organisation_id, rdv_id, usager_id, position, status, arrived_at)
			SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::timestamptz[])`,
			p.org, p.rdv, p.usager, p.position, p.status, p.arrived)
	}
	// The rows to update are found by primary key, then updated by their tuple id (see
	// prefetchRows: a join would scan the organisation when the statistics are behind).
	if len(b.rdvUpdates.id) > 0 {
		batch.Queue(`UPDATE rdvs r SET motif_id = k.motif, lieu_id = nullif(k.lieu, '')::uuid, starts_at = k.starts, ends_at = k.ends,
				status = k.status, context = k.context, documents_number = k.docs, collectif = k.collectif, capacity = k.capacity,
				cancelled_at = k.cancelled, version = k.version, updated_at = k.at
			FROM (SELECT u.*, x.ctid AS row FROM `+rdvUnnest+`
				CROSS JOIN LATERAL (SELECT ctid FROM rdvs WHERE organisation_id = u.org AND id = u.id LIMIT 1) x) k
			WHERE r.ctid = k.row`, b.rdvUpdates.args()...)
	}
	if p := b.partUpdate; len(p.rdv) > 0 {
		batch.Queue(`UPDATE participations t SET status = k.status, arrived_at = k.arrived
			FROM (SELECT u.*, x.ctid AS row FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[])
					AS u(org, rdv, usager, status, arrived)
				CROSS JOIN LATERAL (SELECT ctid FROM participations
					WHERE organisation_id = u.org AND rdv_id = u.rdv AND usager_id = u.usager LIMIT 1) x) k
			WHERE t.ctid = k.row`, p.org, p.rdv, p.usager, p.status, p.arrived)
	}
	b.newRdvs, b.rdvUpdates, b.newAgents, b.newParts, b.partUpdate = rdvRows{}, rdvRows{}, agentRows{}, partRows{}, partRows{}
	clear(b.updated)
	b.frees = false
	clear(b.partUpdated)
}

// emitAppends queues the pending history rows and changes into batch, in the ops' order, and
// forgets them.
func (b *bulk) emitAppends(batch *pgx.Batch) {
	if h := b.history; len(h.rdv) > 0 {
		batch.Queue(`INSERT INTO rdv_history(organisation_id, rdv_id, usager_id, by_who, at, from_status, to_status,
				moved_from_at, moved_to_at, moved_from_agent, moved_to_agent)
			SELECT org, rdv, nullif(usager, '')::uuid, by, at, from_status, to_status, moved_from, moved_to, from_agent, to_agent
			FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
					$8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[])
				WITH ORDINALITY AS u(org, rdv, usager, by, at, from_status, to_status, moved_from, moved_to, from_agent, to_agent, n)
			ORDER BY n`, h.org, h.rdv, h.usager, h.by, h.at, h.from, h.to, h.movedFrom, h.movedTo, h.fromAgent, h.toAgent)
	}
	if c := b.changes; len(c.entityID) > 0 {
		batch.Queue(`INSERT INTO changes(organisation_id, entity, entity_id, kind, base_version, version, payload, at)
			SELECT org, entity, entity_id, kind, base, version, payload::jsonb, at
			FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::int[], $6::int[], $7::text[], $8::timestamptz[])
				WITH ORDINALITY AS u(org, entity, entity_id, kind, base, version, payload, at, n)
			ORDER BY n`, c.org, c.entity, c.entityID, c.kind, c.base, c.version, c.payload, c.at)
	}
	b.history, b.changes = historyRows{}, changeRows{}
}
