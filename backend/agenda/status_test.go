package agenda

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestTransitions(t *testing.T) {
	U, S, N, E, R := StatusUnknown, StatusSeen, StatusNoshow, StatusExcused, StatusRevoked
	tests := []struct {
		current   Status
		t         Temporal
		started   bool
		collectif bool
		want      []Status
	}{
		{U, Future, false, false, []Status{E, R}},
		{U, Today, false, false, []Status{S, E, R}},
		{U, Today, true, false, []Status{S, N, E, R}},
		{U, Past, true, false, []Status{S, N, E, R}},
		{U, Past, false, false, []Status{S, N, E, R}}, // started is implied in the past
		{U, Future, false, true, []Status{R}},
		{U, Today, false, true, []Status{S, R}},
		{U, Today, true, true, []Status{S, R}},
		{U, Past, true, true, []Status{S, R}},
		{"bogus", Past, true, false, nil},
	}
	for _, s := range []Status{S, N, E, R} {
		for _, tm := range []Temporal{Future, Today, Past} {
			for _, c := range []bool{false, true} {
				tests = append(tests, struct {
					current   Status
					t         Temporal
					started   bool
					collectif bool
					want      []Status
				}{s, tm, tm != Future, c, []Status{U}})
			}
		}
	}
	for _, tt := range tests {
		got := Transitions(tt.current, tt.t, tt.started, tt.collectif)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Transitions(%s, %s, started=%v, collectif=%v) = %v, want %v", tt.current, tt.t, tt.started, tt.collectif, got, tt.want)
		}
		// CanTransition agrees with Transitions for every target.
		for _, next := range Statuses {
			err := CanTransition(tt.current, next, tt.t, tt.started, tt.collectif)
			if allowed := slices.Contains(tt.want, next); allowed != (err == nil) {
				t.Errorf("CanTransition(%s→%s, %s, %v, %v) = %v, allowed %v", tt.current, next, tt.t, tt.started, tt.collectif, err, allowed)
			}
			if err != nil && KindOf(err) != Invalid {
				t.Errorf("CanTransition kind = %v, want Invalid", KindOf(err))
			}
		}
	}
}

func TestCanTransitionCodes(t *testing.T) {
	tests := []struct {
		current, next Status
		t             Temporal
		started, coll bool
		want          Code
		status        Status // the status the text names
	}{
		{StatusUnknown, StatusNoshow, Today, false, false, CodeStatusNoshowEarly, ""},
		{StatusUnknown, StatusSeen, Future, false, false, CodeStatusFuture, StatusSeen},
		{StatusUnknown, StatusExcused, Past, true, true, CodeStatusCollectif, StatusExcused},
		{StatusSeen, StatusNoshow, Past, true, false, CodeStatusResetOnly, StatusUnknown},
		{StatusSeen, StatusSeen, Past, true, false, CodeStatusUnchanged, StatusSeen},
		{StatusUnknown, "lapin", Past, true, false, CodeStatusUnknown, "lapin"},
		{"x", StatusSeen, Past, true, false, CodeStatusUnknown, "x"},
		{StatusUnknown, StatusSeen, Future, false, true, CodeStatusFuture, StatusSeen},
	}
	for _, tt := range tests {
		err := CanTransition(tt.current, tt.next, tt.t, tt.started, tt.coll)
		if CodeOf(err) != tt.want || Status(ParamsOf(err)["status"]) != tt.status {
			t.Errorf("CanTransition(%s→%s) = %v %v, want %s %q", tt.current, tt.next, err, ParamsOf(err), tt.want, tt.status)
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != Invalid {
			t.Errorf("not an Invalid *Error: %#v", err)
		}
	}
}

func TestTemporalOf(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 3, 29, 22, 30, 0, 0, time.UTC) // 00:30 on 30 March in Paris (CEST)
	tests := []struct {
		start time.Time
		loc   *time.Location
		want  Temporal
	}{
		{time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC), paris, Today},     // 01:00 on the 30th in Paris
		{time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC), paris, Past},     // 23:59 on the 29th in Paris
		{time.Date(2026, 3, 30, 21, 59, 0, 0, time.UTC), paris, Today},    // 23:59 on the 30th in Paris
		{time.Date(2026, 3, 30, 22, 0, 0, 0, time.UTC), paris, Future},    // 00:00 on the 31st in Paris
		{time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC), time.UTC, Today}, // same instants, UTC days
		{time.Date(2025, 12, 31, 10, 0, 0, 0, time.UTC), paris, Past},
		{time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC), paris, Future},
	}
	for _, tt := range tests {
		if got := TemporalOf(tt.start, now, tt.loc); got != tt.want {
			t.Errorf("TemporalOf(%v) = %v, want %v", tt.start, got, tt.want)
		}
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		s          Status
		t          Temporal
		label, lng string
	}{
		{StatusUnknown, Future, "À venir", "État indéterminé"},
		{StatusUnknown, Today, "À venir", "État indéterminé"},
		{StatusUnknown, Past, "À renseigner", "État indéterminé"},
		{StatusSeen, Past, "Vu", "Rendez-vous honoré"},
		{StatusNoshow, Past, "Absence non excusée (lapin)", "Absence non excusée"},
		{StatusExcused, Future, "Annulé (excusé)", "Annulé (excusé)"},
		{StatusRevoked, Past, "Annulé (par le service)", "Annulé (par le service)"},
		{"bogus", Past, "bogus", "bogus"},
	}
	for _, tt := range tests {
		if got := tt.s.Label(tt.t); got != tt.label {
			t.Errorf("%s.Label(%s) = %q, want %q", tt.s, tt.t, got, tt.label)
		}
		if got := tt.s.LongLabel(); got != tt.lng {
			t.Errorf("%s.LongLabel() = %q, want %q", tt.s, got, tt.lng)
		}
	}
}

