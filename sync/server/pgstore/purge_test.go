package pgstore

import (
	"context"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// The central's retention purge follows the office's rule: RDVs older than the retention go with
// their feed's changes; usagers go unless they have a later RDV or are the responsible of an
// usager who stays. Run daily by two processes at once, an organisation is purged once.
func TestPurgeRetention(t *testing.T) {
	s, cfg := openFresh(t, clock)
	ctx := context.Background()
	d := newDesk(t, s, 4)
	u := d.usagers
	// u2 is u0's proche: u0 must stay as long as u2 does.
	u2 := u[2]
	u2.ResponsibleID = u[0].ID
	if _, err := s.SaveUsager(ctx, u2); err != nil {
		t.Fatal(err)
	}
	old0, err := s.Book(ctx, d.request(at(9, 0), 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Book(ctx, d.request(at(9, 30), 1)); err != nil {
		t.Fatal(err)
	}

	// Three years later: the 2026 RDVs are past the retention (2 years); u1 and u2 book again.
	later := fixedClock{clock.t.AddDate(3, 0, 0)}
	s2, err := OpenConfig(ctx, cfg.Copy(), later)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	day := agenda.DateOf(later.t.In(paris)).AddDays(1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDays(1)
	}
	for i, who := range []int{1, 2} {
		req := d.request(day.At(agenda.Clk(10, 30*i), paris).UTC(), who)
		if _, err := s2.Book(ctx, req); err != nil {
			t.Fatal(err)
		}
	}

	// Two processes run the daily purge at once: one purges the organisation.
	var wg sync.WaitGroup
	reports := make([][]PurgeReport, 2)
	for i, st := range []*Store{s2, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := st.DailyPurge(ctx)
			if err != nil {
				t.Error(err)
			}
			reports[i] = r
		}()
	}
	wg.Wait()
	if n := len(reports[0]) + len(reports[1]); n != 1 {
		t.Fatalf("the organisation was purged %d times, want once: %+v", n, reports)
	}
	rep := append(reports[0], reports[1]...)[0]
	if rep.Rdvs != 2 || rep.Usagers != 1 || rep.RetentionYears != 2 {
		t.Errorf("purge report %+v: want 2 RDVs and 1 usager (u3) over 2 years", rep)
	}
	if r, err := s2.DailyPurge(ctx); err != nil || len(r) != 0 {
		t.Errorf("second daily purge of the day: %+v %v", r, err)
	}
	for _, c := range []struct {
		what string
		n    int
		q    string
		args []any
	}{
		{"old RDV", 0, "SELECT count(*) FROM rdvs WHERE id = $1", []any{old0.ID}},
		{"old RDV's changes", 0, "SELECT count(*) FROM changes WHERE entity_id = $1", []any{old0.ID}},
		{"purged usager's changes", 0, "SELECT count(*) FROM changes WHERE entity_id = $1", []any{u[3].ID}},
		{"kept usagers (u0 responsible of u2, u1 and u2 with a later RDV)", 3, "SELECT count(*) FROM usagers WHERE id = ANY($1::uuid[])",
			[]any{[]string{u[0].ID, u[1].ID, u[2].ID}}},
		{"later RDVs", 2, "SELECT count(*) FROM rdvs", nil},
	} {
		if got := count(t, s2, c.q, c.args...); got != c.n {
			t.Errorf("%s: %d rows, want %d", c.what, got, c.n)
		}
	}
	if err := s2.SetRetentionYears(ctx, d.org.ID, 11); agenda.CodeOf(err) != agenda.CodeRetentionBounds {
		t.Errorf("retention of 11 years: %v", err)
	}
}

// An organisation's data leave the central with its last office only.
func TestPurgeOrganisation(t *testing.T) {
	s, _ := openFresh(t, clock)
	ctx := context.Background()
	d := newDesk(t, s, 2)
	if _, err := s.Book(ctx, d.request(at(9, 0), 0)); err != nil {
		t.Fatal(err)
	}
	a, _, err := s.AddOffice(ctx, d.org.ID, "Mairie")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.AddOffice(ctx, d.org.ID, "Annexe")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeOffice(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeOrganisation(ctx, d.org.ID); agenda.CodeOf(err) != agenda.CodeOfficesStillActive {
		t.Fatalf("purge with an active office: %v", err)
	}
	before, err := s.OrganisationRows(ctx, d.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeOffice(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	deleted, err := s.PurgeOrganisation(ctx, d.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for i, r := range deleted {
		rows[r.Table] = r.Rows
		if before[i] != r {
			t.Errorf("counted %+v before, deleted %+v", before[i], r)
		}
	}
	if rows["rdvs"] != 1 || rows["usagers"] != 2 || rows["changes"] == 0 {
		t.Errorf("deleted %v", rows)
	}
	for _, table := range organisationTables {
		if n := count(t, s, "SELECT count(*) FROM "+table+" WHERE organisation_id = $1", d.org.ID); n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM offices WHERE organisation_id = $1", d.org.ID); n != 2 {
		t.Errorf("the revoked offices stay listed: %d", n)
	}
}
