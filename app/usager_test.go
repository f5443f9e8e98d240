package app

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
)

// Editing an usager's phone and e-mail from the booking panel: the errors name the fields, and
// the update keeps what the form does not carry (the responsible of a child).
func TestSaveUsagerContact(t *testing.T) {
	services, db := demoServices(t)
	s := services.Agent
	org, _, err := s.org(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	parent, err := db.SaveUsager(t.Context(), agenda.Usager{OrganisationID: org.ID, FirstName: "Anne", LastName: "Parent"})
	if err != nil {
		t.Fatal(err)
	}
	child, err := db.SaveUsager(t.Context(), agenda.Usager{OrganisationID: org.ID, FirstName: "Léo", LastName: "Parent", ResponsibleID: parent.ID})
	if err != nil {
		t.Fatal(err)
	}
	f := usagerForm(child)
	f.Phone, f.Email = "06 12", "pas-une-adresse"
	res, err := s.SaveUsager(f)
	if err != nil || fieldsOf(res.Errors) != "phone,email" {
		t.Fatalf("bad contact: %+v, %v", res, err)
	}
	// The domain's rules come back as codes; the door writes their text next to the field.
	if res.Errors[1].Code != "email_invalid" || res.Errors[1].Message != "L’adresse e-mail n’est pas valide." {
		t.Errorf("e-mail error: %+v", res.Errors[1])
	}
	f.Phone, f.Email = "06 98 76 54 32", "leo.parent@exemple.fr"
	if res, err := s.SaveUsager(f); err != nil || len(res.Errors) > 0 || res.ID != child.ID {
		t.Fatalf("save: %+v, %v", res, err)
	}
	got, err := db.GetUsager(t.Context(), child.ID)
	if err != nil || got.Phone != "+33698765432" || got.Email != "leo.parent@exemple.fr" || got.ResponsibleID != parent.ID {
		t.Fatalf("saved usager: %+v, %v", got, err)
	}
}

// doorCode and doorMessage read the door's error as the frontend does (its Error() is JSON).
func doorCode(err error) string { return doorJSONOf(err).Code }

func doorMessage(err error) string { return doorJSONOf(err).Message }

func doorJSONOf(err error) (d struct{ Code, Message string }) {
	if err == nil {
		return d
	}
	if json.Unmarshal([]byte(err.Error()), &d) != nil {
		d.Message = "(not JSON) " + err.Error()
	}
	return d
}

// « C'est la même personne ? »: the form's new usager is compared with the namesakes in the file;
// the same names with the same phone (typed nationally) or birth date are offered, others are not.
func TestSamePersons(t *testing.T) {
	services, db := demoServices(t)
	s := services.Agent
	org, _, err := s.org(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	known, err := db.SaveUsager(t.Context(), agenda.Usager{OrganisationID: org.ID, FirstName: "Hélène", LastName: "Doublon", Phone: "+33612345678",
		BirthDate: agenda.Date{Year: 1980, Month: 4, Day: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		f    UsagerForm
		want int
	}{
		{"same phone", UsagerForm{LastName: "DOUBLON", FirstName: "helene", Phone: "06 12 34 56 78"}, 1},
		{"same birth date", UsagerForm{LastName: "Doublon", FirstName: "Hélène", BirthDate: "1980-04-03"}, 1},
		{"name only", UsagerForm{LastName: "Doublon", FirstName: "Hélène"}, 0},
		{"another Doublon", UsagerForm{LastName: "Doublon", FirstName: "Marc", Phone: "06 12 34 56 78"}, 0},
		{"itself", UsagerForm{ID: known.ID, LastName: "Doublon", FirstName: "Hélène", Phone: "06 12 34 56 78"}, 0},
	} {
		got, err := s.SamePersons(tt.f)
		if err != nil || len(got) != tt.want || (tt.want == 1 && got[0].ID != known.ID) {
			t.Errorf("%s: SamePersons = %+v, %v; want %d", tt.name, got, err, tt.want)
		}
	}
}

// Two passports at the counter: person 1 is the chosen usager, person 2 a new relative of theirs,
// each with their number; a refused number is reported beside its field and nothing is written.
func TestBookTwoPassports(t *testing.T) {
	services, db := demoServices(t)
	s := services.Agent
	ws, err := s.Workspace()
	if err != nil {
		t.Fatal(err)
	}
	passeport := ws.Motifs[slices.IndexFunc(ws.Motifs, func(m MotifView) bool { return m.Name == "Passeport" })]
	slots, err := s.FindSlots(SlotQuery{MotifID: passeport.ID, From: "2026-03-13", Documents: 2, Limit: 1})
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v %v", err, slots)
	}
	org, _, err := s.org(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	mother, err := db.SaveUsager(t.Context(), agenda.Usager{OrganisationID: org.ID, FirstName: "Anne", LastName: "Famille", Phone: "+33612345678"})
	if err != nil {
		t.Fatal(err)
	}
	in := BookInput{MotifID: passeport.ID, LieuID: slots[0].LieuID, AgentID: slots[0].AgentID, Start: slots[0].Start, Documents: 2,
		UsagerIDs: []string{mother.ID}, Others: []BookPerson{{New: &UsagerForm{FirstName: "Léo", LastName: "", BirthDate: "2015-06-01"}}},
		PreDemandes: []string{"AB12CD34EF", "ab12cd34ef"}}
	res, err := s.Book(in)
	if err != nil || res.Rdv != nil || fieldsOf(res.Errors) != "people.1.lastName" {
		t.Fatalf("a relative without a name: %+v, %v", res, err)
	}
	in.Others[0].New.LastName = "Famille"
	res, err = s.Book(in)
	if err != nil || res.Rdv != nil || fieldsOf(res.Errors) != "preDemandes.1" ||
		res.Errors[0].Message != "Ce numéro est déjà indiqué pour une autre personne : chaque personne a le sien." {
		t.Fatalf("one number twice: %+v, %v", res, err)
	}
	in.Documents = 3
	if res, err := s.Book(in); err != nil || res.Rdv != nil || res.Message != "Un rendez-vous pour 3 titres réunit 3 personnes, chacune avec son numéro de pré-demande." {
		t.Fatalf("three titles, two people: %+v, %v", res, err)
	}
	if got, _ := db.GetUsager(t.Context(), mother.ID); got.AntsPreDemande != "" {
		t.Errorf("a refused booking wrote a number: %+v", got)
	}
	in.Documents, in.PreDemandes[1] = 2, "ZZ99YY88XX"
	res, err = s.Book(in)
	if err != nil || res.Rdv == nil {
		t.Fatalf("book: %+v, %v", res, err)
	}
	if len(res.Rdv.UsagerIDs) != 2 || res.Rdv.UsagerIDs[0] != mother.ID || strings.Join(res.Rdv.Usagers, ", ") != "FAMILLE Anne, FAMILLE Léo" {
		t.Errorf("people: %+v %+v", res.Rdv.UsagerIDs, res.Rdv.Usagers)
	}
	if got, _ := db.GetUsager(t.Context(), mother.ID); got.AntsPreDemande != "AB12CD34EF" {
		t.Errorf("person 1's number: %+v", got)
	}
	if got, _ := db.GetUsager(t.Context(), res.Rdv.UsagerIDs[1]); got.ResponsibleID != mother.ID || got.AntsPreDemande != "ZZ99YY88XX" || got.BirthDate.Year != 2015 {
		t.Errorf("person 2: %+v", got)
	}
}
