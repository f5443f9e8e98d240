package pgstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
)

// The central's side of the online booking pages (sync/server/web): an organisation found by
// the slug of its address, its switch, the cancel link found by its token alone (/r/<token>),
// and the moves and cancellations through it. The booking itself is BookOnline's.

// CancelTokenChars is the length of a cancel token as text: an HMAC-SHA256 (256 bits) in
// base64url without padding.
const CancelTokenChars = (sha256.Size*8 + 5) / 6

// cancelToken derives the token of the cancel link of usagerID's seat in RDV rdvID from the
// organisation's secret: 256 bits that cannot be guessed nor enumerated without the secret, and
// that the central can write again in a later message (CancelLinkToken) although it stores only
// their hash.
func cancelToken(secret []byte, rdvID, usagerID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("cancel-link\x00" + rdvID + "\x00" + usagerID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// maxSlug bounds a slug's length (an address read aloud on the phone stays short).
const maxSlug = 48

// Slugify derives the slug of an organisation's pages from its name: lower case ASCII letters and
// digits separated by single hyphens (« Mairie de Saint-Étienne-d'Œ » → « mairie-de-saint-etienne-d-oe »).
func Slugify(name string) string {
	words := strings.FieldsFunc(asciiFold(strings.ToLower(name)), func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
	s := strings.Join(words, "-")
	if len(s) > maxSlug {
		s = strings.TrimRight(s[:maxSlug], "-")
	}
	if s == "" {
		return "organisation"
	}
	return s
}

// asciiFold drops the accents (« é » → « e ») and spells the ligatures (« œ » → « oe »).
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// AssignSlugs gives a slug to every organisation that has none yet (its office's first push
// replaced the placeholder since): its name's, or with « -2 », « -3 »… when taken. Two processes
// doing it at once are kept apart by the unique index.
func (s *Store) AssignSlugs(ctx context.Context) error {
	const op = "pgstore.AssignSlugs"
	rows, err := s.pool.Query(ctx, "SELECT organisation_id::text, name FROM organisations WHERE slug IS NULL AND NOT placeholder ORDER BY organisation_id")
	if err != nil {
		return mapErr(op, err)
	}
	type org struct{ id, name string }
	var todo []org
	var o org
	if _, err := pgx.ForEachRow(rows, []any{&o.id, &o.name}, func() error { todo = append(todo, o); return nil }); err != nil {
		return mapErr(op, err)
	}
	for _, o := range todo {
		base := Slugify(o.name)
		for n := 1; ; n++ {
			slug := base
			if n > 1 {
				slug = base + "-" + strconv.Itoa(n)
			}
			tag, err := s.pool.Exec(ctx, `UPDATE organisations SET slug = $2 WHERE organisation_id = $1 AND slug IS NULL
				AND NOT EXISTS (SELECT 1 FROM organisations WHERE slug = $2)`, o.id, slug)
			if err != nil && agenda.CodeOf(mapErr(op, err)) != agenda.CodeDuplicate {
				return mapErr(op, err)
			}
			if err == nil && tag.RowsAffected() == 1 {
				break
			}
			var done bool
			if err := s.pool.QueryRow(ctx, "SELECT slug IS NOT NULL FROM organisations WHERE organisation_id = $1", o.id).Scan(&done); err != nil {
				return mapErr(op, err)
			}
			if done { // another process named it meanwhile
				break
			}
		}
	}
	return nil
}

// PageOrganisation is an organisation as its pages see it.
type PageOrganisation struct {
	agenda.Organisation
	Slug   string
	Online bool // the operator's switch: false, the pages answer « fermé »
}

// OrganisationBySlug returns the organisation of the pages /<slug>/. An unknown slug is
// NotFound; on a miss, the organisations that have no slug yet get one first.
func (s *Store) OrganisationBySlug(ctx context.Context, slug string) (PageOrganisation, error) {
	const op = "pgstore.OrganisationBySlug"
	if slug == "" || len(slug) > maxSlug+4 || Slugify(slug) != slug {
		return PageOrganisation{}, notFound(op, "organisation", slug)
	}
	read := func() (PageOrganisation, error) {
		var p PageOrganisation
		var id string
		err := s.pool.QueryRow(ctx, "SELECT organisation_id::text, online_enabled FROM organisations WHERE slug = $1", slug).Scan(&id, &p.Online)
		if err != nil {
			return p, err
		}
		p.Slug = slug
		p.Organisation, err = s.GetOrganisation(ctx, id)
		return p, err
	}
	p, err := read()
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.AssignSlugs(ctx); err != nil {
			return p, err
		}
		p, err = read()
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return p, notFound(op, "organisation", slug)
	}
	return p, mapErr(op, err)
}

// SetOnline turns the online pages of office officeID's organisation on or off, and returns
// the office as it is now.
func (s *Store) SetOnline(ctx context.Context, officeID string, on bool) (Office, error) {
	const op = "pgstore.SetOnline"
	if !validID(officeID) {
		return Office{}, notFound(op, "bureau", officeID)
	}
	if err := s.AssignSlugs(ctx); err != nil {
		return Office{}, err
	}
	var o Office
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE organisations SET online_enabled = $2
			WHERE organisation_id = (SELECT organisation_id FROM offices WHERE id = $1)`, officeID, on); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+officeCols+" FROM offices f JOIN organisations o ON o.organisation_id = f.organisation_id WHERE f.id = $1", officeID)
		if err != nil {
			return err
		}
		o, err = pgx.CollectExactlyOneRow(rows, scanOffice)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(op, "bureau", officeID)
		}
		return err
	})
	return o, err
}

// OrganisationSecret returns organisation orgID's secret at the central, made at first use: it
// signs the check-in code of the convocations the central issues and derives the tokens of the
// cancel links.
func (s *Store) OrganisationSecret(ctx context.Context, orgID string) ([]byte, error) {
	const op = "pgstore.OrganisationSecret"
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	var secret []byte
	if !validID(orgID) {
		return nil, notFound(op, "organisation", orgID)
	}
	// Read first: the update below takes the organisation's row lock, once in its life.
	err := s.pool.QueryRow(ctx, "SELECT secret FROM organisations WHERE organisation_id = $1 AND secret IS NOT NULL", orgID).Scan(&secret)
	if err == nil {
		return secret, nil
	}
	err = s.pool.QueryRow(ctx, `UPDATE organisations SET secret = coalesce(secret, $2)
		WHERE organisation_id = $1 RETURNING secret`, orgID, fresh).Scan(&secret)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(op, "organisation", orgID)
	}
	return secret, mapErr(op, err)
}

// OnlineLink is what a cancel link (/r/<token>) opens: the RDV booked online, what its pages and
// documents print, and the usager who holds the link.
type OnlineLink struct {
	Organisation PageOrganisation
	Rdv          agenda.Rdv
	Motif        agenda.Motif
	Lieu         agenda.Lieu // zero when the RDV has none
	Agents       []agenda.Agent
	Usager       agenda.Usager
}

// LinkByToken returns the RDV of a link token: a cancel link of an online booking (the central's
// token, found by its hash, compared again in constant time) or a link an office built with the
// organisation's key (checkin.LinkToken: the RDV it names, then its MAC checked with that
// organisation's keys for each of the RDV's usagers). An unknown or malformed token is
// cancel_link_invalid; once the RDV has ended the link is cancel_link_expired, whatever its
// status.
func (s *Store) LinkByToken(ctx context.Context, token string) (OnlineLink, error) {
	const op = "pgstore.LinkByToken"
	bad := agenda.Fail(op, agenda.CodeCancelLinkInvalid)
	if len(token) != CancelTokenChars {
		return OnlineLink{}, bad
	}
	if _, err := base64.RawURLEncoding.DecodeString(token); err != nil {
		return OnlineLink{}, bad
	}
	var l OnlineLink
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		org, rdvID, usagerID, err := linkSeat(ctx, tx, token, s.now())
		if err != nil {
			return err
		}
		if org == "" {
			return bad
		}
		if l.Rdv, err = getRdv(ctx, tx, org, rdvID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT coalesce(slug, ''), online_enabled FROM organisations WHERE organisation_id = $1", org).
			Scan(&l.Organisation.Slug, &l.Organisation.Online); err != nil {
			return err
		}
		if l.Organisation.Organisation, err = getOrg(ctx, tx, org); err != nil {
			return err
		}
		if l.Motif, err = getMotif(ctx, tx, l.Rdv.MotifID); err != nil {
			return err
		}
		if l.Rdv.LieuID != "" {
			l.Lieu.ID, l.Lieu.OrganisationID = l.Rdv.LieuID, org
			if err := tx.QueryRow(ctx, `SELECT name, street, postal_code, city, phone, accessibility, enabled FROM lieux
				WHERE organisation_id = $1 AND id = $2`, org, l.Rdv.LieuID).Scan(&l.Lieu.Name, &l.Lieu.Street, &l.Lieu.PostalCode,
				&l.Lieu.City, &l.Lieu.Phone, &l.Lieu.Accessibility, &l.Lieu.Enabled); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT id::text, kind, name FROM agents WHERE organisation_id = $1 AND id = ANY($2::uuid[])
			ORDER BY array_position($2::uuid[], id)`, org, l.Rdv.AgentIDs)
		if err != nil {
			return err
		}
		var a agenda.Agent
		if _, err := pgx.ForEachRow(rows, []any{&a.ID, &a.Kind, &a.Name}, func() error {
			x := a
			x.OrganisationID = org
			l.Agents = append(l.Agents, x)
			return nil
		}); err != nil {
			return err
		}
		u := &l.Usager
		u.ID, u.OrganisationID = usagerID, org
		return tx.QueryRow(ctx, `SELECT first_name, last_name, phone, email, notify_sms, notify_email, ants_pre_demande FROM usagers
			WHERE organisation_id = $1 AND id = $2`, org, usagerID).Scan(&u.FirstName, &u.LastName, &u.Phone, &u.Email,
			&u.NotifySMS, &u.NotifyEmail, &u.AntsPreDemande)
	})
	if err != nil {
		return OnlineLink{}, err
	}
	if !l.Rdv.EndsAt.After(s.now()) {
		return OnlineLink{}, agenda.Fail(op, agenda.CodeCancelLinkExpired)
	}
	return l, nil
}

