package creneaux

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// The reference week is Monday 8 to Friday 12 June 2026: no holiday, no DST switch.
const monday = "2026-06-08"

// TestStepping covers the cut of free blocks: from the start of each block by the motif's duration,
// an RDV ending at 10:10 shifting the later slots, the buffer, the grid, "now" and documents_number.
func TestStepping(t *testing.T) {
	morning := plage("p1", "a1", "l1", monday, "09:00", "12:00", "m")
	tests := []struct {
		name      string
		grid, buf int
		minutes   int // motif duration
		docs      int
		now       string
		busy      []Busy
		absences  []agenda.Absence
		want      []string
	}{
		{name: "empty plage", minutes: 30,
			want: []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}},
		{name: "a remainder shorter than the motif is not a slot", minutes: 40,
			want: []string{"09:00", "09:40", "10:20", "11:00"}},
		{name: "RDV ending 10:10 shifts later slots", minutes: 30,
			busy: []Busy{busy("a1", monday+" 10:00", monday+" 10:10")},
			want: []string{"09:00", "09:30", "10:10", "10:40", "11:10"}},
		{name: "RDV of another agent does not block", minutes: 30,
			busy: []Busy{busy("a2", monday+" 10:00", monday+" 10:10")},
			want: []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}},
		{name: "RDV overlapping the plage start", minutes: 30,
			busy: []Busy{busy("a1", monday+" 08:30", monday+" 09:05")},
			want: []string{"09:05", "09:35", "10:05", "10:35", "11:05"}},
		{name: "buffer after each RDV, also before the next one", minutes: 30, buf: 10,
			busy: []Busy{busy("a1", monday+" 10:00", monday+" 10:10")},
			// busy 09:50–10:20: 09:30–10:00 would leave no buffer before the RDV.
			want: []string{"09:00", "10:20", "10:50", "11:20"}},
		{name: "buffer does not need room after the plage", minutes: 30, buf: 10,
			want: []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}},
		{name: "grid 15, motif 20: aligned starts stepping by 30", minutes: 20, grid: 15,
			busy: []Busy{busy("a1", monday+" 10:00", monday+" 10:10")},
			want: []string{"09:00", "09:30", "10:15", "10:45", "11:15"}},
		{name: "grid 10, motif 30 after an RDV ending 10:07", minutes: 30, grid: 10,
			busy: []Busy{busy("a1", monday+" 09:55", monday+" 10:07")},
			want: []string{"09:00", "10:10", "10:40", "11:10"}},
		{name: "now rounded up to the next 5 minutes", minutes: 30, now: monday + " 09:07",
			want: []string{"09:10", "09:40", "10:10", "10:40", "11:10"}},
		{name: "now on a 5-minute mark stays", minutes: 30, now: monday + " 09:10",
			want: []string{"09:10", "09:40", "10:10", "10:40", "11:10"}},
		{name: "now just after a 5-minute mark", minutes: 30, now: monday + " 09:10:00.001",
			want: []string{"09:15", "09:45", "10:15", "10:45", "11:15"}},
		{name: "now with a grid", minutes: 30, grid: 15, now: monday + " 09:07",
			want: []string{"09:15", "09:45", "10:15", "10:45", "11:15"}},
		{name: "now after the plage", minutes: 30, now: monday + " 12:00", want: []string{}},
		{name: "absence", minutes: 30,
			absences: []agenda.Absence{{ID: "abs", AgentID: "a1", FirstDay: date(monday), Start: clk("10:00"), End: clk("11:00")}},
			want:     []string{"09:00", "09:30", "11:00", "11:30"}},
		{name: "absence of another agent", minutes: 30,
			absences: []agenda.Absence{{ID: "abs", AgentID: "a2", FirstDay: date(monday), Start: clk("10:00"), End: clk("11:00")}},
			want:     []string{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"}},
		{name: "multi-day absence ending at 10:00", minutes: 30,
			absences: []agenda.Absence{{ID: "abs", AgentID: "a1", FirstDay: date("2026-06-01"), EndDay: date(monday), Start: clk("08:00"), End: clk("10:00")}},
			want:     []string{"10:00", "10:30", "11:00", "11:30"}},
		{name: "documents_number 3 gives 3 × 20 min", minutes: 20, docs: 3,
			want: []string{"09:00", "10:00", "11:00"}},
		{name: "documents_number 3 around an RDV", minutes: 20, docs: 3,
			busy: []Busy{busy("a1", monday+" 09:30", monday+" 09:40")},
			want: []string{"09:40", "10:40"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org := parisOrg()
			org.SlotGridMinutes, org.BufferMinutes = tc.grid, tc.buf
			d := &Data{Org: org, Plages: []agenda.PlageOuverture{morning}, Busy: tc.busy, Absences: tc.absences}
			now := at("2026-06-01 08:00")
			if tc.now != "" {
				now = at(tc.now)
			}
			docs := max(tc.docs, 1)
			m := motif("m", tc.minutes)
			r := Request{Motif: m, From: at(monday + " 00:00"), To: at("2026-06-09 00:00"), Now: now, Origine: agenda.OrigineGuichet, Documents: docs}
			cs := mustSearch(t, d, r)
			if got := hhmm(cs); !slices.Equal(got, tc.want) {
				t.Fatalf("slots %v, want %v", got, tc.want)
			}
			for _, c := range cs {
				if c.End.Sub(c.Start) != time.Duration(docs*tc.minutes)*time.Minute {
					t.Errorf("slot %v lasts %v", c.Start, c.End.Sub(c.Start))
				}
				if c.AgentID != "a1" || c.LieuID != "l1" {
					t.Errorf("slot %v: agent %q lieu %q", c.Start, c.AgentID, c.LieuID)
				}
				if c.Start.Location() != time.UTC {
					t.Errorf("slot %v not in UTC", c.Start)
				}
				if _, err := Available(d, r, c.Start); err != nil {
					t.Errorf("Available(%v): %v", c.Start, err)
				}
			}
			next, ok, err := Next(d, r)
			if err != nil || ok != (len(cs) > 0) || (ok && next != cs[0]) {
				t.Fatalf("Next = %v %v %v, want the first of %v", next, ok, err, hhmm(cs))
			}
		})
	}
}

