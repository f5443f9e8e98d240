package creneaux

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"rdvguichet/backend/agenda"
)

// Internally instants are Unix nanoseconds: the inner loops compare and add them millions of times
// in a big search, and int64 arithmetic is both faster and simpler to read than time.Time's.

// span is a half-open interval [s, e) of Unix nanoseconds.
type span struct{ s, e int64 }

// Bounds for ns: UnixNano is undefined outside 1678–2262, and a zero time.Time (year 1) must still
// compare as "long ago".
var (
	minT, maxT   = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	minNS, maxNS = minT.UnixNano(), maxT.UnixNano()
)

func ns(t time.Time) int64 {
	if t.Before(minT) {
		return minNS
	}
	if t.After(maxT) {
		return maxNS
	}
	return t.UnixNano()
}

func utc(n int64) time.Time { return time.Unix(0, n).UTC() }

// busyList is a set of possibly overlapping spans sorted by start, with the running maximum of their
// ends: the spans meeting [lo, hi) are then found by two binary searches, whatever their lengths, and
// visiting them costs only the rows of the range. Spans are not merged, so that they can be counted
// (Available picks the agent with the fewest RDVs of the day).
type busyList struct {
	spans  []span
	maxEnd []int64 // maxEnd[i] = max(spans[0..i].e), non-decreasing
}

func (l *busyList) add(iv agenda.Interval) {
	if iv.End.After(iv.Start) {
		l.spans = append(l.spans, span{ns(iv.Start), ns(iv.End)})
	}
}

func (l *busyList) sort() {
	slices.SortFunc(l.spans, func(a, b span) int { return cmp.Compare(a.s, b.s) })
	l.setMaxEnd()
}

func (l *busyList) setMaxEnd() {
	l.maxEnd = make([]int64, len(l.spans))
	var m int64 = minNS
	for i, sp := range l.spans {
		m = max(m, sp.e)
		l.maxEnd[i] = m
	}
}

// within returns the index range [i, j) of the spans that may meet [lo, hi): every span meeting it
// is inside, and the caller skips the few inside that end at or before lo.
func (l *busyList) within(lo, hi int64) (int, int) {
	if l == nil {
		return 0, 0
	}
	i, _ := slices.BinarySearchFunc(l.maxEnd, lo+1, cmp.Compare[int64]) // first with maxEnd > lo
	j, _ := slices.BinarySearchFunc(l.spans, hi, func(sp span, t int64) int { return cmp.Compare(sp.s, t) })
	return i, max(i, j)
}

// overlaps reports whether a span of l meets [lo, hi).
func (l *busyList) overlaps(lo, hi int64) bool {
	if l == nil {
		return false
	}
	i, j := l.within(lo, hi)
	for _, sp := range l.spans[i:j] {
		if sp.e > lo {
			return true
		}
	}
	return false
}

// countStarts counts the spans starting in [lo, hi).
func (l *busyList) countStarts(lo, hi int64) int {
	if l == nil {
		return 0
	}
	cmpStart := func(sp span, t int64) int { return cmp.Compare(sp.s, t) }
	i, _ := slices.BinarySearchFunc(l.spans, lo, cmpStart)
	j, _ := slices.BinarySearchFunc(l.spans, hi, cmpStart)
	return j - i
}

// occ is one occurrence of a candidate plage.
type occ struct {
	span
	p *agenda.PlageOuverture
}

// query is a validated Request with everything derived from it.
type query struct {
	d      *Data
	ix     *index
	r      Request
	canal  agenda.Canal
	public bool

	dur  int64 // of the RDV: Documents × motif duration
	step int64 // distance between two slot starts of a free block
	buf  int64 // Organisation.BufferMinutes
	grid int   // Organisation.SlotGridMinutes; 0 = step from the start of each free block

	// lo is the earliest possible start: now (plus the public minimum delay) rounded up to the next
	// 5 minutes. It shifts the stepping of a block that has begun, as in RDV Service Public.
	lo int64
	// [emitLo, emitHi) are the starts that are returned: the request range ∩ [lo, now + max delay).
	emitLo, emitHi int64

	plages   []*agenda.PlageOuverture // of the motif, channel, lieu and agent
	holidays []span                   // whole local days of the walked range

	// Scratch, reused between occurrences to spare allocations.
	scratch []span
	occs    []occ
}

