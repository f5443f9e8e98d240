package pgstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/sync/protocol"

	"github.com/jackc/pgx/v5"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// tuesday is a working day with no holiday; the clock stands on the Monday before.
var tuesday = agenda.Date{Year: 2026, Month: time.March, Day: 3}

func at(h, m int) time.Time { return tuesday.At(agenda.Clk(h, m), paris).UTC() }

// desk is a small agenda: one organisation, one agent open 9:00–12:00 on weekdays for a 30-minute
// motif and a 2-seat workshop, and n usagers.
type desk struct {
	org     agenda.Organisation
	lieu    agenda.Lieu
	agent   agenda.Agent
	motif   agenda.Motif
	atelier agenda.Motif
	usagers []agenda.Usager
}

var clock = fixedClock{tuesday.AddDays(-1).At(agenda.Clk(8, 0), paris)}

func newDesk(t testing.TB, s *Store, n int) desk {
	t.Helper()
	ctx := context.Background()
	var d desk
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d.org, err = s.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Concurrence", TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{Departement: "75"}})
	must(err)
	d.lieu, err = s.SaveLieu(ctx, agenda.Lieu{OrganisationID: d.org.ID, Name: "Mairie", Street: "1 place", PostalCode: "75001", City: "Paris", Enabled: true})
	must(err)
	d.agent, err = s.SaveAgent(ctx, agenda.Agent{OrganisationID: d.org.ID, Kind: agenda.KindGuichet, Name: "Guichet 1", Active: true})
	must(err)
	d.motif, err = s.SaveMotif(ctx, agenda.Motif{OrganisationID: d.org.ID, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30,
		LocationType: agenda.PublicOffice, MaxPublicDelay: 90 * 24 * time.Hour, BookableOnline: true})
	must(err)
	d.atelier, err = s.SaveMotif(ctx, agenda.Motif{OrganisationID: d.org.ID, Name: "Atelier", Color: "#16A34A", DurationMin: 60,
		LocationType: agenda.PublicOffice, MaxPublicDelay: 90 * 24 * time.Hour, Collectif: true, Capacity: 2})
	must(err)
	_, err = s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: d.org.ID, AgentID: d.agent.ID, LieuID: d.lieu.ID, Title: "Matin",
		MotifIDs: []string{d.motif.ID, d.atelier.ID}, FirstDay: tuesday.AddDays(-1), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0),
		Recurrence: agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}, Canal: agenda.CanalGuichet})
	must(err)
	for i := range n {
		u, err := s.SaveUsager(ctx, agenda.Usager{OrganisationID: d.org.ID, FirstName: fmt.Sprintf("Usager%d", i), LastName: "Test"})
		must(err)
		d.usagers = append(d.usagers, u)
	}
	return d
}

func (d desk) request(start time.Time, u int) booking.Request {
	return booking.Request{MotifID: d.motif.ID, AgentID: d.agent.ID, Start: start, Usagers: []string{d.usagers[u].ID}, By: agenda.ByAgent(d.agent.ID)}
}