// TestRangeOnlyFilters: the request range filters starts without moving the stepping, so a narrower
// range gives a subset of a wider one.
func TestRangeOnlyFilters(t *testing.T) {
	d := &Data{Org: parisOrg(), Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", monday, "09:00", "12:00", "m")}}
	r := Request{Motif: motif("m", 30), From: at(monday + " 09:10"), To: at(monday + " 11:00"), Now: at("2026-06-01 08:00"),
		Origine: agenda.OrigineGuichet, Documents: 1}
	if got, want := hhmm(mustSearch(t, d, r)), []string{"09:30", "10:00", "10:30"}; !slices.Equal(got, want) {
		t.Fatalf("slots %v, want %v", got, want)
	}
	r.From = r.To
	if cs := mustSearch(t, d, r); len(cs) != 0 {
		t.Fatalf("empty range gave %v", hhmm(cs))
	}
}

// TestBookingWindow: MinPublicDelay and MaxPublicDelay limit the kiosk and online, not agents.
func TestBookingWindow(t *testing.T) {
	d := &Data{Org: parisOrg(), Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", monday, "09:00", "12:00", "m")}}
	m := motif("m", 60)
	m.MinPublicDelay = 2 * time.Hour
	m.MaxPublicDelay = 7 * 24 * time.Hour
	now := at(monday + " 08:02")
	days := func(cs []Creneau) map[string][]string {
		out := map[string][]string{}
		for _, c := range cs {
			l := c.Start.In(paris)
			out[l.Format("01-02")] = append(out[l.Format("01-02")], l.Format("15:04"))
		}
		return out
	}
	for _, o := range []agenda.Origine{agenda.OrigineKiosk, agenda.OrigineEnLigne, agenda.OrigineGuichet, agenda.OrigineImport} {
		t.Run(string(o), func(t *testing.T) {
			d := &Data{Org: d.Org, Plages: slices.Clone(d.Plages)}
			if o == agenda.OrigineEnLigne {
				d.Plages[0].Canal = agenda.CanalEnLigne
			}
			r := Request{Motif: m, From: at(monday + " 00:00"), To: at("2026-06-20 00:00"), Now: now, Origine: o, Documents: 1}
			got := days(mustSearch(t, d, r))
			public := o == agenda.OrigineKiosk || o == agenda.OrigineEnLigne
			if public {
				// now+2h = 10:02, rounded 10:05; now+7 days = Monday 15 at 08:02, before the plage.
				if want := []string{"10:05"}; !slices.Equal(got["06-08"], want) {
					t.Errorf("Monday: %v, want %v", got["06-08"], want)
				}
				if len(got["06-15"]) != 0 || len(got) != 5 {
					t.Errorf("public window: %v", got)
				}
			} else {
				if want := []string{"09:00", "10:00", "11:00"}; !slices.Equal(got["06-08"], want) || len(got["06-15"]) != 3 || len(got) != 10 {
					t.Errorf("agents are not limited: %v", got)
				}
			}
			_, err := Available(d, Request{Motif: m, Now: now, Origine: o, Documents: 1}, at(monday+" 09:00"))
			if public {
				wantKind(t, err, agenda.Invalid, ErrWindow)
				if p := agenda.ParamsOf(err); agenda.CodeOf(err) != agenda.CodeTooSoon || p["bound"] != "min" || p["minutes"] != strconv.Itoa(int(m.MinPublicDelay/time.Minute)) {
					t.Errorf("window refusal: %s %v", agenda.CodeOf(err), p)
				}
			} else if err != nil {
				t.Errorf("agent booking at 09:00: %v", err)
			}
			_, err = Available(d, Request{Motif: m, Now: now, Origine: o, Documents: 1}, at("2026-06-15 09:00"))
			if public {
				wantKind(t, err, agenda.Invalid, ErrWindow)
				if p := agenda.ParamsOf(err); p["bound"] != "max" || p["minutes"] != strconv.Itoa(int(m.MaxPublicDelay/time.Minute)) {
					t.Errorf("window refusal: %v", p)
				}
			} else if err != nil {
				t.Errorf("agent booking on the 15th: %v", err)
			}
		})
	}
}

// TestViews: the public view gives one slot per start (no agent), the agent view one per (start,
// agent); Available picks the agent with the fewest RDVs that day, then the smallest id.
func TestViews(t *testing.T) {
	d := &Data{Org: parisOrg(), Plages: []agenda.PlageOuverture{
		plage("p1", "a1", "l1", monday, "09:00", "10:00", "m"),
		plage("p2", "a2", "l1", monday, "09:00", "10:00", "m"),
		plage("p3", "a2", "l1", monday, "09:00", "10:00", "m"), // a duplicate plage of a2
		plage("p4", "a3", "l2", monday, "09:00", "10:00", "m"),
	}, Busy: []Busy{
		busy("a1", monday+" 11:00", monday+" 11:30"),
		busy("a1", "2026-06-09 09:30", "2026-06-09 10:00"),
	}}
	r := Request{Motif: motif("m", 30), From: at(monday + " 00:00"), To: at("2026-06-09 00:00"), Now: at("2026-06-01 08:00"), Documents: 1}

	r.Origine = agenda.OrigineGuichet
	want := []string{
		"2026-06-08 09:00 a1@l1", "2026-06-08 09:00 a2@l1", "2026-06-08 09:00 a3@l2",
		"2026-06-08 09:30 a1@l1", "2026-06-08 09:30 a2@l1", "2026-06-08 09:30 a3@l2",
	}
	if got := stamps(mustSearch(t, d, r)); !slices.Equal(got, want) {
		t.Fatalf("agent view %v, want %v", got, want)
	}

	r.Origine = agenda.OrigineKiosk
	want = []string{"2026-06-08 09:00 @l1", "2026-06-08 09:00 @l2", "2026-06-08 09:30 @l1", "2026-06-08 09:30 @l2"}
	if got := stamps(mustSearch(t, d, r)); !slices.Equal(got, want) {
		t.Fatalf("public view %v, want %v", got, want)
	}
	r.LieuID = "l1"
	want = []string{"2026-06-08 09:00 @l1", "2026-06-08 09:30 @l1"}
	if got := stamps(mustSearch(t, d, r)); !slices.Equal(got, want) {
		t.Fatalf("public view at l1 %v, want %v", got, want)
	}
	// a1 has an RDV on Monday, a2 none: a2 is picked.
	c, err := Available(d, r, at(monday+" 09:00"))
	if err != nil || c.AgentID != "a2" || c.LieuID != "l1" || !c.End.Equal(at(monday+" 09:30")) {
		t.Fatalf("Available picked %+v, %v; want a2 at l1", c, err)
	}
	// On Tuesday a1 has an RDV at 09:30 only: at 09:00, a1 and a2 are free, a2 has fewer RDVs.
	c, err = Available(d, r, at("2026-06-09 09:00"))
	if err != nil || c.AgentID != "a2" {
		t.Fatalf("Available on Tuesday picked %+v, %v; want a2", c, err)
	}
	// On Wednesday both have none: the smallest id.
	c, err = Available(d, r, at("2026-06-10 09:00"))
	if err != nil || c.AgentID != "a1" {
		t.Fatalf("Available on Wednesday picked %+v, %v; want a1", c, err)
	}
	// An agent may ask for a given agent.
	r.Origine, r.AgentID = agenda.OrigineGuichet, "a1"
	if c, err = Available(d, r, at(monday+" 09:00")); err != nil || c.AgentID != "a1" {
		t.Fatalf("Available for a1: %+v, %v", c, err)
	}
	if got := stamps(mustSearch(t, d, r)); !slices.Equal(got, []string{"2026-06-08 09:00 a1@l1", "2026-06-08 09:30 a1@l1"}) {
		t.Fatalf("agent a1 only: %v", got)
	}
}

// TestChannels: online sells en_ligne plages only, the counter, the kiosk and imports guichet ones;
// no one sells a plage en transfert.
func TestChannels(t *testing.T) {
	enLigne := plage("p2", "a1", "l1", monday, "14:00", "15:00", "m")
	enLigne.Canal = agenda.CanalEnLigne
	unset := plage("p3", "a1", "l1", monday, "16:00", "16:30", "m")
	unset.Canal = ""
	// Plages en transfert (their canal changed, not yet acknowledged by the central): no one sells.
	moving := []agenda.PlageOuverture{plage("p4", "a1", "l1", monday, "10:00", "11:00", "m"), plage("p5", "a1", "l1", monday, "11:00", "12:00", "m")}
	moving[0].EnTransfert = true
	moving[1].Canal, moving[1].EnTransfert = agenda.CanalEnLigne, true
	d := &Data{Org: parisOrg(), Plages: append([]agenda.PlageOuverture{plage("p1", "a1", "l1", monday, "09:00", "10:00", "m"), enLigne, unset}, moving...)}
	want := map[agenda.Origine][]string{
		agenda.OrigineGuichet: {"09:00", "09:30", "16:00"},
		agenda.OrigineKiosk:   {"09:00", "09:30", "16:00"},
		agenda.OrigineImport:  {"09:00", "09:30", "16:00"},
		agenda.OrigineEnLigne: {"14:00", "14:30"},
	}
	for o, w := range want {
		r := Request{Motif: motif("m", 30), From: at(monday + " 00:00"), To: at("2026-06-09 00:00"), Now: at("2026-06-01 08:00"), Origine: o, Documents: 1}
		if got := hhmm(mustSearch(t, d, r)); !slices.Equal(got, w) {
			t.Errorf("%s: %v, want %v", o, got, w)
		}
		_, err := Available(d, r, at(monday+" 14:00"))
		if o == agenda.OrigineEnLigne {
			if err != nil {
				t.Errorf("online at 14:00: %v", err)
			}
		} else {
			wantKind(t, err, agenda.Invalid, ErrOutside)
		}
	}
}

// TestFilters: plages of other motifs or lieux give nothing; archived motifs and motifs not opened
// to a public channel give nothing to that channel but stay bookable by agents.
func TestFilters(t *testing.T) {
	d := &Data{Org: parisOrg(), Plages: []agenda.PlageOuverture{
		plage("p1", "a1", "l1", monday, "09:00", "10:00", "m", "x"),
		plage("p2", "a2", "l2", monday, "11:00", "12:00", "m"),
		plage("p3", "a3", "l1", monday, "14:00", "15:00", "x"),
	}}
	base := Request{Motif: motif("m", 30), From: at(monday + " 00:00"), To: at("2026-06-09 00:00"), Now: at("2026-06-01 08:00"), Documents: 1}
	count := func(mod func(*Request)) int {
		r := base
		mod(&r)
		return len(mustSearch(t, d, r))
	}
	tests := []struct {
		name string
		mod  func(*Request)
		want int
	}{
		{"all lieux", func(r *Request) { r.Origine = agenda.OrigineGuichet }, 4},
		{"lieu l1", func(r *Request) { r.Origine, r.LieuID = agenda.OrigineGuichet, "l1" }, 2},
		{"unknown lieu", func(r *Request) { r.Origine, r.LieuID = agenda.OrigineGuichet, "zz" }, 0},
		{"motif x", func(r *Request) { r.Origine, r.Motif.ID = agenda.OrigineGuichet, "x" }, 4},
		{"unknown motif", func(r *Request) { r.Origine, r.Motif.ID = agenda.OrigineGuichet, "zz" }, 0},
		{"archived, agent", func(r *Request) { r.Origine, r.Motif.Archived = agenda.OrigineGuichet, true }, 4},
		{"archived, kiosk", func(r *Request) { r.Origine, r.Motif.Archived = agenda.OrigineKiosk, true }, 0},
		{"not for kiosk", func(r *Request) { r.Origine, r.Motif.BookableKiosk = agenda.OrigineKiosk, false }, 0},
		{"not for kiosk, agent", func(r *Request) { r.Origine, r.Motif.BookableKiosk = agenda.OrigineGuichet, false }, 4},
	}
	for _, tc := range tests {
		if got := count(tc.mod); got != tc.want {
			t.Errorf("%s: %d slots, want %d", tc.name, got, tc.want)
		}
	}
	r := base
	r.Origine, r.Motif.Archived = agenda.OrigineKiosk, true
	_, err := Available(d, r, at(monday+" 09:00"))
	wantKind(t, err, agenda.Invalid, ErrNotBookable)
	if _, ok, err := Next(d, r); ok || err != nil {
		t.Fatalf("Next of an archived motif: %v %v", ok, err)
	}
}

// TestAvailableRefusals: each broken rule has its own error and kind.
func TestAvailableRefusals(t *testing.T) {
	org := parisOrg()
	org.BufferMinutes = 5
	d := &Data{Org: org,
		Plages:   []agenda.PlageOuverture{plage("p1", "a1", "l1", "2026-06-01", "09:00", "12:00", "m")},
		Busy:     []Busy{busy("a1", monday+" 10:00", monday+" 10:30")},
		Absences: []agenda.Absence{{ID: "abs", AgentID: "a1", FirstDay: date(monday), Start: clk("11:15"), End: clk("11:45")}},
	}
	r := Request{Motif: motif("m", 30), Now: at(monday + " 09:00"), Origine: agenda.OrigineGuichet, Documents: 1}
	tests := []struct {
		start  string
		kind   agenda.Kind
		target error
	}{
		{monday + " 09:00", 0, nil},
		{monday + " 09:25", 0, nil}, // not a listed start, but free: accepted
		{monday + " 09:30", agenda.Conflict, ErrTaken},
		{monday + " 10:15", agenda.Conflict, ErrTaken},
		{monday + " 10:30", agenda.Conflict, ErrTaken}, // within the buffer
		{monday + " 10:35", 0, nil},
		{monday + " 10:50", agenda.Invalid, ErrAbsent},
		{monday + " 11:45", agenda.Invalid, ErrOutside}, // runs past the plage
		{monday + " 08:30", agenda.Invalid, ErrPast},
		{"2026-06-13 09:00", agenda.Invalid, ErrOutside}, // Saturday
		{"2026-07-14 09:00", agenda.Invalid, ErrHoliday},
	}
	for _, tc := range tests {
		c, err := Available(d, r, at(tc.start))
		if tc.target == nil {
			if err != nil || c.AgentID != "a1" || !c.Start.Equal(at(tc.start)) {
				t.Errorf("%s: %+v, %v", tc.start, c, err)
			}
			continue
		}
		wantKind(t, err, tc.kind, tc.target)
		if !strings.Contains(err.Error(), tc.target.Error()) {
			t.Errorf("%s: message %q", tc.start, err)
		}
	}
}

// TestCollectif: a collective motif lists the active future sessions with seats left.
func TestCollectif(t *testing.T) {
	m := motif("atelier", 90)
	m.Collectif, m.Capacity = true, 10
	part := func(ss ...agenda.Status) []agenda.Participation {
		var ps []agenda.Participation
		for i, s := range ss {
			ps = append(ps, agenda.Participation{UsagerID: string(rune('u' + i)), Status: s})
		}
		return ps
	}
	session := func(id, start string, capacity int, status agenda.Status, ps []agenda.Participation) agenda.Rdv {
		return agenda.Rdv{ID: id, MotifID: "atelier", LieuID: "l1", AgentIDs: []string{"a1"}, StartsAt: at(start),
			EndsAt: at(start).Add(90 * time.Minute), Status: status, Collectif: true, Capacity: capacity, Participations: ps}
	}
	unknown, excused, seen := agenda.StatusUnknown, agenda.StatusExcused, agenda.StatusSeen
	d := &Data{Org: parisOrg(),
		// A plage of the motif must not produce free slots for a collective motif.
		Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", monday, "09:00", "12:00", "atelier")},
		Collectifs: []agenda.Rdv{
			session("past", "2026-06-01 14:00", 3, unknown, nil),
			session("revoked", monday+" 14:00", 3, agenda.StatusRevoked, nil),
			session("full", "2026-06-09 14:00", 2, unknown, part(unknown, seen)),
			session("one-left", "2026-06-10 14:00", 3, unknown, part(unknown, seen, excused)),
			session("motif-capacity", "2026-06-11 14:00", 0, unknown, part(unknown)),
			session("other-motif", "2026-06-11 15:00", 3, unknown, nil),
		},
	}
	d.Collectifs[5].MotifID = "x"
	r := Request{Motif: m, From: at("2026-06-01 00:00"), To: at("2026-07-01 00:00"), Now: at("2026-06-05 10:00"), Origine: agenda.OrigineKiosk, Documents: 1}
	cs := mustSearch(t, d, r)
	var got []string
	for _, c := range cs {
		got = append(got, c.RdvID+":"+string(rune('0'+c.SeatsLeft))+":"+c.AgentID)
	}
	if want := []string{"one-left:1:", "motif-capacity:9:"}; !slices.Equal(got, want) {
		t.Fatalf("sessions %v, want %v", got, want)
	}
	if next, ok, err := Next(d, r); !ok || err != nil || next != cs[0] {
		t.Fatalf("Next %+v %v %v", next, ok, err)
	}
	c, err := Available(d, r, at("2026-06-10 14:00"))
	if err != nil || c.RdvID != "one-left" || c.AgentID != "a1" {
		t.Fatalf("Available one-left: %+v %v", c, err)
	}
	_, err = Available(d, r, at("2026-06-09 14:00"))
	wantKind(t, err, agenda.Conflict, ErrFull)
	_, err = Available(d, r, at(monday+" 09:00"))
	wantKind(t, err, agenda.Invalid, nil)

	r.Origine = agenda.OrigineGuichet
	if cs := mustSearch(t, d, r); len(cs) != 2 || cs[0].AgentID != "a1" {
		t.Fatalf("agent view of sessions: %+v", cs)
	}
}

// TestInvalid: bad requests are refused with kind Invalid and a French message.
func TestInvalid(t *testing.T) {
	good := Request{Motif: motif("m", 30), From: at(monday + " 00:00"), To: at("2026-06-09 00:00"), Now: at("2026-06-01 08:00"),
		Origine: agenda.OrigineGuichet, Documents: 1}
	tests := []struct {
		name string
		org  func(*agenda.Organisation)
		req  func(*Request)
		msg  string
	}{
		{"no documents", nil, func(r *Request) { r.Documents = 0 }, "documents"},
		{"negative documents", nil, func(r *Request) { r.Documents = -2 }, "documents"},
		{"from after to", nil, func(r *Request) { r.From, r.To = r.To, r.From }, "période invalide"},
		{"unknown zone", func(o *agenda.Organisation) { o.TimeZone = "Europe/Lutece" }, nil, "unknown_time_zone"},
		{"unknown origine", nil, func(r *Request) { r.Origine = "fax" }, "origine"},
		{"range over a year", nil, func(r *Request) { r.To = r.From.AddDate(1, 0, 3) }, "trop longue"},
		{"no now", nil, func(r *Request) { r.Now = time.Time{} }, "heure courante"},
		{"no duration", nil, func(r *Request) { r.Motif.DurationMin = 0 }, "durée"},
		{"negative grid", func(o *agenda.Organisation) { o.SlotGridMinutes = -5 }, nil, "grille"},
	}
	for _, tc := range tests {
		org := parisOrg()
		if tc.org != nil {
			tc.org(&org)
		}
		r := good
		if tc.req != nil {
			tc.req(&r)
		}
		d := &Data{Org: org, Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", monday, "09:00", "12:00", "m")}}
		_, err := Search(d, r)
		wantKind(t, err, agenda.Invalid, nil)
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: message %q lacks %q", tc.name, err, tc.msg)
		}
		_, _, err = Next(d, r)
		wantKind(t, err, agenda.Invalid, nil)
		_, err = Available(d, r, at(monday+" 09:00"))
		wantKind(t, err, agenda.Invalid, nil)
	}
}

// TestExceptions: a cancelled occurrence gives nothing, a replaced one its own times.
func TestExceptions(t *testing.T) {
	p := plage("p1", "a1", "l1", monday, "09:00", "10:00", "m")
	p.Exceptions = []agenda.Exception{
		{Date: date("2026-06-09"), Cancelled: true},
		{Date: date("2026-06-10"), Start: clk("14:00"), End: clk("15:00")},
	}
	d := &Data{Org: parisOrg(), Plages: []agenda.PlageOuverture{p}}
	r := Request{Motif: motif("m", 60), From: at(monday + " 00:00"), To: at("2026-06-11 00:00"), Now: at("2026-06-01 08:00"),
		Origine: agenda.OrigineGuichet, Documents: 1}
	want := []string{"2026-06-08 09:00 a1@l1", "2026-06-10 14:00 a1@l1"}
	if got := stamps(mustSearch(t, d, r)); !slices.Equal(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
}

// TestNextFar: Next finds a slot months away when the next weeks are full, and respects From.
func TestNextFar(t *testing.T) {
	d := &Data{Org: parisOrg(), Plages: []agenda.PlageOuverture{plage("p1", "a1", "l1", monday, "09:00", "10:00", "m")},
		Busy: []Busy{busy("a1", monday+" 00:00", "2026-09-10 09:30")}}
	r := Request{Motif: motif("m", 30), From: at("2026-06-01 00:00"), To: at("2026-12-01 00:00"), Now: at("2026-06-01 08:00"),
		Origine: agenda.OrigineGuichet, Documents: 1}
	c, ok, err := Next(d, r)
	if err != nil || !ok || !c.Start.Equal(at("2026-09-10 09:30")) {
		t.Fatalf("Next = %+v %v %v", c, ok, err)
	}
	r.From = at("2026-09-10 09:31")
	if c, ok, _ = Next(d, r); !ok || !c.Start.Equal(at("2026-09-11 09:00")) {
		t.Fatalf("Next after From = %+v %v", c, ok)
	}
	r.To = at("2026-09-11 09:00")
	if c, ok, _ = Next(d, r); ok {
		t.Fatalf("Next beyond To = %+v", c)
	}
}