// maxRange bounds a request's range: a year is more than any booking window, and an unbounded
// range (a To in 2200) would make Next walk centuries of empty weeks.
const maxRange = 367 * 24 * time.Hour

// newQuery validates r and prepares the search. It returns (nil, nil) when the motif cannot be
// booked through r.Origine at all (archived, or not opened to the kiosk / online).
func newQuery(d *Data, r Request, op string) (*query, error) {
	m := r.Motif
	bad := func(format string, args ...any) (*query, error) {
		// A malformed request is the caller's bug, not the usager's: code invalid, details for the log.
		return nil, agenda.Wrap(op, agenda.CodeInvalid, fmt.Errorf(format, args...))
	}
	switch {
	case r.Documents < 1 || r.Documents > agenda.MaxDocuments:
		return nil, agenda.Fail(op, agenda.CodeDocumentsRange, "max", strconv.Itoa(agenda.MaxDocuments))
	case m.DurationMin <= 0:
		return bad("durée du motif %q invalide (%d min)", m.Name, m.DurationMin)
	case r.From.After(r.To):
		return bad("période invalide : le début (%s) est après la fin (%s)", r.From.Format(time.RFC3339), r.To.Format(time.RFC3339))
	case r.To.Sub(r.From) > maxRange:
		return bad("période trop longue : au plus un an")
	case r.Now.IsZero():
		return bad("l’heure courante est manquante")
	case d.Org.SlotGridMinutes < 0 || d.Org.SlotGridMinutes > 24*60:
		return bad("grille des créneaux invalide (%d min)", d.Org.SlotGridMinutes)
	case d.Org.BufferMinutes < 0:
		return bad("temps de battement invalide (%d min)", d.Org.BufferMinutes)
	}
	q := &query{d: d, r: r}
	var bookable bool
	switch r.Origine {
	case agenda.OrigineGuichet, agenda.OrigineImport:
		q.canal, bookable = agenda.CanalGuichet, true
	case agenda.OrigineKiosk:
		q.canal, q.public, bookable = agenda.CanalGuichet, true, m.BookableKiosk
	case agenda.OrigineEnLigne:
		q.canal, q.public, bookable = agenda.CanalEnLigne, true, m.BookableOnline
	default:
		return bad("origine de réservation %q inconnue", r.Origine)
	}
	ix, err := d.index(op)
	if err != nil {
		return nil, err
	}
	q.ix = ix
	if q.public && (m.Archived || !bookable) {
		return nil, nil
	}

	q.dur = int64(r.Documents) * int64(m.Duration())
	q.buf = int64(d.Org.BufferMinutes) * int64(time.Minute)
	q.grid = d.Org.SlotGridMinutes
	q.step = q.dur
	if q.grid > 0 {
		// The grid says where a slot may start, the duration how many fit: stepping by the grid
		// would offer overlapping slots, and a usager taking 09:15 for 30 min would strand
		// 09:00–09:15. So slots step by the smallest multiple of the grid that holds the RDV.
		g := int64(q.grid) * int64(time.Minute)
		q.step = (q.dur + g - 1) / g * g
	}

	now := ns(r.Now)
	earliest := now
	if q.public && m.MinPublicDelay > 0 {
		earliest += int64(m.MinPublicDelay)
	}
	q.lo = roundUp5(earliest)
	q.emitLo, q.emitHi = max(q.lo, ns(r.From)), ns(r.To)
	if q.public && m.MaxPublicDelay > 0 {
		q.emitHi = min(q.emitHi, now+int64(m.MaxPublicDelay))
	}

	for i := range d.Plages {
		p := &d.Plages[i]
		// A plage has one seller, none while it changes canal (agenda.PlageOuverture.Seller).
		if seller, ok := p.Seller(); !ok || seller != q.canal || !slices.Contains(p.MotifIDs, m.ID) ||
			(r.LieuID != "" && p.LieuID != r.LieuID) || (r.AgentID != "" && p.AgentID != r.AgentID) {
			continue
		}
		q.plages = append(q.plages, p)
	}
	return q, nil
}