func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Fifty bookings of one slot at once, through one pool: one RDV, forty-nine slot_taken.
func TestFiftyWritersOneSlot(t *testing.T) {
	cfg := freshDB(t)
	cfg.MaxConns = 20
	s, err := OpenConfig(context.Background(), cfg, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const writers = 50
	d := newDesk(t, s, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = s.Book(context.Background(), d.request(at(10, 0), i))
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
			t.Fatalf("a loser got %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers won the slot", won)
	}
	if n := count(t, s, "SELECT count(*) FROM rdvs"); n != 1 {
		t.Fatalf("%d RDVs stored", n)
	}
	if n := count(t, s, "SELECT count(*) FROM changes WHERE kind = 'book'"); n != 1 {
		t.Fatalf("%d book changes", n)
	}
}

// Two stores on one database (two rdv-central processes) book the same slots, each in its own
// order: one winner per slot, the other told slot_taken.
func TestTwoProcessesSameSlots(t *testing.T) {
	cfg := freshDB(t)
	ctx := context.Background()
	a, err := OpenConfig(ctx, cfg.Copy(), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenConfig(ctx, cfg.Copy(), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	d := newDesk(t, a, 2)
	var slots []time.Time
	for m := 9 * 60; m < 12*60; m += 30 {
		slots = append(slots, at(m/60, m%60))
	}
	wins := make([][]bool, 2)
	var wg sync.WaitGroup
	for p, s := range []*Store{a, b} {
		wins[p] = make([]bool, len(slots))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range slots {
				i := k
				if p == 1 { // the other process goes backwards, so that they meet
					i = len(slots) - 1 - k
				}
				_, err := s.Book(ctx, d.request(slots[i], p))
				switch agenda.CodeOf(err) {
				case "":
					wins[p][i] = true
				case agenda.CodeSlotTaken:
				default:
					t.Errorf("process %d, slot %d: %v", p, i, err)
				}
			}
		}()
	}
	wg.Wait()
	for i := range slots {
		if wins[0][i] == wins[1][i] {
			t.Errorf("slot %d: wins %v / %v", i, wins[0][i], wins[1][i])
		}
	}
	if n := count(t, a, "SELECT count(*) FROM rdvs"); n != len(slots) {
		t.Fatalf("%d RDVs for %d slots", n, len(slots))
	}
}

// The database is the guarantee: an overlapping row written behind the store's back is refused
// by the exclusion constraint (slot_taken), a seat beyond capacity by the trigger (collectif_full),
// and a busy row that disagrees with its RDV by the coherence trigger.
func TestDatabaseRefusesBehindTheStore(t *testing.T) {
	s, _ := openFresh(t, clock)
	d := newDesk(t, s, 3)
	ctx := context.Background()
	r, err := s.Book(ctx, d.request(at(9, 0), 0))
	if err != nil {
		t.Fatal(err)
	}
	raw := func(sql string, args ...any) error {
		return mapErr("test", pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, args...)
			return err
		}))
	}
	other := newID()
	insertOther := `WITH r AS (INSERT INTO rdvs(organisation_id, id, motif_id, starts_at, ends_at, collectif, capacity, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now()) RETURNING organisation_id, id, starts_at, ends_at)
		INSERT INTO rdv_agents(organisation_id, rdv_id, agent_id, starts_at, ends_at, active) SELECT organisation_id, id, $8, starts_at, ends_at, true FROM r`
	// Half-open ranges: back to back is fine, overlapping is not.
	if err := raw(insertOther, d.org.ID, other, d.motif.ID, at(9, 15), at(9, 45), false, 0, d.agent.ID); agenda.CodeOf(err) != agenda.CodeSlotTaken {
		t.Fatalf("overlap written by hand: %v", err)
	}
	if err := raw(insertOther, d.org.ID, other, d.motif.ID, at(9, 30), at(10, 0), false, 0, d.agent.ID); err != nil {
		t.Fatalf("back to back: %v", err)
	}
	// Re-activating a cancelled RDV onto its sold slot.
	if _, err := s.Cancel(ctx, r.ID, agenda.ByAgent(d.agent.ID), true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Book(ctx, d.request(at(9, 0), 1)); err != nil {
		t.Fatal(err)
	}
	if err := raw("UPDATE rdvs SET status = 'unknown' WHERE id = $1", r.ID); agenda.CodeOf(err) != agenda.CodeSlotTaken {
		t.Fatalf("re-activation by hand: %v", err)
	}
	// A busy row that lies about its RDV's times.
	if err := raw("UPDATE rdv_agents SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour' WHERE rdv_id = $1", other); agenda.CodeOf(err) != agenda.CodeIncoherent {
		t.Fatalf("incoherent busy row: %v", err)
	}
	// Seats: a 2-seat session filled by hand.
	session := newID()
	if err := raw(`INSERT INTO rdvs(organisation_id, id, motif_id, starts_at, ends_at, collectif, capacity, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, true, 2, now(), now())`, d.org.ID, session, d.atelier.ID, at(11, 0), at(12, 0)); err != nil {
		t.Fatal(err)
	}
	seat := "INSERT INTO participations(organisation_id, rdv_id, usager_id, position) VALUES ($1, $2, $3, $4)"
	for i := range 2 {
		if err := raw(seat, d.org.ID, session, d.usagers[i].ID, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := raw(seat, d.org.ID, session, d.usagers[2].ID, 2); agenda.CodeOf(err) != agenda.CodeCollectifFull {
		t.Fatalf("third seat by hand: %v", err)
	}
	if err := raw("UPDATE rdvs SET capacity = 1 WHERE id = $1", session); agenda.CodeOf(err) != agenda.CodeCapacityBelow {
		t.Fatalf("capacity below the seats: %v", err)
	}
}

// Ten usagers join a 2-seat session at once (one seat already taken): one gets in.
func TestConcurrentSeats(t *testing.T) {
	s, _ := openFresh(t, clock)
	d := newDesk(t, s, 11)
	ctx := context.Background()
	join := func(u int) (agenda.Rdv, error) {
		return s.Book(ctx, booking.Request{MotifID: d.atelier.ID, AgentID: d.agent.ID, Start: at(10, 0),
			Usagers: []string{d.usagers[u].ID}, By: agenda.ByAgent(d.agent.ID)})
	}
	first, err := join(0)
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = join(i + 1)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch agenda.CodeOf(err) {
		case "":
			won++
		case agenda.CodeCollectifFull:
		default:
			t.Fatalf("a late usager got %v", err)
		}
	}
	got, err := s.GetRdv(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if won != 1 || len(got.Participations) != 2 || got.Version != 2 {
		t.Fatalf("%d joined; session %+v", won, got)
	}
}

// Two processes starting together on an empty database migrate it once.
func TestConcurrentMigrations(t *testing.T) {
	cfg := freshDB(t)
	ctx := context.Background()
	stores := make([]*Store, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = OpenConfig(ctx, cfg.Copy(), clock)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("process %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	ms, _ := migrations()
	if v, err := stores[0].SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Fatalf("schema %d %v", v, err)
	}
	if n := count(t, stores[0], "SELECT count(*) FROM schema_migrations"); n != len(ms) {
		t.Fatalf("%d migration rows", n)
	}
	// A database migrated by a newer build is refused.
	if _, err := stores[0].pool.Exec(ctx, "INSERT INTO schema_migrations(version, name) VALUES (999, 'futur')"); err != nil {
		t.Fatal(err)
	}
	if s, err := OpenConfig(ctx, cfg.Copy(), clock); err == nil {
		s.Close()
		t.Fatal("a newer schema was accepted")
	}
}

// Organisations are apart: the same wall-clock slot is booked in two organisations, an id of one
// cannot be taken by the other, and the feed of each holds only its own changes, in order.
func TestTenantsAndFeed(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	a, b := newDesk(t, s, 1), newDesk(t, s, 1)
	ra, err := s.Book(ctx, a.request(at(9, 0), 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Book(ctx, b.request(at(9, 0), 0)); err != nil {
		t.Fatalf("the same slot in another organisation: %v", err)
	}
	stolen := b.agent
	stolen.ID = a.agent.ID
	if _, err := s.SaveAgent(ctx, stolen); agenda.CodeOf(err) != agenda.CodeDuplicate {
		t.Fatalf("another organisation's id: %v", err)
	}
	// An RDV cannot point at another organisation's agent (the foreign keys carry organisation_id).
	err = mapErr("test", pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO rdv_agents(organisation_id, rdv_id, agent_id, starts_at, ends_at, active)
			SELECT organisation_id, id, $2, starts_at, ends_at, true FROM rdvs WHERE id = $1`, ra.ID, b.agent.ID)
		return err
	}))
	if agenda.CodeOf(err) != agenda.CodeBrokenReference {
		t.Fatalf("cross-organisation reference: %v", err)
	}
	feed := waitChanges(t, s, a.org.ID, Cursor{}, 8)
	// organisation, lieu, agent, 2 motifs, plage, usager, book.
	if len(feed) != 8 || feed[0].Entity != protocol.EntityOrganisation || feed[7].Kind != protocol.OpBook || feed[7].EntityID != ra.ID {
		t.Fatalf("feed %+v", feed)
	}
	for i, c := range feed {
		if c.OrganisationID != a.org.ID || (i > 0 && !(feed[i-1].Cursor.Txid < c.Cursor.Txid ||
			feed[i-1].Cursor.Txid == c.Cursor.Txid && feed[i-1].Cursor.Seq < c.Cursor.Seq)) {
			t.Fatalf("feed out of order or of another organisation: %+v", feed)
		}
	}
	rest := waitChanges(t, s, a.org.ID, feed[3].Cursor, 4)
	if len(rest) != 4 || rest[0].Cursor != feed[4].Cursor {
		t.Fatalf("after %v: %+v %v", feed[3].Cursor, rest, err)
	}
}

// A change written by a transaction still running is not read, nor any after it in feed order:
// a reader's cursor never skips it.
func TestFeedWaitsForRunningTransactions(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	d := newDesk(t, s, 1)
	// organisation, lieu, agent, 2 motifs, plage, usager: readable once no older transaction of
	// the cluster (other tests') still runs.
	var before []Change
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		before, err = s.Changes(ctx, d.org.ID, Cursor{}, 0)
		if err != nil || len(before) >= 7 || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || len(before) != 7 {
		t.Fatalf("before: %d changes, %v", len(before), err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if err := s.appendChange(ctx, tx, d.org.ID, protocol.EntityUsager, d.usagers[0].ID, protocol.OpUpsert, 1, protocol.FromUsager(d.usagers[0])); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveUsager(ctx, d.usagers[0]); err != nil { // a later seq, committed first
		t.Fatal(err)
	}
	during, err := s.Changes(ctx, d.org.ID, Cursor{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(during) != len(before) {
		t.Fatalf("%d changes readable while an older transaction runs, want %d", len(during), len(before))
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// Other tests' transactions on the same cluster hold the horizon back for a while too.
	var after []Change
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		after, err = s.Changes(ctx, d.org.ID, before[len(before)-1].Cursor, 0)
		if err != nil || len(after) >= 2 || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || len(after) != 2 {
		t.Fatalf("after commit: %+v %v", after, err)
	}
}

// The central sells the slots of en_ligne plages to the usagers online, and not those of the
// office's guichet plages; the engine picks the agent.
func TestOnlineSellsOnlyEnLigne(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	d := newDesk(t, s, 2)
	online := func(start time.Time, u int) (agenda.Rdv, error) {
		return s.Book(ctx, booking.Request{MotifID: d.motif.ID, Start: start, Usagers: []string{d.usagers[u].ID}, Origine: agenda.OrigineEnLigne})
	}
	if _, err := online(at(9, 0), 0); err == nil {
		t.Fatal("a guichet slot sold online")
	} else {
		t.Logf("guichet slot online: %s", agenda.CodeOf(err))
	}
	_, err := s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: d.org.ID, AgentID: d.agent.ID, LieuID: d.lieu.ID, Title: "En ligne",
		MotifIDs: []string{d.motif.ID}, FirstDay: tuesday, Start: agenda.Clk(14, 0), End: agenda.Clk(15, 0), Canal: agenda.CanalEnLigne})
	if err != nil {
		t.Fatal(err)
	}
	r, err := online(at(14, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.AgentIDs[0] != d.agent.ID || r.Origine != agenda.OrigineEnLigne || r.CreatedBy != "" {
		t.Fatalf("booked online %+v", r)
	}
	if _, err := online(at(14, 0), 1); agenda.CodeOf(err) != agenda.CodeSlotTaken {
		t.Fatalf("second online booking of the slot: %v", err)
	}
}

// Ids that cannot name a row are refused or not found, never an internal error.
func TestBadIDs(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	if _, err := s.GetRdv(ctx, "pas-un-uuid"); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("GetRdv: %v", err)
	}
	if _, err := s.GetRdv(ctx, newID()); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("GetRdv of an unknown id: %v", err)
	}
	if _, err := s.SaveLieu(ctx, agenda.Lieu{OrganisationID: "pas-un-uuid", Name: "Mairie", Street: "1 place", PostalCode: "75001", City: "Paris", Enabled: true}); agenda.CodeOf(err) != agenda.CodeInvalid {
		t.Fatalf("SaveLieu in a bad organisation: %v", err)
	}
	if _, err := s.SaveLieu(ctx, agenda.Lieu{OrganisationID: newID(), Name: "Mairie", Street: "1 place", PostalCode: "75001", City: "Paris", Enabled: true}); agenda.CodeOf(err) != agenda.CodeBrokenReference {
		t.Fatalf("SaveLieu in an unknown organisation: %v", err)
	}
	if _, err := s.Move(ctx, "x", at(9, 0), "", agenda.CLI, false); agenda.KindOf(err) != agenda.NotFound {
		t.Fatalf("Move: %v", err)
	}
}

// waitChanges reads the feed of org after cursor until it holds at least n changes (10 s at
// most): a change is readable once no older transaction of the cluster runs, and other tests'
// transactions run on the same cluster.
func waitChanges(t testing.TB, s *Store, org string, after Cursor, n int) []Change {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		feed, err := s.Changes(context.Background(), org, after, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(feed) >= n || time.Now().After(deadline) {
			return feed
		}
		time.Sleep(10 * time.Millisecond)
	}
}
