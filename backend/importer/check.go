package importer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
)

// Column is one column the import knows.
type Column string

const (
	ColNom       Column = "nom"
	ColPrenom    Column = "prénom"
	ColNaissance Column = "date de naissance"
	ColTelephone Column = "téléphone"
	ColEmail     Column = "e-mail"
	ColDate      Column = "date"
	ColHeure     Column = "heure"
	ColAgenda    Column = "agenda"
	ColMotif     Column = "motif"
)

// headers maps a header as folded (fold) to its column: the template's words and the usual
// variants of other tools' exports.
var headers = map[string]Column{
	"nom": ColNom, "nomdefamille": ColNom, "nomdusage": ColNom,
	"prenom":          ColPrenom,
	"datedenaissance": ColNaissance, "naissance": ColNaissance, "nele": ColNaissance, "nee": ColNaissance,
	"telephone": ColTelephone, "tel": ColTelephone, "portable": ColTelephone, "mobile": ColTelephone,
	"email": ColEmail, "mail": ColEmail, "courriel": ColEmail, "adressemail": ColEmail, "adresseemail": ColEmail,
	"date": ColDate, "daterdv": ColDate, "datedurendezvous": ColDate, "daterendezvous": ColDate,
	"heure": ColHeure, "heurerdv": ColHeure, "heuredurendezvous": ColHeure,
	"agenda": ColAgenda, "agent": ColAgenda, "guichet": ColAgenda,
	"motif": ColMotif,
}

// rdvColumns are the cells of an RDV: all or none on a line.
var rdvColumns = []Column{ColDate, ColHeure, ColAgenda, ColMotif}

// Problem is one reason a line (or, line 1, the header) cannot be imported: a code of the
// catalogue (backend/messages) and its params; the door writes the text.
type Problem struct {
	Line    int               `json:"line"`
	Code    agenda.Code       `json:"code"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message,omitempty"` // the door's text (Report.Write)
}

// Reference is what the lines are checked against: the organisation's active agendas, its motifs,
// its zone and the clock.
type Reference struct {
	OrganisationID string
	Agents         []agenda.Agent
	Motifs         []agenda.Motif
	Loc            *time.Location
	Now            time.Time
}

// Plan is what a file without problems writes: usagers (each once, however many lines name
// them) and RDVs, each with its line.
type Plan struct {
	Usagers []PlannedUsager
	Rdvs    []PlannedRdv
}

// PlannedUsager is an usager of the file: new, or ExistingID when Match found them in the agenda.
type PlannedUsager struct {
	Line       int
	Usager     agenda.Usager
	ExistingID string
}

// PlannedRdv is an RDV of the file for Plan.Usagers[Usager], with the agenda named on its line.
type PlannedRdv struct {
	Line    int
	Usager  int
	MotifID string
	AgentID string
	Start   time.Time
}

// Check checks every line of sheet against ref and returns the plan, or every problem found
// (sorted by line): the import writes nothing unless there is none.
func Check(sheet Sheet, ref Reference) (Plan, []Problem) {
	cols, problems := columns(sheet.Header)
	if len(problems) > 0 {
		return Plan{}, problems
	}
	c := checker{ref: ref, today: agenda.DateOf(ref.Now.In(ref.Loc)), width: len(sheet.Header), serial: sheet.Serial}
	for _, row := range sheet.Rows {
		c.line(row, cols)
	}
	return c.plan, c.problems
}

// columns resolves the header: each known column once, nom and prénom present.
func columns(header []string) (map[Column]int, []Problem) {
	cols := map[Column]int{}
	var problems []Problem
	fail := func(code agenda.Code, column string) {
		problems = append(problems, Problem{Line: 1, Code: code, Params: map[string]string{"column": column}})
	}
	for i, h := range header {
		if strings.TrimSpace(h) == "" {
			continue
		}
		c, ok := headers[fold(h)]
		switch _, twice := cols[c]; {
		case !ok:
			fail(agenda.CodeImportColumnUnknown, strings.TrimSpace(h))
		case twice:
			fail(agenda.CodeImportColumnTwice, string(c))
		default:
			cols[c] = i
		}
	}
	for _, c := range []Column{ColNom, ColPrenom} {
		if _, ok := cols[c]; !ok {
			fail(agenda.CodeImportColumnMissing, string(c))
		}
	}
	return cols, problems
}

