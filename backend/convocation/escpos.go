package convocation

import (
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/printing"
)

// ESCPOS writes the ticket for an 80 mm thermal printer fed raw (no driver): the same content as
// the PDF ticket, in the printer's own font and code page (PC858), with the QR code printed by the
// printer (printing.QRNative) or as a bitmap for printers that lack GS ( k (printing.QRRaster).
// The logo is left out: printers keep their own in flash (FS p) and a bitmap slows them down.
func ESCPOS(c Convocation, qr printing.QRMode) ([]byte, error) {
	e := printing.NewESCPOS()
	e.Align(printing.Center).Bold(true).Line(c.Organisation).Bold(false)
	e.Line(strings.Repeat("-", printing.Columns80mm))
	e.Bold(true).Line("CONVOCATION").Line(typo(c.Title()))
	local := c.Start.In(c.loc())
	e.Size(1, 2).Line(fr.Day(agenda.DateOf(local)))
	e.Size(2, 2).Line("à "+fr.Time(local)).Size(1, 1).Bold(false)
	e.Line(typo("Durée : " + fr.Duration(c.Duration)))
	e.Feed(1).Align(printing.Left)
	if persons := c.personLines(); len(persons) > 0 {
		e.Line(typo("Pour : " + strings.Join(persons, ", ")))
	}
	for i, l := range c.placeLines() {
		e.Bold(i == 0).Line(typo(l))
	}
	e.Bold(false)
	for _, l := range c.resourceLines() {
		e.Line(typo(l))
	}
	if c.Lieu.Accessibility != "" && c.LocationType != agenda.Phone {
		e.Line(typo("Accessibilité : " + c.Lieu.Accessibility))
	}
	section := func(title string) { e.Feed(1).Bold(true).Line(typo(title)).Bold(false) }
	if c.Ants {
		section("PRÉ-DEMANDE ANTS")
		for _, l := range c.preDemandeLines() {
			e.Line(typo(l))
		}
	}
	if c.Instructions != "" {
		section("À SAVOIR")
		e.Line(typo(c.Instructions))
	}
	if len(c.Pieces) > 0 {
		section(strings.ToUpper(c.piecesHeading()))
		for _, p := range c.Pieces {
			e.Line(typo("[ ] " + p))
		}
		if l := c.bringLine(); l != "" {
			e.Line(typo(l))
		}
	}
	section("ANNULER OU DÉPLACER")
	e.Line(typo(c.cancelText()))
	e.Feed(1).Align(printing.Center)
	if err := e.QR(c.Token, 6, qr); err != nil {
		return nil, agenda.E("convocation.ESCPOS", agenda.Other, err)
	}
	e.Bold(true).Size(2, 2).Line(checkin.FormatShortCode(c.ShortCode)).Size(1, 1).Bold(false)
	e.Line(kioskHint)
	if s := issuedText(c); s != "" {
		e.Line(s)
	}
	e.Feed(3).Cut()
	return e.Bytes(), nil
}
