package main

import (
	"context"
	"fmt"
	"io"
)

// organisationRetention sets how long the central keeps an organisation's personal data (the
// daily purge of serve applies it).
func organisationRetention(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("organisation retention --db URL --organisation UUID --years N", stderr)
	org := fs.String("organisation", "", "identifiant de l'organisation")
	years := fs.Int("years", 0, "durée de conservation en années (1 à 10 ; 2 par défaut, comme RDV Service Public)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *org == "" || *years == 0 {
		return usagef("--organisation et --years sont obligatoires")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetRetentionYears(ctx, *org, *years); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Organisation %s : données personnelles conservées %d an(s) après le dernier rendez-vous.\n", *org, *years)
	return nil
}