func rdvWith(collectif bool, statuses ...Status) Rdv {
	r := Rdv{Status: StatusUnknown, Collectif: collectif, StartsAt: time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)}
	for i, s := range statuses {
		r.Participations = append(r.Participations, Participation{UsagerID: string(rune('a' + i)), Status: s})
	}
	return r
}

func partStatuses(r Rdv) []Status {
	var out []Status
	for _, p := range r.Participations {
		out = append(out, p.Status)
	}
	return out
}

func TestSetStatusCascade(t *testing.T) {
	U, S, N, E, R := StatusUnknown, StatusSeen, StatusNoshow, StatusExcused, StatusRevoked
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.FixedZone("CEST", 7200))
	tests := []struct {
		from, to Status
		parts    []Status
		want     []Status
	}{
		{S, U, []Status{S, N, E, R}, []Status{U, U, U, U}},
		{U, E, []Status{U, S, N, E, R}, []Status{E, E, E, E, R}},
		{U, R, []Status{U, S, N, E, R}, []Status{R, R, R, E, R}},
		{U, S, []Status{U, S, N, E, R}, []Status{S, S, N, E, R}},
		{U, N, []Status{U, S, N, E, R}, []Status{N, S, N, E, R}},
	}
	for _, tt := range tests {
		r := rdvWith(false, tt.parts...)
		r.Status = tt.from
		r.Version = 7
		r.SetStatus(tt.to, now)
		if r.Status != tt.to || !slices.Equal(partStatuses(r), tt.want) {
			t.Errorf("SetStatus(%s) on %v: rdv %s, participations %v, want %v", tt.to, tt.parts, r.Status, partStatuses(r), tt.want)
		}
		if tt.to.SetsCancelledAt() {
			if r.CancelledAt == nil || !r.CancelledAt.Equal(now) || r.CancelledAt.Location() != time.UTC {
				t.Errorf("SetStatus(%s): cancelledAt = %v, want %v in UTC", tt.to, r.CancelledAt, now)
			}
		} else if r.CancelledAt != nil {
			t.Errorf("SetStatus(%s): cancelledAt = %v, want nil", tt.to, r.CancelledAt)
		}
		if r.Version != 7 {
			t.Errorf("SetStatus bumped the version")
		}
		if r.Active() != !tt.to.Cancelled() {
			t.Errorf("Active() after %s = %v", tt.to, r.Active())
		}
	}
	// Setting the same cancelled status again keeps the first cancellation instant.
	r := rdvWith(false, U)
	r.SetStatus(StatusExcused, now)
	r.SetStatus(StatusExcused, now.Add(time.Hour))
	if !r.CancelledAt.Equal(now) {
		t.Errorf("cancelledAt moved to %v", r.CancelledAt)
	}
	r.SetStatus(StatusUnknown, now)
	if r.CancelledAt != nil {
		t.Errorf("reset kept cancelledAt")
	}
}

