package web

import (
	"context"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
	"rdvguichet/sync/server/pgstore"
)

// cacheFor is how long the pages reuse an organisation, its motifs sold online and the settings
// of a slot search (plages, exceptions, absences: pgstore.SlotSettings). Every page read the
// first two (an organisation by its slug, then the motifs' transaction: five round trips of the
// seven of a page), every grid the third (six of its seven), and they change only when the office
// syncs its settings or the operator turns the pages off, which then shows a second later. The
// bookings are never cached: every grid reads the agenda's busy times, and the booking decides on
// its own reads under the agents' locks (docs/benchmarks.md, « 200 usagers at once »).
const cacheFor = time.Second

// cache keeps the last reads of each organisation, by slug and by id, and of its slot
// searches' settings. Entries older than cacheFor are read again; an error is never kept.
type cache struct {
	now    func() time.Time // the store's clock
	mu     sync.Mutex
	orgs   map[string]cached[pgstore.PageOrganisation]
	motifs map[string]cached[[]pgstore.OnlineMotif]
	// settings of slot searches, by organisation, motif, lieu and range (Handler.slots)
	settings map[string]cached[*pgstore.SlotSettings]
}

type cached[T any] struct {
	v  T
	at time.Time
}

func newCache(now func() time.Time) *cache {
	return &cache{now: now, orgs: map[string]cached[pgstore.PageOrganisation]{}, motifs: map[string]cached[[]pgstore.OnlineMotif]{},
		settings: map[string]cached[*pgstore.SlotSettings]{}}
}

// through returns m[key] when fresh, else read's answer, kept when it is not an error. Two
// requests missing at once both read: no request waits for another's.
func through[T any](c *cache, m map[string]cached[T], key string, read func() (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := m[key]
	c.mu.Unlock()
	if now := c.now(); ok && now.Sub(e.at) < cacheFor && !now.Before(e.at) {
		return e.v, nil
	}
	at := c.now()
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(m) > 10_000 { // slugs and weeks are the usagers' input: never let them grow the map for ever
		clear(m)
	}
	m[key] = cached[T]{v, at}
	c.mu.Unlock()
	return v, nil
}

func (h *Handler) organisationBySlug(ctx context.Context, slug string) (pgstore.PageOrganisation, error) {
	return through(h.cache, h.cache.orgs, slug, func() (pgstore.PageOrganisation, error) { return h.store.OrganisationBySlug(ctx, slug) })
}

func (h *Handler) onlineMotifs(ctx context.Context, orgID string) ([]pgstore.OnlineMotif, error) {
	return through(h.cache, h.cache.motifs, orgID, func() ([]pgstore.OnlineMotif, error) { return h.store.OnlineMotifs(ctx, orgID) })
}

// slots are the free online slots of motif m (pgstore.OnlineSlots) with the search's settings
// read through the cache: only the bookings are read from the agenda.
func (h *Handler) slots(ctx context.Context, m agenda.Motif, lieuID, agentID string, persons int, from, to time.Time) ([]creneaux.Creneau, error) {
	key := m.OrganisationID + " " + m.ID + " " + lieuID + " " + from.UTC().Format(time.RFC3339) + " " + to.UTC().Format(time.RFC3339)
	set, err := through(h.cache, h.cache.settings, key, func() (*pgstore.SlotSettings, error) {
		return h.store.SlotSettings(ctx, m, lieuID, from, to)
	})
	if err != nil {
		return nil, err
	}
	return h.store.OnlineSlots(ctx, m, set, lieuID, agentID, persons, from, to)
}
