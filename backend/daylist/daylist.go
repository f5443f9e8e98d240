// Package daylist prints the day list: the RDVs of one day at a lieu or on one agenda (the DR, a
// guichet), the sheet the agent keeps beside the counter (SCENARIOS.md, « 8:50, the day list »):
// time, usagers, phone, motif, number of documents, pré-demande numbers, the agents' note, and a
// reminder of the pièces à fournir of the day's motifs. Black and white, 12 pt and more, A4.
//
// Render only draws a List: the caller (the app) builds it from the store, so rendering is a pure
// function that tests call without a database.
package daylist

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/internal/pdffont"
)

// family is the embedded DejaVu Sans (backend/internal/pdffont).
const family = pdffont.Family

// List is one day list, already looked up.
type List struct {
	Organisation string
	Title        string // what the list covers: « Mairie », « DR — titres d'identité »
	Day          agenda.Date
	Location     *time.Location // the zone the times are written in
	Printed      time.Time      // written in the footer and the PDF's metadata
	Rows         []Row
	Pieces       []MotifPieces // the pièces à fournir of the day's motifs, once each
}

// Row is one RDV.
type Row struct {
	RdvID       string // for the screen's status buttons; not printed
	Start       time.Time
	Usagers     []string // « DUPONT Hélène »
	Phone       string   // as printed (« 06 12 34 56 78 »)
	PreDemandes []string // ANTS pré-demande numbers
	Motif       string
	Ants        bool // a passport or CNI motif: the number of titres is printed
	Documents   int
	Agent       string
	Context     string
	Status      string // empty while « à venir »; else the label (« Vu », « Annulé (excusé) »)
}

// MotifPieces is the reminder of what to bring for one motif.
type MotifPieces struct {
	Motif  string
	Pieces []string
}

// Layout, in millimetres and points.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	timeColW     = 30.0
	boxSize      = 5.0
	bodySize     = 12.0
	timeSize     = 14.0
	titleSize    = 17.0
)

func lineHeight(size float64) float64 { return size * 0.3528 * 1.35 }

// DocumentsText writes « 1 titre », « 3 titres ».
func DocumentsText(n int) string {
	if n <= 1 {
		return "1 titre"
	}
	return strconv.Itoa(n) + " titres"
}

