// Package creneaux is the slot engine: it turns plages d'ouverture, absences, jours fériés and
// existing RDVs into the free slots (créneaux) an agent or a usager can book.
//
// It follows RDV Service Public's semantics (reference/domain.md §2), which agents and usagers
// already know: occurrences of the plages minus the busy times of their agent, cut from the start of
// each free block by the motif's duration, "now" rounded up to the next 5 minutes, public booking
// delays, one slot per start time in the public view, the agent chosen at booking time. It departs
// from RDV SP where RDV SP was slow or wrong: no week-by-week loop of full computations for the next
// availability (Next walks occurrences lazily and stops at the first slot), holidays by rule, and
// occurrences expanded in wall-clock time in the organisation's zone, so DST weeks are right.
//
// Choices, and why:
//   - Channels: a request sees only the plages of its channel (guichet, kiosk and import: canal
//     guichet; online: canal en_ligne), so the office and the central never sell the same slot
//     (ARCHITECTURE.md, the booking guarantee). A plage without canal counts as guichet.
//   - The buffer (Organisation.BufferMinutes) is kept after every RDV, the new one included: a busy
//     RDV blocks [start − buffer, end + buffer), so a slot never ends less than a buffer before the
//     next RDV. Absences and the end of the plage need no buffer.
//   - The grid (Organisation.SlotGridMinutes) aligns starts on wall-clock multiples from local
//     midnight and steps by the smallest multiple of the grid that holds the RDV, so slots do not
//     overlap and a usager cannot strand a sliver before their RDV.
//   - The request range only filters starts; "now" (and the public minimum delay) moves the first
//     start of a block that has begun, as in RDV SP.
//   - Public view: one slot per (start, lieu), without agent; Available chooses the agent when
//     booking: the one with the fewest RDVs that day, then the smallest id (deterministic, spreads
//     the load). Agent view: one slot per (start, agent).
//   - Collective motifs list existing sessions with seats left, for agents too: opening a session
//     is an agent's decision (time, lieu, capacity), not a free slot.
//   - Available checks the hard rules, not the stepping: once listed, a slot stays bookable while
//     its time is free, even if the clock has moved the stepping of its block.
//
// The package is pure: no I/O, no clock. The store loads a Data for a request, the caller passes
// the current instant in the Request, and the engine answers. A Data is indexed on first use (zone
// loaded, busy times sorted per agent in linear time), then a request costs the occurrences of its
// range plus two binary searches each. The store should load only the RDVs meeting the range: the
// index costs about 0.1 µs per row.
package creneaux

import (
	"sync"
	"time"

	"rdvguichet/backend/agenda"
)

// Busy is a span during which an agent (or guichet) is taken by an active RDV, in any lieu and
// any organisation: the agent is the shared resource, so an RDV elsewhere still blocks it.
// A RDV with several agents gives one Busy per agent.
type Busy struct {
	AgentID string
	agenda.Interval
}

// Data is what the store loads for a request. Only the rows that can meet the range are needed
// (plages and absences by their first/last day, RDVs by their instants); extra rows are harmless.
//
// The engine indexes a Data on first use and keeps the index, so a Data must not be modified nor
// copied after it has been passed to Search, Next or Available: build a new one for new rows.
// A Data may be used by several goroutines at once.
type Data struct {
	Org      agenda.Organisation // zone, holiday rules, slot grid, buffer
	Plages   []agenda.PlageOuverture
	Absences []agenda.Absence
	// Busy holds the active (not cancelled) RDVs of the plages' agents, in all lieux.
	Busy []Busy
	// Collectifs holds the collective RDVs of the requested motif, with their participations.
	Collectifs []agenda.Rdv

	once sync.Once
	ix   *index
	err  error
}

// Request is one question to the engine.
type Request struct {
	Motif agenda.Motif
	// LieuID restricts slots to one lieu; "" means every lieu.
	LieuID string
	// AgentID restricts slots to one agent or guichet; "" means every agent. For Available it is
	// the agent the RDV is booked with; "" lets the engine choose one.
	AgentID string
	// From and To bound the slot starts: From ≤ start < To, at most a year apart. They only
	// filter: the stepping of a free block does not depend on them, so a narrower range returns a
	// subset of a wider one.
	From, To time.Time
	// Now is the current instant (from the injected clock). No slot starts before it.
	Now time.Time
	// Origine is the booking channel: guichet (an agent at the counter) and import use the plages of
	// canal guichet with no booking window; kiosk uses guichet plages with the motif's public window;
	// online uses en_ligne plages with the public window.
	Origine agenda.Origine
	// Documents is the number of documents of an ANTS request (documents_number): N documents are
	// one RDV of N × the motif's duration. It must be at least 1.
	Documents int
}

// Creneau is a bookable slot, or for a collective motif an existing session with seats left.
// Instants are UTC, like stored RDVs.
type Creneau struct {
	Start time.Time
	End   time.Time
	// AgentID is the agent of the slot in the agent view. It is "" in the public view (kiosk,
	// online): the agent is chosen at booking time by Available, as in RDV Service Public, so a
	// usager sees one slot per start time however many agents are free then.
	AgentID string
	LieuID  string
	// RdvID and SeatsLeft describe a collective session: the RDV to join and the seats still free
	// (-1 when the session has no capacity limit).
	RdvID     string
	SeatsLeft int
}

