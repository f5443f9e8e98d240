package pgstore

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/creneaux"

	"github.com/jackc/pgx/v5"
)

// The central's side of online booking: the motifs it sells, the booking of an usager with the
// hash of their cancel token, and the cancellation through that token. The rules are the core's
// (booking.Decide through Book's path, booking.ChangeStatus through SetStatus); this file only
// scopes them to one organisation and keeps the cancel links.

// Now is the store's clock (the slot searches of the online pages use it).
func (s *Store) Now() time.Time { return s.now() }

// OnlineMotif is a motif sold online: bookable online, not archived, offered by at least one
// en_ligne plage of an active agent that has not ended, with the enabled lieux of those plages.
type OnlineMotif struct {
	Motif agenda.Motif
	Lieux []agenda.Lieu
}

// OnlineMotifs returns the motifs organisation orgID sells online, by name. An organisation the
// central does not know is NotFound.
func (s *Store) OnlineMotifs(ctx context.Context, orgID string) ([]OnlineMotif, error) {
	const op = "pgstore.OnlineMotifs"
	if !validID(orgID) {
		return nil, notFound(op, "organisation", orgID)
	}
	var out []OnlineMotif
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		org, err := getOrg(ctx, tx, orgID)
		if err != nil {
			return err
		}
		loc, err := org.Location()
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		today := agenda.DateOf(s.now().In(loc)).String()
		rows, err := tx.Query(ctx, `SELECT pm.motif_id::text, l.id::text, l.name, l.street, l.postal_code, l.city, l.phone, l.accessibility
			FROM plages p
			JOIN plage_motifs pm ON pm.organisation_id = p.organisation_id AND pm.plage_id = p.id
			JOIN motifs m ON m.organisation_id = pm.organisation_id AND m.id = pm.motif_id AND m.bookable_online AND NOT m.archived
			JOIN lieux l ON l.organisation_id = p.organisation_id AND l.id = p.lieu_id AND l.enabled
			JOIN agents a ON a.organisation_id = p.organisation_id AND a.id = p.agent_id AND a.active
			WHERE p.organisation_id = $1 AND p.canal = 'en_ligne' AND (p.last_day IS NULL OR p.last_day >= $2::date)
			GROUP BY pm.motif_id, l.organisation_id, l.id
			ORDER BY l.name, l.id`, orgID, today)
		if err != nil {
			return err
		}
		lieux := map[string][]agenda.Lieu{}
		var motifIDs []string
		var mid string
		var l agenda.Lieu
		if _, err := pgx.ForEachRow(rows, []any{&mid, &l.ID, &l.Name, &l.Street, &l.PostalCode, &l.City, &l.Phone, &l.Accessibility}, func() error {
			x := l
			x.OrganisationID, x.Enabled = orgID, true
			if _, ok := lieux[mid]; !ok {
				motifIDs = append(motifIDs, mid)
			}
			lieux[mid] = append(lieux[mid], x)
			return nil
		}); err != nil {
			return err
		}
		for _, id := range motifIDs {
			m, err := getMotif(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, OnlineMotif{Motif: m, Lieux: lieux[id]})
		}
		slices.SortFunc(out, func(a, b OnlineMotif) int {
			if a.Motif.Name != b.Motif.Name {
				if a.Motif.Name < b.Motif.Name {
					return -1
				}
				return 1
			}
			if a.Motif.ID < b.Motif.ID {
				return -1
			}
			return 1
		})
		return nil
	})
	return out, err
}

// OnlineScope returns motif motifID of organisation orgID with the organisation: NotFound when
// either is unknown or the motif belongs to another organisation (one answer for both).
func (s *Store) OnlineScope(ctx context.Context, orgID, motifID string) (agenda.Motif, agenda.Organisation, error) {
	const op = "pgstore.OnlineScope"
	if !validID(orgID) || !validID(motifID) {
		return agenda.Motif{}, agenda.Organisation{}, notFound(op, "motif", motifID)
	}
	var m agenda.Motif
	var o agenda.Organisation
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		var err error
		if m, err = getMotif(ctx, tx, motifID); err != nil {
			return err
		}
		if m.OrganisationID != orgID {
			return notFound(op, "motif", motifID)
		}
		o, err = getOrg(ctx, tx, orgID)
		return err
	})
	return m, o, err
}

