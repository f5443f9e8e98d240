package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/store"
)

func init() {
	commands["demo"] = command{"crée un agenda de démonstration dans un fichier vide", cmdDemo}
	commands["check"] = command{"vérifie l’intégrité et la version du schéma", cmdCheck}
	commands["backup"] = command{"sauvegarde les données dans un fichier", cmdBackup}
	commands["restore"] = command{"remplace les données par une sauvegarde", cmdRestore}
}

// dbPath resolves --db: the flag, else RDV_GUICHET_DB, else the default data folder.
func dbPath(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	return store.DefaultPath()
}

// DemoDays is how far the demo's RDVs reach on each side of today (about three months in all).
const DemoDays = 45

func cmdDemo(e *env, args []string) error {
	fs := flags(e, "demo", "--db FICHIER")
	db := fs.String("db", "", "fichier de données à créer (par défaut : le dossier de données)")
	if err := parse(fs, args); err != nil {
		return err
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	sum, err := demo.Create(context.Background(), path, e.clock.Now(), DemoDays)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Agenda de démonstration « %s » créé dans %s : %d lieux, %d agendas, %d motifs, %d plages, %d absences, %d usagers, %d rendez-vous.\n",
		sum.Organisation, path, sum.Lieux, sum.Agents, sum.Motifs, sum.Plages, sum.Absences, sum.Usagers, sum.Rdvs)
	return nil
}

// openExisting opens a data file that must already exist: check, backup and the search commands
// must not create an empty file by mistake.
func openExisting(e *env, flagValue string) (*store.DB, error) {
	return openExistingWith(e, flagValue, store.Options{})
}

func openExistingWith(e *env, flagValue string, opts store.Options) (*store.DB, error) {
	const op = "cli.open"
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, agenda.Fail(op, agenda.CodeDatabaseMissing, "path", path)
	case err != nil:
		return nil, agenda.Fail(op, agenda.CodeDatabaseUnreadable, "path", path)
	case st.IsDir():
		return nil, agenda.Fail(op, agenda.CodeDatabaseIsDir, "path", path)
	}
	opts.Clock = e.clock
	return store.Open(path, opts)
}

// cmdCheck runs the full integrity check on a file opened read-only: it never creates a schema,
// never migrates, never writes. An index that disagrees with its table is reported; --repair
// rebuilds it (after a backup), the one write check makes.
func cmdCheck(e *env, args []string) error {
	fs := flags(e, "check", "--db FICHIER [--repair]")
	db := fs.String("db", "", "fichier de données à vérifier")
	repair := fs.Bool("repair", false, "reconstruit les index abîmés, après une sauvegarde (RDV Guichet fermé de préférence)")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts := store.Options{ReadOnly: true}
	if *repair {
		opts = store.Options{NoMigrate: true}
	}
	d, err := openExistingWith(e, *db, opts)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := d.Check()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Fichier : %s\nSchéma : version %d (cette version du logiciel : %d)\n",
		d.Path(), rep.SchemaVersion, store.SchemaVersion())
	if rep.Integrity != "ok" {
		ir, err := d.VerifyIntegrity(context.Background(), *repair)
		if err != nil {
			return err
		}
		if !ir.Repaired {
			return agenda.Fail("cli.check", agenda.CodeDatabaseIndexFault, "path", d.Path())
		}
		code, params := ir.Notice()
		fmt.Fprintln(e.stdout, messages.Text(messages.French, code, params))
		if rep, err = d.Check(); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Intégrité : %s\n", rep.Integrity)
	for _, t := range sortedKeys(rep.Counts) {
		fmt.Fprintf(e.stdout, "  %-22s %d\n", t, rep.Counts[t])
	}
	return nil
}

func cmdBackup(e *env, args []string) error {
	fs := flags(e, "backup", "--db FICHIER --out SAUVEGARDE")
	db := fs.String("db", "", "fichier de données à sauvegarder")
	out := fs.String("out", "", "fichier de sauvegarde à créer (jamais un fichier existant)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("indiquez le fichier de sauvegarde à créer avec --out")
	}
	d, err := openExistingWith(e, *db, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(*out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sauvegarde écrite : %s\n", *out)
	return nil
}

func cmdRestore(e *env, args []string) error {
	fs := flags(e, "restore", "--db FICHIER --from SAUVEGARDE")
	db := fs.String("db", "", "fichier de données à remplacer (RDV Guichet doit être fermé)")
	from := fs.String("from", "", "sauvegarde à restaurer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("indiquez la sauvegarde à restaurer avec --from")
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	// Ctrl+C or a shutdown stops the copy and removes the temporary file: the data file is only
	// replaced at the end, in one rename.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	kept, err := store.RestoreContext(ctx, path, *from, store.Options{Clock: e.clock})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sauvegarde %s restaurée dans %s.\n", *from, path)
	if kept != "" {
		fmt.Fprintf(e.stdout, "Les données remplacées sont conservées dans %s.\n", kept)
	}
	return nil
}