// roundUp5 rounds up to the next 5 minutes (an exact multiple stays): RDV Service Public's rule for
// the first slot of a block that has begun. Every zone in use has an offset that is a multiple of 5
// minutes, so rounding the absolute instant rounds the wall clock too.
func roundUp5(n int64) int64 {
	const five = int64(5 * time.Minute)
	r := n - ((n%five)+five)%five // floor, also before 1970
	if r < n {
		r += five
	}
	return r
}

// alignUp returns the first instant ≥ n whose wall-clock time in the organisation's zone is a
// multiple of the grid counted from local midnight.
func (q *query) alignUp(n int64) int64 {
	t := time.Unix(0, n).In(q.ix.loc)
	m := t.Hour()*60 + t.Minute()
	if m%q.grid == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return n
	}
	y, mo, d := t.Date()
	for k := m/q.grid + 1; ; k++ {
		// time.Date normalises minutes past 24:00 onto the next day's midnight.
		if a := time.Date(y, mo, d, 0, k*q.grid, 0, 0, q.ix.loc).UnixNano(); a > n {
			return a
		}
	}
}

// isHoliday reports whether instant n falls on a jour férié of the walked range.
func (q *query) isHoliday(n int64) bool {
	for _, h := range q.holidays {
		if h.s <= n && n < h.e {
			return true
		}
	}
	return false
}

// setHolidays computes the holidays of the days [from, to] as spans of whole local days.
func (q *query) setHolidays(from, to agenda.Date) {
	q.holidays = q.holidays[:0]
	for _, h := range q.d.Org.Holidays.Between(from, to) {
		q.holidays = append(q.holidays, span{h.Date.At(0, q.ix.loc).UnixNano(), h.Date.AddDays(1).At(0, q.ix.loc).UnixNano()})
	}
}

// absenceList expands the absences of an agent over the days [from, to].
func (q *query) absenceList(agentID string, from, to agenda.Date) *busyList {
	as := q.ix.absences[agentID]
	if len(as) == 0 {
		return nil
	}
	l := &busyList{}
	for _, a := range as {
		for _, iv := range a.Intervals(from, to, q.ix.loc) {
			l.add(iv)
		}
	}
	l.sort()
	return l
}

// chunkDays is how many days Next expands at a time: a week holds a slot in most agendas, and a
// larger chunk would only expand occurrences that are never looked at.
const chunkDays = 7

// walk computes slots (of every candidate plage, in the agent view, not deduplicated) and gives
// them to emit. With first set it only looks for the earliest slot: it expands a week at a time,
// visits occurrences in start order, takes only the first slot of each, and stops once the next
// occurrence starts after the best slot found, since it cannot hold an earlier one.
func (q *query) walk(first bool, emit func(Creneau)) {
	if q.emitLo >= q.emitHi || len(q.plages) == 0 {
		return
	}
	loc := q.ix.loc
	d0 := agenda.DateOf(time.Unix(0, q.emitLo).In(loc))
	dN := agenda.DateOf(time.Unix(0, q.emitHi-1).In(loc))
	q.setHolidays(d0, dN)
	chunk := dN.DaysSince(d0) + 1
	if first {
		chunk = chunkDays
	}
	found, best := false, int64(0)
	for c0 := d0; !c0.After(dN); c0 = c0.AddDays(chunk) {
		c1 := c0.AddDays(chunk - 1)
		if c1.After(dN) {
			c1 = dN
		}
		q.expand(c0, c1)
		// Absences are expanded once per agent and chunk, with a day of margin for multi-day ones.
		absences := map[string]*busyList{}
		for i := range q.occs {
			o := &q.occs[i]
			if first && found && o.s > best {
				return
			}
			agent := o.p.AgentID
			abs, ok := absences[agent]
			if !ok {
				abs = q.absenceList(agent, c0.AddDays(-1), c1.AddDays(1))
				absences[agent] = abs
			}
			q.occurrence(o, abs, first, func(s int64) {
				if !found || s < best {
					found, best = true, s
				}
				emit(Creneau{Start: utc(s), End: utc(s + q.dur), AgentID: agent, LieuID: o.p.LieuID})
			})
		}
		if first && found {
			return // later chunks start on a later day
		}
	}
}

