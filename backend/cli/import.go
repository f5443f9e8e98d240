package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/importer"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/store"
)

func init() {
	commands["import"] = command{"importe des usagers et leurs rendez-vous à venir depuis un tableur (CSV ou XLSX), tout ou rien", cmdImport}
}

// cmdImport is `import --db FICHIER [--dry-run] [--json] fichier.csv|xlsx`: the same checks and
// the same all-or-nothing transaction as Paramètres › Import (store.Import). Lines with problems
// are listed, each with its reason, and nothing is written (exit 1).
func cmdImport(e *env, args []string) error {
	fs := flags(e, "import", "--db FICHIER [--dry-run] [--json] fichier.csv|fichier.xlsx")
	dbFlag := fs.String("db", "", "fichier de données")
	dry := fs.Bool("dry-run", false, "tout vérifier sans rien écrire")
	asJSON := fs.Bool("json", false, "compte rendu en JSON : {\"lines\", \"newUsagers\", \"matched\", \"rdvs\", \"problems\", \"notices\", \"dryRun\", \"imported\"}")
	files, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("indiquez un fichier à importer, un seul (CSV ou XLSX)")
	}
	data, err := readImportFile(files[0])
	if err != nil {
		return err
	}
	sheet, err := importer.Read(data)
	if err != nil {
		return err
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := importInto(context.Background(), db, sheet, *dry)
	if err != nil {
		return err
	}
	rep.Write(func(c agenda.Code, p map[string]string) string { return messages.Text(messages.French, c, p) })
	if *asJSON {
		if err := writeJSON(e, rep); err != nil {
			return err
		}
		if refusal := rep.Refusal(); refusal != nil {
			return written{refusal}
		}
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(e.stderr, "ligne %d : %s\n", p.Line, p.Message)
	}
	if refusal := rep.Refusal(); refusal != nil {
		return refusal
	}
	fmt.Fprintln(e.stdout, importSentence(rep))
	return nil
}

// readImportFile reads the file to import, refusing at once one too large to be an agenda.
func readImportFile(path string) ([]byte, error) {
	const op = "cli.import"
	st, err := os.Stat(path)
	switch {
	case err != nil || st.IsDir():
		return nil, usagef("fichier à importer introuvable : « %s »", path)
	case st.Size() > importer.MaxBytes:
		return nil, agenda.Fail(op, agenda.CodeImportTooLarge, "max", "2 Mo")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("fichier à importer illisible : « %s »", path)
	}
	return data, nil
}

// importInto imports into the data file's organisation (an office's file has one).
func importInto(ctx context.Context, db *store.DB, sheet importer.Sheet, dry bool) (importer.Report, error) {
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		return importer.Report{}, err
	}
	if len(orgs) == 0 {
		return importer.Report{}, agenda.Fail("cli.import", agenda.CodeImportNoOrganisation)
	}
	return db.Import(ctx, orgs[0].ID, sheet, agenda.CLI, dry)
}

// importSentence says in French what an import did, or would do.
func importSentence(rep importer.Report) string {
	var b strings.Builder
	verb := "importés"
	if rep.DryRun {
		verb = "à importer (essai : rien n’a été écrit)"
	}
	fmt.Fprintf(&b, "%d ligne(s) lue(s) : %d usager(s) nouveau(x), %d déjà dans l’agenda, %d rendez-vous %s.",
		rep.Lines, rep.NewUsagers, len(rep.Matched), rep.Rdvs, verb)
	fmt.Fprintf(&b, "\nAucun message ne part à l’import ; %d rappel(s) prévu(s), chacun à l’heure habituelle avant son rendez-vous.", rep.Reminders)
	for _, m := range rep.Matched {
		fmt.Fprintf(&b, "\nligne %d : %s est déjà dans l’agenda, ses rendez-vous lui sont ajoutés.", m.Line, m.Name)
	}
	for _, n := range rep.Notices {
		fmt.Fprintf(&b, "\nligne %d : importé comme un agent peut le faire, malgré : %s", n.Line, n.Message)
	}
	return b.String()
}
