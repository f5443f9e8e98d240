// Package clock is the wall clock, for the edges only (main, the command line, rdv-central, a
// store opened without a clock): the domain never reads it, it is given an agenda.Clock.
package clock

import "time"

// System reads the wall clock; it satisfies agenda.Clock.
type System struct{}

func (System) Now() time.Time { return time.Now() }
