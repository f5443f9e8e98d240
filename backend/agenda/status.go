package agenda

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Status of an RDV or a participation, as RDV Service Public names them.
type Status string

const (
	StatusUnknown Status = "unknown" // not filled in: « À venir » before the RDV, « À renseigner » after
	StatusSeen    Status = "seen"    // the usager came
	StatusNoshow  Status = "noshow"  // absence non excusée: a « lapin »
	StatusExcused Status = "excused" // cancelled at the usager's request
	StatusRevoked Status = "revoked" // cancelled by the service
)

// Cancelled reports whether the status frees the slot. A noshow keeps it: the time was lost.
func (s Status) Cancelled() bool { return s == StatusExcused || s == StatusRevoked }

// Statuses lists the five statuses in the order the UI shows them.
var Statuses = []Status{StatusUnknown, StatusSeen, StatusNoshow, StatusExcused, StatusRevoked}

// Valid reports whether s is one of the five statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusUnknown, StatusSeen, StatusNoshow, StatusExcused, StatusRevoked:
		return true
	}
	return false
}

// SetsCancelledAt reports whether an RDV in this status carries a cancellation instant
// (RDV Service Public: excused, revoked and noshow do; unknown and seen do not).
func (s Status) SetsCancelledAt() bool {
	return s == StatusExcused || s == StatusRevoked || s == StatusNoshow
}

// AllowedForCollectif reports whether a collective RDV may be in this status: unknown, seen or revoked.
// (Its participations may take any status.)
func (s Status) AllowedForCollectif() bool {
	return s == StatusUnknown || s == StatusSeen || s == StatusRevoked
}

// Temporal places an RDV relative to the current local day. It selects the statuses an agent may pick
// and the label of an unknown status.
type Temporal int

const (
	Future Temporal = iota // starts on a later local day
	Today                  // starts on the current local day (before or after now)
	Past                   // started on an earlier local day: « À renseigner »
)

func (t Temporal) String() string {
	switch t {
	case Future:
		return "future"
	case Today:
		return "today"
	case Past:
		return "past"
	}
	return "temporal(" + strconv.Itoa(int(t)) + ")"
}

// TemporalOf compares the civil days of start and now in loc (the lieu's zone). loc must not be nil.
func TemporalOf(start, now time.Time, loc *time.Location) Temporal {
	s, n := DateOf(start.In(loc)), DateOf(now.In(loc))
	switch {
	case s == n:
		return Today
	case s.Before(n):
		return Past
	}
	return Future
}

// Transitions returns the statuses an agent may set on an RDV whose status is current, following
// RDV Service Public's status dropdown (domain.md 1.8):
//
//	unknown, future: excused, revoked                        (collectif: revoked)
//	unknown, today:  seen, noshow once started, excused, revoked (collectif: seen, revoked)
//	unknown, past:   seen, noshow, excused, revoked          (collectif: seen, revoked)
//	any set status:  unknown (« Réinitialiser »)
//
// started tells whether the RDV has begun (StartsAt ≤ now); it only matters today. The result is a
// fresh slice the caller may keep. An invalid current status gives nil.
func Transitions(current Status, t Temporal, started bool, collectif bool) []Status {
	if !current.Valid() {
		return nil
	}
	if current != StatusUnknown {
		return []Status{StatusUnknown}
	}
	if collectif {
		if t == Future {
			return []Status{StatusRevoked}
		}
		return []Status{StatusSeen, StatusRevoked}
	}
	switch t {
	case Future:
		return []Status{StatusExcused, StatusRevoked}
	case Today:
		if started {
			return []Status{StatusSeen, StatusNoshow, StatusExcused, StatusRevoked}
		}
		return []Status{StatusSeen, StatusExcused, StatusRevoked}
	}
	return []Status{StatusSeen, StatusNoshow, StatusExcused, StatusRevoked}
}

// StatusOptions returns the statuses an agent may set on r at now (Transitions for its day in
// loc), without « lapin » once one of its usagers has arrived: someone in the waiting room is not
// absent.
func (r Rdv) StatusOptions(now time.Time, loc *time.Location) []Status {
	out := Transitions(r.Status, TemporalOf(r.StartsAt, now, loc), r.Started(now), r.Collectif)
	if _, arrived := r.ArrivedSince(); arrived {
		out = slices.DeleteFunc(out, func(s Status) bool { return s == StatusNoshow })
	}
	return out
}

