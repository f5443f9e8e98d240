package web

import (
	"context"
	"sync"
	"time"

	"rdvguichet/sync/server/pgstore"
)

// cacheFor is how long the pages reuse an organisation and its motifs sold online. Every page
// read them (an organisation by its slug, then the motifs' transaction: five round trips of the
// seven of a page) and they change only when the office syncs its settings or the operator turns
// the pages off, which then shows a second later. A slot is never cached: the grid and the
// booking read the agenda itself (docs/benchmarks.md, « 200 usagers at once »).
const cacheFor = time.Second

// cache keeps the last reads of each organisation, by slug and by id. Entries older than
// cacheFor are read again; an error is never kept.
type cache struct {
	now    func() time.Time // the store's clock
	mu     sync.Mutex
	orgs   map[string]cached[pgstore.PageOrganisation]
	motifs map[string]cached[[]pgstore.OnlineMotif]
}

type cached[T any] struct {
	v  T
	at time.Time
}

func newCache(now func() time.Time) *cache {
	return &cache{now: now, orgs: map[string]cached[pgstore.PageOrganisation]{}, motifs: map[string]cached[[]pgstore.OnlineMotif]{}}
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
	if len(m) > 10_000 { // slugs are the usagers' input: never let them grow the map for ever
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
