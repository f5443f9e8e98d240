package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/store"
)

func init() {
	commands["convocation"] = command{"écrit la convocation d'un rendez-vous (PDF A4 ou ticket 80 mm)", cmdConvocation}
}

// buildConvocation loads the check-in secret (creating it on first use) and assembles the RDV's
// convocation.
func buildConvocation(ctx context.Context, e *env, db *store.DB, rdvID string) (convocation.Convocation, error) {
	secret, err := checkin.LoadSecret(ctx, db, nil)
	if err != nil {
		return convocation.Convocation{}, err
	}
	return convocation.Build(ctx, db, rdvID, secret, e.clock.Now())
}

// writeFileAtomic writes data to path through a temporary file in the same folder, so that a
// reader (a mail client, a print spooler) never sees half a document.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".rdv-guichet-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func cmdConvocation(e *env, args []string) error {
	fs := flags(e, "convocation", "--db FICHIER --rdv ID [--format a4|ticket] --out FICHIER.pdf")
	dbFlag := fs.String("db", "", "fichier de données")
	rdvID := fs.String("rdv", "", "identifiant du rendez-vous")
	format := fs.String("format", "a4", "a4 (page) ou ticket (rouleau 80 mm)")
	out := fs.String("out", "", "fichier PDF à écrire")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *rdvID == "" {
		return usagef("indiquez le rendez-vous avec --rdv")
	}
	if *out == "" {
		return usagef("indiquez le fichier à écrire avec --out")
	}
	f, err := convocation.ParseFormat(*format)
	if err != nil {
		return usagef("--format : %s", "a4 ou ticket")
	}
	ctx := context.Background()
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := buildConvocation(ctx, e, db, *rdvID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := convocation.Render(&buf, c, f); err != nil {
		return err
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return agenda.E("cli.convocation", agenda.Other, err)
	}
	fmt.Fprintf(e.stdout, "Convocation (%s) du rendez-vous du %s écrite dans %s.\n", f, c.When(), *out)
	return nil
}