// Errors returned by Available, wrapped in an *agenda.Error (use errors.Is or agenda.CodeOf to
// tell them apart). ErrTaken and ErrFull are of kind Conflict: another booking won the slot or
// the last seat. The others are of kind Invalid; the benign ones (agenda.Code.Benign: absence,
// outside the plages, holiday) an agent may override, as RDV Service Public allows, but the engine
// itself never does. ErrWindow comes with the params "bound" (min or max) and "minutes".
var (
	ErrTaken       = agenda.Fail("creneaux", agenda.CodeSlotTaken)
	ErrFull        = agenda.Fail("creneaux", agenda.CodeCollectifFull)
	ErrAbsent      = agenda.Fail("creneaux", agenda.CodeAgentAbsent)
	ErrOutside     = agenda.Fail("creneaux", agenda.CodeOutsidePlages)
	ErrOffStep     = agenda.Fail("creneaux", agenda.CodeOffStep)
	ErrHoliday     = agenda.Fail("creneaux", agenda.CodeHoliday)
	ErrPast        = agenda.Fail("creneaux", agenda.CodeSlotPast)
	ErrWindow      = agenda.Fail("creneaux", agenda.CodeTooSoon)
	ErrNotBookable = agenda.Fail("creneaux", agenda.CodeMotifNotBookable)
)

// Search returns the slots of r.Motif whose start lies in [r.From, r.To), sorted by start, then
// agent, then lieu. In the public view (kiosk, online) there is one slot per (start, lieu) with
// no agent; in the agent view one per (start, agent). For a collective motif it returns the future
// sessions of the motif with seats left (see collectifs). A motif that the channel may not book
// (archived, or not opened to the kiosk / online) gives no slot.
func Search(d *Data, r Request) ([]Creneau, error) {
	q, err := newQuery(d, r, "creneaux.Search")
	if err != nil || q == nil {
		return nil, err
	}
	if r.Motif.Collectif {
		return q.collectifs(), nil
	}
	var out []Creneau
	q.walk(false, func(c Creneau) { out = append(out, c) })
	return q.finish(out), nil
}

// Next returns the earliest slot at or after r.From and before r.To, and false when there is none:
// the first element of Search over the same range, found without computing the whole range.
// It walks the occurrences of the plages in time order, a week at a time, and stops as soon as no
// later occurrence can hold an earlier slot; RDV Service Public instead runs a full search week
// after week for up to six months, which is what made it slow (domain.md §2.3).
func Next(d *Data, r Request) (Creneau, bool, error) {
	q, err := newQuery(d, r, "creneaux.Next")
	if err != nil || q == nil {
		return Creneau{}, false, err
	}
	if r.Motif.Collectif {
		if cs := q.collectifs(); len(cs) > 0 {
			return cs[0], true, nil
		}
		return Creneau{}, false, nil
	}
	var best Creneau
	found := false
	q.walk(true, func(c Creneau) {
		if !found || q.less(c, best) {
			best, found = c, true
		}
	})
	if found && q.public {
		best.AgentID = ""
	}
	return best, found, nil
}

// Available is the booking re-check, to run inside the booking transaction: it tells whether an RDV
// of r.Motif (× r.Documents) starting at start can be booked now through r.Origine, and returns the
// slot to book, with its end, lieu and agent. When r.AgentID is "" (public bookings), it picks the
// agent among those free at start: the one with the fewest RDVs that local day, then the smallest
// id; deterministic, so a replay books the same agent, and it spreads the day's load.
//
// It checks the hard rules (an occurrence of a plage of the motif, channel and lieu contains the
// RDV; no active RDV of the agent within the buffer; no absence; not a holiday; not in the past;
// the public booking window) but not the stepping: an RDV at 09:40 is accepted even if "now" has
// moved and the listed slots now start at 09:45, because the usager chose it from a list and the
// time is still free. r.From and r.To are ignored.
//
// For a collective motif, start must be the start of an active session with seats left (when
// r.AgentID or r.LieuID are set, of that agent or lieu); the Creneau names the session.
//
// Errors are *agenda.Error of kind Invalid (bad request or a rule, see the Err variables) or
// Conflict (ErrTaken, ErrFull: someone booked first).
func Available(d *Data, r Request, start time.Time) (Creneau, error) {
	const op = "creneaux.Available"
	q, err := newQuery(d, r, op)
	if err != nil {
		return Creneau{}, err
	}
	if q == nil {
		return Creneau{}, agenda.E(op, agenda.Invalid, ErrNotBookable)
	}
	c, err := q.available(op, start.UTC())
	// A start that is free but off the public steps is refused last, so that a taken slot still
	// reads « Ce créneau vient d'être pris ».
	if err == nil && q.public && !r.Motif.Collectif && !q.onStep(c.Start) && !q.offers(c.Start) {
		return Creneau{}, agenda.E(op, agenda.Invalid, ErrOffStep)
	}
	return c, err
}
