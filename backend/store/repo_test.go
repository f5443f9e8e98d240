package store

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
)

func TestRepositoriesRoundTrip(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()

	o, err := f.db.GetOrganisation(ctx, f.org.ID)
	if err != nil || !reflect.DeepEqual(o, f.org) {
		t.Fatalf("organisation %+v %v", o, err)
	}
	m, err := f.db.GetMotif(ctx, f.motif.ID)
	if err != nil || !reflect.DeepEqual(m, f.motif) {
		t.Fatalf("motif\n got %+v\nwant %+v %v", m, f.motif, err)
	}
	a, err := f.db.GetAgent(ctx, f.agents[0].ID)
	if err != nil || !reflect.DeepEqual(a, f.agents[0]) {
		t.Fatalf("agent %+v %v", a, err)
	}
	if err := f.db.SetAgentPasswordHash(ctx, a.ID, "$argon2id$x"); err != nil {
		t.Fatal(err)
	}
	if _, h, err := f.db.GetAgentByLogin(ctx, f.org.ID, "cmartin"); err != nil || h != "$argon2id$x" {
		t.Fatalf("login: %q %v", h, err)
	}

	// A plage with a monthly recurrence, an end, an exception and two motifs.
	p := agenda.PlageOuverture{OrganisationID: f.org.ID, AgentID: f.agents[1].ID, LieuID: f.lieu.ID, Title: "Permanence",
		MotifIDs: []string{f.coll.ID, f.motif.ID}, FirstDay: monday, Start: agenda.Clk(13, 30), End: agenda.Clk(16, 0),
		Recurrence: agenda.Recurrence{Every: agenda.Monthly, Interval: 1, Until: agenda.Date{Year: 2026, Month: time.December, Day: 31}},
		Exceptions: []agenda.Exception{{Date: agenda.Date{Year: 2026, Month: time.April, Day: 6}, Cancelled: true}},
		Canal:      agenda.CanalEnLigne}
	p, err = f.db.SavePlage(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.db.GetPlage(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.MotifIDs = sortedCopy(p.MotifIDs)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plage\n got %+v\nwant %+v", got, want)
	}
	p.Title = "Permanence du lundi"
	p.Exceptions = nil
	if _, err := f.db.SavePlage(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ = f.db.GetPlage(ctx, p.ID); got.Title != p.Title || len(got.Exceptions) != 0 {
		t.Fatalf("update %+v", got)
	}
	ps, _ := f.db.ListPlages(ctx, f.org.ID, f.agents[1].ID)
	if len(ps) != 3 {
		t.Fatalf("%d plages for agent 1", len(ps))
	}

	ab, err := f.db.SaveAbsence(ctx, agenda.Absence{OrganisationID: f.org.ID, AgentID: f.agents[1].ID, Title: "Formation",
		FirstDay: monday.AddDays(1), Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.db.GetAbsence(ctx, ab.ID); err != nil || !reflect.DeepEqual(got, ab) {
		t.Fatalf("absence %+v %v", got, err)
	}
	if err := f.db.DeleteAbsence(ctx, ab.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.GetAbsence(ctx, ab.ID); kindOf(err) != agenda.NotFound {
		t.Fatalf("deleted absence: %v", err)
	}
	if err := f.db.DeletePlage(ctx, p.ID); err != nil {
		t.Fatal(err)
	}

	u, err := f.db.GetUsager(ctx, f.usager.ID)
	if err != nil || !reflect.DeepEqual(u, f.usager) {
		t.Fatalf("usager %+v %v", u, err)
	}
	// Invalid input is refused before any write, with the field messages.
	_, err = f.db.SaveMotif(ctx, agenda.Motif{OrganisationID: f.org.ID, Name: "", Color: "bleu"})
	if kindOf(err) != agenda.Invalid {
		t.Fatalf("invalid motif: %v", err)
	}

	// Every mutation above left an outbox op, in order, with base versions.
	ops, err := f.db.PendingOutbox(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var last OutboxOp
	for _, op := range ops {
		if op.Entity == EntityPlage && op.EntityID == p.ID {
			last = op
		}
	}
	if last.Op != OpDelete || last.BaseVersion != 2 {
		t.Fatalf("last plage op %+v", last)
	}
	if err := f.db.AckOutbox(ctx, ops[0].OpID, 1); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RejectOutbox(ctx, ops[1].OpID, agenda.CodeConflict, nil); err != nil {
		t.Fatal(err)
	}
	n, _ := f.db.PendingOutboxCount(ctx)
	rej, _ := f.db.RejectedOutbox(ctx, 0)
	if n != len(ops)-2 || len(rej) != 1 {
		t.Fatalf("pending %d rejected %d of %d", n, len(rej), len(ops))
	}
	if pend, _ := f.db.HasPendingOps(ctx, EntityUsager, f.usager.ID); !pend {
		t.Fatal("usager has a pending op")
	}

	if err := f.db.SetSetting(ctx, "sync.cursor", "42"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := f.db.Setting(ctx, "sync.cursor"); !ok || v != "42" {
		t.Fatal(v)
	}

	// RDV: booking with a new usager, arrival, receipts, listing filters.
	nu := agenda.Usager{FirstName: "Jean", LastName: "Kiosque", Phone: "+33700000001"}
	r, err := f.db.Book(ctx, BookRequest{MotifID: f.motif.ID, Start: at(2, 9, 0), NewUsager: &nu, Origine: agenda.OrigineKiosk, By: agenda.Kiosk})
	if err != nil {
		t.Fatal(err)
	}
	if r.CreatedBy != "" || r.Origine != agenda.OrigineKiosk || len(r.AgentIDs) != 1 || r.LieuID != f.lieu.ID || len(r.Participations) != 1 {
		t.Fatalf("kiosk RDV %+v", r)
	}
	f.clock.Set(at(2, 8, 55))
	r, err = f.db.MarkArrived(ctx, r.ID, []string{r.Participations[0].UsagerID}, time.Time{})
	if err != nil || r.Participations[0].ArrivedAt == nil || !r.Participations[0].ArrivedAt.Equal(at(2, 8, 55)) {
		t.Fatalf("arrived %+v %v", r, err)
	}
	stored, _ := f.db.GetRdv(ctx, r.ID)
	if !reflect.DeepEqual(stored, r) {
		t.Fatalf("stored\n%+v\nreturned\n%+v", stored, r)
	}
	if _, err := f.db.AddReceipt(ctx, Receipt{OrganisationID: f.org.ID, RdvID: r.ID, Event: "rdv_created", Channel: "sms", Result: "sent", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if rs, _ := f.db.ListReceipts(ctx, r.ID); len(rs) != 1 || rs[0].CreatedAt.IsZero() {
		t.Fatalf("receipts %+v", rs)
	}
	day := at(2, 0, 0)
	for _, tc := range []struct {
		f    RdvFilter
		want int
	}{
		{RdvFilter{}, 1},
		{RdvFilter{AgentID: r.AgentIDs[0]}, 1},
		{RdvFilter{AgentID: "autre"}, 0},
		{RdvFilter{LieuID: f.lieu.ID, OrganisationID: f.org.ID}, 1},
	} {
		got, err := f.db.ListRdvsBetween(ctx, day, day.Add(24*time.Hour), tc.f)
		if err != nil || len(got) != tc.want {
			t.Fatalf("%+v: %d RDVs %v", tc.f, len(got), err)
		}
	}
	if got, _ := f.db.ListUsagerRdvs(ctx, r.Participations[0].UsagerID, 0); len(got) != 1 {
		t.Fatalf("usager RDVs %d", len(got))
	}
	rep, err := f.db.Check()
	if err != nil || rep.Integrity != "ok" || rep.Counts["rdvs"] != 1 || rep.Counts["usagers"] != 2 {
		t.Fatalf("check %+v %v", rep, err)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestSearchUsagers(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	for _, u := range []agenda.Usager{
		{FirstName: "Jean", LastName: "Dupont", Email: "jean.dupont@mail.fr", Phone: "+33611223344"},
		{FirstName: "Jeanne", LastName: "Durand", BirthName: "Lefèvre"},
		{FirstName: "Éloïse", LastName: "Martin", Phone: "+262692001122"},
		{FirstName: "Paul", LastName: "Jeannot"},
	} {
		u.OrganisationID = f.org.ID
		if _, err := f.db.SaveUsager(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	names := func(q string) []string {
		t.Helper()
		us, err := f.db.SearchUsagers(ctx, q, 10)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.FirstName+" "+u.LastName)
		}
		return out
	}
	for q, want := range map[string][]string{
		"dup":                {"Hélène Dupont", "Jean Dupont"},
		"dupont jean":        {"Jean Dupont"},
		"helene":             {"Hélène Dupont"},
		"HÉLÈNE":             {"Hélène Dupont"},
		"He\u0301le\u0300ne": {"Hélène Dupont"},                 // accents typed as combining marks (issue 10, #5: NFC)
		"jeann":              {"Paul Jeannot", "Jeanne Durand"}, // last name weighs more
		"lefevre":            {"Jeanne Durand"},
		"eloise":             {"Éloïse Martin"},
		"06 11 22":           {"Jean Dupont"},
		"0611223344":         {"Jean Dupont"},
		"+33 6 11":           {"Jean Dupont"},
		"0692":               nil,
		"262692":             {"Éloïse Martin"},
		"jean.dupont@mail":   {"Jean Dupont"},
		"helene.dupont@":     {"Hélène Dupont"},
		"zzz":                nil,
		"   ":                nil,
		`"dup" OR NEAR(x)*`:  nil, // operators are text
		"dupont AND martin":  nil,
	} {
		got := names(q)
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %v, want %v", q, got, want)
		}
	}
	// Updates keep the index in step.
	u := f.usager
	u.LastName = "Durand-Dupont"
	if _, err := f.db.SaveUsager(ctx, u); err != nil {
		t.Fatal(err)
	}
	if got := names("durand-dup"); len(got) != 1 || got[0] != "Hélène Durand-Dupont" {
		t.Fatalf("after update: %v", got)
	}
}

// LoadCreneauxData reads only what the range needs; the engine on it gives the slots, and booked
// RDVs leave them.
func TestLoadCreneauxData(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	old, err := f.db.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: f.org.ID, AgentID: f.agents[0].ID, LieuID: f.lieu.ID, Title: "Ancienne",
		MotifIDs: []string{f.motif.ID}, FirstDay: agenda.Date{Year: 2025, Month: 1, Day: 6}, Start: agenda.Clk(9, 0), End: agenda.Clk(10, 0),
		Recurrence: agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1}, Until: agenda.Date{Year: 2025, Month: 6, Day: 30}},
		Canal:      agenda.CanalGuichet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SaveAbsence(ctx, agenda.Absence{OrganisationID: f.org.ID, AgentID: f.agents[1].ID, Title: "Congés",
		FirstDay: monday.AddDays(20), Start: agenda.Clk(0, 0), End: agenda.Clk(24, 0)}); err != nil {
		t.Fatal(err)
	}
	r, err := f.book(at(1, 9, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.book(at(15, 9, 0), f.agents[0].ID); err != nil {
		t.Fatal(err)
	}
	d, err := f.db.LoadCreneauxData(ctx, f.motif.ID, f.lieu.ID, at(1, 0, 0), at(2, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Plages {
		if p.ID == old.ID {
			t.Fatal("an ended plage was loaded")
		}
	}
	if len(d.Plages) != 4 || len(d.Absences) != 0 || len(d.Busy) != 1 || d.Busy[0].AgentID != f.agents[0].ID || !d.Busy[0].Start.Equal(r.StartsAt) {
		t.Fatalf("plages %d absences %d busy %+v", len(d.Plages), len(d.Absences), d.Busy)
	}
	cs, err := creneaux.Search(d, creneaux.Request{Motif: f.motif, LieuID: f.lieu.ID, From: at(1, 0, 0), To: at(2, 0, 0), Now: f.clock.Now(), Origine: agenda.OrigineGuichet, Documents: 1})
	if err != nil {
		t.Fatal(err)
	}
	// 2 agents × 12 half-hours, minus agent 0's 09:00.
	if len(cs) != 23 {
		t.Fatalf("%d slots", len(cs))
	}
	next, err := f.db.NextFree(ctx, f.motif.ID, f.lieu.ID, at(1, 9, 0), 3, agenda.OrigineKiosk)
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 3 || !next[0].Start.Equal(at(1, 9, 0)) || next[0].AgentID != "" {
		b, _ := json.Marshal(next)
		t.Fatalf("next %s", b)
	}
}
