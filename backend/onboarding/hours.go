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
// motif open at the counter). Of the open half-days, those also ticked « en ligne » are sold
// online, by the central server, to the motifs open online: a slot has one seller
// (agenda.Canal), so the counter and the kiosk take no RDV in them.
type Hours struct {
	Agenda              string   `json:"agenda"`
	Lieu                string   `json:"lieu"`
	Motifs              []string `json:"motifs,omitempty"`
	Morning             string   `json:"matin"`      // « 08:30-12:00 »
	Afternoon           string   `json:"apresMidi"`  // « 13:30-17:00 »
	MorningDays         []string `json:"joursMatin"` // « lundi », « mardi »…
	AfternoonDays       []string `json:"joursApresMidi"`
	MorningOnlineDays   []string `json:"joursMatinEnLigne,omitempty"`
	AfternoonOnlineDays []string `json:"joursApresMidiEnLigne,omitempty"`
}

// dayNames are the days as the table and the file name them, Monday first.
var dayNames = []struct {
	name string
	day  time.Weekday
}{{"lundi", time.Monday}, {"mardi", time.Tuesday}, {"mercredi", time.Wednesday}, {"jeudi", time.Thursday},
	{"vendredi", time.Friday}, {"samedi", time.Saturday}, {"dimanche", time.Sunday}}

// Half is one half-day of the table: its times, the days it is open, and of those the days it is
// sold online.
type Half struct {
	Title      string
	Start, End agenda.ClockTime
	Days       []time.Weekday
	Online     []time.Weekday
}

