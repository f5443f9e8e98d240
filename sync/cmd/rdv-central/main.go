// Command rdv-central is the central server of RDV Guichet: the offices push their ops to it and
// pull the change feed of their organisation (sync/protocol), over PostgreSQL (sync/server/pgstore);
// it sells the slots of the en_ligne plages through its online booking API (/v1/public/…) and
// the usagers' booking pages (/<slug>/…, /r/<lien>).
//
//	rdv-central serve --db URL --listen ADDR
//	rdv-central office add --db URL --organisation UUID --name NOM
//	rdv-central office list --db URL
//	rdv-central office revoke --db URL --id ID [--purge [--yes]]
//	rdv-central office online --db URL --office ID --on|--off
//	rdv-central organisation retention --db URL --organisation UUID --years N
//	rdv-central organisation notifications --db URL --organisation UUID [options]
//
// --db defaults to the environment variable RDV_CENTRAL_DB. Exit codes, as rdv-guichet's command
// line: 0 success, 1 failure (the message says what failed), 2 usage error.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/messages"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server"
	"rdvguichet/sync/server/pgstore"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const help = `rdv-central : serveur central de RDV Guichet.

Commandes :
  serve --db URL --listen ADRESSE           sert les bureaux (push, pull, santé, métriques),
                                            l’API de réservation en ligne (/v1/public/…) et
                                            les pages de réservation des usagers (/<commune>/)
        [--trust-proxy] [--public-rate N] [--public-burst N] [--public-url URL]
  office add --db URL --organisation UUID --name NOM
                                            enregistre un bureau et affiche son jeton (une seule fois)
  office list --db URL                      liste les bureaux, leurs derniers échanges, les révocations
  office revoke --db URL --id ID [--purge [--yes]]
                                            révoque le jeton d’un bureau ; avec --purge, supprime
                                            les données de son organisation du serveur central
                                            si c’était son dernier bureau actif
  office online --db URL --office ID --on|--off
                                            ouvre ou ferme les pages de réservation en ligne
                                            de l’organisation du bureau
  office rotate-key --db URL --office ID [--now]
                                            donne une nouvelle clé à l’organisation du bureau
                                            (convocations, liens des messages) ; l’ancienne reste
                                            acceptée pour ce qu’elle a signé, sauf avec --now
  organisation retention --db URL --organisation UUID --years N
                                            durée de conservation des données personnelles (1 à 10 ans)
  organisation notifications --db URL --organisation UUID [--email] [--smtp HÔTE:PORT] [--sms] …
                                            e-mails et SMS des réservations en ligne (sans option :
                                            affiche les réglages, jamais les secrets)
  feed compact --db URL [--idle DURÉE]      supprime du flux des changements les versions remplacées
                                            que tous les bureaux ont reçues (serve le fait chaque heure)

--db vaut par défaut la variable d’environnement RDV_CENTRAL_DB.
Codes de sortie : 0 succès, 1 échec, 2 erreur d’utilisation.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "aide" || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, help)
		return 0
	}
	var err error
	name := args[0]
	switch args[0] {
	case "serve":
		err = serve(args[1:], stderr)
	case "office":
		if len(args) < 2 {
			err = usagef("sous-commande manquante : office add, office list, office revoke, office online ou office rotate-key")
			break
		}
		name = "office " + args[1]
		switch args[1] {
		case "add":
			err = officeAdd(args[2:], stdout, stderr)
		case "list":
			err = officeList(args[2:], stdout, stderr)
		case "revoke":
			err = officeRevoke(args[2:], stdin, stdout, stderr)
		case "online":
			err = officeOnline(args[2:], stdout, stderr)
		case "rotate-key":
			err = officeRotateKey(args[2:], stdout, stderr)
		default:
			err = usagef("sous-commande inconnue « office %s » : office add, office list, office revoke, office online ou office rotate-key", args[1])
		}
	case "organisation":
		if len(args) < 2 {
			err = usagef("sous-commande manquante : organisation retention ou organisation notifications")
			break
		}
		name = "organisation " + args[1]
		switch args[1] {
		case "retention":
			err = organisationRetention(args[2:], stdout, stderr)
		case "notifications":
			err = organisationNotifications(args[2:], stdout, stderr)
		default:
			err = usagef("sous-commande inconnue « organisation %s » : organisation retention ou organisation notifications", args[1])
		}
	case "feed":
		if len(args) < 2 || args[1] != "compact" {
			err = usagef("sous-commande attendue : feed compact")
			break
		}
		name = "feed compact"
		err = feedCompact(args[2:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "rdv-central : commande inconnue « %s ». Commandes : serve, office, organisation, feed. « rdv-central aide » les décrit.\n", args[0])
		return 2
	}
	var u usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintf(stderr, "rdv-central %s : %s\n", name, u.msg)
		return 2
	default:
		fmt.Fprintf(stderr, "rdv-central %s : échec : %s\n", name, message(err))
		return 1
	}
}

// message is the operator's French text of err: the catalogue's text of its code, with the
// detail of an uncoded failure (a connection refused, a bad URL) after it.
func message(err error) string {
	m := messages.For(messages.French, err)
	if !agenda.HasCode(err) || m.Code == agenda.CodeInternal || m.Code == agenda.CodeUnavailable || m.Code == agenda.CodeInvalid {
		return m.Message + " (" + err.Error() + ")"
	}
	return m.Message
}

// flags returns a flag set with French usage errors and the --db flag.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", os.Getenv("RDV_CENTRAL_DB"), "adresse PostgreSQL (postgres://…), par défaut RDV_CENTRAL_DB")
	return fs, db
}

func parse(fs *flag.FlagSet, args []string) error {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage : rdv-central %s\n", fs.Name())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{strings.TrimSuffix(err.Error(), "\n")}
	}
	if fs.NArg() > 0 {
		return usagef("argument inattendu « %s »", fs.Arg(0))
	}
	return nil
}

func open(ctx context.Context, db string) (*pgstore.Store, error) {
	if db == "" {
		return nil, usagef("--db manquant (ou RDV_CENTRAL_DB)")
	}
	return pgstore.Open(ctx, db, clock.System{})
}

// serve runs the HTTP server until SIGTERM or SIGINT, then stops accepting connections and
// finishes the requests in flight (30 s at most).
func serve(args []string, stderr io.Writer) error {
	fs, db := flags("serve --db URL --listen ADRESSE", stderr)
	listen := fs.String("listen", "127.0.0.1:8470", "adresse d’écoute (hôte:port)")
	rateFlag := fs.Float64("rate", 20, "requêtes par seconde permises à un jeton (en moyenne)")
	burst := fs.Int("burst", 40, "requêtes d’un jeton permises d’un coup")
	publicRate := fs.Float64("public-rate", 5, "requêtes par seconde permises à une adresse IP sur l’API de réservation en ligne (en moyenne)")
	publicBurst := fs.Int("public-burst", 30, "requêtes d’une adresse IP permises d’un coup sur l’API de réservation en ligne")
	publicURL := fs.String("public-url", "", "adresse publique du serveur central, par exemple https://rdv.exemple.fr : les messages des réservations en ligne y renvoient l’usager (/r/…) pour annuler ou déplacer")
	trustProxy := fs.Bool("trust-proxy", false, "derrière un proxy inverse : l’adresse du client est la dernière de X-Forwarded-For")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *publicURL != "" && !strings.HasPrefix(*publicURL, "https://") && !strings.HasPrefix(*publicURL, "http://") {
		return usagef("--public-url : « %s » n’est pas une adresse https://", *publicURL)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	h := server.New(server.Config{Store: store, Logger: logger, Rate: *rateFlag, Burst: *burst,
		PublicRate: *publicRate, PublicBurst: *publicBurst, TrustProxy: *trustProxy})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return agenda.Wrap("serve", agenda.CodeUnavailable, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      3 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stderr, "rdv-central : à l’écoute sur %s (protocole %d)\n", ln.Addr(), protocol.Version)
	jobs := startJobs(ctx, store, logger, h.Registry(), *publicURL)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return agenda.Wrap("serve", agenda.CodeUnavailable, err)
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	fmt.Fprintln(stderr, "rdv-central : arrêt demandé, fin des requêtes en cours…")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return agenda.Wrap("serve", agenda.CodeInterrupted, err)
	}
	jobs.Wait() // the purge and the sender finish their round (ctx is done)
	fmt.Fprintln(stderr, "rdv-central : arrêté.")
	return nil
}

func officeAdd(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("office add --db URL --organisation UUID --name NOM", stderr)
	org := fs.String("organisation", "", "identifiant de l’organisation du bureau (affiché par le bureau)")
	name := fs.String("name", "", "nom du bureau (par exemple « Mairie annexe Nord »)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *org == "" || strings.TrimSpace(*name) == "" {
		return usagef("--organisation et --name sont obligatoires")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	o, token, err := store.AddOffice(ctx, *org, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Bureau « %s » enregistré (id %s, organisation %s).\n", o.Name, o.ID, o.OrganisationID)
	if o.Placeholder {
		fmt.Fprintln(stdout, "L’organisation sera complétée à la première synchronisation du bureau.")
	}
	fmt.Fprintf(stdout, "Jeton du bureau (affiché une seule fois, à saisir dans RDV Guichet) :\n%s\n", token)
	return nil
}

func officeList(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("office list --db URL", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	offices, err := store.ListOffices(ctx)
	if err != nil {
		return err
	}
	if len(offices) == 0 {
		fmt.Fprintln(stdout, "Aucun bureau enregistré.")
		return nil
	}
	when := func(t *time.Time) string {
		if t == nil {
			return "jamais"
		}
		return t.Local().Format("2006-01-02 15:04:05")
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tORGANISATION\tNOM\tCRÉÉ LE\tDERNIER ENVOI\tDERNIÈRE RÉCEPTION\tÉTAT\tPAGES EN LIGNE")
	for _, o := range offices {
		state := "actif"
		if o.RevokedAt != nil {
			state = "révoqué le " + when(o.RevokedAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.OrganisationID, o.Name, when(&o.CreatedAt), when(o.LastPushAt), when(o.LastPullAt), state, pages(o))
	}
	return tw.Flush()
}

func officeRevoke(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, db := flags("office revoke --db URL --id ID [--purge [--yes]]", stderr)
	id := fs.String("id", "", "identifiant du bureau (office list)")
	purge := fs.Bool("purge", false, "supprime aussi du serveur central les données de l’organisation, si c’était son dernier bureau actif")
	yes := fs.Bool("yes", false, "avec --purge : ne demande pas de confirmation (scripts)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *yes && !*purge {
		return usagef("--yes ne sert qu’avec --purge")
	}
	if *id == "" {
		return usagef("--id est obligatoire")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	o, err := store.RevokeOffice(ctx, *id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Bureau « %s » révoqué : son jeton est refusé dès maintenant.\n", o.Name)
	if !*purge {
		return nil
	}
	return purgeOrganisation(ctx, store, o.OrganisationID, !*yes, stdin, stdout)
}

// purgeOrganisation deletes an organisation's data from the central after showing what there
// is and, when confirm is set, asking the operator to type SUPPRIMER.
func purgeOrganisation(ctx context.Context, store *pgstore.Store, orgID string, confirm bool, stdin io.Reader, stdout io.Writer) error {
	rows, err := store.OrganisationRows(ctx, orgID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Données de l’organisation %s sur le serveur central : %s.\n", orgID, summary(rows))
	if confirm {
		fmt.Fprint(stdout, "Elles seront supprimées définitivement (les bureaux gardent leur fichier). Tapez SUPPRIMER pour confirmer : ")
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if strings.TrimSpace(line) != "SUPPRIMER" {
			fmt.Fprintln(stdout, "Rien n’a été supprimé.")
			return nil
		}
	}
	deleted, err := store.PurgeOrganisation(ctx, orgID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Supprimé du serveur central : %s.\n", summary(deleted))
	return nil
}

// summary says how many RDVs and usagers rows hold, and how many rows in all.
func summary(rows []pgstore.TableRows) string {
	by, total := map[string]int{}, 0
	for _, r := range rows {
		by[r.Table] = r.Rows
		total += r.Rows
	}
	return fmt.Sprintf("%d rendez-vous, %d usager(s), %d ligne(s) en tout", by["rdvs"], by["usagers"], total)
}

// pages is the address of the online booking pages of an office's organisation, as the list
// shows it: « /mairie-de-saint-aubin/ », « (fermées) » when turned off, « — » before the
// office's first push.
func pages(o pgstore.Office) string {
	switch {
	case o.Slug == "":
		return "—"
	case !o.Online:
		return "/" + o.Slug + "/ (fermées)"
	}
	return "/" + o.Slug + "/"
}

func officeOnline(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("office online --db URL --office ID --on|--off", stderr)
	id := fs.String("office", "", "identifiant du bureau (office list)")
	on := fs.Bool("on", false, "ouvre les pages de réservation en ligne")
	off := fs.Bool("off", false, "ferme les pages de réservation en ligne")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" || *on == *off {
		return usagef("--office et une seule des options --on ou --off sont obligatoires")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	o, err := store.SetOnline(ctx, *id, *on)
	if err != nil {
		return err
	}
	switch {
	case o.Online && o.Slug != "":
		fmt.Fprintf(stdout, "Pages de réservation en ligne ouvertes : /%s/\n", o.Slug)
	case o.Online:
		fmt.Fprintln(stdout, "Pages de réservation en ligne ouvertes : leur adresse sera donnée à la première synchronisation du bureau.")
	default:
		fmt.Fprintln(stdout, "Pages de réservation en ligne fermées : elles affichent « Prise de rendez-vous fermée » avec le téléphone de la mairie.")
	}
	return nil
}

// officeRotateKey gives the organisation of an office a new key (ADR 0012).
func officeRotateKey(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("office rotate-key --db URL --office ID [--now]", stderr)
	id := fs.String("office", "", "identifiant d'un bureau de l'organisation, révoqué ou non (office list)")
	now := fs.Bool("now", false, "les anciennes clés cessent aussitôt d'être acceptées (clé partie avec un PC perdu) : "+
		"les convocations déjà remises ne passent plus à la borne, l'agent retrouve le rendez-vous par le nom")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return usagef("--office est obligatoire")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	k, err := store.RotateKey(ctx, *id, *now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Nouvelle clé pour l'organisation %s : ses bureaux la reçoivent à leur prochaine synchronisation (dans l'heure) ; un bureau révoqué ne la reçoit pas.\n", k.Office.OrganisationID)
	switch {
	case *now:
		fmt.Fprintf(stdout, "Anciennes clés supprimées : %d. Les convocations et les liens qu'elles ont signés ne sont plus acceptés.\n", k.Dropped)
	case k.Kept > 0:
		fmt.Fprintf(stdout, "Anciennes clés encore acceptées : %d, jusqu'à la fin du dernier rendez-vous qu'elles ont pu signer.\n", k.Kept)
	}
	return nil
}
