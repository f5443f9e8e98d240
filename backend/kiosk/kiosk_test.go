package kiosk

import (
	"errors"
	"testing"

	"rdvguichet/backend/agenda"
)

func codes(err error) map[string]agenda.Code {
	var v agenda.ValidationError
	errors.As(err, &v)
	out := map[string]agenda.Code{}
	for _, f := range v {
		out[f.Field] = f.Code
	}
	return out
}

func TestBookable(t *testing.T) {
	m := agenda.Motif{BookableKiosk: true}
	if !Bookable(m) {
		t.Error("a kiosk motif")
	}
	for _, off := range []agenda.Motif{{}, {BookableKiosk: true, Archived: true}, {BookableKiosk: true, Collectif: true}} {
		if Bookable(off) {
			t.Errorf("%+v offered at the kiosk", off)
		}
	}
}

// The kiosk's form: the phone is required, the usager's own rules (names) are asked for every
// person, and each person carries the number typed for them. Refusals are codes, not text.
func TestPeople(t *testing.T) {
	if _, err := People(Form{}, "org", true); err == nil {
		t.Fatal("an empty form is refused")
	} else if got := codes(err); got["phone"] != agenda.CodeKioskPhoneNeeded || got["firstName"] != agenda.CodeFirstNameRequired ||
		got["lastName"] != agenda.CodeNameRequired {
		t.Errorf("empty form: %v", got)
	}
	if _, err := People(Form{FirstName: "A", LastName: "B", Phone: "12"}, "org", false); codes(err)["phone"] != agenda.CodeKioskPhoneBad {
		t.Errorf("bad phone: %v", err)
	}
	f := Form{FirstName: " Hélène ", LastName: "Lefèvre", Phone: "06 12 34 56 78", Relatives: []Name{{FirstName: "Léo"}, {FirstName: "Zoé", LastName: "Lefèvre"}},
		PreDemandes: []string{"ab12cd34ef", "ZZ99ZZ99ZZ"}}
	if _, err := People(f, "org", true); len(codes(err)) != 1 || codes(err)["people.1.lastName"] != agenda.CodeNameRequired {
		t.Errorf("the second person without a last name: %v", err)
	}
	f.Relatives[0].LastName = "Lefèvre"
	people, err := People(f, "org", true)
	if err != nil || len(people) != 3 {
		t.Fatalf("three people: %+v, %v", people, err)
	}
	if u := people[0].New; u.FirstName != "Hélène" || u.Phone != "+33612345678" || !u.NotifySMS || u.OrganisationID != "org" || people[0].PreDemande != "ab12cd34ef" {
		t.Errorf("first person: %+v %q", u, people[0].PreDemande)
	}
	if r := people[2].New; r.FirstName != "Zoé" || r.Phone != "" || r.NotifySMS || r.OrganisationID != "org" || people[1].PreDemande != "ZZ99ZZ99ZZ" || people[2].PreDemande != "" {
		t.Errorf("relatives: %+v %+v", people[1], people[2])
	}
	if people, err := People(f, "org", false); err != nil || len(people) != 1 || people[0].PreDemande != "" {
		t.Errorf("not ANTS: one person without number: %+v, %v", people, err)
	}
}

// After the engine's refusal the kiosk offers other times, under its own code: the engine's
// reasons are for agents.
func TestRetry(t *testing.T) {
	gone := agenda.Wrap("kiosk.Book", agenda.CodeKioskTimeGone, errors.New("store.Book [outside_booking_window]: invalid"))
	if !Retry(gone) || agenda.CodeOf(gone) != agenda.CodeKioskTimeGone {
		t.Errorf("time gone: %v %s", Retry(gone), agenda.CodeOf(gone))
	}
	if !Retry(agenda.Fail("store.Book", agenda.CodeSlotTaken)) || Retry(agenda.Fail("kiosk.Motif", agenda.CodeKioskPersons)) {
		t.Error("slot taken retries, the persons rule does not")
	}
}
