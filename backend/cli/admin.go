package cli

import (
	"context"
	"fmt"
	"os"

	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

func init() {
	commands["demo"] = command{"crée un agenda de démonstration dans un fichier vide", cmdDemo}
	commands["check"] = command{"vérifie l'intégrité et la version du schéma", cmdCheck}
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
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("fichier de données introuvable : %s", path)
	}
	return store.Open(path, store.Options{Clock: e.clock})
}

func cmdCheck(e *env, args []string) error {
	fs := flags(e, "check", "--db FICHIER")
	db := fs.String("db", "", "fichier de données à vérifier")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := openExisting(e, *db)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := d.Check()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Fichier : %s\nSchéma : version %d (cette version du logiciel : %d)\nIntégrité : %s\n",
		d.Path(), rep.SchemaVersion, store.SchemaVersion(), rep.Integrity)
	for _, t := range sortedKeys(rep.Counts) {
		fmt.Fprintf(e.stdout, "  %-22s %d\n", t, rep.Counts[t])
	}
	if rep.Integrity != "ok" {
		return fmt.Errorf("le fichier est endommagé (%s) : restaurez une sauvegarde avec « rdv-guichet restore »", rep.Integrity)
	}
	return nil
}

func cmdBackup(e *env, args []string) error {
	fs := flags(e, "backup", "--db FICHIER --out SAUVEGARDE")
	db := fs.String("db", "", "fichier de données à sauvegarder")
	out := fs.String("out", "", "fichier de sauvegarde à créer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("indiquez le fichier de sauvegarde à créer avec --out")
	}
	d, err := openExisting(e, *db)
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
	db := fs.String("db", "", "fichier de données à remplacer")
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
	kept, err := store.RestoreWith(path, *from, store.Options{Clock: e.clock})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sauvegarde %s restaurée dans %s.\n", *from, path)
	if kept != "" {
		fmt.Fprintf(e.stdout, "Les données remplacées sont conservées dans %s.\n", kept)
	}
	return nil
}
