// Package export writes an usager's personal data as a readable PDF, the « lisible » companion of
// the JSON export (Paramètres › Données personnelles › Exporter les données de l'usager): their
// record, their rendez-vous (« mardi 3 mars 2026 à 9 h 30 », motif, lieu, status, history) and
// the messages sent to them. Black and white, 11 pt and more, A4, the DejaVu font embedded (as
// backend/daylist).
//
// Render only draws an Usager: the caller (the app) builds it from store.ExportUsager, so that
// rendering is a pure function that tests call without a database.
package export

import (
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

// Usager is everything the PDF shows, already looked up and written in French, except the dates,
// which Render writes in Location.
type Usager struct {
	Organisation string
	Location     *time.Location // the zone the times are written in
	Exported     time.Time      // written under the title, in the footer and the metadata

	Name      string // « DUPONT Hélène »
	Fields    []Field
	Relatives []string // the usagers they are responsible for, « DUPONT Noé »
	Rdvs      []Rdv
	Messages  []Message
	Attempts  int    // the sending attempts recorded (detailed in the JSON)
	Note      string // a closing sentence
}

// Field is one line of the record: « Téléphone : 06 12 34 56 78 ».
type Field struct{ Label, Value string }

// Rdv is one rendez-vous of the usager.
type Rdv struct {
	Start   time.Time
	End     time.Time
	Motif   string
	Lieu    string
	Status  string   // « Rendez-vous honoré », « Annulé (excusé) »
	Agents  []string // « Claire Martin »
	History []string // « le lundi 2 mars 2026 à 10 h 00, par Claire Martin : pris »
}

// Message is one message planned or sent to the usager.
type Message struct {
	At        time.Time // when it left (or is due)
	Label     string    // « Confirmation », « Rappel »
	Channel   string    // « SMS », « Courriel »
	Recipient string    // as written (« 06 12 34 56 78 »)
	State     string    // « Envoyé », « En attente »
}

// Layout, in millimetres and points.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 18.0
	bodySize     = 11.0
	headSize     = 13.0
	titleSize    = 17.0
	bottom       = pageH - margin - 2
)

func lineHeight(size float64) float64 { return size * 0.3528 * 1.35 }

// label writes « Motif : » with the narrow no-break space of French typography.
func label(l, v string) string { return l + fr.NNBSP + ": " + v }

