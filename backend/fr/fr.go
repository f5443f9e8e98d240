// Package fr writes dates and times as French public services do: « mardi 3 mars 2026 »,
// « 9 h 30 » (narrow no-break spaces around the h), « mardi 3 mars 2026 à 9 h 30 ». Every
// user-facing text (screens, CLI, convocations, SMS, e-mails) goes through it, so the typography
// is the same everywhere.
package fr

import (
	"fmt"
	"time"

	"rdvguichet/backend/agenda"
)

// NNBSP is the narrow no-break space of French typography (before : ; ! ? », in « 9 h 30 »).
const NNBSP = "\u202f"

var weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

var months = [...]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// Day writes « mardi 3 mars 2026 » (« 1er » for the first of the month).
func Day(d agenda.Date) string {
	day := fmt.Sprint(d.Day)
	if d.Day == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", weekdays[d.Weekday()], day, months[d.Month], d.Year)
}

// Time writes the wall-clock time of t in its location: « 9 h 30 », « 14 h 00 ».
func Time(t time.Time) string {
	return fmt.Sprintf("%d%sh%s%02d", t.Hour(), NNBSP, NNBSP, t.Minute())
}

// DateTime writes « mardi 3 mars 2026 à 9 h 30 » for t in loc.
func DateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return Day(agenda.DateOf(t)) + " à " + Time(t)
}
