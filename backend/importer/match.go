package importer

import (
	"strconv"
	"strings"

	"rdvguichet/backend/agenda"
)

// Match sets ExistingID on each planned usager that is an usager of the agenda already, so that
// the import adds RDVs to them rather than a duplicate: the same person (agenda.SamePerson), or,
// for a line that gives a name alone (agenda.Usager.NameOnly), the one usager of the agenda with
// exactly that name. A name alone borne by several usagers cannot tell which one is meant: it is
// a problem of its line (CodeImportNameAmbiguous), never a silent new usager.
func Match(plan *Plan, existing []agenda.Usager) []Problem {
	byName := map[string][]agenda.Usager{}
	for _, u := range existing {
		k := fold(u.LastName) + "\x00" + fold(u.FirstName)
		byName[k] = append(byName[k], u)
	}
	var problems []Problem
	for i, p := range plan.Usagers {
		var namesakes []agenda.Usager
		for _, u := range byName[fold(p.Usager.LastName)+"\x00"+fold(p.Usager.FirstName)] {
			if agenda.SamePerson(p.Usager, u) {
				plan.Usagers[i].ExistingID = u.ID
				break
			}
			if agenda.SameName(p.Usager, u) {
				namesakes = append(namesakes, u)
			}
		}
		if plan.Usagers[i].ExistingID != "" || !p.Usager.NameOnly() {
			continue
		}
		switch len(namesakes) {
		case 0:
		case 1:
			plan.Usagers[i].ExistingID = namesakes[0].ID
		default:
			problems = append(problems, Problem{Line: p.Line, Code: agenda.CodeImportNameAmbiguous,
				Params: map[string]string{"name": strings.ToUpper(p.Usager.LastName) + " " + p.Usager.FirstName, "count": strconv.Itoa(len(namesakes))}})
		}
	}
	return problems
}

// Report is what an import did, or would do (DryRun, or refused): the lines read, the usagers
// created and those found in the agenda, the RDVs, and every problem by line. Imported is true
// only when all of it was written.
type Report struct {
	Lines      int       `json:"lines"`
	NewUsagers int       `json:"newUsagers"`
	Matched    []Matched `json:"matched"`
	Rdvs       int       `json:"rdvs"`
	// Reminders are the messages the RDVs plan: reminders only, each at its usual time before its
	// RDV, none at the import (reminders.ForChange, ADR 0013).
	Reminders int       `json:"reminders"`
	Problems  []Problem `json:"problems"`
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