// expand sets q.occs to the occurrences of the candidate plages on the days [from, to] that can
// hold a returned slot (not on a holiday, not over before emitLo), sorted by start, agent, lieu.
func (q *query) expand(from, to agenda.Date) {
	q.occs = q.occs[:0]
	for _, p := range q.plages {
		for _, iv := range p.Occurrences(from, to, q.ix.loc) {
			o := occ{span{ns(iv.Start), ns(iv.End)}, p}
			if o.e-q.dur < q.emitLo || o.s >= q.emitHi || q.isHoliday(o.s) {
				continue
			}
			q.occs = append(q.occs, o)
		}
	}
	slices.SortFunc(q.occs, func(a, b occ) int {
		return cmp.Or(cmp.Compare(a.s, b.s), cmp.Compare(a.p.AgentID, b.p.AgentID), cmp.Compare(a.p.LieuID, b.p.LieuID))
	})
}

// occurrence subtracts the busy times of the agent from o and steps the free blocks. A busy RDV
// blocks [start − buffer, end + buffer): the buffer is kept after every RDV, the existing ones and
// the one being booked, so a slot must also end a buffer before the next RDV. Absences block their
// own span only.
func (q *query) occurrence(o *occ, abs *busyList, first bool, emit func(int64)) {
	busy := q.ix.busy[o.p.AgentID]
	spans := q.scratch[:0]
	if busy != nil {
		i, j := busy.within(o.s-q.buf, o.e+q.buf)
		for _, sp := range busy.spans[i:j] {
			if sp.e+q.buf > o.s {
				spans = append(spans, span{sp.s - q.buf, sp.e + q.buf})
			}
		}
	}
	if abs != nil {
		i, j := abs.within(o.s, o.e)
		for _, sp := range abs.spans[i:j] {
			if sp.e > o.s {
				spans = append(spans, sp)
			}
		}
	}
	q.scratch = spans
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.s, b.s) })
	cur := o.s
	for _, b := range spans {
		if b.s > cur {
			if q.block(cur, min(b.s, o.e), first, emit) {
				return
			}
		}
		cur = max(cur, b.e)
		if cur >= o.e {
			return
		}
	}
	q.block(cur, o.e, first, emit)
}

// block steps the free block [bs, be): the first slot starts at the block's start (or at lo when
// the block has begun), aligned up on the grid if there is one, and the next ones every step while
// the RDV fits. It reports whether it emitted a slot and first is set (the caller then stops).
func (q *query) block(bs, be int64, first bool, emit func(int64)) bool {
	s := max(bs, q.lo)
	if q.grid > 0 {
		s = q.alignUp(s)
	}
	if s < q.emitLo { // jump over the slots before the range without visiting them
		s += (q.emitLo - s + q.step - 1) / q.step * q.step
		if q.grid > 0 {
			s = q.alignUp(s)
		}
	}
	for s+q.dur <= be && s < q.emitHi {
		emit(s)
		if first {
			return true
		}
		s += q.step
		if q.grid > 0 {
			s = q.alignUp(s) // a no-op unless a DST switch falls inside the block
		}
	}
	return false
}

// less orders slots as Search returns them.
func (q *query) less(a, b Creneau) bool { return q.compare(a, b) < 0 }

func (q *query) compare(a, b Creneau) int {
	return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(q.agentKey(a), q.agentKey(b)), cmp.Compare(a.LieuID, b.LieuID))
}

// agentKey is the agent a slot is ordered by: none in the public view.
func (q *query) agentKey(c Creneau) string {
	if q.public {
		return ""
	}
	return c.AgentID
}

