package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"

	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/ical"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

func init() {
	commands["convocation"] = command{"écrit la convocation d’un rendez-vous (PDF A4 ou ticket 80 mm)", cmdConvocation}
	commands["ics"] = command{"écrit l’invitation iCalendar d’un rendez-vous ou l’agenda d’un agent", cmdICS}
	commands["print"] = command{"imprime la convocation d’un rendez-vous sans boîte de dialogue", cmdPrint}
}

// buildConvocation loads the check-in signing key (checkin.SigningKey) and assembles the RDV's
// convocation.
func buildConvocation(ctx context.Context, e *env, db *store.DB, rdvID string) (convocation.Convocation, error) {
	secret, err := checkin.SigningKey(ctx, db)
	if err != nil {
		return convocation.Convocation{}, err
	}
	return convocation.Build(ctx, db, rdvID, secret, e.clock.Now())
}

// openConvocation opens an existing data file and assembles the RDV's convocation; the caller
// closes the database.
func openConvocation(ctx context.Context, e *env, dbFlag, rdvID string) (*store.DB, convocation.Convocation, error) {
	db, err := openExisting(e, dbFlag)
	if err != nil {
		return nil, convocation.Convocation{}, err
	}
	c, err := buildConvocation(ctx, e, db, rdvID)
	if err != nil {
		db.Close()
		return nil, convocation.Convocation{}, err
	}
	return db, c, nil
}

// writeOutput writes a document to path through store.WriteNewFile, the one way the
// application creates a file: never over the data file db reads or its journals, never over an
// existing file unless force, 0600 (a convocation names the usager), through a temporary file
// in the same folder so that a reader (a mail client, a print spooler) never sees half a document.
func writeOutput(db *store.DB, path string, force bool, data []byte) error {
	return store.WriteNewFile(path, store.OutputOptions{Force: force, Protect: []string{db.Path()}}, func(tmp string) error {
		return os.WriteFile(tmp, data, 0o600)
	})
}