// BookOnline books req for an usager on the online pages of organisation orgID: Book's path
// (booking.Decide on the en_ligne plages, the database's guarantee), with origine en_ligne and
// the actor Online whatever req says, and the usager's cancel link recorded in the same
// transaction: it returns the link's token (derived from the organisation's secret, see
// CancelLinkToken), of which the central keeps only the SHA-256. A motif of another
// organisation is NotFound. The RDV and its usager go to the change feed: the office pulls them.
func (s *Store) BookOnline(ctx context.Context, orgID string, req booking.Request) (agenda.Rdv, string, error) {
	const op = "pgstore.BookOnline"
	if !validID(orgID) {
		return agenda.Rdv{}, "", notFound(op, "motif", req.MotifID)
	}
	if req.NewUsager == nil {
		return agenda.Rdv{}, "", agenda.Fail(op, agenda.CodeUsagerRequired)
	}
	secret, err := s.OrganisationSecret(ctx, orgID)
	if agenda.KindOf(err) == agenda.NotFound {
		return agenda.Rdv{}, "", notFound(op, "motif", req.MotifID)
	}
	if err != nil {
		return agenda.Rdv{}, "", err
	}
	u := *req.NewUsager
	u.ID, u.OrganisationID = newID(), orgID
	req.NewUsager, req.Usagers = &u, nil
	req.Origine, req.By, req.Override, req.AgentID = agenda.OrigineEnLigne, agenda.Online, false, ""
	req, err = booking.Normalize(req)
	if err != nil {
		return agenda.Rdv{}, "", agenda.E(op, agenda.Other, err)
	}
	var token string
	var out agenda.Rdv
	err = s.write(ctx, op, func(tx pgx.Tx) error {
		m, err := getMotif(ctx, tx, req.MotifID)
		if err != nil {
			return err
		}
		if m.OrganisationID != orgID {
			return notFound(op, "motif", req.MotifID)
		}
		rdv, err := s.book(ctx, tx, req)
		if err != nil {
			return err
		}
		token = cancelToken(secret, rdv.ID, u.ID)
		hash := sha256.Sum256([]byte(token))
		if _, err := tx.Exec(ctx, `INSERT INTO online_cancel_links(organisation_id, rdv_id, usager_id, token_hash, created_at)
			VALUES ($1, $2, $3, $4, $5)`, rdv.OrganisationID, rdv.ID, u.ID, hash[:], s.now()); err != nil {
			return err
		}
		out = rdv
		return nil
	})
	if err != nil {
		return agenda.Rdv{}, "", err
	}
	return out, token, nil
}

// CancelOnline cancels, for the usager who holds the token of its cancel link, their seat of RDV
// rdvID of organisation orgID: the RDV (excused, by the usager) or, in a collective session,
// their participation. An unknown RDV, another organisation's or a wrong token are one refusal,
// cancel_link_invalid; the token's hash is compared in constant time. The status rules are the
// core's (booking.ChangeStatus: an RDV already cancelled or past is refused with its code).
func (s *Store) CancelOnline(ctx context.Context, orgID, rdvID, token string) (agenda.Rdv, error) {
	const op = "pgstore.CancelOnline"
	bad := agenda.Fail(op, agenda.CodeCancelLinkInvalid)
	if !validID(orgID) || !validID(rdvID) || token == "" {
		return agenda.Rdv{}, bad
	}
	sum := sha256.Sum256([]byte(token))
	rows, err := s.pool.Query(ctx, `SELECT usager_id::text, token_hash FROM online_cancel_links
		WHERE organisation_id = $1 AND rdv_id = $2`, orgID, rdvID)
	if err != nil {
		return agenda.Rdv{}, mapErr(op, err)
	}
	usager := ""
	var u string
	var h []byte
	if _, err := pgx.ForEachRow(rows, []any{&u, &h}, func() error {
		if subtle.ConstantTimeCompare(h, sum[:]) == 1 {
			usager = u
		}
		return nil
	}); err != nil {
		return agenda.Rdv{}, mapErr(op, err)
	}
	if usager == "" {
		return agenda.Rdv{}, bad
	}
	return s.cancelSeat(ctx, rdvID, usager)
}

