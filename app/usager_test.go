package app

import (
	"encoding/json"
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
