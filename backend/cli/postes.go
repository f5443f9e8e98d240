package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

// The postes of one office (ADR 0010): « serve » serves them without a window; « poste add »,
// « list » and « revoke » manage them on the principal's data file; « poste pair » pairs this PC
// with a principal, after which the window starts as a poste secondaire.

func init() {
	commands["serve"] = command{"sert les postes secondaires du bureau sans fenêtre, et envoie les rappels", cmdServe}
	commands["poste"] = command{"postes du bureau : add, list, revoke (poste principal), pair, impression (poste secondaire)", cmdPoste}
}

// Serve serves the postes on the open data file at listen until ctx ends, with the window's
// background work (reminders, sync). main.go sets it: the postes' server is the app's door
// (app/principal), which the command line does not import.
var Serve func(ctx context.Context, db *store.DB, listen string, logger *log.Logger) error

func cmdServe(e *env, args []string) error {
	fs := flags(e, "serve", "--db FICHIER [--listen ADRESSE]")
	dbFlag := fs.String("db", "", "fichier de données du poste principal")
	listen := fs.String("listen", poste.DefaultListen, "adresse d’écoute HÔTE:PORT (« :PORT » : toutes les interfaces)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if Serve == nil {
		return agenda.Fail("cli.serve", agenda.CodePosteNonServi)
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	logger := log.New(e.stderr, "", log.LstdFlags)
	// No window to wait for: the checks start at once; damage goes to the log.
	up := make(chan struct{})
	close(up)
	defer StartDaily(db, logger, up, func(error) {})()
	defer StartDailyPurge(db, logger, up)()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Serve(ctx, db, *listen, logger)
}

func cmdPoste(e *env, args []string) error {
	subs := map[string]func(*env, []string) error{"add": cmdPosteAdd, "list": cmdPosteList, "revoke": cmdPosteRevoke,
		"pair": cmdPostePair, "impression": cmdPosteImpression}
	if len(args) == 0 || subs[args[0]] == nil {
		return usagef("indiquez add, list, revoke, pair ou impression (« rdv-guichet poste add -h » détaille les options)")
	}
	return subs[args[0]](e, args[1:])
}

func cmdPosteAdd(e *env, args []string) error {
	fs := flags(e, "poste add", "--db FICHIER --nom NOM --role guichet|borne [--json]")
	dbFlag := fs.String("db", "", "fichier de données du poste principal")
	name := fs.String("nom", "", "nom du poste, par exemple « Guichet 2 » ou « Borne du hall »")
	role := fs.String("role", "", "guichet (un agent s’y connecte) ou borne (borne d’accueil)")
	asJSON := fs.Bool("json", false, "résultat en JSON : {\"poste\", \"code\", \"expires\", \"fingerprint\"}")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" || *role == "" {
		return usagef("--nom et --role sont obligatoires")
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	inv, err := poste.Invite(context.Background(), db, *name, *role, e.clock.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, inv)
	}
	fmt.Fprintf(e.stdout, "Poste « %s » (%s) ajouté.\nCode d’appairage : %s (valable %d minutes, une seule fois)\nEmpreinte du poste principal : %s\n",
		inv.Poste.Name, inv.Poste.Role, inv.Code, int(poste.CodeValidity.Minutes()), inv.Fingerprint)
	return nil
}

func cmdPosteList(e *env, args []string) error {
	fs := flags(e, "poste list", "--db FICHIER [--json]")
	dbFlag := fs.String("db", "", "fichier de données du poste principal")
	asJSON := fs.Bool("json", false, "liste en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExistingWith(e, *dbFlag, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.ListPostes(context.Background())
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "Aucun poste secondaire : « rdv-guichet poste add » en ajoute un.")
		return nil
	}
	for _, p := range list {
		fmt.Fprintf(e.stdout, "%s  %-24s %-8s %s\n", p.ID, p.Name, p.Role, posteState(p))
	}
	return nil
}

// posteState says where a poste stands, in French.
func posteState(p store.Poste) string {
	at := func(t time.Time) string { return fr.DateTime(t, time.Local) }
	switch {
	case p.RevokedAt != nil:
		return "révoqué le " + at(*p.RevokedAt)
	case p.PairedAt == nil:
		return "en attente d’appairage"
	case p.LastSeen != nil:
		return "appairé (" + p.Hostname + "), vu le " + at(*p.LastSeen)
	}
	return "appairé (" + p.Hostname + ")"
}

