package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// AgendaCard is an RDV as the agenda grid draws it: its time, agendas, motif, status, the people
// with their names and arrivals (its lieu is the query's). It is a read model, narrower than agenda.Rdv: the grid polls a
// whole week of every agenda, and what it does not show it does not read.
type AgendaCard struct {
	ID              string
	MotifID         string
	StartsAt        time.Time
	EndsAt          time.Time
	Status          agenda.Status
	DocumentsNumber int
	AgentIDs        []string
	People          []CardPerson // the participations, in the order they were added
}

// CardPerson is a participant of an AgendaCard: their name and arrival.
type CardPerson struct {
	LastName  string
	FirstName string
	ArrivedAt *time.Time
}

// cardCols are an AgendaCard's columns, one row per agent and participation of the RDV: joins
// cost less than a correlated subquery per RDV (issue 16's benchmark), and an RDV has one agent
// and one participant but for the rare shared RDV and the collective sessions.
const (
	cardCols = `r.id, r.motif_id, r.starts_at, r.ends_at, r.status, r.documents_number, a.agent_id,
		p.rowid, p.arrived_at, u.last_name, u.first_name`
	cardJoin = ` JOIN rdv_agents a ON a.rdv_id = r.id
		LEFT JOIN participations p ON p.rdv_id = r.id LEFT JOIN usagers u ON u.id = p.usager_id `
)

// The agenda's two range queries (agenda_views.go) joined to the agents, the participations and
// their usagers; after the range's order, the participations' rowid (the order they were added)
// and the agents' ids.
var (
	cardsByOrg  = "SELECT " + cardCols + " " + strings.Replace(agendaByOrg, "WHERE", cardJoin+"WHERE", 1) + ", p.rowid, a.agent_id"
	cardsByLieu = "SELECT " + cardCols + " " + strings.Replace(agendaByLieu, "WHERE", cardJoin+"WHERE", 1) + ", p.rowid, a.agent_id"
)

// ListAgendaCards returns the cards of the RDVs of organisation orgID that overlap [from, to), at
// lieuID when it is set, by start, each with its participations in the order they were added: what
// ListAgendaRdvs and UsagersByID say of them, in one query that reads no column the grid does not
// show (the grid polls a whole week of every agenda; issue 16's benchmark).
func (db *DB) ListAgendaCards(ctx context.Context, orgID, lieuID string, from, to time.Time, includeCancelled bool) ([]AgendaCard, error) {
	lo := ms(from) - int64(agenda.MaxRdvDuration/time.Millisecond)
	var out []AgendaCard
	err := db.read(ctx, "store.ListAgendaCards", func(tx *txn) error {
		var rows *sql.Rows
		var err error
		if lieuID != "" {
			rows, err = tx.QueryContext(ctx, cardsByLieu, lieuID, ms(to), lo, ms(from), includeCancelled, orgID)
		} else {
			rows, err = tx.QueryContext(ctx, cardsByOrg, orgID, ms(to), lo, ms(from), includeCancelled)
		}
		if err != nil {
			return err
		}
		out, err = scanCards(rows)
		return err
	})
	return out, err
}

// scanCards folds the rows of ListAgendaCards, consecutive per RDV, into cards: an agent or a
// participant is added the first time a row names it.
func scanCards(rows *sql.Rows) ([]AgendaCard, error) {
	defer rows.Close()
	var out []AgendaCard
	var lastPerson int64 // the rowid of the current card's last participation
	for rows.Next() {
		var c AgendaCard
		var start, end int64
		var agent string
		var person, arrived sql.NullInt64
		var last, first sql.NullString
		if err := rows.Scan(&c.ID, &c.MotifID, &start, &end, &c.Status, &c.DocumentsNumber,
			&agent, &person, &arrived, &last, &first); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != c.ID {
			c.StartsAt, c.EndsAt = fromMS(start), fromMS(end)
			out = append(out, c)
			lastPerson = 0
		}
		card := &out[len(out)-1]
		if !slices.Contains(card.AgentIDs, agent) {
			card.AgentIDs = append(card.AgentIDs, agent)
		}
		if person.Valid && person.Int64 != lastPerson {
			lastPerson = person.Int64
			card.People = append(card.People, CardPerson{LastName: last.String, FirstName: first.String, ArrivedAt: ptrMS(arrived)})
		}
	}
	return out, rows.Err()
}
