package convocation

import (
	"bytes"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
)

var (
	testSecret = bytes.Repeat([]byte{42}, 32)
	paris, _   = time.LoadLocation("Europe/Paris")
)

const sampleID = "019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b"

// sample is an ANTS passport convocation for mardi 3 mars 2026 à 9 h 30, with two persons (one
// without a pré-demande number), built without a database.
func sample() Convocation {
	start := time.Date(2026, 3, 3, 9, 30, 0, 0, paris)
	tok, err := checkin.Sign(testSecret, sampleID, checkin.Expiry(start, paris))
	if err != nil {
		panic(err)
	}
	return Convocation{
		RdvID: sampleID, Organisation: "Mairie de Saint-Aubin-sur-Loire", Accent: "#1f5fa8",
		Location: paris, Start: start.UTC(), Duration: 20 * time.Minute,
		Motif: "Passeport", LocationType: agenda.PublicOffice, Ants: true,
		Persons: []Person{{Name: "Élodie Lefèvre", PreDemande: "AB12CD34EF"}, {Name: "Noé Lefèvre"}},
		Lieu: Place{Name: "Mairie", Street: "1 place de la Mairie", PostalCode: "45130", City: "Saint-Aubin-sur-Loire",
			Accessibility: "Accès de plain-pied par la rue de l'Église ; bureau des titres au rez-de-chaussée."},
		Guichets: []string{"DR — titres d'identité"},
		Pieces: []string{
			"Photo d'identité de moins de 6 mois, conforme aux normes (35 × 45 mm)",
			"Justificatif de domicile de moins d'un an (original et copie)",
			"Timbre fiscal : 86 € (majeur), 42 € (15–17 ans), 17 € (moins de 15 ans)",
		},
		Instructions: "Présentez-vous 10 minutes avant l'heure du rendez-vous. Les mineurs viennent avec leur représentant légal.",
		Phone:        "+33238000000", Email: "accueil@saint-aubin-sur-loire.fr",
		ShortCode: checkin.ShortCode(testSecret, sampleID), Token: tok,
		Issued: time.Date(2026, 2, 20, 10, 0, 0, 0, paris),
	}
}