type checker struct {
	ref      Reference
	today    agenda.Date
	width    int  // the header's cells
	serial   bool // dates and times may be Excel's serial numbers (XLSX)
	plan     Plan
	problems []Problem
}

func (c *checker) fail(line int, code agenda.Code, params ...string) {
	p := Problem{Line: line, Code: code}
	if len(params) > 0 {
		p.Params = map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			p.Params[params[i]] = params[i+1]
		}
	}
	c.problems = append(c.problems, p)
}

// line checks one line: its usager, then its RDV if it has one.
func (c *checker) line(row Row, cols map[Column]int) {
	if len(row.Cells) > c.width && !blank(row.Cells[c.width:]) {
		c.fail(row.Line, agenda.CodeImportTooManyCells)
		return
	}
	cell := func(col Column) string {
		i, ok := cols[col]
		if !ok || i >= len(row.Cells) {
			return ""
		}
		return strings.TrimSpace(strings.Map(spaceToSpace, row.Cells[i]))
	}
	before := len(c.problems)
	u := agenda.Usager{OrganisationID: c.ref.OrganisationID, LastName: cell(ColNom), FirstName: cell(ColPrenom), Email: cell(ColEmail)}
	if s := cell(ColNaissance); s != "" {
		if d, ok := parseDate(s, c.serial); ok {
			u.BirthDate = d
		} else {
			c.fail(row.Line, agenda.CodeImportBirthDate, "value", s)
		}
	}
	if s := cell(ColTelephone); s != "" {
		phone, err := agenda.NormalizePhone(lostZero(s), "FR")
		if err != nil {
			c.fail(row.Line, agenda.CodeOf(err), "phone", s)
		}
		u.Phone = phone
	}
	u.NotifySMS, u.NotifyEmail = u.Phone != "", u.Email != ""
	u = u.Normalized()
	// A date or phone already refused above is left empty here: each fault is said once.
	if err := u.ValidateAt(c.today); err != nil {
		for _, f := range err.(agenda.ValidationError) {
			c.problems = append(c.problems, Problem{Line: row.Line, Code: f.Code, Params: args(f.Args)})
		}
	}
	rdv, hasRdv := c.rdv(row.Line, cell)
	if len(c.problems) > before {
		return
	}
	who := c.usager(row.Line, u)
	if hasRdv {
		rdv.Usager = who
		c.plan.Rdvs = append(c.plan.Rdvs, rdv)
	}
}

// rdv reads the line's RDV cells: none (false), or all of them checked.
func (c *checker) rdv(line int, cell func(Column) string) (PlannedRdv, bool) {
	if !slices.ContainsFunc(rdvColumns, func(col Column) bool { return cell(col) != "" }) {
		return PlannedRdv{}, false
	}
	for _, col := range rdvColumns {
		if cell(col) == "" {
			c.fail(line, agenda.CodeImportRdvIncomplete, "column", string(col))
			return PlannedRdv{}, true
		}
	}
	r := PlannedRdv{Line: line}
	day, okDay := parseDate(cell(ColDate), c.serial)
	if !okDay {
		c.fail(line, agenda.CodeImportDate, "value", cell(ColDate))
	}
	at, okTime := parseTime(cell(ColHeure), c.serial)
	if !okTime {
		c.fail(line, agenda.CodeImportTime, "value", cell(ColHeure))
	}
	if i := slices.IndexFunc(c.ref.Agents, func(a agenda.Agent) bool { return fold(a.Name) == fold(cell(ColAgenda)) }); i >= 0 {
		r.AgentID = c.ref.Agents[i].ID
	} else {
		c.fail(line, agenda.CodeImportAgendaUnknown, "value", cell(ColAgenda))
	}
	if i := slices.IndexFunc(c.ref.Motifs, func(m agenda.Motif) bool { return fold(m.Name) == fold(cell(ColMotif)) }); i >= 0 {
		r.MotifID = c.ref.Motifs[i].ID
	} else {
		c.fail(line, agenda.CodeImportMotifUnknown, "value", cell(ColMotif))
	}
	if okDay && okTime {
		r.Start = day.At(at, c.ref.Loc).UTC()
		if !r.Start.After(c.ref.Now) {
			c.fail(line, agenda.CodeImportRdvPast, "date", fr.ShortDate(day), "time", fr.Time(r.Start.In(c.ref.Loc)))
		}
	}
	return r, true
}

