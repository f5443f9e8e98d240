// Package convocation makes the document an usager takes home after booking: an A4 page or an
// 80 mm ticket (PDF), and the same ticket as ESC/POS bytes for thermal printers. Its content is
// domain.md section 8: who, what, when (« mardi 3 mars 2026 à 9 h 30 »), how long, where (address,
// guichet, accessibility), the pièces à fournir and instructions of the motif, the ANTS pré-demande,
// how to cancel or move, and the RDV's reference as a QR code and a short code for the kiosk.
//
// Build assembles a Convocation from a Reader (the desk's SQLite store, the central's PostgreSQL
// one: this package imports neither); Assemble does the same from values already loaded; Render
// only draws it, so rendering is a pure function that tests and benchmarks call without a database. Everything printed comes from the
// organisation, lieu and motif data: the only fixed texts are headings, the ANTS pré-demande
// reminder and the kiosk hint.
package convocation

import (
	"context"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/fr"
)

// Reader is what Build reads: an RDV and what it refers to, by id. *store.DB is one, and so will
// be the central's store; a NotFound error keeps its kind through Build.
type Reader interface {
	GetRdv(ctx context.Context, id string) (agenda.Rdv, error)
	GetOrganisation(ctx context.Context, id string) (agenda.Organisation, error)
	GetMotif(ctx context.Context, id string) (agenda.Motif, error)
	GetLieu(ctx context.Context, id string) (agenda.Lieu, error)
	GetAgent(ctx context.Context, id string) (agenda.Agent, error)
	GetUsager(ctx context.Context, id string) (agenda.Usager, error)
}

// Loaded is an RDV with everything its convocation prints, already read: Lieu is the zero value
// when the RDV has none; Agents are the RDV's agents and guichets, in its order; Usagers are the
// persons still expected (participations not cancelled on their own), in its order.
type Loaded struct {
	Rdv          agenda.Rdv
	Organisation agenda.Organisation
	Motif        agenda.Motif
	Lieu         agenda.Lieu
	Agents       []agenda.Agent
	Usagers      []agenda.Usager
}

// Person is one usager the RDV is for.
type Person struct {
	Name       string // « Marie Dupont »
	PreDemande string // ANTS pré-demande number; "" when not given yet
}

// Place is where the RDV happens.
type Place struct {
	Name          string // « Mairie »
	Street        string
	PostalCode    string
	City          string
	Accessibility string
}

// Address is the lieu's postal address on one line: « 1 place de la Mairie, 45130 Saint-Aubin ».
func (p Place) Address() string {
	town := strings.TrimSpace(p.PostalCode + " " + p.City)
	switch {
	case p.Street == "":
		return town
	case town == "":
		return p.Street
	}
	return p.Street + ", " + town
}

// Convocation is everything printed, already looked up. Times are instants; Location is the
// organisation's zone in which they are written.
type Convocation struct {
	RdvID        string
	Organisation string
	LogoPNG      []byte // optional; an unreadable logo is left out rather than block the print
	Accent       string // #RRGGBB, for rules and heading marks only: text stays black
	Location     *time.Location
	Start        time.Time
	Duration     time.Duration
	Motif        string
	LocationType agenda.LocationType
	Ants         bool // the motif is a CNI/passport one: print the pré-demande block
	Documents    int  // the titles booked (ANTS): « Passeport — 2 personnes », pièces for each
	Persons      []Person
	Lieu         Place
	Guichets     []string // desks without login (« DR — titres d'identité »)
	Agents       []string // agents receiving the usager (« Claire Martin »)
	Pieces       []string
	// Bring is one line about the pièces in the usager's language (the kiosk's), printed under
	// them; the rest stays French. "" for none.
	Bring        string
	Instructions string
	Phone        string // where to call to cancel or move (the lieu's, else the organisation's), E.164
	Email        string // the organisation's address
	ShortCode    string // checkin.ShortCode
	Token        string // checkin.Sign: what the QR code holds
	Issued       time.Time
}

