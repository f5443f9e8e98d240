// Package pdffont embeds DejaVu Sans once for every PDF the app writes (convocations, the day
// list, the usager's data export): the PDF core fonts only know cp1252 and are not embedded, and
// Windows PCs have no DejaVu, so « é », « œ », « € » and the narrow no-break space of « 9 h 30 »
// would not print the same everywhere. Licence: LICENSE in this folder.
package pdffont

import (
	_ "embed"

	"codeberg.org/go-pdf/fpdf"
)

// Family is the font family name the documents use.
const Family = "DejaVu"

var (
	//go:embed DejaVuSans.ttf
	regular []byte
	//go:embed DejaVuSans-Bold.ttf
	bold []byte
)

// Add registers DejaVu Sans, regular and bold, in pdf.
func Add(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(Family, "", regular)
	pdf.AddUTF8FontFromBytes(Family, "B", bold)
}
