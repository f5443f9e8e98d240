package importer

import _ "embed"

// Template is the file « Télécharger le modèle » gives (also docs/exemples/import-modele.csv):
// the columns in the order of the form, and example lines to replace. UTF-8 with a BOM, « ; »
// and CRLF, so that Excel in France opens it with its accents and its columns.
//
//go:embed modele.csv
var Template []byte

// TemplateName is the template's file name when downloaded.
const TemplateName = "import-modele.csv"