// cancelSeat cancels usager's seat of RDV rdvID, by the usager: the RDV (excused) or, in a
// collective session, their participation.
func (s *Store) cancelSeat(ctx context.Context, rdvID, usager string) (agenda.Rdv, error) {
	rdv, err := s.GetRdv(ctx, rdvID)
	if err != nil {
		return rdv, err
	}
	if rdv.Collectif {
		return s.SetParticipationStatus(ctx, rdvID, usager, agenda.StatusExcused, agenda.Online)
	}
	return s.Cancel(ctx, rdvID, agenda.Online, true)
}

// SlotSettings is what a slot search of one motif over a range reads that the agents set, not
// the bookings: the organisation, the motif's plages with their exceptions, their agents'
// absences. They change when an office syncs its settings; the online pages keep them a second
// (web's cache, docs/benchmarks.md « 200 usagers at once »). The bookings are never kept: every
// OnlineSlots reads them, and the booking itself decides on its own reads under the agents'
// locks (Book).
type SlotSettings struct {
	motifID, lieuID string
	from, to        time.Time
	data            *creneaux.Data // Busy and Collectifs empty: never searched itself
}

// SlotSettings reads, in one snapshot, the settings of a search of motif m's slots at lieuID
// ("" = all) that start in [from, to).
func (s *Store) SlotSettings(ctx context.Context, m agenda.Motif, lieuID string, from, to time.Time) (*SlotSettings, error) {
	const op = "pgstore.SlotSettings"
	if lieuID != "" && !validID(lieuID) {
		return nil, notFound(op, "lieu", lieuID)
	}
	set := &SlotSettings{motifID: m.ID, lieuID: lieuID, from: from, to: to}
	err := s.read(ctx, op, func(tx pgx.Tx) error {
		org, err := getOrg(ctx, tx, m.OrganisationID)
		if err != nil {
			return err
		}
		loc, err := org.Location()
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		set.data, err = loadSettings(ctx, tx, m, org, loc, lieuID, from, to)
		return err
	})
	return set, err
}

// OnlineSlots returns the free slots of motif m sold online that start in [from, to): those of
// the en_ligne plages of lieu lieuID ("" = any) and agent agentID ("" = any, the move of an RDV
// names its agent), for documents titles, not before the motif's public window. A motif no longer
// sold online has none. set holds the search's settings (SlotSettings); nil, or read for
// another motif, lieu or a narrower range, they are read here; the bookings are read each time.
func (s *Store) OnlineSlots(ctx context.Context, m agenda.Motif, set *SlotSettings, lieuID, agentID string, documents int, from, to time.Time) ([]creneaux.Creneau, error) {
	now := s.now()
	if !to.After(now) || !m.BookableOnline || m.Archived {
		return nil, nil
	}
	if set == nil || set.motifID != m.ID || set.lieuID != lieuID || from.Before(set.from) || to.After(set.to) {
		var err error
		if set, err = s.SlotSettings(ctx, m, lieuID, from, to); err != nil {
			return nil, err
		}
	}
	d := &creneaux.Data{Org: set.data.Org, Plages: set.data.Plages, Absences: set.data.Absences}
	if err := loadBookings(ctx, s.pool, d, m, from, to, ""); err != nil {
		return nil, mapErr("pgstore.OnlineSlots", err)
	}
	return creneaux.Search(d, creneaux.Request{Motif: m, LieuID: lieuID, AgentID: agentID, From: from, To: to, Now: now,
		Origine: agenda.OrigineEnLigne, Documents: max(documents, 1)})
}
