// Package clock is the wall clock, for the edges only (main, the command line, rdv-central, a
// store opened without a clock): the domain never reads it, it is given an agenda.Clock. Manual
// is the tests' clock.
package clock

import (
	"sync"
	"time"
)

// System reads the wall clock; it satisfies agenda.Clock.
type System struct{}

func (System) Now() time.Time { return time.Now() }

// Manual is a clock the tests set or move forward (an agenda.Clock), safe for concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual returns a clock standing at t.
func NewManual(t time.Time) *Manual { return &Manual{t: t} }

func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set puts the clock at t.
func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Manual) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
