package cli

import (
	"context"
	"fmt"
	"os"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/install"
	"rdvguichet/backend/onboarding"
	"rdvguichet/backend/store"
)

func init() {
	commands["init"] = command{"configure une commune dans un fichier vide à partir d’un fichier JSON (docs/exemples/init-mairie.json)", cmdInit}
}

// cmdInit is the assistant « Configurer ma commune » from a file, for a contractor who installs
// many communes: the same steps (backend/install), the same organisation.
func cmdInit(e *env, args []string) error {
	fs := flags(e, "init", "--db FICHIER --config FICHIER.json")
	db := fs.String("db", "", "fichier de données à créer (par défaut : le dossier de données)")
	cfgPath := fs.String("config", "", "la configuration de la commune (JSON, voir docs/exemples/init-mairie.json)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return usagef("--config est obligatoire : le fichier JSON qui décrit la commune")
	}
	f, err := os.Open(*cfgPath)
	if err != nil {
		return agenda.Errorf("cli.init", agenda.Invalid, "fichier de configuration %s introuvable ou illisible", *cfgPath)
	}
	cfg, err := onboarding.Read(f)
	f.Close()
	if err != nil {
		return err
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	ctx := context.Background()
	d, err := store.Open(path, store.Options{Clock: e.clock})
	if err != nil {
		return err
	}
	defer d.Close()
	orgs, err := d.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	if len(orgs) > 0 {
		return agenda.Errorf("cli.init", agenda.Invalid, "le fichier %s contient déjà l’agenda de « %s » : init n’écrit que dans un fichier vide", path, orgs[0].Name)
	}
	org := cfg.Organisation.AgendaOrganisation()
	loc, err := org.Location()
	if err != nil {
		return err
	}
	if err := install.All(ctx, d, cfg, agenda.DateOf(e.clock.Now().In(loc))); err != nil {
		return err
	}
	admin, _ := cfg.Admin()
	fmt.Fprintf(e.stdout, "« %s » configurée dans %s : %d lieu(x), %d agenda(s), %d motif(s). Connexion : %s, avec le mot de passe du fichier (à changer dans « Mon mot de passe »).\n",
		org.Name, path, len(cfg.Lieux), len(cfg.Agendas), len(cfg.Motifs), admin.Login)
	return nil
}