// CanChangeStatus is CanTransition for r at now, refusing « lapin » once someone has arrived
// (CodeStatusNoshowArrived; see StatusOptions).
func (r Rdv) CanChangeStatus(next Status, now time.Time, loc *time.Location) error {
	if _, arrived := r.ArrivedSince(); arrived && next == StatusNoshow && r.Status == StatusUnknown {
		return Fail("agenda.CanChangeStatus", CodeStatusNoshowArrived)
	}
	return CanTransition(r.Status, next, TemporalOf(r.StartsAt, now, loc), r.Started(now), r.Collectif)
}

// CanTransition returns nil when an agent may move an RDV from current to next (see Transitions), else an
// *Error of kind Invalid whose message says why, in French. Setting the status an RDV already has is
// refused too: it is not a change (two agents marking the same RDV « vu » get a clear message).
func CanTransition(current, next Status, t Temporal, started bool, collectif bool) error {
	const op = "agenda.CanTransition"
	tmp := t.String()
	switch {
	case !current.Valid():
		return Fail(op, CodeStatusUnknown, "status", string(current))
	case !next.Valid():
		return Fail(op, CodeStatusUnknown, "status", string(next))
	case current == next:
		return Fail(op, CodeStatusUnchanged, "status", string(next), "temporal", tmp)
	}
	if slices.Contains(Transitions(current, t, started, collectif), next) {
		return nil
	}
	switch {
	case current != StatusUnknown:
		return Fail(op, CodeStatusResetOnly, "status", string(StatusUnknown), "temporal", tmp)
	case collectif && !next.AllowedForCollectif():
		return Fail(op, CodeStatusCollectif, "status", string(next), "temporal", tmp)
	case t == Future && (next == StatusSeen || next == StatusNoshow):
		return Fail(op, CodeStatusFuture, "status", string(next), "temporal", tmp)
	case t == Today && next == StatusNoshow && !started:
		return Fail(op, CodeStatusNoshowEarly)
	}
	return Fail(op, CodeTransition, "status", string(next), "temporal", tmp)
}

// Label is the short French label of the status in the agenda and the status dropdown. An unknown status
// reads « À venir » for an RDV of today or later and « À renseigner » once its day has passed (RDV Service
// Public's wording); the others do not depend on t:
//
//	seen « Vu », noshow « Absence non excusée (lapin) », excused « Annulé (excusé) »,
//	revoked « Annulé (par le service) ».
//
// LongLabel gives RDV Service Public's formal wording, for exports and documents an usager may read.
// An invalid status is returned as is.
func (s Status) Label(t Temporal) string {
	switch s {
	case StatusUnknown:
		if t == Past {
			return "À renseigner"
		}
		return "À venir"
	case StatusSeen:
		return "Vu"
	case StatusNoshow:
		return "Absence non excusée (lapin)"
	}
	return s.LongLabel()
}

// LongLabel is RDV Service Public's formal label: « État indéterminé », « Rendez-vous honoré »,
// « Absence non excusée », « Annulé (excusé) », « Annulé (par le service) ».
func (s Status) LongLabel() string {
	switch s {
	case StatusUnknown:
		return "État indéterminé"
	case StatusSeen:
		return "Rendez-vous honoré"
	case StatusNoshow:
		return "Absence non excusée"
	case StatusExcused:
		return "Annulé (excusé)"
	case StatusRevoked:
		return "Annulé (par le service)"
	}
	return string(s)
}

// Active reports whether the RDV holds its slot: every status but excused and revoked (a noshow keeps it,
// the time was lost).
func (r Rdv) Active() bool { return !r.Status.Cancelled() }

// Started reports whether the RDV has begun at now.
func (r Rdv) Started(now time.Time) bool { return !now.Before(r.StartsAt) }

// setStatusOnly changes the RDV's own status and applies the cancelled_at rule: now (UTC) when the status
// is excused, revoked or noshow, nil otherwise. An RDV that keeps its status keeps its instant.
func (r *Rdv) setStatusOnly(s Status, now time.Time) {
	if !s.SetsCancelledAt() {
		r.CancelledAt = nil
	} else if r.Status != s || r.CancelledAt == nil {
		t := now.UTC()
		r.CancelledAt = &t
	}
	r.Status = s
}

