// Package storetest is the conformance suite of the agenda stores: one table of cases (book,
// refuse a taken slot, collective capacity, move, cancel then rebook, status transitions, check-in
// of a family, many writers racing for one slot, the outbox op written with each change) that any
// store runs through the Store interface. The office's SQLite store runs it in its tests; the
// central's PostgreSQL store plugs in the same way, with its own constructor:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, clock agenda.Clock) storetest.Harness { … })
//	}
//
// It asserts codes (agenda.CodeOf), never texts.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/clock"
)

// Store is what a store offers the suite: the settings it books against and the booking path.
type Store interface {
	SaveOrganisation(ctx context.Context, o agenda.Organisation) (agenda.Organisation, error)
	SaveLieu(ctx context.Context, l agenda.Lieu) (agenda.Lieu, error)
	SaveAgent(ctx context.Context, a agenda.Agent) (agenda.Agent, error)
	SaveMotif(ctx context.Context, m agenda.Motif) (agenda.Motif, error)
	SavePlage(ctx context.Context, p agenda.PlageOuverture) (agenda.PlageOuverture, error)
	SaveUsager(ctx context.Context, u agenda.Usager) (agenda.Usager, error)

	Book(ctx context.Context, req booking.Request) (agenda.Rdv, error)
	Move(ctx context.Context, rdvID string, newStart time.Time, newAgentID string, by agenda.Actor, override bool) (agenda.Rdv, error)
	SetStatus(ctx context.Context, rdvID string, status agenda.Status, by agenda.Actor) (agenda.Rdv, error)
	Cancel(ctx context.Context, rdvID string, by agenda.Actor, byUsager bool) (agenda.Rdv, error)
	MarkArrived(ctx context.Context, rdvID string, usagerIDs []string, at time.Time) (agenda.Rdv, error)
	GetRdv(ctx context.Context, id string) (agenda.Rdv, error)
}

// Op is an outbox op as the suite checks it.
type Op struct{ Entity, EntityID, Kind string }

// Harness is a fresh, empty store opened with the suite's clock, and how to read its outbox.
type Harness struct {
	Store Store
	// Ops returns the ops the store wrote so far, oldest first.
	Ops func(ctx context.Context) ([]Op, error)
}

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// monday is the week of the cases: Monday 2 March 2026, no holiday in the week.
var monday = agenda.Date{Year: 2026, Month: time.March, Day: 2}

// at is a wall-clock time in Paris, days after monday.
func at(days, h, m int) time.Time { return monday.AddDays(days).At(agenda.Clk(h, m), paris).UTC() }

// office is the agenda every case starts from: two agents open 9:00–12:00 and 14:00–17:00 on
// weekdays for a 30-minute motif and a collective workshop of 2 seats, and three usagers.
type office struct {
	t       *testing.T
	h       Harness
	s       Store
	clock   *clock.Manual
	org     agenda.Organisation
	agents  []agenda.Agent
	motif   agenda.Motif
	atelier agenda.Motif
	usagers []agenda.Usager
}

func (o *office) must(err error) {
	o.t.Helper()
	if err != nil {
		o.t.Fatal(err)
	}
}

