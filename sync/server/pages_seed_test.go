package server

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/sync/server/pgstore"
)

// pagesOrg is an organisation that sells two motifs online: an ANTS one (passport or identity
// card, pré-demande numbers) and a plain one, in one lieu, on weekday mornings.
type pagesOrg struct {
	org, lieu, agent, ants, plain string
	slug                          string
}

// seedPages writes pagesOrg's settings into s directly (what an office's first push writes),
// with plages from first on.
func seedPages(t testing.TB, s *pgstore.Store, name string, first agenda.Date) pagesOrg {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	o, err := s.SaveOrganisation(ctx, agenda.Organisation{Name: name, TimeZone: "Europe/Paris", AccentColor: "#0b5d3b",
		Phone: "+33238000000", Email: "mairie@saint-aubin.example", Holidays: agenda.HolidayRules{Departement: "45"}})
	must(err)
	l, err := s.SaveLieu(ctx, agenda.Lieu{OrganisationID: o.ID, Name: "Mairie de Saint-Aubin", Street: "1 place de la Mairie",
		PostalCode: "45130", City: "Saint-Aubin", Phone: "+33238000001", Enabled: true,
		Accessibility: "Accès de plain-pied, place de stationnement réservée devant la mairie."})
	must(err)
	a, err := s.SaveAgent(ctx, agenda.Agent{OrganisationID: o.ID, Kind: agenda.KindGuichet, Name: "Guichet titres", Active: true})
	must(err)
	ants, err := s.SaveMotif(ctx, agenda.Motif{OrganisationID: o.ID, Name: "Passeport ou carte d'identité", Color: "#1D4ED8",
		DurationMin: 20, LocationType: agenda.PublicOffice, MinPublicDelay: time.Hour, MaxPublicDelay: 60 * 24 * time.Hour,
		BookableOnline: true, AntsCategory: agenda.AntsCNIPasseport,
		Pieces:       []string{"La pré-demande faite sur ants.gouv.fr", "Une photo d'identité de moins de 6 mois", "Un justificatif de domicile"},
		Instructions: "Chaque personne, enfant compris, vient en personne."})
	must(err)
	plain, err := s.SaveMotif(ctx, agenda.Motif{OrganisationID: o.ID, Name: "Inscription sur les listes électorales", Color: "#15803D",
		DurationMin: 15, LocationType: agenda.PublicOffice, MinPublicDelay: time.Hour, MaxPublicDelay: 60 * 24 * time.Hour,
		BookableOnline: true, Pieces: []string{"Une pièce d'identité", "Un justificatif de domicile"}})
	must(err)
	weekdays := agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}
	_, err = s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: o.ID, AgentID: a.ID, LieuID: l.ID, Title: "En ligne",
		MotifIDs: []string{ants.ID, plain.ID}, FirstDay: first, Start: agenda.Clk(9, 0), End: agenda.Clk(11, 0),
		Recurrence: weekdays, Canal: agenda.CanalEnLigne})
	must(err)
	_, err = s.SavePlage(ctx, agenda.PlageOuverture{OrganisationID: o.ID, AgentID: a.ID, LieuID: l.ID, Title: "Guichet",
		MotifIDs: []string{ants.ID, plain.ID}, FirstDay: first, Start: agenda.Clk(14, 0), End: agenda.Clk(17, 0),
		Recurrence: weekdays, Canal: agenda.CanalGuichet})
	must(err)
	p := pagesOrg{org: o.ID, lieu: l.ID, agent: a.ID, ants: ants.ID, plain: plain.ID}
	must(s.AssignSlugs(ctx))
	must(s.Pool().QueryRow(ctx, "SELECT slug FROM organisations WHERE organisation_id = $1", o.ID).Scan(&p.slug))
	return p
}

// TestSeedE2E seeds the database of RDV_E2E_DB for the pages' browser tests
// (build/e2e-online/): an organisation whose plages start today. It prints the slug.
func TestSeedE2E(t *testing.T) {
	dsn := os.Getenv("RDV_E2E_DB")
	if dsn == "" {
		t.Skip("RDV_E2E_DB non défini : rien à préparer pour les tests de navigateur")
	}
	s, err := pgstore.Open(context.Background(), dsn, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := seedPages(t, s, "Mairie de Saint-Aubin", agenda.DateOf(time.Now().In(paris)))
	fmt.Printf("E2E_SLUG=%s\n", p.slug)
}
