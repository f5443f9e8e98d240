package agenda

import (
	"iter"
	"slices"
	"time"
)

// Frequency of a recurrence, as RDV Service Public's Montrose hash "every".
type Frequency string

const (
	Once    Frequency = ""      // a single occurrence on the first day
	Weekly  Frequency = "week"  // on some weekdays, every Interval weeks
	Monthly Frequency = "month" // on the nth weekday of the month, every Interval months
)

// Recurrence says on which days a plage or an absence happens, counted from its first day.
// Weeks start on Monday (French usage) when counting the interval of a weekly recurrence.
type Recurrence struct {
	Every    Frequency      `json:"every"`
	Interval int            `json:"interval,omitempty"` // 1 = every week/month; 0 means 1
	Weekdays []time.Weekday `json:"weekdays,omitempty"` // weekly: the days (0 = Sunday … 6 = Saturday)
	// Monthly: the nth (1..5) Weekday of the month. When zero, the first day's own position is used,
	// as RDV SP does (n = (day-1)/7 + 1).
	Nth     int          `json:"nth,omitempty"`
	Weekday time.Weekday `json:"weekday,omitempty"`
	Until   Date         `json:"until,omitzero"` // last possible day; zero = no end
}

func (r Recurrence) interval() int {
	if r.Interval < 1 {
		return 1
	}
	return r.Interval
}

// nthOfMonth is the position of d's weekday in its month: 1 for days 1–7, 2 for 8–14, …
func nthOfMonth(d Date) int { return (d.Day-1)/7 + 1 }

// mondayOf returns the Monday of d's week.
func mondayOf(d Date) Date { return d.AddDays(-((int(d.Weekday()) + 6) % 7)) }

// Occurs reports whether the recurrence starting on first has an occurrence on day d.
func (r Recurrence) Occurs(first, d Date) bool {
	if d.Before(first) || (!r.Until.IsZero() && d.After(r.Until)) {
		return false
	}
	switch r.Every {
	case Weekly:
		days := r.Weekdays
		if len(days) == 0 {
			days = []time.Weekday{first.Weekday()}
		}
		if !slices.Contains(days, d.Weekday()) {
			return false
		}
		weeks := mondayOf(d).DaysSince(mondayOf(first)) / 7
		return weeks%r.interval() == 0
	case Monthly:
		nth, wd := r.Nth, r.Weekday
		if nth == 0 {
			nth, wd = nthOfMonth(first), first.Weekday()
		}
		if d.Weekday() != wd || nthOfMonth(d) != nth {
			return false
		}
		months := (d.Year-first.Year)*12 + int(d.Month) - int(first.Month)
		return months%r.interval() == 0
	default:
		return d == first
	}
}

// Dates returns the occurrence days of the recurrence starting on first that lie in [from, to].
func (r Recurrence) Dates(first, from, to Date) []Date {
	var out []Date
	r.each(first, from, to, func(d Date) bool { out = append(out, d); return true })
	return out
}

// Days iterates over the occurrence days in [from, to], in order, without building a slice. It agrees
// with Occurs day by day, and jumps from week to week or month to month instead of testing every day.
func (r Recurrence) Days(first, from, to Date) iter.Seq[Date] {
	return func(yield func(Date) bool) { r.each(first, from, to, yield) }
}

// each calls yield for every occurrence day in [from, to] in order, until yield returns false.
func (r Recurrence) each(first, from, to Date, yield func(Date) bool) {
	if from.Before(first) {
		from = first
	}
	if !r.Until.IsZero() && to.After(r.Until) {
		to = r.Until
	}
	if to.Before(from) {
		return
	}
	switch r.Every {
	case Weekly:
		var mask uint8 // bit w set when weekday w occurs
		for _, w := range r.Weekdays {
			if w >= time.Sunday && w <= time.Saturday {
				mask |= 1 << w
			}
		}
		if len(r.Weekdays) == 0 {
			mask = 1 << first.Weekday()
		}
		if mask == 0 {
			return
		}
		n := r.interval()
		m0 := mondayOf(first)
		week := mondayOf(from).DaysSince(m0) / 7
		if rem := week % n; rem != 0 {
			week += n - rem
		}
		for monday := m0.AddDays(7 * week); !monday.After(to); monday = monday.AddDays(7 * n) {
			d := monday
			for i := 0; i < 7; i, d = i+1, d.AddDays(1) {
				if d.After(to) {
					return
				}
				if d.Before(from) || mask&(1<<d.Weekday()) == 0 {
					continue
				}
				if !yield(d) {
					return
				}
			}
		}
	case Monthly:
		nth, wd := r.Nth, r.Weekday
		if nth == 0 {
			nth, wd = nthOfMonth(first), first.Weekday()
		}
		if nth < 1 || nth > 5 || wd < time.Sunday || wd > time.Saturday {
			return
		}
		n := r.interval()
		k := (from.Year-first.Year)*12 + int(from.Month) - int(first.Month)
		if rem := k % n; rem != 0 {
			k += n - rem
		}
		for ; ; k += n {
			y, m := first.Year, int(first.Month)-1+k
			y, m = y+m/12, m%12+1
			start := Date{y, time.Month(m), 1}
			if start.After(to) {
				return
			}
			day := 1 + (int(wd)-int(start.Weekday())+7)%7 + 7*(nth-1)
			if day > daysIn(y, time.Month(m)) {
				continue
			}
			d := Date{y, time.Month(m), day}
			if d.Before(from) {
				continue
			}
			if d.After(to) || !yield(d) {
				return
			}
		}
	default:
		if !first.Before(from) && !first.After(to) {
			yield(first)
		}
	}
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// LastDay is the last day the recurrence can occur on, and false when it never ends.
// It lets the store pre-filter plages by range without expanding them.
func (r Recurrence) LastDay(first Date) (Date, bool) {
	if r.Every == Once {
		return first, true
	}
	if r.Until.IsZero() {
		return Date{}, false
	}
	return r.Until, true
}
