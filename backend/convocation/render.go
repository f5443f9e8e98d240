package convocation

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/draw"
	"image/png"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/internal/pdffont"
)

// family is the embedded DejaVu Sans (backend/internal/pdffont).
const family = pdffont.Family

// Format is the paper a convocation is laid out for.
type Format int

const (
	A4     Format = iota // a full page, for the office printer or an e-mail attachment
	Ticket               // an 80 mm roll (72 mm printable), as long as its content
)

// ParseFormat reads --format: « a4 » or « ticket ».
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "", "a4":
		return A4, nil
	case "ticket", "80mm":
		return Ticket, nil
	}
	return A4, agenda.Errorf("convocation.ParseFormat", agenda.Invalid, "format « %s » inconnu : a4 ou ticket", s)
}

func (f Format) String() string {
	if f == Ticket {
		return "ticket"
	}
	return "a4"
}

// Paper sizes in millimetres.
const (
	TicketWidth     = 80.0
	TicketPrintable = 72.0
	a4Width         = 210.0
	a4Height        = 297.0
)

// Render writes c as a PDF laid out for f. It reads nothing but c (no clock, no files): the
// PDF's dates are c.Issued, so the same input gives the same bytes.
func Render(w io.Writer, c Convocation, f Format) error {
	return RenderAll(w, []Convocation{c}, f)
}

// RenderAll writes several convocations into one PDF, one page (A4) or one ticket each: the
// morning's batch for the post, or tomorrow's tickets. Most of a single document's cost is
// loading and subsetting the embedded font; a batch pays it once.
func RenderAll(w io.Writer, cs []Convocation, f Format) error {
	const op = "convocation.Render"
	if len(cs) == 0 {
		return agenda.Errorf(op, agenda.Invalid, "aucune convocation à écrire")
	}
	pdf := newPDF(cs)
	switch f {
	case A4:
		for _, c := range cs {
			drawA4(pdf, c)
		}
	case Ticket:
		// The roll is cut after the content, so each page is exactly as long as its ticket: lay
		// it out once on a very long page to measure it, then again on a page of that length.
		probe := newPDF(cs)
		for _, c := range cs {
			h := drawTicket(probe, c, 2000)
			drawTicket(pdf, c, h)
		}
		if err := probe.Error(); err != nil {
			return agenda.E(op, agenda.Other, err)
		}
	default:
		return agenda.Errorf(op, agenda.Invalid, "format %d inconnu", int(f))
	}
	if err := pdf.Output(w); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	return nil
}

func newPDF(cs []Convocation) *fpdf.Fpdf {
	c := cs[0]
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: a4Width, Ht: a4Height}})
	issued := c.Issued
	if issued.IsZero() {
		issued = c.Start
	}
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetCatalogSort(true)
	if len(cs) == 1 {
		pdf.SetTitle("Convocation — "+c.Motif, true)
	} else {
		pdf.SetTitle("Convocations", true)
	}
	pdf.SetAuthor(c.Organisation, true)
	pdf.SetCreator("RDV Guichet", true)
	pdf.SetProducer("RDV Guichet", true)
	pdf.SetLang("fr-FR")
	pdffont.Add(pdf)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	return pdf
}

// typo applies French spacing to a text, whatever its source (headings here, or motif and lieu
// data typed with plain spaces): a narrow no-break space before « : ; ! ? » and inside « ».
func typo(s string) string {
	if !strings.ContainsAny(s, ":;!?«»") {
		return s
	}
	r := strings.NewReplacer(
		" :", fr.NNBSP+":", "\u00a0:", fr.NNBSP+":",
		" ;", fr.NNBSP+";", " !", fr.NNBSP+"!", " ?", fr.NNBSP+"?",
		"« ", "«"+fr.NNBSP, " »", fr.NNBSP+"»",
	)
	return r.Replace(s)
}

// page draws text in a column and moves down; it adds pages when the text overflows an A4 page.
type page struct {
	pdf          *fpdf.Fpdf
	x, w         float64 // the column
	y            float64
	top, bottom  float64 // where text may go on a page
	accent       [3]int
	breakOnWrite bool // A4: new page on overflow; ticket: the page is as long as needed
}

// font sets the face; size in points.
func (p *page) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	p.pdf.SetFont(family, style, size)
}

// lineHeight for a size in points: 1.3 em, in millimetres.
func lineHeight(size float64) float64 { return size * 0.3528 * 1.3 }

