package agenda

import "time"

// The waiting room: who is there is a rule of the desk, not a screen's filter. An RDV is waiting
// when someone of it has checked in (at the kiosk or at the counter) and the agent has not yet
// given it a status: once seen, excused or cancelled, it leaves the room.

// Waiting reports whether the RDV is in the waiting room.
func (r Rdv) Waiting() bool {
	if r.Status != StatusUnknown {
		return false
	}
	_, ok := r.ArrivedSince()
	return ok
}

// ArrivedSince returns the first check-in of the RDV's participants, false when nobody checked in.
func (r Rdv) ArrivedSince() (time.Time, bool) {
	var first time.Time
	for _, p := range r.Participations {
		if p.ArrivedAt != nil && (first.IsZero() || p.ArrivedAt.Before(first)) {
			first = *p.ArrivedAt
		}
	}
	return first, !first.IsZero()
}

// WaitingMinutes is how long the RDV has been waiting at now, in whole minutes (0 when nobody
// checked in, or for a check-in recorded ahead of now).
func (r Rdv) WaitingMinutes(now time.Time) int {
	since, ok := r.ArrivedSince()
	if !ok {
		return 0
	}
	return max(0, int(now.Sub(since).Minutes()))
}