// Title is the motif as printed: with the number of people when one RDV holds several titles
// (« Passeport — 2 personnes »).
func (c Convocation) Title() string {
	if c.Ants && c.Documents > 1 {
		return c.Motif + " — " + strconv.Itoa(c.Documents) + " personnes"
	}
	return c.Motif
}

// piecesHeading says whose pièces the list is: each person brings their own.
func (c Convocation) piecesHeading() string {
	if c.Ants && c.Documents > 1 {
		return "Pièces à fournir, pour chacune des " + strconv.Itoa(c.Documents) + " personnes"
	}
	return "Pièces à fournir"
}

// bringLine is Bring when the ticket printer's code page (PC858) can print it, "" otherwise: an
// Arabic line would come out as question marks, so the confirmation screen says it instead.
func (c Convocation) bringLine() string {
	if _, err := charmap.CodePage858.NewEncoder().String(c.Bring); err != nil {
		return ""
	}
	return c.Bring
}

// When writes the date and time in French: « mardi 3 mars 2026 à 9 h 30 ».
func (c Convocation) When() string { return fr.DateTime(c.Start, c.loc()) }

func (c Convocation) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Build reads the RDV rdvID and what it refers to from db, and signs its check-in token with
// secret (see checkin.LoadSecret). now is the issue date written in the PDF's metadata. A
// cancelled RDV has no convocation: Build refuses it (kind Invalid).
func Build(ctx context.Context, db Reader, rdvID string, secret []byte, now time.Time) (Convocation, error) {
	const op = "convocation.Build"
	r, err := db.GetRdv(ctx, rdvID)
	if err != nil {
		return Convocation{}, agenda.E(op, agenda.Other, err)
	}
	if r.Status.Cancelled() {
		return Convocation{}, agenda.Fail(op, agenda.CodeRdvCancelled)
	}
	in := Loaded{Rdv: r}
	if in.Organisation, err = db.GetOrganisation(ctx, r.OrganisationID); err != nil {
		return Convocation{}, agenda.E(op, agenda.Other, err)
	}
	if in.Motif, err = db.GetMotif(ctx, r.MotifID); err != nil {
		return Convocation{}, agenda.E(op, agenda.Other, err)
	}
	if r.LieuID != "" {
		if in.Lieu, err = db.GetLieu(ctx, r.LieuID); err != nil {
			return Convocation{}, agenda.E(op, agenda.Other, err)
		}
	}
	for _, id := range r.AgentIDs {
		a, err := db.GetAgent(ctx, id)
		if err != nil {
			return Convocation{}, agenda.E(op, agenda.Other, err)
		}
		in.Agents = append(in.Agents, a)
	}
	// The persons still expected: a participation cancelled on its own is not convoked.
	for _, p := range r.Participations {
		if p.Status.Cancelled() {
			continue
		}
		u, err := db.GetUsager(ctx, p.UsagerID)
		if err != nil {
			return Convocation{}, agenda.E(op, agenda.Other, err)
		}
		in.Usagers = append(in.Usagers, u)
	}
	c, err := Assemble(in, secret, now)
	if err != nil {
		return Convocation{}, agenda.E(op, agenda.Other, err)
	}
	return c, nil
}

