package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// AgendaCard is an RDV as the agenda grid draws it: its time, agendas, motif, status, the people
// with their names and arrivals (its lieu is the query's). It is narrower than agenda.Rdv: the
// grid polls a whole week of every agenda, and what it does not show it does not read.
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

// The agenda_cards read model (schema version 12, ADR 0017): its queries, by organisation and by
// lieu, in the order of its key.
const (
	builtCardCols   = "SELECT rdv_id, motif_id, starts_at, ends_at, status, documents_number, agent_ids, people FROM agenda_cards"
	builtCardsRange = ` WHERE organisation_id = ? AND starts_at < ? AND starts_at > ? AND ends_at > ?
		AND (? OR status NOT IN ('excused', 'revoked'))`
	builtCardsByOrg  = builtCardCols + builtCardsRange + " ORDER BY starts_at, rdv_id"
	builtCardsByLieu = builtCardCols + builtCardsRange + " AND lieu_id = ? ORDER BY starts_at, rdv_id"
	// cardsBuiltKey is the setting that says every RDV has its card: set by the migration on a
	// file without RDVs, by BuildAgendaCards on the others.
	cardsBuiltKey = "agenda_cards_built"
	// cardsBatch is how many RDVs one transaction of BuildAgendaCards gives a card: a few tens of
	// milliseconds of writing, so that a booking at the counter meanwhile waits no longer.
	cardsBatch = 2000
)

// ListAgendaCards returns the cards of the RDVs of organisation orgID that overlap [from, to), at
// lieuID when it is set, by start, each with its agents by id and its participants in the order
// they were added, reading no column the grid does not show. It reads the agenda_cards read model
// once it is complete (one range of one B-tree); before (a file from before version 12 whose cards
// are being built beside the window), the RDVs and their usagers (cardsFromTables).
func (db *DB) ListAgendaCards(ctx context.Context, orgID, lieuID string, from, to time.Time, includeCancelled bool) ([]AgendaCard, error) {
	lo := ms(from) - int64(agenda.MaxRdvDuration/time.Millisecond)
	var out []AgendaCard
	var built bool
	err := db.read(ctx, "store.ListAgendaCards", func(tx *txn) error {
		var err error
		if built, err = db.cardsBuilt(ctx, tx); err != nil || !built {
			return err
		}
		var rows *sql.Rows
		if lieuID != "" {
			rows, err = tx.QueryContext(ctx, builtCardsByLieu, orgID, ms(to), lo, ms(from), includeCancelled, lieuID)
		} else {
			rows, err = tx.QueryContext(ctx, builtCardsByOrg, orgID, ms(to), lo, ms(from), includeCancelled)
		}
		if err != nil {
			return err
		}
		out, err = scanBuiltCards(rows)
		return err
	})
	if err != nil || built {
		return out, err
	}
	return db.cardsFromTables(ctx, orgID, lieuID, from, to, includeCancelled)
}

// cardsFromTables is what ListAgendaCards returns, made from ListAgendaRdvs and UsagersByID: the
// cards' definition in Go, read while the read model is not complete.
func (db *DB) cardsFromTables(ctx context.Context, orgID, lieuID string, from, to time.Time, includeCancelled bool) ([]AgendaCard, error) {
	rdvs, err := db.ListAgendaRdvs(ctx, orgID, lieuID, from, to, includeCancelled)
	if err != nil {
		return nil, err
	}
	usagers, err := db.UsagersByID(ctx, ParticipantIDs(rdvs))
	if err != nil {
		return nil, err
	}
	var out []AgendaCard
	for _, r := range rdvs {
		c := AgendaCard{ID: r.ID, MotifID: r.MotifID, StartsAt: r.StartsAt, EndsAt: r.EndsAt, Status: r.Status,
			DocumentsNumber: r.DocumentsNumber, AgentIDs: r.AgentIDs}
		for _, p := range r.Participations {
			u := usagers[p.UsagerID]
			c.People = append(c.People, CardPerson{LastName: u.LastName, FirstName: u.FirstName, ArrivedAt: p.ArrivedAt})
		}
		out = append(out, c)
	}
	return out, nil
}

// cardsBuilt says whether every RDV has its card; once it does, it always will (the triggers).
func (db *DB) cardsBuilt(ctx context.Context, tx *txn) (bool, error) {
	if db.cardsComplete.Load() {
		return true, nil
	}
	var v string
	switch err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", cardsBuiltKey).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	db.cardsComplete.Store(true)
	return true, nil
}

// BuildAgendaCards gives its card to every RDV of a file from before schema version 12, then
// marks the cards complete: ListAgendaCards reads them from then on. It writes cardsBatch RDVs per
// transaction, so that the counter books between them, and does nothing once the cards are
// complete. Run beside the window (cli.StartDaily), never before it: it reads the whole rdvs
// table (issue 16; docs/benchmarks.md gives its time on a million RDVs). Interrupted, it starts
// over at the next start: a card written twice is the same card.
func (db *DB) BuildAgendaCards(ctx context.Context) error {
	const op = "store.BuildAgendaCards"
	var built bool
	if err := db.read(ctx, op, func(tx *txn) (err error) { built, err = db.cardsBuilt(ctx, tx); return err }); err != nil || built {
		return err
	}
	for after := int64(0); ; {
		n := 0
		err := db.write(ctx, op, func(tx *txn) error {
			var last sql.NullInt64
			if err := tx.QueryRowContext(ctx, "SELECT max(rowid), count(*) FROM (SELECT rowid FROM rdvs WHERE rowid > ? ORDER BY rowid LIMIT ?)",
				after, cardsBatch).Scan(&last, &n); err != nil {
				return err
			}
			if n == 0 {
				_, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, 'oui')", cardsBuiltKey)
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO agenda_cards SELECT * FROM agenda_card_source
				WHERE rdv_id IN (SELECT id FROM rdvs WHERE rowid > ? AND rowid <= ?)`, after, last.Int64)
			after = last.Int64
			return err
		})
		if err != nil {
			return err
		}
		if n == 0 {
			db.cardsComplete.Store(true)
			return nil
		}
	}
}

// scanBuiltCards reads the rows of agenda_cards.
func scanBuiltCards(rows *sql.Rows) ([]AgendaCard, error) {
	defer rows.Close()
	var out []AgendaCard
	for rows.Next() {
		var c AgendaCard
		var start, end int64
		var agents, people string
		if err := rows.Scan(&c.ID, &c.MotifID, &start, &end, &c.Status, &c.DocumentsNumber, &agents, &people); err != nil {
			return nil, err
		}
		c.StartsAt, c.EndsAt = fromMS(start), fromMS(end)
		if agents != "" {
			c.AgentIDs = strings.Split(agents, "\x1f")
		}
		if people != "" {
			for _, p := range strings.Split(people, "\x1e") {
				f := strings.Split(p, "\x1f")
				if len(f) != 3 {
					return nil, fmt.Errorf("agenda card of RDV %s: unreadable person %q", c.ID, p)
				}
				person := CardPerson{LastName: f[0], FirstName: f[1]}
				if f[2] != "" {
					at, err := strconv.ParseInt(f[2], 10, 64)
					if err != nil {
						return nil, fmt.Errorf("agenda card of RDV %s: arrival %w", c.ID, err)
					}
					t := fromMS(at)
					person.ArrivedAt = &t
				}
				c.People = append(c.People, person)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
