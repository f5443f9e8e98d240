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

// Duration writes a length of time as the counter says it: « 20 minutes », « 1 heure »,
// « 1 h 30 », « 3 jours » (whole days from two days on), « 1 minute ».
func Duration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m >= 48*60 && m%(24*60) == 0:
		return fmt.Sprintf("%d jours", m/(24*60))
	case m == 1:
		return "1 minute"
	case m < 60:
		return fmt.Sprintf("%d minutes", m)
	case m == 60:
		return "1 heure"
	case m%60 == 0:
		return fmt.Sprintf("%d heures", m/60)
	}
	return fmt.Sprintf("%d%sh%s%02d", m/60, NNBSP, NNBSP, m%60)
}

// Weekday writes « lundi ».
func Weekday(w time.Weekday) string {
	if w < time.Sunday || w > time.Saturday {
		return fmt.Sprint(int(w))
	}
	return weekdays[w]
}

// Ordinal writes « 1er », « 2e », « 3e ».
func Ordinal(n int) string {
	if n == 1 {
		return "1er"
	}
	return fmt.Sprintf("%de", n)
}

// ShortDate writes « 07/05/2026 », as forms show dates.
func ShortDate(d agenda.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }
