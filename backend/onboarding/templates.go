package onboarding

import (
	"strings"
	"time"

	"rdvguichet/backend/agenda"
)

// Template groups are the common cases the assistant offers; a commune picks one or several and
// edits each motif before saving. The texts are the usual ones (service-public.fr); the ANTS
// category ties the identity motifs to the anti-duplicate register.
type Group struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Motifs []Motif `json:"motifs"`
}

// The public booking window of a new motif: not within two hours (the kiosk books for later, the
// counter is not limited), up to three months ahead.
const (
	minPublicDelay = 2 * time.Hour
	maxPublicDelay = 90 * 24 * time.Hour
)

var piecesTitre = []string{
	"Pré-demande en ligne (numéro ou QR code)",
	"Photo d’identité de moins de 6 mois, conforme aux normes (35 × 45 mm)",
	"Justificatif de domicile de moins d’un an",
	"Ancien titre, ou déclaration de perte ou de vol",
}

const presenceTitre = "Présentez-vous 10 minutes avant l’heure. La personne concernée doit être présente (empreintes à partir de 12 ans) ; un mineur vient avec son représentant légal."

func with(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}

// guichetEtBorne is the channels of a motif usagers may book at the counter and at the kiosk.
var guichetEtBorne = Channels{Guichet: true, Borne: true}

// Groups are the templates, by group, in the order the assistant shows them.
var Groups = []Group{
	{ID: "titres", Name: "Titres d’identité", Motifs: []Motif{
		{Template: "cni", Name: "Carte d’identité", Color: "#2e7dd7", DurationMin: 20, AntsCategory: string(agenda.AntsCNI),
			Pieces: with(piecesTitre, "Timbre fiscal de 25 € en cas de perte ou de vol"), Instructions: presenceTitre, Channels: guichetEtBorne},
		{Template: "passeport", Name: "Passeport", Color: "#8a4fd1", DurationMin: 20, AntsCategory: string(agenda.AntsPasseport),
			Pieces: with(piecesTitre, "Timbre fiscal : 86 € (majeur), 42 € (15–17 ans), 17 € (moins de 15 ans)"), Instructions: presenceTitre, Channels: guichetEtBorne},
		{Template: "cni-passeport", Name: "Carte d’identité + passeport", Color: "#c0508a", DurationMin: 30, AntsCategory: string(agenda.AntsCNIPasseport),
			Pieces: with(piecesTitre, "Timbres fiscaux : passeport 86 € (majeur) ; carte d’identité gratuite sauf perte ou vol (25 €)"), Instructions: presenceTitre, Channels: guichetEtBorne},
		{Template: "retrait-titre", Name: "Retrait de titre", Color: "#2f9e6b", DurationMin: 10,
			Pieces: []string{"Récépissé de dépôt", "Ancien titre (il est rendu invalide)"}, Instructions: "Le titre est à retirer dans les 3 mois, sinon il est détruit. Le titulaire vient en personne (dès 12 ans).", Channels: guichetEtBorne},
	}},
	{ID: "etat-civil", Name: "État civil", Motifs: []Motif{
		{Template: "mariage", Name: "Dossier de mariage", Color: "#d9467a", DurationMin: 45,
			Pieces: []string{"Pièces d’identité des futurs époux", "Justificatifs de domicile", "Actes de naissance de moins de 3 mois", "Liste des témoins"}, Instructions: "Les deux futurs époux viennent ensemble.", Channels: Channels{Guichet: true}},
		{Template: "pacs", Name: "PACS", Color: "#b5489c", DurationMin: 45,
			Pieces: []string{"Pièces d’identité", "Actes de naissance de moins de 3 mois", "Convention de PACS (Cerfa 15726)"}, Instructions: "Les deux partenaires viennent ensemble.", Channels: Channels{Guichet: true}},
		{Template: "reconnaissance", Name: "Reconnaissance anticipée", Color: "#5f7fd1", DurationMin: 20,
			Pieces: []string{"Pièce d’identité", "Justificatif de domicile de moins de 3 mois"}, Channels: Channels{Guichet: true}},
		{Template: "recensement", Name: "Recensement citoyen", Color: "#3a9fb0", DurationMin: 10,
			Pieces: []string{"Pièce d’identité", "Livret de famille"}, Instructions: "Dans les 3 mois qui suivent les 16 ans.", Channels: guichetEtBorne},
	}},
	{ID: "france-services", Name: "Démarches France Services", Motifs: []Motif{
		{Template: "caf", Name: "Aide CAF (prestations, dossier)", Color: "#e08a1e", DurationMin: 30,
			Pieces: []string{"Numéro d’allocataire CAF", "Dernier avis d’imposition"}, Channels: guichetEtBorne},
		{Template: "impots", Name: "Aide impôts (déclaration en ligne)", Color: "#c9a227", DurationMin: 30,
			Pieces: []string{"Numéro fiscal", "Dernier avis d’imposition"}, Channels: guichetEtBorne},
		{Template: "retraite", Name: "Aide retraite", Color: "#7a8b99", DurationMin: 45,
			Pieces: []string{"Numéro de sécurité sociale", "Relevé de carrière si vous l’avez"}, Channels: Channels{Guichet: true}},
		{Template: "france-travail", Name: "France Travail : inscription et suivi", Color: "#d0463b", DurationMin: 30,
			Pieces: []string{"Identifiant France Travail s’il existe", "CV si vous en avez un"}, Channels: guichetEtBorne},
		{Template: "ants-permis", Name: "ANTS : permis de conduire", Color: "#4a6fa5", DurationMin: 30,
			Pieces: []string{"Pièce d’identité", "Justificatif de domicile", "Photo-signature numérique (code)"}, Channels: guichetEtBorne},
		{Template: "ants-carte-grise", Name: "ANTS : carte grise", Color: "#39788a", DurationMin: 30,
			Pieces: []string{"Pièce d’identité", "Justificatif de domicile", "Certificat de cession ou carte grise barrée"}, Channels: guichetEtBorne},
		{Template: "sante", Name: "Assurance maladie (ameli)", Color: "#2f8f5b", DurationMin: 30,
			Pieces: []string{"Carte Vitale", "Numéro de sécurité sociale"}, Channels: guichetEtBorne},
	}},
	{ID: "ccas", Name: "CCAS", Motifs: []Motif{
		{Template: "ccas-aide", Name: "Demande d’aide sociale", Color: "#a05a2c", DurationMin: 45,
			Pieces: []string{"Pièce d’identité", "Justificatifs de ressources des 3 derniers mois", "Dernier avis d’imposition"}, Instructions: "Entretien confidentiel avec un travailleur social.", Channels: Channels{Guichet: true}},
		{Template: "ccas-domiciliation", Name: "Domiciliation", Color: "#7b6b43", DurationMin: 30,
			Pieces: []string{"Pièce d’identité si vous en avez une"}, Channels: Channels{Guichet: true}},
	}},
	{ID: "vide", Name: "Motif vide", Motifs: []Motif{
		{Template: "vide", Name: "", Color: "#607d8b", DurationMin: 15, Channels: Channels{Guichet: true}},
	}},
}

// KindGroups is which groups a kind of organisation gets ticked first.
var KindGroups = map[string][]string{
	"mairie":          {"titres", "etat-civil"},
	"france_services": {"france-services"},
	"ccas":            {"ccas"},
	"mairie_fs":       {"titres", "etat-civil", "france-services"},
}

// Kinds are the kinds of organisation, with their labels.
var Kinds = []struct{ ID, Label string }{
	{"mairie", "Mairie"},
	{"france_services", "France Services"},
	{"mairie_fs", "Mairie avec France Services"},
	{"ccas", "CCAS"},
	{"autre", "Autre administration"},
}

// Template returns the template motif with this id.
func Template(id string) (Motif, bool) {
	for _, g := range Groups {
		for _, m := range g.Motifs {
			if m.Template == id {
				m.Pieces = with(m.Pieces)
				return m, true
			}
		}
	}
	return Motif{}, false
}

// Expand fills a motif given by its template from the template: the fields left empty take the
// template's, the others stay (init's file may name a template and change its duration).
// Channels are taken as written when any is set.
func (m Motif) Expand() (Motif, error) {
	if m.Template == "" {
		return m, nil
	}
	t, ok := Template(m.Template)
	if !ok {
		return m, agenda.Errorf("onboarding.Expand", agenda.Invalid, "modèle de motif inconnu : « %s »", m.Template)
	}
	pick := func(v, def string) string {
		if strings.TrimSpace(v) == "" {
			return def
		}
		return v
	}
	t.Name, t.Color = pick(m.Name, t.Name), pick(m.Color, t.Color)
	t.Instructions, t.AntsCategory = pick(m.Instructions, t.Instructions), pick(m.AntsCategory, t.AntsCategory)
	if m.DurationMin > 0 {
		t.DurationMin = m.DurationMin
	}
	if m.Pieces != nil {
		t.Pieces = m.Pieces
	}
	if m.Channels != (Channels{}) {
		t.Channels = m.Channels
	}
	return t, nil
}
