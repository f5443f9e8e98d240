package booking

import (
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/internal/depcheck"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// at is a wall-clock time in Paris on Tuesday 10 March 2026 (a working day).
func at(h, m int) time.Time {
	return agenda.Date{Year: 2026, Month: 3, Day: 10}.At(agenda.Clk(h, m), paris).UTC()
}

var now = at(8, 0)

func org() agenda.Organisation {
	return agenda.Organisation{ID: "org", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}}
}

func motif(collectif bool) agenda.Motif {
	m := agenda.Motif{ID: "m", OrganisationID: "org", Name: "Carte d'identité", Color: "#1d4ed8", DurationMin: 30, BookableKiosk: true, BookableOnline: true}
	if collectif {
		m.ID, m.Name, m.Collectif, m.Capacity = "atelier", "Atelier numérique", true, 2
	}
	return m
}

// data is one agent « a » with a plage 9:00–12:00 on weekdays for motif m and the atelier, and
// the RDVs given as busy spans.
func data(busy ...creneaux.Busy) *creneaux.Data {
	return &creneaux.Data{Org: org(), Busy: busy, Plages: []agenda.PlageOuverture{{
		ID: "p", OrganisationID: "org", AgentID: "a", LieuID: "l", MotifIDs: []string{"m", "atelier"},
		FirstDay: agenda.Date{Year: 2026, Month: 1, Day: 5}, Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Canal: agenda.CanalGuichet,
		Recurrence: agenda.Recurrence{Every: agenda.Weekly, Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
	}}}
}

func busyAt(h, m int) creneaux.Busy {
	return creneaux.Busy{AgentID: "a", Interval: agenda.Interval{Start: at(h, m), End: at(h, m).Add(30 * time.Minute)}}
}

func req(by agenda.Actor, start time.Time, override bool) Request {
	r, err := Normalize(Request{MotifID: "m", AgentID: "a", Start: start, By: by, Override: override})
	if err != nil {
		panic(err)
	}
	return r
}

func TestDecide(t *testing.T) {
	agent := agenda.ByAgent("claire")
	tests := []struct {
		name       string
		d          *creneaux.Data
		req        Request
		want       agenda.Code // "" = decided
		overridden agenda.Code
	}{
		{"free slot", data(), req(agent, at(9, 30), false), "", ""},
		{"taken slot", data(busyAt(9, 30)), req(agent, at(9, 30), false), agenda.CodeSlotTaken, ""},
		{"taken slot, even forced", data(busyAt(9, 30)), req(agent, at(9, 30), true), agenda.CodeSlotTaken, ""},
		{"outside the plages", data(), req(agent, at(14, 0), false), agenda.CodeOutsidePlages, ""},
		{"outside the plages, forced by an agent", data(), req(agent, at(14, 0), true), "", agenda.CodeOutsidePlages},
		{"past", data(), req(agent, at(7, 0), true), agenda.CodeSlotPast, ""},
		{"kiosk inside the plages", data(), Request{MotifID: "m", Start: at(10, 0), Origine: agenda.OrigineKiosk, By: agenda.Kiosk, Documents: 1}, "", ""},
	}
	for _, tt := range tests {
		dec, err := Decide(tt.d, motif(false), tt.req, now)
		if agenda.CodeOf(err) != tt.want || dec.Overridden != tt.overridden {
			t.Errorf("%s: %+v, %v (code %s), want %q overriding %q", tt.name, dec, err, agenda.CodeOf(err), tt.want, tt.overridden)
		}
		if err == nil && (!dec.Slot.Start.Equal(tt.req.Start) || dec.Slot.AgentID != "a" || dec.Slot.LieuID != "l") {
			t.Errorf("%s: slot %+v", tt.name, dec.Slot)
		}
	}
}

// Only the agents' side overrides; the usagers' side is refused before any data is read.
func TestNormalize(t *testing.T) {
	if _, err := Normalize(Request{By: agenda.Kiosk, Override: true}); agenda.CodeOf(err) != agenda.CodeOverrideAgent {
		t.Errorf("kiosk override: %v", err)
	}
	r, err := Normalize(Request{By: agenda.Online})
	if err != nil || r.Origine != agenda.OrigineEnLigne || r.Documents != 1 {
		t.Errorf("online: %+v %v", r, err)
	}
	r, _ = Normalize(Request{Origine: agenda.OrigineKiosk})
	if r.By != agenda.Kiosk {
		t.Errorf("actor of the kiosk origine: %+v", r.By)
	}
}

func TestArchivedMotif(t *testing.T) {
	m := motif(false)
	m.Archived = true
	if _, err := Decide(data(), m, req(agenda.ByAgent("claire"), at(9, 30), false), now); agenda.CodeOf(err) != agenda.CodeMotifArchived || agenda.ParamsOf(err)["motif"] != m.Name {
		t.Errorf("archived: %v %v", err, agenda.ParamsOf(err))
	}
}

// A collective motif: the agent opens a session where none starts; then bookings join it until it
// is full; the same usager twice is refused; a usager who cancelled comes back.
func TestCollectiveSession(t *testing.T) {
	m := motif(true)
	r := req(agenda.ByAgent("claire"), at(10, 0), false)
	r.MotifID = m.ID
	dec, err := Decide(data(), m, r, now)
	if err != nil || dec.Join() {
		t.Fatalf("the agent opens a session: %+v %v", dec, err)
	}
	session, err := NewRdv("s1", dec, m, r, []string{"u1"})
	if err != nil || session.Capacity != 2 || !session.Collectif || session.CreatedBy != "claire" {
		t.Fatalf("session %+v %v", session, err)
	}
	d := data(creneaux.Busy{AgentID: "a", Interval: session.Interval()})
	d.Collectifs = []agenda.Rdv{session}
	dec, err = Decide(d, m, r, now)
	if err != nil || !dec.Join() || dec.Slot.RdvID != "s1" {
		t.Fatalf("join: %+v %v", dec, err)
	}
	if _, _, err := Join(session, []string{"u1"}); agenda.CodeOf(err) != agenda.CodeAlreadyInSession {
		t.Errorf("twice: %v", err)
	}
	if _, _, err := Join(session, nil); agenda.CodeOf(err) != agenda.CodeSessionNeedsUser {
		t.Errorf("nobody: %v", err)
	}
	full, seats, err := Join(session, []string{"u2"})
	if err != nil || len(seats) != 1 || seats[0].From != "" || len(full.Participations) != 2 || len(session.Participations) != 1 {
		t.Fatalf("second seat: %+v %+v %v", full, seats, err)
	}
	d.Collectifs = []agenda.Rdv{full}
	if _, err := Decide(d, m, r, now); agenda.CodeOf(err) != agenda.CodeCollectifFull {
		t.Errorf("full: %v", err)
	}
	full.Participations[0].Status = agenda.StatusExcused
	back, seats, err := Join(full, []string{"u1"})
	if err != nil || len(seats) != 1 || seats[0].From != agenda.StatusExcused || back.Participations[0].Status != agenda.StatusUnknown {
		t.Errorf("back after cancelling: %+v %+v %v", back, seats, err)
	}
}

func TestMoveAndStatus(t *testing.T) {
	m := motif(false)
	r := req(agenda.ByAgent("claire"), at(9, 0), false)
	dec, _ := Decide(data(), m, r, now)
	rdv, err := NewRdv("r1", dec, m, r, []string{"u1"})
	if err != nil {
		t.Fatal(err)
	}
	d := data(busyAt(10, 0))
	if _, err := Move(d, m, rdv, MoveRequest{NewStart: at(10, 0), By: agenda.ByAgent("claire")}, now); agenda.CodeOf(err) != agenda.CodeSlotTaken {
		t.Errorf("onto a taken slot: %v", err)
	}
	if _, err := Move(d, m, rdv, MoveRequest{NewStart: at(14, 0), By: agenda.Kiosk, Override: true}, now); agenda.CodeOf(err) != agenda.CodeOverrideAgent {
		t.Errorf("kiosk forcing: %v", err)
	}
	moved, err := Move(d, m, rdv, MoveRequest{NewStart: at(14, 0), By: agenda.ByAgent("claire"), Override: true}, now)
	if err != nil || !moved.StartsAt.Equal(at(14, 0)) || moved.EndsAt.Sub(moved.StartsAt) != 30*time.Minute || moved.Version != 2 || rdv.Version != 1 {
		t.Fatalf("forced move: %+v %v", moved, err)
	}
	cancelled, err := ChangeStatus(moved, agenda.StatusExcused, now, paris)
	if err != nil || cancelled.Status != agenda.StatusExcused || cancelled.Version != 3 || cancelled.Participations[0].Status != agenda.StatusExcused || moved.Participations[0].Status != agenda.StatusUnknown {
		t.Fatalf("cancel: %+v %v", cancelled, err)
	}
	if _, err := Move(d, m, cancelled, MoveRequest{NewStart: at(11, 0), By: agenda.ByAgent("claire")}, now); agenda.CodeOf(err) != agenda.CodeRdvCancelled {
		t.Errorf("moving a cancelled RDV: %v", err)
	}
	if _, err := ChangeStatus(moved, agenda.StatusNoshow, now, paris); agenda.CodeOf(err) != agenda.CodeStatusNoshowEarly {
		t.Errorf("lapin before it starts: %v", err)
	}
}

// The decision is pure: the central runs it without SQLite or HTTP.
func TestNoIODependencies(t *testing.T) {
	depcheck.Forbid(t, "rdvguichet/backend/booking", depcheck.IO...)
}

// Issue 10, #3: the number of titles is bounded in the domain: 2^31 titles no longer offer a slot
// ending in 1850, nor 2^60 hang the search.
func TestDocumentsBounded(t *testing.T) {
	for _, n := range []int{-1, agenda.MaxDocuments + 1, 1 << 31, 1<<51 + 1, 1 << 60} {
		if _, err := Normalize(Request{MotifID: "m", Start: at(9, 0), Documents: n, By: agenda.ByAgent("claire")}); agenda.CodeOf(err) != agenda.CodeDocumentsRange {
			t.Errorf("Normalize(%d titles): %v", n, err)
		}
		_, err := creneaux.Search(data(), creneaux.Request{Motif: motif(false), From: at(9, 0), To: at(9, 0).Add(24 * time.Hour), Now: now,
			Origine: agenda.OrigineGuichet, Documents: n})
		if agenda.CodeOf(err) != agenda.CodeDocumentsRange || agenda.ParamsOf(err)["max"] != "10" {
			t.Errorf("Search(%d titles): %v", n, err)
		}
	}
	if _, err := Normalize(Request{MotifID: "m", Start: at(9, 0), Documents: agenda.MaxDocuments, By: agenda.ByAgent("claire")}); err != nil {
		t.Errorf("%d titles: %v", agenda.MaxDocuments, err)
	}
}