// usager returns the index of u in the plan: an earlier line's usager when it is the same person
// (agenda.SamePerson, or the very same cells), else a new one.
func (c *checker) usager(line int, u agenda.Usager) int {
	for i, p := range c.plan.Usagers {
		if agenda.SamePerson(p.Usager, u) || p.Usager == u {
			return i
		}
	}
	c.plan.Usagers = append(c.plan.Usagers, PlannedUsager{Line: line, Usager: u})
	return len(c.plan.Usagers) - 1
}

// args reads a FieldError's Args ("name=value;name=value").
func args(s string) map[string]string {
	if s == "" {
		return nil
	}
	out := map[string]string{}
	for _, kv := range strings.Split(s, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

// spaceToSpace turns the no-break spaces of French typography (« 9 h 30 ») into plain ones.
func spaceToSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return ' '
	}
	return r
}

// fold is a name as compared: lower case, without accents, spaces, hyphens or apostrophes
// (« Saint-Aubin » = « saint aubin », « Hélène » = « HELENE »).
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	frenchDate   = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)
	isoDate      = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	clockTime    = regexp.MustCompile(`^(\d{1,2}) ?(?:h|H|:) ?(\d{2})?(?::00)?$`)
	serialNumber = regexp.MustCompile(`^\d+(\.\d+)?$`)
)

// excelEpoch is day 0 of Excel's serial dates (1900 system, with its phantom 29/02/1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads jj/mm/aaaa (also with « . » or « - »), aaaa-mm-jj, or when serial an XLSX
// serial date.
func parseDate(s string, serial bool) (agenda.Date, bool) {
	var d agenda.Date
	if m := frenchDate.FindStringSubmatch(s); m != nil {
		d = agenda.Date{Year: atoi(m[3]), Month: time.Month(atoi(m[2])), Day: atoi(m[1])}
	} else if m := isoDate.FindStringSubmatch(s); m != nil {
		d = agenda.Date{Year: atoi(m[1]), Month: time.Month(atoi(m[2])), Day: atoi(m[3])}
	} else if serial && serialNumber.MatchString(s) {
		days, err := strconv.ParseFloat(s, 64)
		if err != nil || days < 1 || days > 80000 { // 1900 to 2119
			return d, false
		}
		return agenda.DateOf(excelEpoch.AddDate(0, 0, int(days))), true
	} else {
		return d, false
	}
	return d, d.Valid()
}

// parseTime reads « 9 h 30 », « 9h30 », « 14 h », 09:30, 09:30:00, or when serial an XLSX time
// (a fraction of a day).
func parseTime(s string, serial bool) (agenda.ClockTime, bool) {
	if m := clockTime.FindStringSubmatch(s); m != nil {
		h, min := atoi(m[1]), atoi(m[2])
		return agenda.Clk(h, min), h < 24 && min < 60
	}
	if serial && serialNumber.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f >= 1 {
			return 0, false
		}
		minutes := int(f*24*60 + 0.5)
		return agenda.ClockTime(minutes), minutes < 24*60
	}
	return 0, false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// lostZero puts back the leading 0 a spreadsheet drops from a phone number typed as a number
// (612345678 for 06 12 34 56 78).
func lostZero(s string) string {
	if len(s) == 9 && s[0] != '0' && strings.Trim(s, "0123456789") == "" {
		return "0" + s
	}
	return s
}