func newOffice(t *testing.T, open func(t *testing.T, clock agenda.Clock) Harness) *office {
	t.Helper()
	ctx := t.Context()
	o := &office{t: t, clock: clock.NewManual(at(0, 8, 0))}
	o.h = open(t, o.clock)
	o.s = o.h.Store
	var err error
	o.org, err = o.s.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Conformité", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}})
	o.must(err)
	lieu, err := o.s.SaveLieu(ctx, agenda.Lieu{OrganisationID: o.org.ID, Name: "Hôtel de ville", Street: "1 place de la Mairie", PostalCode: "75001", City: "Paris", Enabled: true})
	o.must(err)
	for _, a := range []agenda.Agent{
		{OrganisationID: o.org.ID, Kind: agenda.KindAgent, Name: "Claire Martin", Login: "cmartin", Role: agenda.RoleAdmin, Active: true},
		{OrganisationID: o.org.ID, Kind: agenda.KindGuichet, Name: "Guichet 2", Active: true},
	} {
		a, err = o.s.SaveAgent(ctx, a)
		o.must(err)
		o.agents = append(o.agents, a)
	}
	o.motif, err = o.s.SaveMotif(ctx, agenda.Motif{OrganisationID: o.org.ID, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30,
		LocationType: agenda.PublicOffice, MaxPublicDelay: 90 * 24 * time.Hour, BookableKiosk: true, AntsCategory: agenda.AntsPasseport})
	o.must(err)
	o.atelier, err = o.s.SaveMotif(ctx, agenda.Motif{OrganisationID: o.org.ID, Name: "Atelier numérique", Color: "#16A34A", DurationMin: 60,
		LocationType: agenda.PublicOffice, MaxPublicDelay: 90 * 24 * time.Hour, BookableKiosk: true, Collectif: true, Capacity: 2})
	o.must(err)
	week := agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	for _, a := range o.agents {
		for _, span := range [][2]agenda.ClockTime{{agenda.Clk(9, 0), agenda.Clk(12, 0)}, {agenda.Clk(14, 0), agenda.Clk(17, 0)}} {
			_, err := o.s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: o.org.ID, AgentID: a.ID, LieuID: lieu.ID, Title: "Accueil",
				MotifIDs: []string{o.motif.ID, o.atelier.ID}, FirstDay: monday, Start: span[0], End: span[1], Recurrence: week, Canal: agenda.CanalGuichet})
			o.must(err)
		}
	}
	for _, name := range [][2]string{{"Hélène", "Dupont"}, {"Léo", "Dupont"}, {"Karim", "Benali"}} {
		u, err := o.s.SaveUsager(ctx, agenda.Usager{OrganisationID: o.org.ID, FirstName: name[0], LastName: name[1]})
		o.must(err)
		o.usagers = append(o.usagers, u)
	}
	return o
}

func (o *office) claire() agenda.Actor { return agenda.ByAgent(o.agents[0].ID) }

// book books the motif at start with agent for usagers.
func (o *office) book(start time.Time, agent string, usagers ...agenda.Usager) (agenda.Rdv, error) {
	ids := make([]string, len(usagers))
	for i, u := range usagers {
		ids[i] = u.ID
	}
	return o.s.Book(o.t.Context(), booking.Request{MotifID: o.motif.ID, AgentID: agent, Start: start, Usagers: ids, By: o.claire()})
}

// ops returns the outbox ops written since mark (the length of an earlier ops()).
func (o *office) ops() []Op {
	o.t.Helper()
	ops, err := o.h.Ops(o.t.Context())
	o.must(err)
	return ops
}

// wantOps checks that exactly want was appended to the outbox after mark ops.
func (o *office) wantOps(mark int, want ...Op) {
	o.t.Helper()
	got := o.ops()[mark:]
	if len(got) != len(want) {
		o.t.Fatalf("outbox: %d new ops %+v, want %+v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			o.t.Fatalf("outbox op %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func (o *office) wantCode(err error, want agenda.Code) {
	o.t.Helper()
	if got := agenda.CodeOf(err); got != want {
		o.t.Fatalf("got %v (code %q), want code %q", err, got, want)
	}
}

// Run runs every case on stores made by open, each on a fresh store.
func Run(t *testing.T, open func(t *testing.T, clock agenda.Clock) Harness) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(newOffice(t, open)) })
	}
}

var cases = []struct {
	name string
	run  func(o *office)
}{
	{"book a free slot", bookFree},
	{"refuse a taken slot", refuseTaken},
	{"collective capacity", collectiveCapacity},
	{"move", move},
	{"cancel then rebook", cancelThenRebook},
	{"status transitions", statusTransitions},
	{"check-in of a family", familyCheckIn},
	{"many writers, one slot", race},
}