// SetStatus sets the RDV's status and cascades it to the participations as RDV Service Public does:
// unknown resets every participation; excused and revoked apply to the participations not already
// cancelled; seen and noshow apply to the unknown participations only. CancelledAt follows the status
// (see Status.SetsCancelledAt). Check the move with CanTransition first; Version is the store's business.
func (r *Rdv) SetStatus(s Status, now time.Time) {
	r.setStatusOnly(s, now)
	for i := range r.Participations {
		p := &r.Participations[i]
		switch s {
		case StatusUnknown:
			p.Status = StatusUnknown
		case StatusExcused, StatusRevoked:
			if !p.Status.Cancelled() {
				p.Status = s
			}
		case StatusSeen, StatusNoshow:
			if p.Status == StatusUnknown {
				p.Status = s
			}
		}
	}
}

// SetParticipationStatus sets one usager's participation status, then derives the RDV's status from its
// participations (RDV Service Public's update_rdv_status_from_participation):
//   - any participation seen → seen;
//   - individual RDV: all excused → excused, all revoked → revoked, all noshow → noshow, else unknown;
//   - collective RDV: revoked when no participation is unknown and the RDV has started at now,
//     otherwise the RDV keeps its status, except that a seen RDV with no participation seen any more goes
//     back to unknown.
//
// The RDV's CancelledAt follows its status; the derived status does not cascade back to the other
// participations. Errors: NotFound when the usager does not take part, Invalid for an unknown status.
func (r *Rdv) SetParticipationStatus(usagerID string, s Status, now time.Time) error {
	const op = "agenda.SetParticipationStatus"
	if !s.Valid() {
		return Fail(op, CodeStatusUnknown, "status", string(s))
	}
	i := slices.IndexFunc(r.Participations, func(p Participation) bool { return p.UsagerID == usagerID })
	if i < 0 {
		return Wrap(op, CodeNotParticipant, fmt.Errorf("usager %s", usagerID))
	}
	r.Participations[i].Status = s
	r.setStatusOnly(r.statusFromParticipations(now), now)
	return nil
}

func (r *Rdv) statusFromParticipations(now time.Time) Status {
	all := func(s Status) bool {
		for _, p := range r.Participations {
			if p.Status != s {
				return false
			}
		}
		return len(r.Participations) > 0
	}
	if slices.ContainsFunc(r.Participations, func(p Participation) bool { return p.Status == StatusSeen }) {
		return StatusSeen
	}
	if r.Collectif {
		anyUnknown := slices.ContainsFunc(r.Participations, func(p Participation) bool { return p.Status == StatusUnknown })
		if !anyUnknown && len(r.Participations) > 0 && r.Started(now) {
			return StatusRevoked
		}
		if r.Status == StatusSeen {
			return StatusUnknown // nobody is seen any more
		}
		return r.Status
	}
	for _, s := range []Status{StatusExcused, StatusRevoked, StatusNoshow} {
		if all(s) {
			return s
		}
	}
	return StatusUnknown
}

// MarkArrived records that usagers (nil: every participant not cancelled) arrived at at. Marking
// twice keeps the first time; arriving is not a status. It reports whether anything changed.
// Refusals: rdv_cancelled (the RDV, or a named usager's seat, is cancelled), not_participant.
func (r *Rdv) MarkArrived(usagerIDs []string, at time.Time) (bool, error) {
	const op = "agenda.MarkArrived"
	if r.Status.Cancelled() {
		return false, Fail(op, CodeRdvCancelled)
	}
	for _, u := range usagerIDs {
		i := slices.IndexFunc(r.Participations, func(p Participation) bool { return p.UsagerID == u })
		if i < 0 {
			return false, Wrap(op, CodeNotParticipant, fmt.Errorf("usager %s", u))
		}
		if r.Participations[i].Status.Cancelled() {
			return false, Fail(op, CodeRdvCancelled)
		}
	}
	t := at.UTC().Truncate(time.Millisecond)
	changed := false
	for i, p := range r.Participations {
		named := usagerIDs == nil && !p.Status.Cancelled() || slices.Contains(usagerIDs, p.UsagerID)
		if named && p.ArrivedAt == nil {
			r.Participations[i].ArrivedAt = &t
			changed = true
		}
	}
	return changed, nil
}

// CancelledBy is the status of an RDV cancelled by the usager (excused) or by the service
// (revoked).
func CancelledBy(byUsager bool) Status {
	if byUsager {
		return StatusExcused
	}
	return StatusRevoked
}
