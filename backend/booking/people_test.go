package booking

import (
	"errors"
	"testing"

	"rdvguichet/backend/agenda"
)

func fields(err error) map[string]agenda.Code {
	var v agenda.ValidationError
	errors.As(err, &v)
	out := map[string]agenda.Code{}
	for _, f := range v {
		out[f.Field] = f.Code
	}
	return out
}

// One person per ANTS title, each with their own number; the first new person is the booking's
// new usager, the others its relatives; an existing person's number is kept apart.
func TestWithPeople(t *testing.T) {
	passeport := agenda.Motif{AntsCategory: agenda.AntsPasseport}
	kiosk := Request{Documents: 2, Origine: agenda.OrigineKiosk}
	first, second := &agenda.Usager{FirstName: "Hélène"}, &agenda.Usager{FirstName: "Léo"}

	if _, err := WithPeople(kiosk, passeport, []Person{{New: first, PreDemande: "AB12CD34EF"}}); agenda.CodeOf(err) != agenda.CodePeopleTitles {
		t.Errorf("two titles, one person: %v", err)
	}
	_, err := WithPeople(kiosk, passeport, []Person{{New: first, PreDemande: "ab12 cd34-ef"}, {New: second, PreDemande: "AB12CD34EF"}})
	if got := fields(err); got["preDemandes.1"] != agenda.CodeKioskPreDemande2 || len(got) != 1 {
		t.Errorf("one number for two people: %v", got)
	}
	_, err = WithPeople(kiosk, passeport, []Person{{New: first, PreDemande: "AB12CD34EF"}, {New: second}})
	if got := fields(err); got["preDemandes.1"] != agenda.CodeKioskPreDemande {
		t.Errorf("the kiosk asks every number: %v", got)
	}

	req, err := WithPeople(kiosk, passeport, []Person{{New: first, PreDemande: "ab12cd34ef"}, {New: second, PreDemande: "ZZ99YY88XX"}})
	if err != nil || req.NewUsager == nil || req.NewUsager.AntsPreDemande != "AB12CD34EF" || len(req.Relatives) != 1 ||
		req.Relatives[0].AntsPreDemande != "ZZ99YY88XX" || len(req.Usagers) != 0 || first.AntsPreDemande != "" {
		t.Errorf("two new people: %+v, %v", req, err)
	}

	counter := Request{Documents: 3, Origine: agenda.OrigineGuichet}
	req, err = WithPeople(counter, passeport, []Person{{UsagerID: "u1", PreDemande: "AB12CD34EF"}, {UsagerID: "u2"}, {New: second, PreDemande: "ZZ99YY88XX"}})
	if err != nil || req.NewUsager != nil || len(req.Usagers) != 2 || len(req.Relatives) != 1 || len(req.PreDemandes) != 1 || req.PreDemandes["u1"] != "AB12CD34EF" {
		t.Errorf("at the counter a number may wait for the day: %+v, %v", req, err)
	}
	_, err = WithPeople(Request{Documents: 2}, passeport, []Person{{UsagerID: "u1"}, {UsagerID: "u1"}})
	if got := fields(err); got["people.1"] != agenda.CodePersonTwice {
		t.Errorf("one usager twice: %v", got)
	}

	// Without ANTS category, no number and no count: the people as they are.
	req, err = WithPeople(Request{}, agenda.Motif{}, []Person{{UsagerID: "u1", PreDemande: "junk"}})
	if err != nil || len(req.Usagers) != 1 || req.PreDemandes != nil {
		t.Errorf("not ANTS: %+v, %v", req, err)
	}
}
