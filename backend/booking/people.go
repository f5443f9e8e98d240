package booking

import (
	"slices"
	"strconv"

	"rdvguichet/backend/agenda"
)

// Person is one participant of a booking as the counter or the kiosk types it, in the order of
// the form: an existing usager (UsagerID) or a new one (New), and for an ANTS motif their
// pré-demande number.
type Person struct {
	UsagerID   string
	New        *agenda.Usager
	PreDemande string
}

// WithPeople puts the people of a booking of motif into req (issue 15, #8: one usager per ANTS
// title). For an ANTS motif there is exactly one person per title (req.Documents, 0 meaning 1),
// each with a valid pré-demande number different from the others' (agenda.PreDemandes, fields
// "preDemandes.i"): a new person's number goes on them, an existing one's in req.PreDemandes.
// The agents' side (req.Origine, normalized) may leave a number empty: the person fills the paper
// form on the day, and an existing usager keeps the number they have.
// The first person, when new, is req.NewUsager; the further new people are req.Relatives, whom
// the store creates as relatives of the first. No usager may be named twice (field "people.i").
// The refusal is an agenda.ValidationError, or people_titles when the count is wrong.
func WithPeople(req Request, motif agenda.Motif, people []Person) (Request, error) {
	const op = "booking.WithPeople"
	ants := motif.AntsCategory != agenda.AntsNone
	titles := max(req.Documents, 1)
	if ants && len(people) != titles {
		return req, agenda.Fail(op, agenda.CodePeopleTitles, "titles", strconv.Itoa(titles))
	}
	var fe agenda.ValidationError
	var numbers []string
	if ants {
		typed := make([]string, len(people))
		for i, p := range people {
			typed[i] = p.PreDemande
		}
		numbers, fe = agenda.PreDemandes(typed, titles, "preDemandes")
		if req.Origine.ForAgents() {
			// At the counter a person may come without one: they fill the paper form on the day.
			fe = slices.DeleteFunc(fe, func(e agenda.FieldError) bool { return e.Code == agenda.CodeKioskPreDemande })
		}
	}
	req.Usagers, req.NewUsager, req.Relatives, req.PreDemandes = nil, nil, nil, nil
	for i, p := range people {
		if p.New == nil {
			if slices.Contains(req.Usagers, p.UsagerID) {
				fe = append(fe, agenda.FieldError{Field: "people." + strconv.Itoa(i), Code: agenda.CodePersonTwice})
			}
			req.Usagers = append(req.Usagers, p.UsagerID)
			if ants && numbers[i] != "" {
				if req.PreDemandes == nil {
					req.PreDemandes = map[string]string{}
				}
				req.PreDemandes[p.UsagerID] = numbers[i]
			}
			continue
		}
		u := *p.New
		if ants {
			u.AntsPreDemande = numbers[i]
		}
		if i == 0 {
			req.NewUsager = &u
		} else {
			req.Relatives = append(req.Relatives, u)
		}
	}
	if len(fe) > 0 {
		return req, fe
	}
	return req, nil
}