// linkSeat finds the seat (organisation, RDV, usager) a link token names at instant now; all ""
// when none.
func linkSeat(ctx context.Context, tx pgx.Tx, token string, now time.Time) (org, rdvID, usagerID string, err error) {
	sum := sha256.Sum256([]byte(token))
	var stored []byte
	err = tx.QueryRow(ctx, `SELECT organisation_id::text, rdv_id::text, usager_id::text, token_hash FROM online_cancel_links
		WHERE token_hash = $1`, sum[:]).Scan(&org, &rdvID, &usagerID, &stored)
	if err == nil && subtle.ConstantTimeCompare(stored, sum[:]) == 1 {
		return org, rdvID, usagerID, nil
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", err
	}
	rdvID, ok := checkin.LinkRdv(token)
	if !ok {
		return "", "", "", nil
	}
	// The RDV's id is the office's UUID: read every organisation that has one by that id, each
	// checked with its own keys, so that an id pushed by another organisation cannot shadow it.
	rows, err := tx.Query(ctx, `SELECT r.organisation_id::text, array_agg(p.usager_id::text ORDER BY p.position)
		FROM rdvs r JOIN participations p ON p.organisation_id = r.organisation_id AND p.rdv_id = r.id
		WHERE r.id = $1 GROUP BY r.organisation_id ORDER BY r.organisation_id`, rdvID)
	if err != nil {
		return "", "", "", err
	}
	type seats struct {
		org     string
		usagers []string
	}
	var found []seats
	var f seats
	if _, err := pgx.ForEachRow(rows, []any{&f.org, &f.usagers}, func() error { found = append(found, seats{f.org, slices.Clone(f.usagers)}); return nil }); err != nil {
		return "", "", "", err
	}
	for _, f := range found {
		keys, err := orgKeys(ctx, tx, f.org, now)
		if err != nil {
			return "", "", "", err
		}
		if u, ok := checkin.LinkHolder(token, keys, f.usagers); ok {
			return f.org, rdvID, u, nil
		}
	}
	return "", "", "", nil
}

