package demo

import (
	"time"

	"rdvguichet/backend/agenda"
)

// The demo's fixed content: a commune of 4,000 inhabitants with a France Services office, as in
// ../shared/SCENARIOS.md. Times and names are realistic; people are invented.

const hour = time.Hour

// piecesTitre leaves out the pré-demande: the convocation adds its own ANTS section for every
// motif with an ANTS category.
var piecesTitre = []string{
	"Photo d’identité de moins de 6 mois, conforme aux normes (35 × 45 mm)",
	"Justificatif de domicile de moins d’un an (original et copie)",
	"Ancien titre (carte d’identité ou passeport), ou déclaration de perte ou de vol",
}

func motifs(orgID string) []agenda.Motif {
	m := func(name, color string, dur int, ants agenda.AntsCategory, kiosk, online bool, pieces []string, instr string) agenda.Motif {
		return agenda.Motif{
			OrganisationID: orgID, Name: name, Color: color, DurationMin: dur,
			LocationType: agenda.PublicOffice, MinPublicDelay: 2 * hour, MaxPublicDelay: 90 * 24 * hour,
			BookableKiosk: kiosk, BookableOnline: online, Pieces: pieces, Instructions: instr, AntsCategory: ants,
		}
	}
	passeport := append(append([]string{}, piecesTitre...), "Timbre fiscal : 86 € (majeur), 42 € (15–17 ans), 17 € (moins de 15 ans)")
	cni := append(append([]string{}, piecesTitre...), "Timbre fiscal de 25 € seulement en cas de perte ou de vol")
	both := append(append([]string{}, piecesTitre...), "Timbres fiscaux : passeport 86 € (majeur) ; carte d’identité gratuite sauf perte ou vol (25 €)")
	arrive := "Présentez-vous 10 minutes avant l’heure du rendez-vous. Les mineurs viennent avec leur représentant légal. Empreintes digitales à partir de 12 ans."
	return []agenda.Motif{
		m("Carte d’identité", "#2e7dd7", 20, agenda.AntsCNI, true, true, cni, arrive),
		m("Passeport", "#8a4fd1", 20, agenda.AntsPasseport, true, true, passeport, arrive),
		m("Carte d’identité + passeport", "#c0508a", 30, agenda.AntsCNIPasseport, true, true, both, arrive),
		m("Retrait de titre", "#2f9e6b", 10, agenda.AntsNone, true, false, []string{"Récépissé de dépôt", "Ancien titre"}, "Le titre doit être retiré dans les 3 mois, sinon il est détruit."),
		m("Aide CAF (prestations, dossier)", "#e08a1e", 30, agenda.AntsNone, true, false, []string{"Numéro d’allocataire CAF", "Dernier avis d’imposition"}, ""),
		m("Aide impôts (déclaration en ligne)", "#c9a227", 30, agenda.AntsNone, true, false, []string{"Numéro fiscal", "Dernier avis d’imposition"}, ""),
		m("Aide retraite", "#7a8b99", 45, agenda.AntsNone, false, false, []string{"Relevé de carrière si vous l’avez"}, ""),
		m("France Travail : inscription et suivi", "#d0463b", 30, agenda.AntsNone, true, false, []string{"Identifiant France Travail s’il existe", "CV si vous en avez un"}, ""),
	}
}

// people are the usagers of the demo: enough names that searches and lists look real.
var firstNames = []string{"Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Zoé", "Élodie", "Hélène",
	"Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Raphaël", "Noé", "Étienne", "François", "Maël", "Françoise",
	"Josiane", "Gérard", "Aïcha", "Mohamed", "Yasmine", "Thierry", "Sébastien", "Océane"}

var lastNames = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
	"Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
	"Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
	"Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas"}

var contexts = []string{"", "", "", "", "Dossier incomplet la dernière fois", "Vient avec sa fille", "Malentendant : parler face à lui",
	"Rappeler la veille", "Pré-demande faite en ligne", ""}