// Table reads the hours' two half-days, checking the times and the day names; a half-day sold
// online on a day it is not open is refused.
func (h Hours) Table() ([]Half, error) {
	var out []Half
	for _, half := range []struct {
		title, times string
		days, online []string
	}{
		{"Matin", h.Morning, h.MorningDays, h.MorningOnlineDays}, {"Après-midi", h.Afternoon, h.AfternoonDays, h.AfternoonOnlineDays},
	} {
		if len(half.days) == 0 {
			if len(half.online) > 0 {
				return nil, fmt.Errorf("horaires de « %s » : « %s » est vendu en ligne sans être ouvert", h.Agenda, strings.ToLower(half.title))
			}
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
		online, err := weekdays(h.Agenda, half.online)
		if err != nil {
			return nil, err
		}
		for _, d := range online {
			if !slices.Contains(days, d) {
				return nil, fmt.Errorf("horaires de « %s » : %s %s est vendu en ligne sans être ouvert", h.Agenda, dayName(d), strings.ToLower(half.title))
			}
		}
		out = append(out, Half{Title: half.title, Start: s, End: e, Days: days, Online: online})
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

func dayName(d time.Weekday) string {
	for _, n := range dayNames {
		if n.day == d {
			return n.name
		}
	}
	return d.String()
}

// Plages turns the weekly table into plages d'ouverture: per half-day, one weekly plage at the
// counter (canal guichet) on the days open and not sold online, offering every motif of the
// table, and one weekly plage sold online (canal en_ligne, « … en ligne ») on the days sold
// online, offering the table's motifs open online; each from firstDay, without end. A half-day
// ticked on no day makes no plage. agent, lieu and motifs are the written ones.
func Plages(h Hours, orgID, agentID, lieuID string, motifs []agenda.Motif, firstDay agenda.Date) ([]agenda.PlageOuverture, error) {
	const op = "onboarding.Plages"
	halves, err := h.Table()
	if err != nil {
		return nil, agenda.E(op, agenda.Invalid, err)
	}
	var all, online []string
	for _, m := range motifs {
		all = append(all, m.ID)
		if m.BookableOnline {
			online = append(online, m.ID)
		}
	}
	var out []agenda.PlageOuverture
	add := func(title string, days []time.Weekday, start, end agenda.ClockTime, ids []string, canal agenda.Canal) {
		if len(days) == 0 {
			return
		}
		// The plage starts on the first ticked day from firstDay on, so that its first day is an
		// occurrence.
		first := firstDay
		for !slices.Contains(days, first.Weekday()) {
			first = first.AddDays(1)
		}
		out = append(out, agenda.PlageOuverture{OrganisationID: orgID, AgentID: agentID, LieuID: lieuID,
			Title: title, MotifIDs: ids, FirstDay: first, Start: start, End: end,
			Recurrence: agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: days}, Canal: canal})
	}
	for _, half := range halves {
		if len(half.Online) > 0 && len(online) == 0 {
			return nil, agenda.Errorf(op, agenda.Invalid, "horaires de « %s » : des demi-journées sont vendues en ligne, mais aucun de ses motifs n’est ouvert en ligne", h.Agenda)
		}
		counter := slices.DeleteFunc(slices.Clone(half.Days), func(d time.Weekday) bool { return slices.Contains(half.Online, d) })
		add(half.Title, counter, half.Start, half.End, all, agenda.CanalGuichet)
		add(half.Title+" en ligne", half.Online, half.Start, half.End, online, agenda.CanalEnLigne)
	}
	return out, nil
}

// OnlineUnsold returns, of the motifs named online (open to online booking), those that no table
// of hours sells online: a motif open online with no online half-day could never be booked online.
func OnlineUnsold(hours []Hours, online []string) []string {
	var out []string
	for _, m := range online {
		if !slices.ContainsFunc(hours, func(h Hours) bool {
			return (len(h.MorningOnlineDays) > 0 || len(h.AfternoonOnlineDays) > 0) && slices.ContainsFunc(h.Motifs, func(n string) bool { return strings.EqualFold(n, m) })
		}) {
			out = append(out, m)
		}
	}
	return out
}

// UnsoldText is the refusal of the motifs OnlineUnsold returns, as the assistant and init say it.
func UnsoldText(unsold []string) string {
	if len(unsold) == 1 {
		return fmt.Sprintf("« %s » est ouvert en ligne, mais aucune demi-journée ne le vend en ligne : cochez « en ligne » au moins une demi-journée d’un agenda qui le reçoit, ou retirez-lui le canal « En ligne »", unsold[0])
	}
	return fmt.Sprintf("« %s » sont ouverts en ligne, mais aucune demi-journée ne les vend en ligne : cochez « en ligne » au moins une demi-journée d’un agenda qui les reçoit, ou retirez-leur le canal « En ligne »", strings.Join(unsold, " », « "))
}

// DefaultHours are the tables the assistant's hours step proposes: for each agenda, at the first
// lieu, Monday to Friday, 9 h–12 h and 14 h–17 h, offering every motif open at the counter or
// online — but the identity motifs (those with an ANTS category) only on the guichets when there
// is one: a DR is one device, and the same motifs on the agents' agendas would book several
// usagers on it at once. A table offering a motif open online sells its afternoons online (the
// mornings stay at the counter and the kiosk). A table may offer no motif: the assistant shows
// it closed.
func (c Config) DefaultHours() []Hours {
	withGuichet := slices.ContainsFunc(c.Agendas, func(a Agenda) bool { return a.Kind == string(agenda.KindGuichet) })
	lieu := ""
	if len(c.Lieux) > 0 {
		lieu = c.Lieux[0].Name
	}
	week := []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi"}
	out := make([]Hours, 0, len(c.Agendas))
	for _, a := range c.Agendas {
		h := Hours{Agenda: a.Name, Lieu: lieu, Motifs: []string{}, Morning: "09:00-12:00", Afternoon: "14:00-17:00",
			MorningDays: slices.Clone(week), AfternoonDays: slices.Clone(week), MorningOnlineDays: []string{}, AfternoonOnlineDays: []string{}}
		online := false
		for _, m := range c.Motifs {
			if !m.Channels.Guichet && !m.Channels.EnLigne || withGuichet && m.AntsCategory != "" && a.Kind != string(agenda.KindGuichet) {
				continue
			}
			h.Motifs = append(h.Motifs, m.Name)
			online = online || m.Channels.EnLigne
		}
		if online {
			h.AfternoonOnlineDays = slices.Clone(week)
		}
		out = append(out, h)
	}
	return out
}
