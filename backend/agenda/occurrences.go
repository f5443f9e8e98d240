package agenda

import (
	"slices"
	"time"
)

// Occurrences expands the plage into the instants it is open on the days [from, to], in order.
// Each occurrence is computed in wall-clock time in loc (Date.At), so a 09:00–12:00 plage is 09:00–12:00
// local time on both sides of a DST switch and lasts 3 h. Exceptions apply: a cancelled day is skipped,
// a replaced day uses the exception's times. Instants are returned in UTC, like stored RDVs, so they
// compare with ==. loc must not be nil. A day whose times are empty (End ≤ Start) gives nothing.
func (p PlageOuverture) Occurrences(from, to Date, loc *time.Location) []Interval {
	return p.AppendOccurrences(nil, from, to, loc)
}

// AppendOccurrences is Occurrences appending to dst, so a caller expanding many plages can reuse one
// buffer (dst[:0]) and allocate nothing.
func (p PlageOuverture) AppendOccurrences(dst []Interval, from, to Date, loc *time.Location) []Interval {
	p.Recurrence.each(p.FirstDay, from, to, func(d Date) bool {
		start, end, open := p.timesOn(d)
		if !open {
			return true
		}
		if dst == nil { // first occurrence: one allocation sized for the whole range
			dst = make([]Interval, 0, p.estimate(from, to))
		}
		dst = append(dst, Interval{d.At(start, loc).UTC(), d.At(end, loc).UTC()})
		return true
	})
	return dst
}

// timesOn gives the plage's hours on d, a day of its recurrence: its own, an exception's, or
// none (open false) when the exception cancels the day or leaves its times empty.
func (p PlageOuverture) timesOn(d Date) (start, end ClockTime, open bool) {
	start, end = p.Start, p.End
	for i := range p.Exceptions {
		if e := &p.Exceptions[i]; e.Date == d {
			if e.Cancelled {
				return 0, 0, false
			}
			start, end = e.Start, e.End
			break
		}
	}
	return start, end, end > start
}

// occursOn reports whether d is a day of the plage's recurrence, exceptions aside.
func (p PlageOuverture) occursOn(d Date) bool {
	found := false
	p.Recurrence.each(p.FirstDay, d, d, func(Date) bool { found = true; return false })
	return found
}

// TakesFromOnline reports whether p, a plage the office sells, is open on a day and at hours
// that online, an en_ligne plage of the same agent, gave up by one of its exceptions (an
// occurrence cancelled or held at other hours): one occurrence moved from the online pages to
// the counter (ADR 0008). The central sells that occurrence until it has applied online's
// exception, so until the central acknowledges it p must not be sold (the store keeps p en
// transfert). The hours given up are online's own on that day; p's are p's on that day.
func (p PlageOuverture) TakesFromOnline(online PlageOuverture) bool {
	if p.Canal == CanalEnLigne || online.Canal != CanalEnLigne || online.AgentID != p.AgentID || online.ID == p.ID {
		return false
	}
	for _, e := range online.Exceptions {
		if !online.occursOn(e.Date) || !p.occursOn(e.Date) {
			continue
		}
		if start, end, open := p.timesOn(e.Date); open && start < online.End && online.Start < end {
			return true
		}
	}
	return false
}

// ExceptionsChanged returns the exceptions of after that before does not hold as they are (a
// new day, other hours, cancelled instead of moved): what saving a plage changes in its
// occurrences. An exception removed (an occurrence given back) is not among them.
func ExceptionsChanged(before, after []Exception) []Exception {
	var out []Exception
	for _, e := range after {
		if !slices.Contains(before, e) {
			out = append(out, e)
		}
	}
	return out
}

// estimate is a generous guess of the number of occurrences in [from, to], capped.
func (p PlageOuverture) estimate(from, to Date) int {
	if p.Recurrence.Every != Weekly && p.Recurrence.Every != Monthly {
		return 1
	}
	n := max(to.DaysSince(from), 0)/7 + 1
	if len(p.Recurrence.Weekdays) > 1 {
		n *= len(p.Recurrence.Weekdays)
	}
	return min(n, 512)
}

// LastDay is the last day the plage can be open on, and false when it never ends (store pre-filter).
func (p PlageOuverture) LastDay() (Date, bool) { return p.Recurrence.LastDay(p.FirstDay) }

// lastDay is EndDay, or FirstDay when EndDay is unset (a one-day absence).
func (a Absence) lastDay() Date {
	if a.EndDay.IsZero() {
		return a.FirstDay
	}
	return a.EndDay
}

// MultiDay reports whether the absence spans several days (from Start on FirstDay to End on EndDay).
func (a Absence) MultiDay() bool { return a.lastDay().After(a.FirstDay) }

// LastDay is the last day the absence covers, and false when it recurs without end (store pre-filter).
func (a Absence) LastDay() (Date, bool) {
	if a.MultiDay() {
		return a.lastDay(), true
	}
	return a.Recurrence.LastDay(a.FirstDay)
}

// Intervals returns the spans of time the absence makes its agent busy on the days [from, to], in UTC.
//   - Multi-day absence: one interval from FirstDay at Start to EndDay at End, clipped to the range (from
//     00:00 to the day after to, 00:00, in loc); nothing when it does not meet the range. A multi-day
//     absence does not recur (Validate refuses it; Recurrence is ignored here).
//   - Otherwise: one interval from Start to End on each occurrence day of the recurrence (just FirstDay
//     when it does not recur).
//
// Times are wall-clock in loc (see Occurrences). loc must not be nil. Empty intervals are left out.
func (a Absence) Intervals(from, to Date, loc *time.Location) []Interval {
	return a.AppendIntervals(nil, from, to, loc)
}

// AppendIntervals is Intervals appending to dst (see AppendOccurrences).
func (a Absence) AppendIntervals(dst []Interval, from, to Date, loc *time.Location) []Interval {
	if a.MultiDay() {
		last := a.lastDay()
		if last.Before(from) || a.FirstDay.After(to) {
			return dst
		}
		iv := Interval{a.FirstDay.At(a.Start, loc).UTC(), last.At(a.End, loc).UTC()}
		if lo := from.At(0, loc).UTC(); iv.Start.Before(lo) {
			iv.Start = lo
		}
		if hi := to.AddDays(1).At(0, loc).UTC(); iv.End.After(hi) {
			iv.End = hi
		}
		if !iv.Start.Before(iv.End) {
			return dst
		}
		return append(dst, iv)
	}
	if a.End <= a.Start {
		return dst
	}
	a.Recurrence.each(a.FirstDay, from, to, func(d Date) bool {
		dst = append(dst, Interval{d.At(a.Start, loc).UTC(), d.At(a.End, loc).UTC()})
		return true
	})
	return dst
}