func bookFree(o *office) {
	mark := len(o.ops())
	r, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[0])
	o.must(err)
	if !r.StartsAt.Equal(at(1, 9, 0)) || !r.EndsAt.Equal(at(1, 9, 30)) || r.Version != 1 || r.Status != agenda.StatusUnknown ||
		len(r.Participations) != 1 || r.CreatedBy != o.agents[0].ID || r.Origine != agenda.OrigineGuichet {
		o.t.Fatalf("booked %+v", r)
	}
	stored, err := o.s.GetRdv(o.t.Context(), r.ID)
	o.must(err)
	if stored.ID != r.ID || stored.Version != 1 || !stored.StartsAt.Equal(r.StartsAt) {
		o.t.Fatalf("stored %+v", stored)
	}
	o.wantOps(mark, Op{"rdv", r.ID, "book"})
}

func refuseTaken(o *office) {
	_, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[0])
	o.must(err)
	mark := len(o.ops())
	_, err = o.book(at(1, 9, 15), o.agents[0].ID, o.usagers[1])
	o.wantCode(err, agenda.CodeSlotTaken)
	// Forcing only overrides benign warnings, never another RDV.
	_, err = o.s.Book(o.t.Context(), booking.Request{MotifID: o.motif.ID, AgentID: o.agents[0].ID, Start: at(1, 9, 0),
		Usagers: []string{o.usagers[1].ID}, By: o.claire(), Override: true})
	o.wantCode(err, agenda.CodeSlotTaken)
	// The other agent is free then.
	_, err = o.book(at(1, 9, 0), o.agents[1].ID, o.usagers[1])
	o.must(err)
	if got := len(o.ops()) - mark; got != 1 {
		o.t.Fatalf("%d ops after two refusals and one booking", got)
	}
}

func collectiveCapacity(o *office) {
	ctx := o.t.Context()
	join := func(u agenda.Usager) (agenda.Rdv, error) {
		return o.s.Book(ctx, booking.Request{MotifID: o.atelier.ID, AgentID: o.agents[0].ID, Start: at(2, 14, 0), Usagers: []string{u.ID}, By: o.claire()})
	}
	first, err := join(o.usagers[0])
	o.must(err)
	_, err = join(o.usagers[0])
	o.wantCode(err, agenda.CodeAlreadyInSession)
	mark := len(o.ops())
	second, err := join(o.usagers[1])
	o.must(err)
	if second.ID != first.ID || len(second.Participations) != 2 || second.Version != first.Version+1 {
		o.t.Fatalf("joined %+v", second)
	}
	o.wantOps(mark, Op{"rdv", first.ID, "book"})
	_, err = join(o.usagers[2])
	o.wantCode(err, agenda.CodeCollectifFull)
}

func move(o *office) {
	ctx := o.t.Context()
	r, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[0])
	o.must(err)
	other, err := o.book(at(1, 10, 0), o.agents[0].ID, o.usagers[1])
	o.must(err)
	_, err = o.s.Move(ctx, r.ID, at(1, 10, 0), "", o.claire(), false)
	o.wantCode(err, agenda.CodeSlotTaken)
	mark := len(o.ops())
	moved, err := o.s.Move(ctx, r.ID, at(1, 11, 0), o.agents[1].ID, o.claire(), false)
	o.must(err)
	if !moved.StartsAt.Equal(at(1, 11, 0)) || moved.AgentIDs[0] != o.agents[1].ID || moved.Version != r.Version+1 {
		o.t.Fatalf("moved %+v", moved)
	}
	o.wantOps(mark, Op{"rdv", r.ID, "move"})
	// Its old slot is free again; outside the plages only by forcing.
	_, err = o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[2])
	o.must(err)
	_, err = o.s.Move(ctx, other.ID, at(1, 18, 0), "", o.claire(), false)
	o.wantCode(err, agenda.CodeOutsidePlages)
	forced, err := o.s.Move(ctx, other.ID, at(1, 18, 0), "", o.claire(), true)
	o.must(err)
	if !forced.StartsAt.Equal(at(1, 18, 0)) {
		o.t.Fatalf("forced %+v", forced)
	}
}