func cmdPosteRevoke(e *env, args []string) error {
	fs := flags(e, "poste revoke", "--db FICHIER --nom NOM|ID [--json]")
	dbFlag := fs.String("db", "", "fichier de données du poste principal")
	ref := fs.String("nom", "", "nom ou identifiant du poste à révoquer")
	asJSON := fs.Bool("json", false, "poste révoqué en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		return usagef("--nom est obligatoire (le nom ou l’identifiant du poste)")
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.RevokePoste(context.Background(), *ref)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, p)
	}
	fmt.Fprintf(e.stdout, "Poste « %s » révoqué : il est refusé dès son prochain appel.\n", p.Name)
	return nil
}

func cmdPostePair(e *env, args []string) error {
	fs := flags(e, "poste pair", "--server HÔTE:PORT --code CODE [--empreinte EMPREINTE] [--json]")
	server := fs.String("server", "", "adresse du poste principal, par exemple 192.168.1.10:47650")
	code := fs.String("code", "", "code d’appairage donné par le poste principal")
	fingerprint := fs.String("empreinte", "", "empreinte affichée par le poste principal : le code n’est envoyé qu’à lui")
	asJSON := fs.Bool("json", false, "résultat en JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *server == "" || *code == "" {
		return usagef("--server et --code sont obligatoires")
	}
	path, err := poste.ConfigPath()
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p, err := poste.Pair(ctx, strings.TrimSpace(*server), *code, host, *fingerprint)
	if err != nil {
		return err
	}
	cfg, err := poste.Paired(p)
	if err == nil {
		err = cfg.Save(path)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, map[string]string{"name": p.Name, "role": p.Role, "office": p.Office, "fingerprint": p.Fingerprint, "config": path})
	}
	fmt.Fprintf(e.stdout, "Ce poste est appairé : « %s » (%s) de %s.\n", p.Name, p.Role, p.Office)
	if *fingerprint == "" {
		fmt.Fprintf(e.stdout, "Vérifiez que l’empreinte affichée sur le poste principal est bien :\n  %s\nSinon, supprimez %s et révoquez ce poste sur le poste principal.\n", p.Fingerprint, path)
	} else {
		fmt.Fprintf(e.stdout, "Empreinte du poste principal vérifiée : %s\n", p.Fingerprint)
	}
	fmt.Fprintln(e.stdout, "RDV Guichet s’ouvrira désormais sur l’agenda du poste principal.")
	return nil
}

// CheckPrinting reads a poste's printing settings (app.PrinterSettings as JSON): normalized, or
// the fields to correct. main.go sets it (app.CheckPrinterSettings): the form is the app's.
var CheckPrinting func(raw json.RawMessage) (json.RawMessage, []agenda.FieldError, error)

// cmdPosteImpression sets this poste secondaire's own printers: a borne has no settings screen.
func cmdPosteImpression(e *env, args []string) error {
	fs := flags(e, "poste impression", "[--a4 IMPRIMANTE] [--ticket aucun|cups|windows|reseau] [--file FILE] [--adresse HÔTE:PORT] [--qr native|raster]")
	a4 := fs.String("a4", "", "imprimante A4 (vide : l’imprimante par défaut du PC)")
	ticket := fs.String("ticket", "aucun", "imprimante de tickets : aucun, cups (file brute), windows (file brute) ou reseau (port 9100)")
	queue := fs.String("file", "", "file d’impression brute de l’imprimante de tickets (cups, windows)")
	addr := fs.String("adresse", "", "adresse HÔTE[:PORT] de l’imprimante de tickets réseau")
	qr := fs.String("qr", "native", "QR code du ticket : native ou raster (imprimantes anciennes)")
	if err := parse(fs, args); err != nil {
		return err
	}
	kinds := map[string]string{"aucun": "", "cups": "cups", "windows": "windows", "reseau": "socket"}
	kind, ok := kinds[*ticket]
	if !ok {
		return usagef("--ticket : « %s » n’est pas aucun, cups, windows ni reseau", *ticket)
	}
	if CheckPrinting == nil {
		return agenda.Fail("cli.poste", agenda.CodePosteNonServi)
	}
	path, err := poste.ConfigPath()
	if err != nil {
		return err
	}
	cfg, paired, err := poste.LoadConfig(path)
	if err != nil {
		return err
	}
	if !paired {
		return agenda.Fail("cli.poste", agenda.CodePosteNonApparie)
	}
	raw, _ := json.Marshal(map[string]string{"a4Printer": *a4, "ticketKind": kind, "ticketQueue": *queue, "ticketAddr": *addr, "ticketQr": *qr})
	set, errs, err := CheckPrinting(raw)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return agenda.E("cli.poste", agenda.Invalid, agenda.ValidationError(errs))
	}
	cfg.Printing = set
	if err := cfg.Save(path); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Imprimantes du poste « %s » enregistrées.\n", cfg.Name)
	return nil
}