// Assemble makes the convocation of in.Rdv from values already loaded (see Loaded), and signs
// its check-in token with secret. A cancelled RDV has no convocation (kind Invalid); an
// organisation whose zone is unknown has none either (unknown_time_zone).
func Assemble(in Loaded, secret []byte, now time.Time) (Convocation, error) {
	const op = "convocation.Assemble"
	r, org, m := in.Rdv, in.Organisation, in.Motif
	if r.Status.Cancelled() {
		return Convocation{}, agenda.Fail(op, agenda.CodeRdvCancelled)
	}
	loc, err := org.Location()
	if err != nil {
		return Convocation{}, agenda.E(op, agenda.Other, err)
	}
	c := Convocation{
		RdvID: r.ID, Organisation: org.Name, LogoPNG: org.LogoPNG, Accent: org.AccentColor,
		Location: loc, Start: r.StartsAt, Duration: r.EndsAt.Sub(r.StartsAt),
		Motif: m.Name, LocationType: m.LocationType, Ants: m.AntsCategory != agenda.AntsNone, Documents: r.DocumentsNumber,
		Pieces: m.Pieces, Instructions: m.Instructions, Phone: org.Phone, Email: org.Email, Issued: now,
	}
	if l := in.Lieu; r.LieuID != "" {
		c.Lieu = Place{Name: l.Name, Street: l.Street, PostalCode: l.PostalCode, City: l.City, Accessibility: l.Accessibility}
		if l.Phone != "" {
			c.Phone = l.Phone
		}
	}
	for _, a := range in.Agents {
		if a.Kind == agenda.KindGuichet {
			c.Guichets = append(c.Guichets, a.Name)
		} else {
			c.Agents = append(c.Agents, a.Name)
		}
	}
	for _, u := range in.Usagers {
		c.Persons = append(c.Persons, Person{Name: strings.TrimSpace(u.FirstName + " " + u.LastName), PreDemande: u.AntsPreDemande})
	}
	c.ShortCode = checkin.ShortCode(secret, r.ID)
	c.Token, err = checkin.Sign(secret, r.ID, checkin.Expiry(r.StartsAt, loc))
	if err != nil {
		return Convocation{}, agenda.E(op, agenda.Other, err)
	}
	return c, nil
}

// PhoneText writes an E.164 French number as people read it, « 02 38 00 00 00 » (no-break
// spaces, so that a line never breaks inside it); other numbers are left as they are.
func PhoneText(e164 string) string {
	if !strings.HasPrefix(e164, "+33") || len(e164) != 12 {
		return e164
	}
	d := "0" + e164[3:]
	var b strings.Builder
	for i := 0; i < len(d); i += 2 {
		if i > 0 {
			b.WriteString("\u00a0")
		}
		b.WriteString(d[i : i+2])
	}
	return b.String()
}

// Texts shared by the PDF and the ESC/POS ticket.
const (
	// preDemandeReminder is the one ANTS text not taken from the motif (domain.md 8).
	preDemandeReminder = "Pré-demande à faire avant le rendez-vous sur ants.gouv.fr : notez son numéro ou apportez le récapitulatif. Sans pré-demande, arrivez 15 minutes plus tôt pour remplir le formulaire papier."
	kioskHint          = "À votre arrivée, présentez ce QR code à la borne d’accueil ou tapez ce code."
)

// placeLine says where to go, or how the RDV happens when it is not at a lieu.
func (c Convocation) placeLines() []string {
	switch c.LocationType {
	case agenda.Phone:
		return []string{"Rendez-vous par téléphone : nous vous appelons à l’heure indiquée."}
	case agenda.Visio:
		return []string{"Rendez-vous en visioconférence : le lien vous est envoyé avant l’heure."}
	case agenda.Home:
		return []string{"Rendez-vous à votre domicile."}
	}
	var out []string
	if c.Lieu.Name != "" {
		out = append(out, c.Lieu.Name)
	}
	if a := c.Lieu.Address(); a != "" {
		out = append(out, a)
	}
	return out
}

// cancelText says how to cancel or move, from the lieu's phone and the organisation's email.
func (c Convocation) cancelText() string {
	var ways []string
	if c.Phone != "" {
		ways = append(ways, "appelez le "+PhoneText(c.Phone))
	}
	if c.Email != "" {
		ways = append(ways, "écrivez à "+c.Email)
	}
	if len(ways) == 0 {
		return "Pour annuler ou déplacer ce rendez-vous, adressez-vous à l’accueil. Prévenez-nous : le créneau sera proposé à quelqu’un d’autre."
	}
	return "Pour annuler ou déplacer ce rendez-vous, " + strings.Join(ways, " ou ") + ". Prévenez-nous : le créneau sera proposé à quelqu’un d’autre."
}

// resourceLines name who receives the usager: « Guichet : DR — titres d'identité », « Avec : Claire Martin ».
func (c Convocation) resourceLines() []string {
	var out []string
	if len(c.Guichets) > 0 {
		out = append(out, "Guichet : "+strings.Join(c.Guichets, ", "))
	}
	if len(c.Agents) > 0 {
		out = append(out, "Avec : "+strings.Join(c.Agents, ", "))
	}
	return out
}
