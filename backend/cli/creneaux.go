package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/store"
)

func init() {
	commands["creneaux"] = command{"liste les créneaux libres d’un motif", cmdCreneaux}
	commands["book"] = command{"réserve un créneau pour un usager", cmdBook}
}

// origineOf reads --canal: guichet (agent at the counter), kiosk (lobby kiosk), en_ligne (online).
func origineOf(canal string) (agenda.Origine, error) {
	switch canal {
	case "", "guichet":
		return agenda.OrigineGuichet, nil
	case "kiosk", "borne":
		return agenda.OrigineKiosk, nil
	case "en_ligne":
		return agenda.OrigineEnLigne, nil
	}
	return "", usagef("canal « %s » inconnu : guichet, kiosk ou en_ligne", canal)
}

// findMotif accepts a motif's id or, for administrators typing by hand, its exact name.
func findMotif(ctx context.Context, db *store.DB, ref string) (agenda.Motif, agenda.Organisation, error) {
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		return agenda.Motif{}, agenda.Organisation{}, err
	}
	if len(orgs) == 0 {
		return agenda.Motif{}, agenda.Organisation{}, fmt.Errorf("aucune organisation dans ce fichier : créez-la ou lancez « rdv-guichet demo »")
	}
	m, err := db.GetMotif(ctx, ref)
	if err == nil {
		for _, o := range orgs {
			if o.ID == m.OrganisationID {
				return m, o, nil
			}
		}
	}
	for _, o := range orgs {
		list, err := db.ListMotifs(ctx, o.ID, false)
		if err != nil {
			return agenda.Motif{}, agenda.Organisation{}, err
		}
		for _, m := range list {
			if strings.EqualFold(m.Name, ref) {
				return m, o, nil
			}
		}
	}
	return agenda.Motif{}, agenda.Organisation{}, fmt.Errorf("motif « %s » introuvable (indiquez son identifiant ou son nom exact)", ref)
}

// openWithMotif opens an existing data file and finds the motif the command is about.
func openWithMotif(ctx context.Context, e *env, dbFlag, motifRef string) (*store.DB, agenda.Motif, agenda.Organisation, error) {
	db, err := openExisting(e, dbFlag)
	if err != nil {
		return nil, agenda.Motif{}, agenda.Organisation{}, err
	}
	motif, org, err := findMotif(ctx, db, motifRef)
	if err != nil {
		db.Close()
		return nil, agenda.Motif{}, agenda.Organisation{}, err
	}
	return db, motif, org, nil
}

// creneauJSON is a slot as scripts read it.
type creneauJSON struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	AgentID string    `json:"agentId,omitempty"`
	LieuID  string    `json:"lieuId"`
	RdvID   string    `json:"rdvId,omitempty"`
}

