package agenda

import (
	"testing"
	"time"
)

func TestWaiting(t *testing.T) {
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	early, late := now.Add(-25*time.Minute), now.Add(-5*time.Minute)
	r := Rdv{Status: StatusUnknown, Participations: []Participation{{UsagerID: "a"}, {UsagerID: "b"}}}
	if r.Waiting() || r.WaitingMinutes(now) != 0 {
		t.Errorf("nobody checked in: %v", r.Waiting())
	}
	r.Participations[1].ArrivedAt, r.Participations[0].ArrivedAt = &late, &early
	if !r.Waiting() || r.WaitingMinutes(now) != 25 {
		t.Errorf("checked in: %v, %d min", r.Waiting(), r.WaitingMinutes(now))
	}
	if r.WaitingMinutes(early.Add(-time.Minute)) != 0 {
		t.Error("a check-in ahead of now waits 0 minutes")
	}
	r.Status = StatusSeen
	if r.Waiting() {
		t.Error("a seen RDV has left the waiting room")
	}
}
