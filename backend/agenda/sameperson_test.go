package agenda

import (
	"testing"
	"time"
)

func TestSamePerson(t *testing.T) {
	born := Date{Year: 1980, Month: time.April, Day: 3}
	ref := Usager{LastName: "Lefèvre-Durand", FirstName: "Hélène", Phone: "+33612345678", BirthDate: born}
	for _, tt := range []struct {
		name string
		u    Usager
		want bool
	}{
		{"same name and phone, spelt otherwise", Usager{LastName: "LEFEVRE DURAND", FirstName: "helene", Phone: "+33612345678"}, true},
		{"same name and birth date", Usager{LastName: "Lefèvre-Durand", FirstName: "Hélène", BirthDate: born}, true},
		{"same name only", Usager{LastName: "Lefèvre-Durand", FirstName: "Hélène"}, false},
		{"same name, other phone and birth date", Usager{LastName: "Lefèvre-Durand", FirstName: "Hélène", Phone: "+33700000000", BirthDate: Date{Year: 1981, Month: 1, Day: 1}}, false},
		{"other first name, same phone", Usager{LastName: "Lefèvre-Durand", FirstName: "Louis", Phone: "+33612345678"}, false},
		{"other last name, same birth date", Usager{LastName: "Martin", FirstName: "Hélène", BirthDate: born}, false},
	} {
		if got := SamePerson(tt.u, ref); got != tt.want {
			t.Errorf("%s: SamePerson = %v, want %v", tt.name, got, tt.want)
		}
	}
	if SamePerson(Usager{}, Usager{}) {
		t.Error("two empty usagers are no one")
	}
}