// CancelLinkToken returns the token of the cancel link of usagerID's seat in RDV rdvID of
// organisation orgID, booked online: what a message sent later (confirmation, reminder) puts in
// its link, /r/<token>. A seat without a link is NotFound.
func (s *Store) CancelLinkToken(ctx context.Context, orgID, rdvID, usagerID string) (string, error) {
	const op = "pgstore.CancelLinkToken"
	if !validID(orgID) || !validID(rdvID) || !validID(usagerID) {
		return "", notFound(op, "lien d’annulation", rdvID)
	}
	var stored []byte
	err := s.pool.QueryRow(ctx, "SELECT token_hash FROM online_cancel_links WHERE organisation_id = $1 AND rdv_id = $2 AND usager_id = $3",
		orgID, rdvID, usagerID).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", notFound(op, "lien d’annulation", rdvID)
	}
	if err != nil {
		return "", mapErr(op, err)
	}
	// The link was derived from the key of its booking's day: the current one, or a former one
	// still kept (RotateKey).
	keys, err := s.OrganisationKeys(ctx, orgID)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		token := cancelToken(k, rdvID, usagerID)
		if sum := sha256.Sum256([]byte(token)); subtle.ConstantTimeCompare(sum[:], stored) == 1 {
			return token, nil
		}
	}
	return "", agenda.Errorf(op, agenda.Other, "le lien d’annulation n’a été dérivé d’aucune clé de l’organisation")
}

