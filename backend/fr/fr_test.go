package fr

import (
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

func TestDayAndTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 3, 8, 30, 0, 0, time.UTC), "mardi 3 mars 2026 à 9\u202fh\u202f30"},
		{time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC), "samedi 1er août 2026 à 14\u202fh\u202f00"},
		// The Monday after the March switch: 07:00Z is 9 h 00 in Paris.
		{time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC), "lundi 30 mars 2026 à 9\u202fh\u202f00"},
		{time.Date(2026, 12, 31, 23, 5, 0, 0, time.UTC), "vendredi 1er janvier 2027 à 0\u202fh\u202f05"},
	}
	for _, c := range cases {
		if got := DateTime(c.at, paris); got != c.want {
			t.Errorf("DateTime(%v) = %q, want %q", c.at, got, c.want)
		}
	}
	if got := Day(agenda.Date{Year: 2026, Month: 2, Day: 14}); got != "samedi 14 février 2026" {
		t.Errorf("Day = %q", got)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Minute: "1 minute", 20 * time.Minute: "20 minutes", time.Hour: "1 heure", 2 * time.Hour: "2 heures",
		90 * time.Minute: "1" + NNBSP + "h" + NNBSP + "30", 24 * time.Hour: "24 heures", 90 * 24 * time.Hour: "90 jours",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%s) = %q, want %q", d, got, want)
		}
	}
}
