package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"

	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/protocol"
)

func init() {
	commands["sync"] = command{"synchronise l’agenda avec le serveur central (envoie, puis reçoit)", cmdSync}
	commands["organisation"] = command{"affiche l’identifiant de l’organisation du fichier (pour le serveur central)", cmdOrganisation}
}

// envSyncToken names the environment variable read when --token is absent: a token typed on the
// command line stays in the shell's history.
const envSyncToken = "RDV_GUICHET_SYNC_TOKEN"

// syncHTTP makes the HTTP client of « sync »; tests replace it.
var syncHTTP = func() *http.Client { return &http.Client{Timeout: client.DefaultTimeout} }

func cmdSync(e *env, args []string) error {
	fs := flags(e, "sync", "--db FICHIER [--server URL] [--token JETON] [--json]")
	db := fs.String("db", "", "fichier de données (par défaut : le dossier de données)")
	server := fs.String("server", "", "adresse du serveur central, par exemple https://rdv-central.example.fr (par défaut : la dernière utilisée)")
	token := fs.String("token", "", "jeton du guichet donné par « rdv-central office add » (par défaut : la variable "+envSyncToken+", sinon celui de Paramètres › Serveur central)")
	asJSON := fs.Bool("json", false, "résumé en JSON : {\"pushed\", \"rejected\", \"pulled\", …}")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *token == "" {
		*token = os.Getenv(envSyncToken)
	}
	d, err := openExisting(e, *db)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *token == "" {
		// The token saved in Paramètres › Serveur central, so that the office's IT contractor can
		// run a sync without finding the token again.
		if *token, err = d.SyncToken(ctx); err != nil {
			return err
		}
	}
	if *token == "" {
		return usagef("--token est obligatoire (ou la variable %s) : aucun jeton n’est enregistré dans Paramètres › Serveur central", envSyncToken)
	}
	if *server == "" {
		st, err := d.SyncStatus(ctx)
		if err != nil {
			return err
		}
		*server = st.ServerURL
	}
	if *server == "" {
		return usagef("--server est obligatoire pour la première synchronisation")
	}
	if !strings.HasPrefix(*server, "http://") && !strings.HasPrefix(*server, "https://") {
		return usagef("--server : « %s » n’est pas une adresse http:// ou https://", *server)
	}
	if err := d.SetSyncServer(ctx, *server); err != nil {
		return err
	}
	c := &client.Client{BaseURL: *server, Token: *token, HTTP: syncHTTP(), DB: d, Clock: e.clock,
		Progress: syncProgress(e)}
	rep, err := c.Round(ctx)
	if err != nil {
		if rep.Pushed+rep.Pulled > 0 {
			fmt.Fprintf(e.stderr, "Avant l’échec : %s.\n", syncSummary(rep))
		}
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"pushed": rep.Pushed, "rejected": rep.Rejected, "pulled": rep.Pulled,
			"conflicts": rep.Conflicts, "cursor": rep.Cursor})
	}
	fmt.Fprintln(e.stdout, syncSummary(rep)+".")
	if rep.Rejected+rep.Conflicts > 0 {
		fmt.Fprintln(e.stdout, "Des changements sont à traiter : ouvrez « À traiter » dans l’application.")
	}
	return nil
}

// syncProgress writes a line per batch or page on stderr, only for a large sync (more than one
// batch to send, or more than one page to receive): « 500/30000 changements envoyés ».
func syncProgress(e *env) func(client.Progress) {
	return func(p client.Progress) {
		switch {
		case p.Phase == "push" && p.Total > protocol.MaxBatch:
			fmt.Fprintf(e.stderr, "%d/%d changements envoyés\n", p.Done, p.Total)
		case p.Phase == "pull" && p.Done >= protocol.MaxPull:
			fmt.Fprintf(e.stderr, "%d changements reçus\n", p.Done)
		}
	}
}

func syncSummary(r client.Report) string {
	s := fmt.Sprintf("%d envoyés, %d refusés, %d reçus", r.Pushed, r.Rejected, r.Pulled)
	if r.Conflicts > 0 {
		s += fmt.Sprintf(", %d en conflit", r.Conflicts)
	}
	return s
}

// cmdOrganisation prints the id of the file's organisation: the central's operator needs it for
// « rdv-central office add --organisation ».
func cmdOrganisation(e *env, args []string) error {
	fs := flags(e, "organisation", "--db FICHIER [--json]")
	db := fs.String("db", "", "fichier de données (par défaut : le dossier de données)")
	asJSON := fs.Bool("json", false, "sortie JSON : {\"id\", \"name\"}")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := openExistingWith(e, *db, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer d.Close()
	o, err := d.OfficeOrganisation(context.Background())
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]string{"id": o.ID, "name": o.Name})
	}
	fmt.Fprintln(e.stdout, o.ID)
	if o.Name != "" {
		fmt.Fprintf(e.stderr, "(%s)\n", o.Name)
	}
	return nil
}
