package creneaux

import (
	"errors"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// The public (kiosk, online) books starts the engine may offer; an agent books any free minute.
func TestPublicStartsStayOnTheSteps(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	p := agenda.PlageOuverture{ID: "p", AgentID: "a", LieuID: "l", MotifIDs: []string{"m"}, FirstDay: agenda.Date{Year: 2026, Month: 3, Day: 10},
		Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Canal: agenda.CanalGuichet}
	m := agenda.Motif{ID: "m", DurationMin: 20, BookableKiosk: true}
	busy := []Busy{{AgentID: "a", Interval: agenda.Interval{Start: time.Date(2026, 3, 10, 9, 0, 0, 0, loc), End: time.Date(2026, 3, 10, 9, 13, 0, 0, loc)}}}
	d := &Data{Org: agenda.Organisation{ID: "o", TimeZone: "Europe/Paris"}, Plages: []agenda.PlageOuverture{p}, Busy: busy}
	now := time.Date(2026, 3, 9, 12, 0, 0, 0, loc)
	at := func(h, mi int) time.Time { return time.Date(2026, 3, 10, h, mi, 0, 0, loc) }
	kiosk := Request{Motif: m, Now: now, Origine: agenda.OrigineKiosk, Documents: 1}
	agent := kiosk
	agent.Origine = agenda.OrigineGuichet
	cases := []struct {
		r     Request
		start time.Time
		want  error
	}{
		{kiosk, at(10, 7), ErrOffStep}, // a free minute between two steps
		{kiosk, at(10, 10), nil},       // on a 5-minute mark: accepted even if « now » moved the steps
		{kiosk, at(9, 13), nil},        // an offered start after an RDV ending at an odd minute
		{agent, at(10, 7), nil},        // agents book any free minute
		{kiosk, at(9, 5), ErrTaken},    // taken reads as taken, not as off-step
	}
	for _, c := range cases {
		_, err := Available(d, c.r, c.start)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s at %s: got %v, want %v", c.r.Origine, c.start.Format("15:04"), err, c.want)
		}
	}
}
