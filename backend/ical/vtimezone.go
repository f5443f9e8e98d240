package ical

import (
	"fmt"
	"time"

	goical "github.com/emersion/go-ical"
)

// vtimezone describes loc as a VTIMEZONE, derived from Go's zone data for the year of ref: every
// TZID needs one (RFC 5545 3.2.19) and go-ical writes the TZID only.
//
// For Europe/Paris this gives exactly the textbook definition: STANDARD CET, +02:00 → +01:00, from
// the last Sunday of October at 03:00; DAYLIGHT CEST, +01:00 → +02:00, from the last Sunday of
// March at 02:00; each with RRULE:FREQ=YEARLY;BYMONTH=…;BYDAY=-1SU and a DTSTART in 1970 on a day
// the rule yields. Deriving rather than hard-coding also covers the overseas zones (Réunion,
// Guyane…: no DST, one STANDARD) and Saint-Pierre-et-Miquelon's North-American rules.
func vtimezone(loc *time.Location, ref time.Time) *goical.Component {
	tz := goical.NewComponent(goical.CompTimezone)
	tz.Props.SetText(goical.PropTimezoneID, loc.String())
	year := ref.In(loc).Year()
	trans := transitions(loc, year)
	if len(trans) == 0 {
		t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
		name, off := t.Zone()
		c := goical.NewComponent(goical.CompTimezoneStandard)
		c.Props.SetText(goical.PropTimezoneName, name)
		setOffset(c, goical.PropTimezoneOffsetFrom, off)
		setOffset(c, goical.PropTimezoneOffsetTo, off)
		setLocal(c, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
		tz.Children = append(tz.Children, c)
		return tz
	}
	for _, tr := range trans {
		kind := goical.CompTimezoneStandard
		if tr.to > tr.from {
			kind = goical.CompTimezoneDaylight
		}
		c := goical.NewComponent(kind)
		c.Props.SetText(goical.PropTimezoneName, tr.name)
		setOffset(c, goical.PropTimezoneOffsetFrom, tr.from)
		setOffset(c, goical.PropTimezoneOffsetTo, tr.to)
		// The onset is written in the local time before the change (RFC 5545: « TZOFFSETFROM »).
		local := tr.at.UTC().Add(time.Duration(tr.from) * time.Second)
		nth := weekOfMonth(loc, tr, year)
		first := nthWeekday(1970, local.Month(), local.Weekday(), nth)
		setLocal(c, time.Date(1970, local.Month(), first, local.Hour(), local.Minute(), local.Second(), 0, time.UTC))
		rule := goical.NewProp(goical.PropRecurrenceRule) // a RECUR value: SetText would escape its « ; »
		rule.Value = fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(local.Month()), nth, dayCode[local.Weekday()])
		c.Props.Set(rule)
		tz.Children = append(tz.Children, c)
	}
	return tz
}

var dayCode = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

type transition struct {
	at       time.Time
	from, to int // offsets in seconds
	name     string
}

// transitions lists the offset changes of loc during year (none for a zone without DST).
func transitions(loc *time.Location, year int) []transition {
	var out []transition
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	for {
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			return out
		}
		_, from := next.Add(-time.Second).Zone()
		name, to := next.Zone()
		if from != to {
			out = append(out, transition{at: next, from: from, to: to, name: name})
		}
		t = next
	}
}

// weekOfMonth tells « the last Sunday » (-1) from « the second Sunday » (2): a day in the last
// week of its month is « last » if the same transition falls in the last week in the next two
// years too.
func weekOfMonth(loc *time.Location, tr transition, year int) int {
	local := tr.at.UTC().Add(time.Duration(tr.from) * time.Second)
	n := (local.Day()-1)/7 + 1
	last := true
	for y := year; y <= year+2; y++ {
		found := false
		for _, o := range transitions(loc, y) {
			l := o.at.UTC().Add(time.Duration(o.from) * time.Second)
			if l.Month() == local.Month() && o.to == tr.to {
				found = true
				if l.Day()+7 <= daysIn(y, l.Month()) {
					last = false
				}
			}
		}
		if !found {
			last = false
		}
	}
	if last {
		return -1
	}
	return n
}

func daysIn(year int, m time.Month) int { return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// nthWeekday returns the day of month of the nth (or last, n = -1) weekday wd of year/month.
func nthWeekday(year int, m time.Month, wd time.Weekday, n int) int {
	if n < 0 {
		last := daysIn(year, m)
		lw := time.Date(year, m, last, 0, 0, 0, 0, time.UTC).Weekday()
		return last - (int(lw)-int(wd)+7)%7
	}
	fw := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC).Weekday()
	return 1 + (int(wd)-int(fw)+7)%7 + 7*(n-1)
}

func setOffset(c *goical.Component, name string, secs int) {
	sign := '+'
	if secs < 0 {
		sign, secs = '-', -secs
	}
	p := goical.NewProp(name)
	p.Value = fmt.Sprintf("%c%02d%02d", sign, secs/3600, secs%3600/60)
	c.Props.Set(p)
}

// setLocal writes a DTSTART as a local (floating) time, which is what VTIMEZONE sub-components need.
func setLocal(c *goical.Component, t time.Time) {
	p := goical.NewProp(goical.PropDateTimeStart)
	p.Value = t.Format("20060102T150405")
	c.Props.Set(p)
}