func TestSetParticipationStatus(t *testing.T) {
	U, S, N, E, R := StatusUnknown, StatusSeen, StatusNoshow, StatusExcused, StatusRevoked
	before := time.Date(2026, 5, 4, 7, 0, 0, 0, time.UTC) // RDVs start at 08:00Z
	after := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		collectif bool
		rdv       Status
		parts     []Status
		set       Status // applied to the first participation
		now       time.Time
		want      Status
	}{
		{"one seen is enough", false, U, []Status{U, N}, S, after, S},
		{"all excused", false, U, []Status{U, E}, E, before, E},
		{"all revoked", false, U, []Status{U, R}, R, before, R},
		{"all noshow", false, U, []Status{U, N}, N, after, N},
		{"mixed cancelled", false, U, []Status{U, R}, E, before, U},
		{"single reset", false, E, []Status{E}, U, before, U},
		{"seen back to unknown", false, S, []Status{S, U}, U, after, U},
		{"collectif seen", true, U, []Status{U, U, E}, S, after, S},
		{"collectif none unknown, started", true, U, []Status{U, E, N}, E, after, R},
		{"collectif none unknown, not started", true, U, []Status{U, E}, E, before, U},
		{"collectif some unknown", true, U, []Status{U, U}, E, after, U},
		{"collectif keeps revoked", true, R, []Status{R, R}, U, after, R},
		{"collectif no more seen", true, S, []Status{S, U}, U, after, U},
	}
	for _, tt := range tests {
		r := rdvWith(tt.collectif, tt.parts...)
		r.Status = tt.rdv
		if tt.rdv.SetsCancelledAt() {
			r.CancelledAt = &before
		}
		if err := r.SetParticipationStatus("a", tt.set, tt.now); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Participations[0].Status != tt.set {
			t.Errorf("%s: participation = %s", tt.name, r.Participations[0].Status)
		}
		if r.Status != tt.want {
			t.Errorf("%s: rdv status = %s, want %s", tt.name, r.Status, tt.want)
		}
		if (r.CancelledAt != nil) != tt.want.SetsCancelledAt() {
			t.Errorf("%s: cancelledAt = %v for %s", tt.name, r.CancelledAt, r.Status)
		}
		// The RDV status does not cascade back.
		if got := partStatuses(r)[1:]; !slices.Equal(got, tt.parts[1:]) {
			t.Errorf("%s: other participations changed to %v", tt.name, got)
		}
	}
	r := rdvWith(false, U)
	if err := r.SetParticipationStatus("zz", S, after); KindOf(err) != NotFound {
		t.Errorf("unknown usager: %v", err)
	}
	if err := r.SetParticipationStatus("a", "gone", after); KindOf(err) != Invalid {
		t.Errorf("bad status: %v", err)
	}
}

// Someone in the waiting room is not absent: once an usager has arrived, « lapin » is neither
// offered nor accepted; the other statuses stay.
func TestNoLapinOnceArrived(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	now := start.Add(20 * time.Minute)
	r := Rdv{StartsAt: start, EndsAt: start.Add(30 * time.Minute), Status: StatusUnknown, Participations: []Participation{{UsagerID: "u", Status: StatusUnknown}}}
	if got := r.StatusOptions(now, time.UTC); !slices.Contains(got, StatusNoshow) {
		t.Fatalf("before arrival: %v", got)
	}
	if err := r.CanChangeStatus(StatusNoshow, now, time.UTC); err != nil {
		t.Fatalf("lapin before arrival: %v", err)
	}
	arrived := start.Add(-5 * time.Minute)
	r.Participations[0].ArrivedAt = &arrived
	if got := r.StatusOptions(now, time.UTC); slices.Contains(got, StatusNoshow) || !slices.Equal(got, []Status{StatusSeen, StatusExcused, StatusRevoked}) {
		t.Errorf("after arrival: %v", got)
	}
	if err := r.CanChangeStatus(StatusNoshow, now, time.UTC); CodeOf(err) != CodeStatusNoshowArrived {
		t.Errorf("lapin after arrival: %v", err)
	}
	if err := r.CanChangeStatus(StatusSeen, now, time.UTC); err != nil {
		t.Errorf("vu after arrival: %v", err)
	}
}