// CancelByLink cancels, through its link, the seat of the usager who holds token: CancelOnline's
// rules, once LinkByToken has found the RDV and checked the link's expiry.
func (s *Store) CancelByLink(ctx context.Context, token string) (agenda.Rdv, error) {
	l, err := s.LinkByToken(ctx, token)
	if err != nil {
		return agenda.Rdv{}, err
	}
	return s.cancelSeat(ctx, l.Rdv.ID, l.Usager.ID)
}

// MoveByLink moves, through its link, the RDV of token to start: Move's rules for the usager
// (an en_ligne slot of the same agent, never an override). A collective session is not moved by
// one of its usagers: they cancel their seat and book another.
func (s *Store) MoveByLink(ctx context.Context, token string, start time.Time) (agenda.Rdv, error) {
	l, err := s.LinkByToken(ctx, token)
	if err != nil {
		return agenda.Rdv{}, err
	}
	if l.Rdv.Collectif {
		return agenda.Rdv{}, agenda.Fail("pgstore.MoveByLink", agenda.CodeMoveCollectif)
	}
	return s.Move(ctx, l.Rdv.ID, start, "", agenda.Online, false)
}

// FutureOnlineRdvs counts the RDVs of motif motifID booked online in organisation orgID, not
// cancelled and not yet ended, whose usager has this phone (E.164) or this e-mail: the cap of
// the pages. It is read before the booking, outside its transaction: a deterrent against
// hoarding slots, not a guarantee.
func (s *Store) FutureOnlineRdvs(ctx context.Context, orgID, motifID, phone, email string) (int, error) {
	const op = "pgstore.FutureOnlineRdvs"
	if !validID(orgID) || !validID(motifID) || (phone == "" && email == "") {
		return 0, nil
	}
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(DISTINCT r.id) FROM rdvs r
		JOIN participations p ON p.organisation_id = r.organisation_id AND p.rdv_id = r.id AND p.status IN ('unknown', 'seen', 'noshow')
		JOIN usagers u ON u.organisation_id = p.organisation_id AND u.id = p.usager_id
		WHERE r.organisation_id = $1 AND r.motif_id = $2 AND r.origine = 'en_ligne' AND r.cancelled_at IS NULL AND r.ends_at > $5
		  AND ((u.phone <> '' AND u.phone = $3) OR (u.email <> '' AND lower(u.email) = lower($4)))`,
		orgID, motifID, phone, email, s.now()).Scan(&n)
	return n, mapErr(op, err)
}
