package web

import (
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/messages"
)

// dayLabel writes a day without its year: « mardi 3 mars », « Tuesday 3 March ».
func dayLabel(lang messages.Lang, d agenda.Date) string {
	if lang == messages.English {
		return d.At(12, time.UTC).Format("Monday 2 January")
	}
	return strings.TrimSuffix(fr.Day(d), " "+d.At(12, time.UTC).Format("2006"))
}

// timeText writes a wall-clock time: « 9 h 30 », « 9:30 ».
func timeText(lang messages.Lang, t time.Time) string {
	if lang == messages.English {
		return t.Format("15:04")
	}
	return fr.Time(t)
}

// dateTimeText writes an instant in loc: « mardi 3 mars 2026 à 9 h 30 », « Tuesday 3 March 2026 at 9:30 ».
func dateTimeText(lang messages.Lang, t time.Time, loc *time.Location) string {
	if lang == messages.English {
		return t.In(loc).Format("Monday 2 January 2006 at 15:04")
	}
	return fr.DateTime(t, loc)
}

// initials writes « M. D. » for Marie Dupont: the cancel link's page shows no more of the name.
func initials(first, last string) string {
	var out []string
	for _, n := range []string{first, last} {
		for _, r := range strings.TrimSpace(n) {
			out = append(out, strings.ToUpper(string(r))+".")
			break
		}
	}
	return strings.Join(out, " ")
}
