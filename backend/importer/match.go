package importer

import "rdvguichet/backend/agenda"

// SamePerson reports whether a and b are one usager: the same last and first names (folded:
// case, accents and hyphens aside) and the same birth date or the same phone. A name alone is
// not enough: two Jean Martin are two people until a date or a number says otherwise.
func SamePerson(a, b agenda.Usager) bool {
	if fold(a.LastName) != fold(b.LastName) || fold(a.FirstName) != fold(b.FirstName) {
		return false
	}
	return (!a.BirthDate.IsZero() && a.BirthDate == b.BirthDate) || (a.Phone != "" && a.Phone == b.Phone)
}

// Match sets ExistingID on each planned usager that is an usager of the agenda already
// (SamePerson), so that the import adds RDVs to them rather than a duplicate.
func Match(plan *Plan, existing []agenda.Usager) {
	byName := map[string][]agenda.Usager{}
	for _, u := range existing {
		k := fold(u.LastName) + "\x00" + fold(u.FirstName)
		byName[k] = append(byName[k], u)
	}
	for i, p := range plan.Usagers {
		for _, u := range byName[fold(p.Usager.LastName)+"\x00"+fold(p.Usager.FirstName)] {
			if SamePerson(p.Usager, u) {
				plan.Usagers[i].ExistingID = u.ID
				break
			}
		}
	}
}

// Report is what an import did, or would do (DryRun, or refused): the lines read, the usagers
// created and those found in the agenda, the RDVs, and every problem by line. Imported is true
// only when all of it was written.
type Report struct {
	Lines      int       `json:"lines"`
	NewUsagers int       `json:"newUsagers"`
	Matched    []Matched `json:"matched"`
	Rdvs       int       `json:"rdvs"`
	Problems   []Problem `json:"problems"`
	// Notices are RDVs booked over a benign refusal (outside the plages, an absence, a jour
	// férié), as an agent may: the agenda being imported had them. Code is that refusal's.
	Notices  []Problem `json:"notices"`
	DryRun   bool      `json:"dryRun"`
	Imported bool      `json:"imported"`
}

// Matched is an usager of the file found in the agenda (line of their first mention).
type Matched struct {
	Line int    `json:"line"`
	Name string `json:"name"` // « MARTIN Jeanne »
}
