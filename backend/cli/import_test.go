package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/importer"
)

// The demo's afternoons of Karim Benali are outside his plages: the RDVs go in as an agent
// would book them, and say so.
const goodLines = "Nouvelle;Alice;12/05/1990;06 01 02 03 04;;21/04/2026;14 h 00;Karim Benali;Aide retraite\n" +
	"Nouvelle;Alice;12/05/1990;06 01 02 03 04;;21/04/2026;15:00;Karim Benali;Aide CAF (prestations, dossier)\n" +
	"Importé;Bruno;01/02/1975;;;21/04/2026;16 h;Karim Benali;Aide impôts (déclaration en ligne)\n" +
	"Importé;Chloé;;07 01 02 03 04;;23/04/2026;14 h 30;Karim Benali;Aide CAF (prestations, dossier)\n" +
	"Sans;Rendez-vous;03/03/1960;;;;;;\n"

const importHeader = "nom;prénom;date de naissance;téléphone;e-mail;date;heure;agenda;motif\n"

func writeImport(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "agenda.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// `rdv-guichet import`: a file with two bad lines exits 1, lists them with their reasons and
// writes nothing; --dry-run of the corrected file counts without writing; the import writes it.
func TestImportCommand(t *testing.T) {
	db := demoDB(t)
	bad := writeImport(t, importHeader+goodLines+
		"Erreur;Date;31/02/1980;;;;;;\n"+
		"Erreur;Motif;;;;21/04/2026;17 h 00;Karim Benali;Permis de chasse\n")
	code, out, errs := runCLI(t, tuesday, "import", "--db", db, bad)
	if code != 1 || !strings.Contains(errs, "ligne 7 : Date de naissance « 31/02/1980 » illisible") ||
		!strings.Contains(errs, "ligne 8 : Motif « Permis de chasse » inconnu") || !strings.Contains(errs, "Import refusé : 2 ligne(s) à corriger") {
		t.Fatalf("bad file: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, tuesday, "import", bad, "--db", db, "--json")
	var rep importer.Report
	if code != 1 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Problems) != 2 || rep.Problems[1].Code != agenda.CodeImportMotifUnknown || rep.Imported {
		t.Fatalf("bad file, --json: exit %d %+v\n%s", code, rep, out)
	}

	good := writeImport(t, importHeader+goodLines)
	code, out, errs = runCLI(t, tuesday, "import", "--db", db, "--dry-run", good)
	if code != 0 || !strings.Contains(out, "5 ligne(s) lue(s) : 4 usager(s) nouveau(x), 0 déjà dans l’agenda, 4 rendez-vous à importer (essai") ||
		!strings.Contains(out, "Aucun message ne part à l’import ; 0 rappel(s) prévu(s)") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, tuesday, "import", "--db", db, "--json", good)
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || !rep.Imported || rep.Rdvs != 4 || len(rep.Notices) != 4 {
		t.Fatalf("import: exit %d %+v\n%s%s", code, rep, out, errs)
	}
	// Again: the usagers are found, and every RDV is now an overlap.
	code, _, errs = runCLI(t, tuesday, "import", "--db", db, good)
	if code != 1 || strings.Count(errs, "L’agenda est déjà occupé à cette heure") != 4 {
		t.Fatalf("second import: exit %d\n%s", code, errs)
	}
	if code, _, errs := runCLI(t, tuesday, "import", "--db", db); code != 2 || !strings.Contains(errs, "indiquez un fichier à importer") {
		t.Errorf("no file: exit %d %s", code, errs)
	}
}