// Render writes the usager's data as an A4 PDF.
func Render(w io.Writer, u Usager) error {
	const op = "export.Render"
	loc := u.Location
	if loc == nil {
		loc = time.UTC
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.SetCreationDate(u.Exported)
	pdf.SetModificationDate(u.Exported)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Données personnelles — "+u.Name, true)
	pdf.SetAuthor(u.Organisation, true)
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
	footer := u.Organisation + " — données de " + u.Name + ", exportées le " + fr.DateTime(u.Exported, loc)
	pdf.SetFooterFunc(func() {
		pdf.SetFont(family, "", 9)
		y := pageH - margin + 2
		for _, line := range pdf.SplitText(footer, pageW-2*margin) {
			pdf.SetXY(margin, y)
			pdf.CellFormat(pageW-2*margin, 4, line, "", 0, "L", false, 0, "")
			y += 4
		}
		pdf.SetXY(margin, y)
		pdf.CellFormat(pageW-2*margin, 4, "page "+strconv.Itoa(pdf.PageNo())+"/{nb}", "", 0, "R", false, 0, "")
	})

	d := &doc{pdf: pdf, loc: loc}
	pdf.AddPage()
	d.y = margin
	d.text(u.Organisation, false, bodySize, 0)
	d.text("Données personnelles de "+u.Name, true, titleSize, 0)
	d.text("Export du "+fr.DateTime(u.Exported, loc)+", au titre du droit d’accès (RGPD, article 15).", false, bodySize, 0)
	d.gap(2)
	d.rule(0.6)

	d.heading("Fiche de l’usager")
	for _, f := range u.Fields {
		d.text(label(f.Label, f.Value), false, bodySize, 0)
	}
	if len(u.Relatives) > 0 {
		d.text(label("Personnes dont l’usager est responsable", strings.Join(u.Relatives, ", ")), false, bodySize, 0)
	}

	d.heading("Rendez-vous (" + count(len(u.Rdvs), "aucun", "rendez-vous", "rendez-vous") + ")")
	if len(u.Rdvs) == 0 {
		d.text("Aucun rendez-vous.", false, bodySize, 0)
	}
	for _, r := range u.Rdvs {
		d.rdv(r)
	}

	d.heading("Messages à l’usager (" + count(len(u.Messages), "aucun", "message", "messages") + ")")
	if len(u.Messages) == 0 {
		d.text("Aucun message.", false, bodySize, 0)
	}
	for _, m := range u.Messages {
		line := m.Label + " — " + m.Channel
		if m.Recipient != "" {
			line += " à " + m.Recipient
		}
		line += " — " + m.State
		if !m.At.IsZero() {
			line += " — " + fr.DateTime(m.At, loc)
		}
		d.keep(lineHeight(bodySize))
		d.text(line, false, bodySize, 0)
	}
	if u.Attempts > 0 {
		d.gap(1)
		d.text(count(u.Attempts, "aucune", "tentative d’envoi enregistrée", "tentatives d’envoi enregistrées")+
			" (réponses des fournisseurs) : le détail figure dans l’export JSON.", false, bodySize, 0)
	}
	if u.Note != "" {
		d.gap(3)
		d.text(u.Note, false, bodySize, 0)
	}
	if err := pdf.Output(w); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	return nil
}

func count(n int, zero, one, many string) string {
	switch n {
	case 0:
		return zero
	case 1:
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

type doc struct {
	pdf *fpdf.Fpdf
	loc *time.Location
	y   float64
}

func (d *doc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(family, style, size)
}

// keep starts a new page unless h millimetres fit on this one.
func (d *doc) keep(h float64) {
	if d.y+h > bottom {
		d.pdf.AddPage()
		d.y = margin
	}
}

func (d *doc) gap(h float64) { d.y += h }

func (d *doc) rule(width float64) {
	d.pdf.SetLineWidth(width)
	d.pdf.Line(margin, d.y, pageW-margin, d.y)
	d.y += 1
}

// text writes s wrapped from the left margin (+ indent) to the right one, page by page.
func (d *doc) text(s string, bold bool, size, indent float64) {
	w := pageW - 2*margin - indent
	d.font(bold, size)
	for _, line := range d.pdf.SplitText(s, w) {
		d.keep(lineHeight(size))
		d.font(bold, size)
		d.pdf.SetXY(margin+indent, d.y)
		d.pdf.CellFormat(w, lineHeight(size), line, "", 0, "L", false, 0, "")
		d.y += lineHeight(size)
	}
}

func (d *doc) heading(s string) {
	d.gap(4)
	d.keep(lineHeight(headSize) + 3*lineHeight(bodySize))
	d.text(s, true, headSize, 0)
	d.gap(1)
}

// rdv writes one rendez-vous; its first lines stay together.
func (d *doc) rdv(r Rdv) {
	d.gap(2)
	// The whole RDV on one page (its lines, wrapping aside).
	d.keep(float64(5+len(r.History)) * lineHeight(bodySize))
	when := fr.DateTime(r.Start, d.loc)
	when = strings.ToUpper(when[:1]) + when[1:]
	if !r.End.IsZero() && r.End.After(r.Start) {
		when += " (" + fr.Duration(r.End.Sub(r.Start)) + ")"
	}
	d.text(when, true, bodySize, 0)
	d.text(label("Motif", r.Motif), false, bodySize, 5)
	if r.Lieu != "" {
		d.text(label("Lieu", r.Lieu), false, bodySize, 5)
	}
	d.text(label("Statut", r.Status), false, bodySize, 5)
	if len(r.Agents) > 0 {
		d.text(label("Avec", strings.Join(r.Agents, ", ")), false, bodySize, 5)
	}
	if len(r.History) > 0 {
		d.text("Historique"+fr.NNBSP+":", false, bodySize, 5)
		for _, h := range r.History {
			d.text("– "+h, false, bodySize, 10)
		}
	}
}