func cancelThenRebook(o *office) {
	ctx := o.t.Context()
	r, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[0])
	o.must(err)
	mark := len(o.ops())
	c, err := o.s.Cancel(ctx, r.ID, o.claire(), true)
	o.must(err)
	if c.Status != agenda.StatusExcused || c.CancelledAt == nil || c.Version != r.Version+1 {
		o.t.Fatalf("cancelled %+v", c)
	}
	o.wantOps(mark, Op{"rdv", r.ID, "status"})
	again, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[1])
	o.must(err)
	// The cancelled RDV cannot come back onto a slot sold since.
	_, err = o.s.SetStatus(ctx, r.ID, agenda.StatusUnknown, o.claire())
	o.wantCode(err, agenda.CodeSlotTaken)
	_, err = o.s.Move(ctx, r.ID, at(1, 11, 0), "", o.claire(), false)
	o.wantCode(err, agenda.CodeRdvCancelled)
	if got, err := o.s.GetRdv(ctx, again.ID); err != nil || got.Status != agenda.StatusUnknown {
		o.t.Fatalf("rebooked %+v %v", got, err)
	}
}

func statusTransitions(o *office) {
	ctx := o.t.Context()
	r, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[0])
	o.must(err)
	_, err = o.s.SetStatus(ctx, r.ID, agenda.StatusSeen, o.claire())
	o.wantCode(err, agenda.CodeStatusFuture)
	o.clock.Set(at(1, 9, 40))
	mark := len(o.ops())
	seen, err := o.s.SetStatus(ctx, r.ID, agenda.StatusSeen, o.claire())
	o.must(err)
	if seen.Status != agenda.StatusSeen || seen.Participations[0].Status != agenda.StatusSeen || seen.Version != r.Version+1 {
		o.t.Fatalf("seen %+v", seen)
	}
	o.wantOps(mark, Op{"rdv", r.ID, "status"})
	_, err = o.s.SetStatus(ctx, r.ID, agenda.StatusSeen, o.claire())
	o.wantCode(err, agenda.CodeStatusUnchanged)
	_, err = o.s.SetStatus(ctx, r.ID, agenda.StatusNoshow, o.claire())
	o.wantCode(err, agenda.CodeStatusResetOnly)
	back, err := o.s.SetStatus(ctx, r.ID, agenda.StatusUnknown, o.claire())
	o.must(err)
	if back.Status != agenda.StatusUnknown {
		o.t.Fatalf("reset %+v", back)
	}
}

func familyCheckIn(o *office) {
	ctx := o.t.Context()
	r, err := o.book(at(1, 9, 0), o.agents[0].ID, o.usagers[0], o.usagers[1])
	o.must(err)
	o.clock.Set(at(1, 8, 50))
	mark := len(o.ops())
	arrived, err := o.s.MarkArrived(ctx, r.ID, nil, time.Time{})
	o.must(err)
	for _, p := range arrived.Participations {
		if p.ArrivedAt == nil || !p.ArrivedAt.Equal(at(1, 8, 50)) {
			o.t.Fatalf("participation %+v", p)
		}
	}
	o.wantOps(mark, Op{"rdv", r.ID, "arrived"})
	o.clock.Set(at(1, 8, 55))
	again, err := o.s.MarkArrived(ctx, r.ID, nil, time.Time{})
	o.must(err)
	if !again.Participations[1].ArrivedAt.Equal(at(1, 8, 50)) {
		o.t.Fatalf("second check-in moved the time: %+v", again.Participations[1])
	}
	o.wantOps(mark, Op{"rdv", r.ID, "arrived"})
	_, err = o.s.MarkArrived(ctx, r.ID, []string{o.usagers[2].ID}, time.Time{})
	o.wantCode(err, agenda.CodeNotParticipant)
}

// race: many writers book one slot at once; exactly one wins, the others are told slot_taken.
func race(o *office) {
	const writers = 16
	var wg sync.WaitGroup
	errs := make([]error, writers)
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = o.book(at(3, 10, 0), o.agents[0].ID, o.usagers[i%len(o.usagers)])
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch agenda.CodeOf(err) {
		case "":
			won++
		case agenda.CodeSlotTaken:
		default:
			o.t.Fatalf("a loser got %v", err)
		}
	}
	if won != 1 {
		o.t.Fatalf("%d writers won the slot", won)
	}
	books := 0
	for _, op := range o.ops() {
		if op.Kind == "book" {
			books++
		}
	}
	if books != 1 {
		o.t.Fatalf("%d book ops in the outbox", books)
	}
}