// text writes a wrapped paragraph; indent applies to the lines after the first (hanging indent
// for list items), and align is "L" or "C".
func (p *page) text(s string, bold bool, size float64, align string, indent float64) {
	p.font(bold, size)
	lh := lineHeight(size)
	for i, line := range wrap(p.pdf, typo(s), p.w, indent) {
		x, w := p.x, p.w
		if i > 0 {
			x, w = p.x+indent, p.w-indent
		}
		p.need(lh)
		p.pdf.SetXY(x, p.y)
		p.pdf.CellFormat(w, lh, line, "", 0, align, false, 0, "")
		p.y += lh
	}
}

// need starts a new page when h more millimetres do not fit.
func (p *page) need(h float64) {
	if p.breakOnWrite && p.y+h > p.bottom {
		p.pdf.AddPage()
		p.y = p.top
	}
}

func (p *page) gap(h float64) { p.y += h }

// heading writes a section title with a mark in the organisation's colour in front.
func (p *page) heading(s string, size float64) {
	lh := lineHeight(size)
	p.need(lh * 3) // never a heading alone at the foot of a page
	p.pdf.SetFillColor(p.accent[0], p.accent[1], p.accent[2])
	p.pdf.Rect(p.x, p.y+lh*0.15, 1.4, lh*0.7, "F")
	saved := p.x
	p.x += 3
	p.w -= 3
	p.text(s, true, size, "L", 0)
	p.x = saved
	p.w += 3
}

// rule draws a horizontal line in the accent colour across the column.
func (p *page) rule(width float64) {
	p.pdf.SetDrawColor(p.accent[0], p.accent[1], p.accent[2])
	p.pdf.SetLineWidth(width)
	p.pdf.Line(p.x, p.y, p.x+p.w, p.y)
	p.pdf.SetLineWidth(0.2)
	p.pdf.SetDrawColor(0, 0, 0)
}

// item writes a list item with a box the usager can tick while gathering the pièces.
func (p *page) item(s string, size float64) {
	p.font(false, size)
	box := "☐ "
	p.text(box+s, false, size, "L", p.pdf.GetStringWidth(box))
}

// wrap splits s into lines no wider than w (the first) and w-indent (the others). Lines break at
// plain spaces only: no-break spaces (« 9 h 30 », phone numbers, « : ») hold their words together,
// which fpdf's own SplitText does not respect. A word longer than a line is cut.
func wrap(pdf *fpdf.Fpdf, s string, w, indent float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Split(para, " ")
		cur := ""
		width := w
		for _, word := range words {
			if word == "" {
				continue
			}
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if pdf.GetStringWidth(try) <= width {
				cur = try
				continue
			}
			if cur != "" {
				lines = append(lines, cur)
				width = w - indent
			}
			// A word alone wider than the line: cut it where it overflows.
			for pdf.GetStringWidth(word) > width {
				n := fitRunes(pdf, word, width)
				lines = append(lines, word[:n])
				width = w - indent
				word = word[n:]
			}
			cur = word
		}
		if cur != "" || len(words) == 0 || para == "" {
			lines = append(lines, cur)
		}
		width = w - indent
	}
	return lines
}

// fitRunes returns how many bytes of s fit in width (at least one rune).
func fitRunes(pdf *fpdf.Fpdf, s string, width float64) int {
	n := 0
	for i, r := range s {
		end := i + utf8.RuneLen(r)
		if pdf.GetStringWidth(s[:end]) > width && n > 0 {
			break
		}
		n = end
	}
	return n
}

// parseColor reads #RRGGBB; anything else gives a dark grey, so a bad setting never hides a mark.
func parseColor(s string) [3]int {
	if len(s) == 7 && s[0] == '#' {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			return [3]int{int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)}
		}
	}
	return [3]int{0x44, 0x44, 0x44}
}

// drawQR draws the token's QR code as filled squares (sharp at any printer resolution, and
// cheaper than an image) in a size×size square at (x, y), quiet zone included.
func drawQR(pdf *fpdf.Fpdf, token string, x, y, size float64) {
	q, err := qrcode.New(token, qrcode.Medium)
	if err != nil {
		pdf.SetError(err)
		return
	}
	bits := q.Bitmap() // with its 4-module quiet zone
	n := float64(len(bits))
	m := size / n
	pdf.SetFillColor(255, 255, 255)
	pdf.Rect(x, y, size, size, "F")
	pdf.SetFillColor(0, 0, 0)
	for row, line := range bits {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			start := col
			for col < len(line) && line[col] {
				col++
			}
			// A hair of overlap closes the seams some viewers draw between adjacent squares.
			pdf.Rect(x+float64(start)*m, y+float64(row)*m, float64(col-start)*m+0.01, m+0.01, "F")
		}
	}
}