// Render writes the list as an A4 PDF.
func Render(w io.Writer, l List) error {
	const op = "daylist.Render"
	loc := l.Location
	if loc == nil {
		loc = time.UTC
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.SetCreationDate(l.Printed)
	pdf.SetModificationDate(l.Printed)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Liste du jour — "+l.Title+" — "+fr.Day(l.Day), true)
	pdf.SetAuthor(l.Organisation, true)
	pdf.SetCreator("RDV Guichet", true)
	pdf.SetProducer("RDV Guichet", true)
	pdf.SetLang("fr-FR")
	pdffont.Add(pdf)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)
	pdf.AliasNbPages("{nb}")
	footer := fmt.Sprintf("%s — imprimée le %s", l.Organisation, fr.DateTime(l.Printed, loc))
	pdf.SetFooterFunc(func() {
		pdf.SetFont(family, "", 10)
		pdf.SetXY(margin, pageH-margin+3)
		pdf.CellFormat(pageW-2*margin, 5, footer, "", 0, "L", false, 0, "")
		pdf.SetXY(margin, pageH-margin+3)
		pdf.CellFormat(pageW-2*margin, 5, fmt.Sprintf("page %d/{nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})

	d := &doc{pdf: pdf, list: l, loc: loc}
	d.newPage(false)
	if len(l.Rows) == 0 {
		d.paragraph("Aucun rendez-vous ce jour.", false, bodySize, margin)
	}
	for _, r := range l.Rows {
		d.row(r)
	}
	d.pieces()
	if err := pdf.Output(w); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	return nil
}

type doc struct {
	pdf  *fpdf.Fpdf
	list List
	loc  *time.Location
	y    float64
}

const bottom = pageH - margin - 2

// newPage starts a page with the list's heading (shorter on the following pages).
func (d *doc) newPage(more bool) {
	d.pdf.AddPage()
	d.y = margin
	title := "Liste du jour — " + d.list.Title
	if more {
		title += " (suite)"
	} else {
		d.paragraph(d.list.Organisation, false, bodySize, margin)
	}
	d.paragraph(title, true, titleSize, margin)
	day := fr.Day(d.list.Day)
	day = strings.ToUpper(day[:1]) + day[1:]
	if !more {
		day += " — " + count(len(d.list.Rows))
	}
	d.paragraph(day, true, bodySize+1, margin)
	d.y += 2
	d.rule(0.6)
}

func count(n int) string {
	switch n {
	case 0:
		return "aucun rendez-vous"
	case 1:
		return "1 rendez-vous"
	}
	return strconv.Itoa(n) + " rendez-vous"
}

func (d *doc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(family, style, size)
}

// lines wraps s to width w in the given face.
func (d *doc) lines(s string, bold bool, size, w float64) []string {
	d.font(bold, size)
	return d.pdf.SplitText(s, w)
}

// paragraph writes wrapped text from x to the right margin and moves down.
func (d *doc) paragraph(s string, bold bool, size, x float64) {
	for _, line := range d.lines(s, bold, size, pageW-margin-x) {
		d.font(bold, size)
		d.pdf.SetXY(x, d.y)
		d.pdf.CellFormat(pageW-margin-x, lineHeight(size), line, "", 0, "L", false, 0, "")
		d.y += lineHeight(size)
	}
}

func (d *doc) rule(width float64) {
	d.pdf.SetLineWidth(width)
	d.pdf.Line(margin, d.y, pageW-margin, d.y)
}

type styledLine struct {
	text string
	bold bool
}

// row draws one RDV: the time on the left; usagers and phone, motif and documents, pré-demandes
// and note on the right; a box to tick on arrival. A row never splits across pages.
func (d *doc) row(r Row) {
	x := margin + timeColW
	w := pageW - margin - x - boxSize - 3
	var ls []styledLine
	add := func(s string, bold bool) {
		for _, l := range d.lines(s, bold, bodySize, w) {
			ls = append(ls, styledLine{l, bold})
		}
	}
	who := strings.Join(r.Usagers, ", ")
	if r.Phone != "" {
		who += " — " + r.Phone
	}
	add(who, true)
	what := r.Motif
	if r.Ants {
		what += " — " + DocumentsText(r.Documents)
	}
	if r.Agent != "" {
		what += " — " + r.Agent
	}
	if r.Status != "" {
		what += " — " + r.Status
	}
	add(what, false)
	if len(r.PreDemandes) > 0 {
		add("Pré-demande ANTS\u202f: "+strings.Join(r.PreDemandes, ", "), false)
	}
	if r.Context != "" {
		add("Note\u202f: "+r.Context, false)
	}
	h := float64(len(ls))*lineHeight(bodySize) + 4
	if d.y+h > bottom {
		d.newPage(true)
	}
	top := d.y + 2
	d.font(true, timeSize)
	d.pdf.SetXY(margin, top)
	d.pdf.CellFormat(timeColW, lineHeight(timeSize), fr.Time(r.Start.In(d.loc)), "", 0, "L", false, 0, "")
	y := top
	for _, l := range ls {
		d.font(l.bold, bodySize)
		d.pdf.SetXY(x, y)
		d.pdf.CellFormat(w, lineHeight(bodySize), l.text, "", 0, "L", false, 0, "")
		y += lineHeight(bodySize)
	}
	d.pdf.SetLineWidth(0.4)
	d.pdf.Rect(pageW-margin-boxSize, top+0.5, boxSize, boxSize, "D")
	d.y = top + h - 2
	d.rule(0.2)
}

// pieces writes the reminder of the pièces à fournir, once per motif of the day.
func (d *doc) pieces() {
	if len(d.list.Pieces) == 0 {
		return
	}
	d.y += 4
	if d.y+3*lineHeight(bodySize) > bottom {
		d.newPage(true)
	}
	d.paragraph("Pièces à fournir", true, bodySize+2, margin)
	for _, mp := range d.list.Pieces {
		need := float64(1+len(mp.Pieces)) * lineHeight(bodySize)
		if d.y+min(need, 4*lineHeight(bodySize)) > bottom {
			d.newPage(true)
		}
		d.y += 1
		d.paragraph(mp.Motif, true, bodySize, margin)
		for _, p := range mp.Pieces {
			ls := d.lines(p, false, bodySize, pageW-2*margin-6)
			for i, l := range ls {
				if d.y+lineHeight(bodySize) > bottom {
					d.newPage(true)
				}
				d.font(false, bodySize)
				if i == 0 {
					d.pdf.SetXY(margin+1, d.y)
					d.pdf.CellFormat(5, lineHeight(bodySize), "–", "", 0, "L", false, 0, "")
				}
				d.pdf.SetXY(margin+6, d.y)
				d.pdf.CellFormat(pageW-2*margin-6, lineHeight(bodySize), l, "", 0, "L", false, 0, "")
				d.y += lineHeight(bodySize)
			}
		}
	}
}
