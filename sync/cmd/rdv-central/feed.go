package main

import (
	"context"
	"fmt"
	"io"

	"rdvguichet/sync/server/pgstore"
)

// feedCompact compacts the change feed of every organisation once (pgstore.CompactFeed); serve
// does it every hour.
func feedCompact(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("feed compact --db URL [--idle DURÉE]", stderr)
	idle := fs.Duration("idle", pgstore.DefaultCompactionIdle,
		"un bureau qui n'a rien reçu depuis plus longtemps ne retient plus le compactage (il converge quand même)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *idle <= 0 {
		return usagef("--idle doit être positif (par exemple 720h)")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	reports, err := store.CompactFeed(ctx, *idle)
	total := 0
	for _, r := range reports {
		fmt.Fprintf(stdout, "Organisation %s : %d changement(s) remplacé(s) supprimé(s).\n", r.OrganisationID, r.Changes)
		total += r.Changes
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Flux compacté : %d changement(s) supprimé(s) dans %d organisation(s).\n", total, len(reports))
	return nil
}
