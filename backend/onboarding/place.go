package onboarding

import (
	"strings"

	"rdvguichet/backend/agenda"
)

// Place is what the postal code tells: the département (which selects the local holidays,
// agenda.HolidayRules) and the time zone.
type Place struct {
	Departement string `json:"departement"`
	TimeZone    string `json:"timeZone"`
	// Note names what is particular to the place, for the assistant to show (« Alsace-Moselle :
	// Vendredi saint et 26 décembre fériés »); empty for most of France.
	Note string `json:"note"`
}

// overseas are the départements and collectivités d'outre-mer whose postal codes start with
// 97 or 98, with their time zone.
var overseas = map[string]struct{ zone, name string }{
	"971": {"America/Guadeloupe", "Guadeloupe"},
	"972": {"America/Martinique", "Martinique"},
	"973": {"America/Cayenne", "Guyane"},
	"974": {"Indian/Reunion", "La Réunion"},
	"975": {"America/Miquelon", "Saint-Pierre-et-Miquelon"},
	"976": {"Indian/Mayotte", "Mayotte"},
	"977": {"America/St_Barthelemy", "Saint-Barthélemy"},
	"978": {"America/Marigot", "Saint-Martin"},
}

// PlaceOf reads the département from a French postal code (five digits) or takes departement
// when given (« 2A », « 57 »), and returns its time zone and what is particular to it. ok is false
// when neither tells a département.
func PlaceOf(postalCode, departement string) (Place, bool) {
	d := strings.ToUpper(strings.TrimSpace(departement))
	pc := strings.ReplaceAll(postalCode, " ", "")
	if d == "" && len(pc) == 5 && strings.Trim(pc, "0123456789") == "" {
		switch {
		case strings.HasPrefix(pc, "97"), strings.HasPrefix(pc, "98"):
			d = pc[:3]
		case strings.HasPrefix(pc, "20"): // Corse: 200xx-201xx is Corse-du-Sud, 202xx-206xx Haute-Corse
			d = "2B"
			if pc < "20200" {
				d = "2A"
			}
		default:
			d = pc[:2]
		}
	}
	if d == "" {
		return Place{}, false
	}
	p := Place{Departement: d, TimeZone: "Europe/Paris"}
	if o, ok := overseas[d]; ok {
		p.TimeZone = o.zone
		p.Note = o.name + " : fuseau " + o.zone + ", jours fériés locaux (abolition de l’esclavage) comptés."
	}
	switch d {
	case "57", "67", "68":
		p.Note = "Alsace-Moselle : Vendredi saint et 26 décembre fériés, comptés dans l’agenda."
	}
	return p, true
}

// AgendaOrganisation is the agenda.Organisation of the first step: the zone and the holidays come
// from the département.
func (o Organisation) AgendaOrganisation() agenda.Organisation {
	out := agenda.Organisation{Name: o.Name, AccentColor: o.AccentColor, Email: o.Email, Phone: o.Phone, LogoPNG: o.LogoPNG,
		TimeZone: "Europe/Paris", Holidays: agenda.HolidayRules{LundiPentecoteTravaille: true}}
	if p, ok := PlaceOf(o.PostalCode, o.Departement); ok {
		out.TimeZone, out.Holidays.Departement = p.TimeZone, p.Departement
	}
	return out
}