func cmdCreneaux(e *env, args []string) error {
	fs := flags(e, "creneaux", "--db FICHIER --motif ID --from AAAA-MM-JJ --days N [--lieu ID] [--canal guichet|kiosk|en_ligne] [--documents N] [--json]")
	dbFlag := fs.String("db", "", "fichier de données")
	motifRef := fs.String("motif", "", "identifiant ou nom du motif")
	fromFlag := fs.String("from", "", "premier jour (AAAA-MM-JJ), par défaut aujourd’hui")
	days := fs.Int("days", 7, "nombre de jours")
	lieu := fs.String("lieu", "", "identifiant du lieu (par défaut : tous)")
	canal := fs.String("canal", "guichet", "guichet, kiosk ou en_ligne")
	docs := fs.Int("documents", 1, "nombre de titres (ANTS) : la durée est multipliée d’autant")
	asJSON := fs.Bool("json", false, "sortie JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *motifRef == "" {
		return usagef("indiquez le motif avec --motif")
	}
	if *days < 1 || *days > 366 {
		return usagef("--days doit être compris entre 1 et 366")
	}
	origine, err := origineOf(*canal)
	if err != nil {
		return err
	}
	var from agenda.Date
	if *fromFlag != "" {
		if from, err = parseDay("from", *fromFlag); err != nil {
			return err
		}
	}
	ctx := context.Background()
	db, motif, org, err := openWithMotif(ctx, e, *dbFlag, *motifRef)
	if err != nil {
		return err
	}
	defer db.Close()
	loc, err := org.Location()
	if err != nil {
		return err
	}
	now := e.clock.Now()
	if from.IsZero() {
		from = agenda.DateOf(now.In(loc))
	}
	start := from.At(0, loc)
	end := from.AddDays(*days).At(0, loc)
	data, err := db.LoadCreneauxData(ctx, motif.ID, *lieu, start, end)
	if err != nil {
		return err
	}
	slots, err := creneaux.Search(data, creneaux.Request{Motif: motif, LieuID: *lieu, From: start, To: end, Now: now, Origine: origine, Documents: *docs})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]creneauJSON, len(slots))
		for i, s := range slots {
			out[i] = creneauJSON{s.Start.UTC(), s.End.UTC(), s.AgentID, s.LieuID, s.RdvID}
		}
		return writeJSON(e, out)
	}
	if len(slots) == 0 {
		fmt.Fprintf(e.stdout, "Aucun créneau libre pour « %s » du %s au %s.\n", motif.Name, from.French(), from.AddDays(*days-1).French())
		return nil
	}
	names := agentNames(ctx, db, org.ID)
	var day agenda.Date
	for _, s := range slots {
		if d := agenda.DateOf(s.Start.In(loc)); d != day {
			day = d
			fmt.Fprintf(e.stdout, "%s\n", fr.Day(d))
		}
		fmt.Fprintf(e.stdout, "  %s  %s", fr.Time(s.Start.In(loc)), s.Start.UTC().Format(time.RFC3339))
		if s.AgentID != "" {
			fmt.Fprintf(e.stdout, "  %s", names[s.AgentID])
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}

func agentNames(ctx context.Context, db *store.DB, orgID string) map[string]string {
	names := map[string]string{}
	agents, _ := db.ListAgents(ctx, orgID, true)
	for _, a := range agents {
		names[a.ID] = a.Name
	}
	return names
}

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdBook(e *env, args []string) error {
	fs := flags(e, "book", "--db FICHIER --motif ID --start RFC3339 [--lieu ID] --nom NOM --prenom PRÉNOM [--tel +33...] [--email ...] [--canal guichet|kiosk|en_ligne] [--documents N] [--json]")
	dbFlag := fs.String("db", "", "fichier de données")
	motifRef := fs.String("motif", "", "identifiant ou nom du motif")
	startFlag := fs.String("start", "", "début du créneau, RFC 3339 (ex. 2026-03-03T09:30:00+01:00)")
	lieu := fs.String("lieu", "", "identifiant du lieu")
	nom := fs.String("nom", "", "nom de l’usager")
	prenom := fs.String("prenom", "", "prénom de l’usager")
	tel := fs.String("tel", "", "téléphone (06…, +33…)")
	email := fs.String("email", "", "adresse e-mail")
	canal := fs.String("canal", "guichet", "guichet, kiosk ou en_ligne")
	docs := fs.Int("documents", 1, "nombre de titres (ANTS)")
	asJSON := fs.Bool("json", false, "sortie JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *motifRef == "":
		return usagef("indiquez le motif avec --motif")
	case *startFlag == "":
		return usagef("indiquez le début du créneau avec --start")
	case *nom == "" || *prenom == "":
		return usagef("indiquez le nom et le prénom de l’usager avec --nom et --prenom")
	}
	start, err := parseInstant("start", *startFlag)
	if err != nil {
		return err
	}
	origine, err := origineOf(*canal)
	if err != nil {
		return err
	}
	ctx := context.Background()
	db, motif, org, err := openWithMotif(ctx, e, *dbFlag, *motifRef)
	if err != nil {
		return err
	}
	defer db.Close()
	u := agenda.Usager{OrganisationID: org.ID, LastName: *nom, FirstName: *prenom, Email: *email,
		NotifySMS: *tel != "", NotifyEmail: *email != ""}
	if *tel != "" {
		if u.Phone, err = agenda.NormalizePhone(*tel, "FR"); err != nil {
			return err
		}
	}
	by := map[agenda.Origine]agenda.Actor{agenda.OrigineGuichet: agenda.CLI, agenda.OrigineKiosk: agenda.Kiosk, agenda.OrigineEnLigne: agenda.Online}[origine]
	r, err := db.Book(ctx, store.BookRequest{MotifID: motif.ID, LieuID: *lieu, Start: start, Documents: *docs,
		NewUsager: &u, Origine: origine, By: by})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, r)
	}
	loc, err := org.Location()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Rendez-vous réservé : %s, %s à %s, pour %s %s (identifiant %s).\n",
		motif.Name, fr.Day(agenda.DateOf(r.StartsAt.In(loc))), fr.Time(r.StartsAt.In(loc)), *prenom, *nom, r.ID)
	return nil
}