func cmdConvocation(e *env, args []string) error {
	fs := flags(e, "convocation", "--db FICHIER --rdv ID [--format a4|ticket] --out FICHIER.pdf [--force]")
	dbFlag := fs.String("db", "", "fichier de données")
	rdvID := fs.String("rdv", "", "identifiant du rendez-vous")
	format := fs.String("format", "a4", "a4 (page) ou ticket (rouleau 80 mm)")
	out := fs.String("out", "", "fichier PDF à écrire")
	force := fs.Bool("force", false, "remplace le fichier --out s’il existe")
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
	db, c, err := openConvocation(context.Background(), e, *dbFlag, *rdvID)
	if err != nil {
		return err
	}
	defer db.Close()
	var buf bytes.Buffer
	if err := convocation.Render(&buf, c, f); err != nil {
		return err
	}
	if err := writeOutput(db, *out, *force, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Convocation (%s) du rendez-vous du %s écrite dans %s.\n", f, c.When(), *out)
	return nil
}

func cmdICS(e *env, args []string) error {
	fs := flags(e, "ics", "--db FICHIER (--rdv ID | --agent ID) --out FICHIER.ics [--force]")
	dbFlag := fs.String("db", "", "fichier de données")
	rdvID := fs.String("rdv", "", "identifiant du rendez-vous : son invitation (ou son annulation)")
	agentID := fs.String("agent", "", "identifiant de l’agent ou du guichet : ses rendez-vous depuis un mois")
	out := fs.String("out", "", "fichier .ics à écrire")
	force := fs.Bool("force", false, "remplace le fichier --out s’il existe")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*rdvID == "") == (*agentID == "") {
		return usagef("indiquez soit --rdv, soit --agent")
	}
	if *out == "" {
		return usagef("indiquez le fichier à écrire avec --out")
	}
	ctx := context.Background()
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	now := e.clock.Now()
	var buf bytes.Buffer
	var done string
	if *rdvID != "" {
		r, loc, err := ical.FromStore(ctx, db, *rdvID, "")
		if err != nil {
			return err
		}
		method, err := ical.Invite(&buf, r, loc, now)
		if err != nil {
			return err
		}
		done = fmt.Sprintf("Invitation (METHOD:%s, SEQUENCE %d) du rendez-vous du %s", method, r.Version, fr.DateTime(r.Start, loc))
	} else {
		rdvs, name, loc, err := ical.AgentFeed(ctx, db, *agentID, now)
		if err != nil {
			return err
		}
		if err := ical.Feed(&buf, name, rdvs, loc, now); err != nil {
			return err
		}
		done = fmt.Sprintf("Agenda « %s » (%d rendez-vous)", name, len(rdvs))
	}
	if err := writeOutput(db, *out, *force, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s écrit dans %s.\n", done, *out)
	return nil
}

// printerFor picks the way to the printer: raw ESC/POS to a TCP socket, the Windows spooler or a
// CUPS raw queue; PDFs to SumatraPDF on Windows, lp elsewhere.
func printerFor(name, socket string, raw bool) printing.Printer {
	switch {
	case socket != "":
		return printing.Socket{Addr: socket}
	case runtime.GOOS == "windows" && raw:
		return printing.Spooler{Printer: name}
	case runtime.GOOS == "windows":
		return &printing.Sumatra{Printer: name}
	}
	return &printing.CUPS{Printer: name}
}

func cmdPrint(e *env, args []string) error {
	fs := flags(e, "print", "--db FICHIER --rdv ID [--printer NOM] [--format a4|ticket] [--escpos [--raster]] [--socket HÔTE:PORT]")
	dbFlag := fs.String("db", "", "fichier de données")
	rdvID := fs.String("rdv", "", "identifiant du rendez-vous")
	printer := fs.String("printer", "", "nom de l’imprimante (par défaut : celle du système)")
	format := fs.String("format", "a4", "a4 (page) ou ticket (rouleau 80 mm)")
	escpos := fs.Bool("escpos", false, "ticket en ESC/POS brut pour imprimante thermique (file brute ou --socket)")
	raster := fs.Bool("raster", false, "avec --escpos : QR code en image, pour les imprimantes sans commande QR")
	socket := fs.String("socket", "", "avec --escpos : imprimante réseau HÔTE[:PORT] (port 9100 par défaut)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *rdvID == "" {
		return usagef("indiquez le rendez-vous avec --rdv")
	}
	f, err := convocation.ParseFormat(*format)
	if err != nil {
		return usagef("--format : a4 ou ticket")
	}
	if (*raster || *socket != "") && !*escpos {
		return usagef("--raster et --socket vont avec --escpos")
	}
	ctx := context.Background()
	db, c, err := openConvocation(ctx, e, *dbFlag, *rdvID)
	if err != nil {
		return err
	}
	defer db.Close()
	local := c.Start.In(c.Location)
	doc := printing.Document{Title: "Convocation " + c.Motif + " " + local.Format("02/01 15h04")}
	if *escpos {
		mode := printing.QRNative
		if *raster {
			mode = printing.QRRaster
		}
		if doc.Data, err = convocation.ESCPOS(c, mode); err != nil {
			return err
		}
		doc.Kind = printing.Raw
	} else {
		var buf bytes.Buffer
		if err := convocation.Render(&buf, c, f); err != nil {
			return err
		}
		doc.Data, doc.Kind = buf.Bytes(), printing.PDF
		if f == convocation.A4 {
			doc.Media = "A4"
		}
	}
	p := printerFor(*printer, *socket, *escpos)
	if err := p.Print(ctx, doc); err != nil {
		return err
	}
	where := "l’imprimante par défaut"
	if *socket != "" {
		where = *socket
	} else if *printer != "" {
		where = "« " + *printer + " »"
	}
	job := ""
	if cp, ok := p.(*printing.CUPS); ok && cp.JobID != "" {
		job = " (travail " + cp.JobID + ")"
	}
	fmt.Fprintf(e.stdout, "Convocation du rendez-vous du %s envoyée à %s%s.\n", c.When(), where, job)
	return nil
}
