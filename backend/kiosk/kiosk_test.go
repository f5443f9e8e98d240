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

// The kiosk's form: the phone is required, each person of an ANTS booking has a valid number of
// their own, and the usager's own rules (names) are asked too. Refusals are codes, not text.
func TestNewUsager(t *testing.T) {
	f := Form{FirstName: "Hélène", LastName: "Lefèvre", Phone: "06 12 34 56 78", PreDemandes: []string{"ab12cd34ef", "AB12CD34EF", "XX"}}
	if _, _, err := NewUsager(f, "org", true, 3); err == nil {
		t.Fatal("a repeated and a malformed number are refused")
	} else if got := codes(err); got["preDemandes.1"] != agenda.CodeKioskPreDemande2 || got["preDemandes.2"] != agenda.CodeKioskPreDemandeX || len(got) != 2 {
		t.Errorf("pré-demandes: %v", got)
	}
	if _, _, err := NewUsager(Form{PreDemandes: nil}, "org", true, 1); err == nil {
		t.Fatal("an empty form is refused")
	} else if got := codes(err); got["phone"] != agenda.CodeKioskPhoneNeeded || got["preDemandes.0"] != agenda.CodeKioskPreDemande ||
		got["firstName"] != agenda.CodeFirstNameRequired || got["lastName"] != agenda.CodeNameRequired {
		t.Errorf("empty form: %v", got)
	}
	if _, _, err := NewUsager(Form{FirstName: "A", LastName: "B", Phone: "12"}, "org", false, 1); codes(err)["phone"] != agenda.CodeKioskPhoneBad {
		t.Errorf("bad phone: %v", err)
	}
	f.PreDemandes = []string{"ab12cd34ef", "ZZ99ZZ99ZZ"}
	u, note, err := NewUsager(f, "org", true, 2)
	if err != nil || u.AntsPreDemande != "AB12CD34EF" || note != "Pré-demandes ANTS : AB12CD34EF, ZZ99ZZ99ZZ" || u.Phone != "+33612345678" || !u.NotifySMS {
		t.Errorf("valid form: %+v %q %v", u, note, err)
	}
	if u, note, err := NewUsager(f, "org", false, 1); err != nil || note != "" || u.AntsPreDemande != "" {
		t.Errorf("not ANTS: %+v %q %v", u, note, err)
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
