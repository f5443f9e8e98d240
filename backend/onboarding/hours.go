package onboarding

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// Hours is one agenda's opening hours as the assistant asks them: a weekly table of days ×
// morning / afternoon, the times of each half-day, the lieu, and the motifs offered (empty: every
// motif open at the counter).
type Hours struct {
	Agenda        string   `json:"agenda"`
	Lieu          string   `json:"lieu"`
	Motifs        []string `json:"motifs,omitempty"`
	Morning       string   `json:"matin"`      // « 08:30-12:00 »
	Afternoon     string   `json:"apresMidi"`  // « 13:30-17:00 »
	MorningDays   []string `json:"joursMatin"` // « lundi », « mardi »…
	AfternoonDays []string `json:"joursApresMidi"`
}

// dayNames are the days as the table and the file name them, Monday first.
var dayNames = []struct {
	name string
	day  time.Weekday
}{{"lundi", time.Monday}, {"mardi", time.Tuesday}, {"mercredi", time.Wednesday}, {"jeudi", time.Thursday},
	{"vendredi", time.Friday}, {"samedi", time.Saturday}, {"dimanche", time.Sunday}}

// Half is one half-day of the table: its times and the days it is open.
type Half struct {
	Title      string
	Start, End agenda.ClockTime
	Days       []time.Weekday
}

// Table reads the hours' two half-days, checking the times and the day names.
func (h Hours) Table() ([]Half, error) {
	var out []Half
	for _, half := range []struct {
		title, times string
		days         []string
	}{
		{"Matin", h.Morning, h.MorningDays}, {"Après-midi", h.Afternoon, h.AfternoonDays},
	} {
		if len(half.days) == 0 {
			continue
		}
		start, end, ok := strings.Cut(half.times, "-")
		s, err1 := agenda.ParseClock(strings.TrimSpace(start))
		e, err2 := agenda.ParseClock(strings.TrimSpace(end))
		if !ok || err1 != nil || err2 != nil || e <= s {
			return nil, fmt.Errorf("horaires de « %s » : « %s » n’est pas une plage horaire comme 08:30-12:00", h.Agenda, half.times)
		}
		days, err := weekdays(h.Agenda, half.days)
		if err != nil {
			return nil, err
		}
		out = append(out, Half{Title: half.title, Start: s, End: e, Days: days})
	}
	return out, nil
}

func weekdays(agendaName string, names []string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, n := range names {
		i := slices.IndexFunc(dayNames, func(d struct {
			name string
			day  time.Weekday
		}) bool {
			return d.name == strings.ToLower(strings.TrimSpace(n))
		})
		if i < 0 {
			return nil, fmt.Errorf("horaires de « %s » : « %s » n’est pas un jour de la semaine", agendaName, n)
		}
		if !slices.Contains(out, dayNames[i].day) {
			out = append(out, dayNames[i].day)
		}
	}
	slices.SortFunc(out, func(a, b time.Weekday) int { return (int(a)+6)%7 - (int(b)+6)%7 })
	return out, nil
}

// Plages turns the weekly table into plages d'ouverture at the counter: one weekly plage per
// half-day, on the days ticked, from firstDay, without end. A half-day ticked on no day makes no
// plage; agent, lieu and motifs are the written ids.
func Plages(h Hours, orgID, agentID, lieuID string, motifIDs []string, firstDay agenda.Date) ([]agenda.PlageOuverture, error) {
	halves, err := h.Table()
	if err != nil {
		return nil, agenda.E("onboarding.Plages", agenda.Invalid, err)
	}
	var out []agenda.PlageOuverture
	for _, half := range halves {
		// The plage starts on the first ticked day from firstDay on, so that its first day is an
		// occurrence.
		first := firstDay
		for !slices.Contains(half.Days, first.Weekday()) {
			first = first.AddDays(1)
		}
		out = append(out, agenda.PlageOuverture{OrganisationID: orgID, AgentID: agentID, LieuID: lieuID,
			Title: half.Title, MotifIDs: motifIDs, FirstDay: first, Start: half.Start, End: half.End,
			Recurrence: agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: half.Days}, Canal: agenda.CanalGuichet})
	}
	return out, nil
}
