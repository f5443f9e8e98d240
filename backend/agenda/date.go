package agenda

import (
	"fmt"
	"time"
)

// Clock gives the current instant. Domain code never calls time.Now: the clock is injected,
// so tests can stand on a DST weekend or replay a day.
type Clock interface{ Now() time.Time }

// Date is a civil date (no time, no zone): the day a plage or an absence starts on.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q invalide (attendu AAAA-MM-JJ)", s)
	}
	return DateOf(t), nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date (used for "no date", e.g. an open-ended recurrence).
func (d Date) IsZero() bool { return d == Date{} }

// midnightUTC anchors the date on a fixed zone so that day arithmetic is exact.
func (d Date) midnightUTC() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the date n days later (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.midnightUTC().AddDate(0, 0, n)) }

// DaysSince returns the number of days from o to d.
func (d Date) DaysSince(o Date) int {
	return int(d.midnightUTC().Sub(o.midnightUTC()).Hours() / 24)
}

func (d Date) Weekday() time.Weekday { return d.midnightUTC().Weekday() }
func (d Date) Before(o Date) bool    { return d.midnightUTC().Before(o.midnightUTC()) }
func (d Date) After(o Date) bool     { return o.Before(d) }

// At returns the instant of wall-clock time c on date d in loc. Wall-clock times are what plages
// store; the instant depends on the zone's offset that day, so DST weeks come out right.
func (d Date) At(c ClockTime, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, loc)
}

// MarshalText and UnmarshalText make a Date travel as "YYYY-MM-DD" in JSON.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte(""), nil
	}
	return []byte(d.String()), nil
}

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// ClockTime is a wall-clock time of day in minutes since midnight (0..1440).
type ClockTime int

// Clk builds a ClockTime from hours and minutes.
func Clk(h, m int) ClockTime { return ClockTime(h*60 + m) }

// ParseClock reads HH:MM (24 h); "24:00" is accepted as the end of the day.
func ParseClock(s string) (ClockTime, error) {
	// Digits only: fmt.Sscanf would also take " 9:05", "+9:05" or "-0:05".
	digit := func(i int) (int, bool) { return int(s[i] - '0'), s[i] >= '0' && s[i] <= '9' }
	if len(s) == 5 && s[2] == ':' {
		h1, ok1 := digit(0)
		h2, ok2 := digit(1)
		m1, ok3 := digit(3)
		m2, ok4 := digit(4)
		h, m := h1*10+h2, m1*10+m2
		if ok1 && ok2 && ok3 && ok4 && m <= 59 && (h < 24 || (h == 24 && m == 0)) {
			return Clk(h, m), nil
		}
	}
	return 0, fmt.Errorf("heure %q invalide (attendu HH:MM)", s)
}

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

func (c ClockTime) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

func (c *ClockTime) UnmarshalText(b []byte) error {
	p, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = p
	return nil
}

// Interval is a half-open span of instants [Start, End): touching intervals do not overlap.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

func (i Interval) Overlaps(o Interval) bool { return i.Start.Before(o.End) && o.Start.Before(i.End) }
func (i Interval) Duration() time.Duration  { return i.End.Sub(i.Start) }

func timeMonth(m int) time.Month { return time.Month(m) }