// finish sorts the slots and removes duplicates: one per (start, lieu) without agent in the public
// view; one per (start, agent) in the agent view, keeping the smallest lieu (an agent with
// overlapping plages in two lieux cannot be in both; the overlap is a warning when saving plages).
func (q *query) finish(cs []Creneau) []Creneau {
	if q.public {
		for i := range cs {
			cs[i].AgentID = ""
		}
	}
	slices.SortFunc(cs, q.compare)
	return slices.CompactFunc(cs, func(a, b Creneau) bool {
		if q.public {
			return a.Start.Equal(b.Start) && a.LieuID == b.LieuID
		}
		return a.Start.Equal(b.Start) && a.AgentID == b.AgentID
	})
}

// seatsLeft is the capacity of a collective RDV (its own, else the motif's; none = no limit, −1)
// minus its active participations.
func seatsLeft(rdv *agenda.Rdv, m agenda.Motif) int {
	capacity := rdv.Capacity
	if capacity <= 0 {
		capacity = m.Capacity
	}
	if capacity <= 0 {
		return -1
	}
	n := 0
	for _, p := range rdv.Participations {
		if !p.Status.Cancelled() {
			n++
		}
	}
	return max(0, capacity-n)
}

// collectifs returns the sessions of a collective motif that can be joined: active, starting in
// the emitted range (so after now and within the public window), of the requested lieu and agent,
// with a seat left. It never proposes new sessions, for agents either: opening a session is an agent
// choosing a time, a lieu and a capacity in the agenda, not picking a free slot; and a session
// offered by the engine but not yet created could be "sold" to two usagers in two places.
func (q *query) collectifs() []Creneau {
	var out []Creneau
	for i := range q.d.Collectifs {
		rdv := &q.d.Collectifs[i]
		if ok, _ := q.joinable(rdv); !ok {
			continue
		}
		s := ns(rdv.StartsAt)
		if s < q.emitLo || s >= q.emitHi {
			continue
		}
		c := Creneau{Start: rdv.StartsAt.UTC(), End: rdv.EndsAt.UTC(), LieuID: rdv.LieuID, RdvID: rdv.ID, SeatsLeft: seatsLeft(rdv, q.r.Motif)}
		if !q.public {
			c.AgentID = q.r.AgentID
			if c.AgentID == "" && len(rdv.AgentIDs) > 0 {
				c.AgentID = rdv.AgentIDs[0]
			}
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Creneau) int { return cmp.Or(q.compare(a, b), cmp.Compare(a.RdvID, b.RdvID)) })
	return out
}

// joinable reports whether rdv is an active session of the motif, of the requested lieu and agent;
// full tells whether it is only missing a seat.
func (q *query) joinable(rdv *agenda.Rdv) (ok, full bool) {
	if !rdv.Collectif || rdv.MotifID != q.r.Motif.ID || !rdv.Active() ||
		(q.r.LieuID != "" && rdv.LieuID != q.r.LieuID) ||
		(q.r.AgentID != "" && !slices.Contains(rdv.AgentIDs, q.r.AgentID)) {
		return false, false
	}
	if seatsLeft(rdv, q.r.Motif) == 0 {
		return false, true
	}
	return true, false
}

// cand is an (agent, lieu) whose plage holds the RDV Available checks.
type cand struct{ agent, lieu string }