// logo registers the organisation's PNG logo and returns its name and aspect ratio (width over
// height), or "" when there is none or it cannot be read. It is decoded and re-encoded as plain
// 8-bit PNG first: fpdf refuses interlaced and 16-bit files, and a refused image would fail the
// whole document.
func logo(pdf *fpdf.Fpdf, data []byte) (string, float64) {
	if len(data) == 0 {
		return "", 0
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return "", 0
	}
	b := img.Bounds()
	if b.Dx() == 0 || b.Dy() == 0 {
		return "", 0
	}
	rgba := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, rgba); err != nil {
		return "", 0
	}
	// Named after its content: in a batch, fpdf reuses an image registered under the same name.
	sum := sha256.Sum256(data)
	name := "logo-" + hex.EncodeToString(sum[:8])
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	if pdf.Err() {
		return "", 0
	}
	return name, float64(b.Dx()) / float64(b.Dy())
}

// personLines lists who is convoked, with their ANTS pré-demande number when the motif needs one.
func (c Convocation) personLines() []string {
	var out []string
	for _, p := range c.Persons {
		out = append(out, p.Name)
	}
	return out
}

// preDemandeLines is the ANTS block: each person's number, or the reminder to make one.
func (c Convocation) preDemandeLines() []string {
	var out []string
	missing := false
	for _, p := range c.Persons {
		if p.PreDemande != "" {
			out = append(out, p.Name+" : pré-demande n°\u00a0"+p.PreDemande)
		} else {
			out = append(out, p.Name+" : numéro de pré-demande non communiqué")
			missing = true
		}
	}
	if missing || len(c.Persons) == 0 {
		out = append(out, preDemandeReminder)
	}
	return out
}

func issuedText(c Convocation) string {
	if c.Issued.IsZero() {
		return ""
	}
	return "Convocation éditée le " + fr.Day(agenda.DateOf(c.Issued.In(c.loc())))
}

