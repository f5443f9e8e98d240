package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// AgendaCard is an RDV as the agenda grid draws it: its time, agendas, motif, status, the people
// with their names and arrivals. It is a read model, narrower than agenda.Rdv: the grid polls a
// whole week of every agenda, and what it does not show it does not read.
type AgendaCard struct {
	ID              string
	MotifID         string
	LieuID          string
	StartsAt        time.Time
	EndsAt          time.Time
	Status          agenda.Status
	DocumentsNumber int
	AgentIDs        []string
	People          []CardPerson // the participations, in the order they were added
}

// CardPerson is a participation of an AgendaCard with its usager's name.
type CardPerson struct {
	UsagerID  string
	LastName  string
	FirstName string
	Status    agenda.Status
	ArrivedAt *time.Time
}

// cardCols are an AgendaCard's columns, one row per participation (a card without one has NULLs
// there). Its agents come aggregated: one row per RDV and person instead of one per agent too.
// agentSep cannot occur in an id (a UUID written by newID or received from the sync).
const (
	agentSep = "\x1f"
	cardCols = `r.id, r.motif_id, coalesce(r.lieu_id, ''), r.starts_at, r.ends_at, r.status, r.documents_number,
		(SELECT group_concat(a.agent_id, char(31) ORDER BY a.agent_id) FROM rdv_agents a WHERE a.rdv_id = r.id),
		p.usager_id, p.status, p.arrived_at, u.last_name, u.first_name`
	cardJoin = ` LEFT JOIN participations p ON p.rdv_id = r.id LEFT JOIN usagers u ON u.id = p.usager_id `
)

// The agenda's two range queries (agenda_views.go) joined to the participations and their
// usagers; after the range's order, the participations' rowid: the order they were added.
var (
	cardsByOrg  = "SELECT " + cardCols + " " + strings.Replace(agendaByOrg, "WHERE", cardJoin+"WHERE", 1) + ", p.rowid"
	cardsByLieu = "SELECT " + cardCols + " " + strings.Replace(agendaByLieu, "WHERE", cardJoin+"WHERE", 1) + ", p.rowid"
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

// scanCards folds the rows of ListAgendaCards, consecutive per RDV, into cards.
func scanCards(rows *sql.Rows) ([]AgendaCard, error) {
	defer rows.Close()
	var out []AgendaCard
	for rows.Next() {
		var c AgendaCard
		var start, end int64
		var agents, usager, status, last, first sql.NullString
		var arrived sql.NullInt64
		if err := rows.Scan(&c.ID, &c.MotifID, &c.LieuID, &start, &end, &c.Status, &c.DocumentsNumber,
			&agents, &usager, &status, &arrived, &last, &first); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != c.ID {
			c.StartsAt, c.EndsAt = fromMS(start), fromMS(end)
			if agents.String != "" {
				c.AgentIDs = strings.Split(agents.String, agentSep)
			}
			out = append(out, c)
		}
		if usager.Valid {
			card := &out[len(out)-1]
			card.People = append(card.People, CardPerson{UsagerID: usager.String, LastName: last.String, FirstName: first.String,
				Status: agenda.Status(status.String), ArrivedAt: ptrMS(arrived)})
		}
	}
	return out, rows.Err()
}