func (q *query) available(op string, start time.Time) (Creneau, error) {
	m := q.r.Motif
	s, now := ns(start), ns(q.r.Now)
	if s < now {
		return Creneau{}, agenda.E(op, agenda.Invalid, ErrPast)
	}
	if q.public {
		if m.MinPublicDelay > 0 && s < now+int64(m.MinPublicDelay) {
			return Creneau{}, windowErr(op, "min", m.MinPublicDelay)
		}
		if m.MaxPublicDelay > 0 && s >= now+int64(m.MaxPublicDelay) {
			return Creneau{}, windowErr(op, "max", m.MaxPublicDelay)
		}
	}
	if m.Collectif {
		return q.availableCollectif(op, start)
	}

	e := s + q.dur
	loc := q.ix.loc
	day := agenda.DateOf(start.In(loc))
	if len(q.d.Org.Holidays.Between(day, day)) > 0 {
		return Creneau{}, agenda.E(op, agenda.Invalid, ErrHoliday)
	}
	var cands []cand
	for _, p := range q.plages {
		for _, iv := range p.Occurrences(day, day, loc) {
			if ns(iv.Start) <= s && e <= ns(iv.End) {
				cands = append(cands, cand{p.AgentID, p.LieuID})
			}
		}
	}
	if len(cands) == 0 {
		return Creneau{}, agenda.E(op, agenda.Invalid, ErrOutside)
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(a.agent, b.agent), cmp.Compare(a.lieu, b.lieu)) })

	dayStart, dayEnd := day.At(0, loc).UnixNano(), day.AddDays(1).At(0, loc).UnixNano()
	taken, absent := false, false
	var pick cand
	picked, fewest := false, 0
	for i, c := range cands {
		if i > 0 && c.agent == cands[i-1].agent {
			continue // same agent in another lieu: the first lieu was checked; the agent is the resource
		}
		if q.absenceList(c.agent, day.AddDays(-1), day.AddDays(1)).overlaps(s, e) {
			absent = true
			continue
		}
		busy := q.ix.busy[c.agent]
		if busy.overlaps(s-q.buf, e+q.buf) {
			taken = true
			continue
		}
		if n := busy.countStarts(dayStart, dayEnd); !picked || n < fewest {
			pick, picked, fewest = c, true, n
		}
	}
	switch {
	case picked:
		return Creneau{Start: utc(s), End: utc(e), AgentID: pick.agent, LieuID: pick.lieu}, nil
	case taken:
		return Creneau{}, agenda.E(op, agenda.Conflict, ErrTaken)
	case absent:
		return Creneau{}, agenda.E(op, agenda.Invalid, ErrAbsent)
	}
	panic("unreachable")
}

// availableCollectif finds the session starting at start that can still be joined.
func (q *query) availableCollectif(op string, start time.Time) (Creneau, error) {
	var best *agenda.Rdv
	full := false
	for i := range q.d.Collectifs {
		rdv := &q.d.Collectifs[i]
		if !rdv.StartsAt.Equal(start) {
			continue
		}
		ok, f := q.joinable(rdv)
		full = full || f
		if ok && (best == nil || rdv.ID < best.ID) {
			best = rdv
		}
	}
	switch {
	case best != nil:
		agent := q.r.AgentID
		if agent == "" && len(best.AgentIDs) > 0 {
			agent = best.AgentIDs[0]
		}
		return Creneau{Start: best.StartsAt.UTC(), End: best.EndsAt.UTC(), AgentID: agent, LieuID: best.LieuID,
			RdvID: best.ID, SeatsLeft: seatsLeft(best, q.r.Motif)}, nil
	case full:
		return Creneau{}, agenda.E(op, agenda.Conflict, ErrFull)
	}
	return Creneau{}, agenda.Wrap(op, agenda.CodeNoSession, fmt.Errorf("aucune séance à %s", start.Format(time.RFC3339)))
}

// onStep and offers decide whether a public start (kiosk, online) is one the engine may offer:
// agents may book any free minute, but the public may not cut a plage into gaps nobody can book.
// A start is accepted when it lies on the organisation's grid (or a 5-minute mark without a
// grid) — the offered starts move by 5 minutes with « now », and a usager's choice must survive
// that — or when the engine offers it now (a block may begin at an odd minute after an agent's
// booking).
func (q *query) onStep(start time.Time) bool {
	l := start.In(q.ix.loc)
	minutes := l.Hour()*60 + l.Minute()
	step := 5
	if q.grid > 0 {
		step = q.grid
	}
	return l.Second() == 0 && l.Nanosecond() == 0 && minutes%step == 0
}

func (q *query) offers(start time.Time) bool {
	r := q.r
	r.From, r.To = start, start.Add(time.Minute)
	slots, err := Search(q.d, r)
	if err != nil {
		return false
	}
	for _, c := range slots {
		if c.Start.Equal(start) {
			return true
		}
	}
	return false
}

// windowErr is ErrWindow with the bound it breaks and the motif's delay, in minutes.
func windowErr(op, bound string, d time.Duration) error {
	return &agenda.Error{Op: op, Kind: agenda.Invalid, Code: agenda.CodeTooSoon, Err: ErrWindow,
		Params: map[string]string{"bound": bound, "minutes": strconv.Itoa(int(d / time.Minute))}}
}