func drawA4(pdf *fpdf.Fpdf, c Convocation) {
	const margin, top = 18.0, 14.0
	pdf.AddPageFormat("P", fpdf.SizeType{Wd: a4Width, Ht: a4Height})
	pdf.SetTextColor(0, 0, 0)
	width := a4Width - 2*margin
	p := &page{pdf: pdf, x: margin, w: width, y: top, top: top, bottom: a4Height - 16, accent: parseColor(c.Accent), breakOnWrite: true}

	// Header: logo and organisation name, then a rule in the organisation's colour.
	nameX, headH := margin, 10.0
	if name, ratio := logo(pdf, c.LogoPNG); name != "" {
		h := 18.0
		w := h * ratio
		if w > 45 {
			w, h = 45, 45/ratio
		}
		pdf.ImageOptions(name, margin, top, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		nameX, headH = margin+w+5, max(h, 10)
	}
	p.x, p.w = nameX, margin+width-nameX
	p.y = top + headH/2 - lineHeight(17)/2
	p.text(c.Organisation, true, 17, "L", 0)
	p.x, p.w = margin, width
	p.y = top + headH + 4
	p.rule(1.2)
	p.gap(7)

	// Left column: the appointment itself; right column: the QR code and the short code.
	const qrSize, colGap = 46.0, 8.0
	colTop := p.y
	p.w = width - qrSize - colGap
	p.text("Convocation", true, 22, "L", 0)
	p.gap(2)
	p.text(c.Title(), true, 16, "L", 0)
	p.gap(1)
	p.text(c.When(), true, 15, "L", 0)
	p.text("Durée : "+fr.Duration(c.Duration), false, 12, "L", 0)
	p.gap(4)
	if persons := c.personLines(); len(persons) > 0 {
		p.text("Pour : "+strings.Join(persons, ", "), false, 12, "L", 0)
		p.gap(3)
	}
	for i, l := range c.placeLines() {
		p.text(l, i == 0, 12, "L", 0)
	}
	for _, l := range c.resourceLines() {
		p.text(l, false, 12, "L", 0)
	}
	if c.Lieu.Accessibility != "" && c.LocationType != agenda.Phone {
		p.gap(1)
		p.text("Accessibilité : "+c.Lieu.Accessibility, false, 10.5, "L", 0)
	}
	leftEnd := p.y

	qrX := margin + width - qrSize
	drawQR(pdf, c.Token, qrX, colTop, qrSize)
	right := &page{pdf: pdf, x: qrX, w: qrSize, y: colTop + qrSize + 1, accent: p.accent}
	right.text(checkin.FormatShortCode(c.ShortCode), true, 17, "C", 0)
	right.gap(1)
	right.text(kioskHint, false, 9, "C", 0)

	p.y = max(leftEnd, right.y) + 6
	p.w = width

	p.sections(c, sectionSizes{heading: 13, body: 11, after: 4, itemGap: 0.8})

	// Footer on the last page: issue date and reference.
	p.y = a4Height - 14
	p.breakOnWrite = false
	foot := issuedText(c)
	if foot != "" {
		foot += " — "
	}
	p.text(foot+"référence "+checkin.FormatShortCode(c.ShortCode), false, 8.5, "C", 0)
}

// drawTicket lays the ticket out on a new page height millimetres long and returns the length
// of paper it needs.
func drawTicket(pdf *fpdf.Fpdf, c Convocation, height float64) float64 {
	const margin = (TicketWidth - TicketPrintable) / 2
	pdf.AddPageFormat("P", fpdf.SizeType{Wd: TicketWidth, Ht: height})
	pdf.SetTextColor(0, 0, 0)
	p := &page{pdf: pdf, x: margin, w: TicketPrintable, y: 4, accent: parseColor(c.Accent)}

	if name, ratio := logo(pdf, c.LogoPNG); name != "" {
		h := 14.0
		w := h * ratio
		if w > 50 {
			w, h = 50, 50/ratio
		}
		pdf.ImageOptions(name, (TicketWidth-w)/2, p.y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		p.gap(h + 2)
	}
	p.text(c.Organisation, true, 12, "C", 0)
	p.gap(1.5)
	p.rule(0.8)
	p.gap(2.5)
	p.text("Convocation", true, 10, "C", 0)
	p.gap(1)
	p.text(c.Title(), true, 13, "C", 0)
	p.gap(1)
	// Day and time on two lines: a narrow roll would otherwise cut the sentence anywhere.
	local := c.Start.In(c.loc())
	p.text(fr.Day(agenda.DateOf(local)), true, 12, "C", 0)
	p.text("à "+fr.Time(local), true, 12, "C", 0)
	p.text("Durée : "+fr.Duration(c.Duration), false, 10, "C", 0)
	p.gap(2.5)
	if persons := c.personLines(); len(persons) > 0 {
		p.text("Pour : "+strings.Join(persons, ", "), false, 10, "L", 0)
		p.gap(1.5)
	}
	for i, l := range c.placeLines() {
		p.text(l, i == 0, 10, "L", 0)
	}
	for _, l := range c.resourceLines() {
		p.text(l, false, 10, "L", 0)
	}
	if c.Lieu.Accessibility != "" && c.LocationType != agenda.Phone {
		p.text("Accessibilité : "+c.Lieu.Accessibility, false, 8.5, "L", 0)
	}
	p.gap(3)
	p.sections(c, sectionSizes{heading: 10, body: 9, after: 2.5, itemGap: 0.6})
	p.gap(3)
	p.rule(0.3)
	p.gap(3)

	const qrSize = 40.0
	drawQR(pdf, c.Token, (TicketWidth-qrSize)/2, p.y, qrSize)
	p.gap(qrSize + 1)
	p.text(checkin.FormatShortCode(c.ShortCode), true, 16, "C", 0)
	p.gap(0.5)
	p.text(kioskHint, false, 8.5, "C", 0)
	if s := issuedText(c); s != "" {
		p.gap(1.5)
		p.text(s, false, 7.5, "C", 0)
	}
	return p.y + 8
}

// sectionSizes sets the type and spacing of the convocation's sections for one format.
type sectionSizes struct {
	heading, body float64 // font sizes in points
	after         float64 // space after a section, mm
	itemGap       float64 // space between pièces, mm
}

// sections writes what the usager must know, the same on both formats: the ANTS pré-demande,
// the motif's instructions, the pièces à fournir, and how to cancel or move.
func (p *page) sections(c Convocation, z sectionSizes) {
	if c.Ants {
		p.heading("Pré-demande ANTS", z.heading)
		for _, l := range c.preDemandeLines() {
			p.text(l, false, z.body, "L", 0)
		}
		p.gap(z.after)
	}
	if c.Instructions != "" {
		p.heading("À savoir", z.heading)
		p.text(c.Instructions, false, z.body, "L", 0)
		p.gap(z.after)
	}
	if len(c.Pieces) > 0 {
		p.heading(c.piecesHeading(), z.heading)
		for _, piece := range c.Pieces {
			p.item(piece, z.body)
			p.gap(z.itemGap)
		}
		if l := c.bringLine(); l != "" {
			p.text(l, false, z.body, "L", 0)
			p.gap(z.itemGap)
		}
		p.gap(z.after - z.itemGap)
	}
	p.heading("Annuler ou déplacer", z.heading)
	p.text(c.cancelText(), false, z.body, "L", 0)
}
