package store

import (
	"testing"

	"rdvguichet/backend/agenda"
)

// One usager per ANTS title (issue 15, #8): a booking for two passports holds the first person, the
// existing usager whose number is written on them, and a relative created in the same
// transaction, linked to the first, with their own number.
func TestBookRelativesAndPreDemandes(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	rdv, err := f.db.Book(ctx, BookRequest{MotifID: f.motif.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(1, 9, 0), Documents: 2,
		Usagers: []string{f.usager.ID}, PreDemandes: map[string]string{f.usager.ID: "AB12CD34EF"},
		Relatives: []agenda.Usager{{FirstName: "Léo", LastName: "Dupont", AntsPreDemande: "ZZ99YY88XX"}}, By: agenda.ByAgent(f.agents[0].ID)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rdv.Participations) != 2 || rdv.Participations[0].UsagerID != f.usager.ID {
		t.Fatalf("participants: %+v", rdv.Participations)
	}
	first, err := f.db.GetUsager(ctx, f.usager.ID)
	if err != nil || first.AntsPreDemande != "AB12CD34EF" || first.Phone != f.usager.Phone {
		t.Errorf("first person: %+v, %v", first, err)
	}
	rel, err := f.db.GetUsager(ctx, rdv.Participations[1].UsagerID)
	if err != nil || rel.ResponsibleID != f.usager.ID || rel.AntsPreDemande != "ZZ99YY88XX" || rel.OrganisationID != f.org.ID || rel.FirstName != "Léo" {
		t.Errorf("relative: %+v, %v", rel, err)
	}
}

// All the people or none: a relative the store refuses leaves neither the new first person nor an
// existing usager's new number behind.
func TestBookPeopleAllOrNothing(t *testing.T) {
	f := newFixture(t, 1)
	ctx := t.Context()
	other := f.newUsager(t, "Paul", "Martin")
	_, err := f.db.Book(ctx, BookRequest{MotifID: f.motif.ID, LieuID: f.lieu.ID, AgentID: f.agents[0].ID, Start: at(1, 9, 0), Documents: 3,
		NewUsager: &agenda.Usager{FirstName: "Inès", LastName: "Nouvelle"}, Usagers: []string{other.ID}, PreDemandes: map[string]string{other.ID: "CC11DD22EE"},
		Relatives: []agenda.Usager{{FirstName: "Sans", LastName: "", AntsPreDemande: "ZZ99YY88XX"}}, By: agenda.ByAgent(f.agents[0].ID)})
	if agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("a relative without a name: %v", err)
	}
	if us, err := f.db.SearchUsagers(ctx, "Nouvelle", 5); err != nil || len(us) != 0 {
		t.Errorf("the first person stayed: %+v, %v", us, err)
	}
	if u, err := f.db.GetUsager(ctx, other.ID); err != nil || u.AntsPreDemande != "" {
		t.Errorf("the existing usager's number stayed: %+v, %v", u, err)
	}
	rdvs, err := f.db.ListRdvsBetween(ctx, at(1, 0, 0), at(2, 0, 0), RdvFilter{})
	if err != nil || len(rdvs) != 0 {
		t.Errorf("RDVs: %+v, %v", rdvs, err)
	}
}
