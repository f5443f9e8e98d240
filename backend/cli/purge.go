package cli

import (
	"context"
	"fmt"
	"log"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/store"
)

func init() {
	commands["purge"] = command{"supprime les rendez-vous et usagers plus anciens que la durée de conservation (RGPD)", cmdPurge}
}

// cmdPurge is `purge --db FICHIER [--dry-run] [--json]`: the retention purge (store.Purge), as
// the window runs it every day. --dry-run counts without deleting.
func cmdPurge(e *env, args []string) error {
	fs := flags(e, "purge", "--db FICHIER [--dry-run] [--json]")
	dbFlag := fs.String("db", "", "fichier de données")
	dry := fs.Bool("dry-run", false, "compter sans rien supprimer")
	asJSON := fs.Bool("json", false, "résumé en JSON : {\"rdvs\", \"usagers\", \"history\", \"notifications\", \"receipts\", \"outbox\", …}")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Purge(context.Background(), agenda.CLI.String(), *dry)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, rep)
	}
	fmt.Fprintln(e.stdout, purgeSentence(rep))
	return nil
}

// purgeSentence says in French what a purge did.
func purgeSentence(rep store.PurgeReport) string {
	verb := "supprimés"
	if rep.DryRun {
		verb = "à supprimer (essai : rien n’a été supprimé)"
	}
	return fmt.Sprintf("Conservation : %d an(s), rendez-vous antérieurs au %s. %d rendez-vous, %d usager(s), %d ligne(s) d’historique, %d message(s), %d accusé(s) d’envoi et %d opération(s) de synchronisation %s.",
		rep.RetentionYears, fr.ShortDate(agenda.DateOf(rep.Cutoff)), rep.Rdvs, rep.Usagers, rep.History, rep.Notifications, rep.Receipts, rep.Outbox, verb)
}

// StartDailyPurge runs the retention purge beside the window once windowUp is closed (a purge's
// deletes are proportional to the file's age, they must not delay the window), then once a day
// (checked every hour, as StartDaily). A failure is logged and never stops the counter. The
// returned stop waits for a purge in progress; call it before closing db.
func StartDailyPurge(db *store.DB, logger *log.Logger, windowUp <-chan struct{}) (stop func()) {
	return besideWindow(windowUp, func(ctx context.Context, _ bool) {
		rep, ran, err := db.DailyPurge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Printf("purge quotidienne impossible : %s", Message(err))
		case ran && rep.Rdvs+rep.Usagers+rep.Erasures > 0:
			logger.Print("purge quotidienne : " + purgeSentence(rep))
		}
	})
}
