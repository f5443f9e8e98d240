package importer

import (
	"strconv"

	"rdvguichet/backend/agenda"
)

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

// Write fills the message of every problem and notice with text (the door's catalogue).
func (r *Report) Write(text func(agenda.Code, map[string]string) string) {
	for _, list := range [][]Problem{r.Problems, r.Notices} {
		for i := range list {
			list[i].Message = text(list[i].Code, list[i].Params)
		}
	}
}

// Refusal is the error of a report with problems (nil without): code import_refused, with the
// number of lines to correct; the problems themselves are in the report.
func (r Report) Refusal() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return agenda.Fail("importer", agenda.CodeImportRefused, "lines", strconv.Itoa(lines(r.Problems)))
}

// lines counts the lines that have problems (a line may have several).
func lines(problems []Problem) int {
	seen := map[int]bool{}
	for _, p := range problems {
		seen[p.Line] = true
	}
	return len(seen)
}
