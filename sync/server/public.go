package server

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/messages"
	"rdvguichet/sync/protocol"
)

// The JSON booking API of the en_ligne slots, the backend of the online pages: anonymous, per
// organisation, rate limited per client IP.
//
//	GET  /v1/public/<org>/motifs                                  → 200 MotifsReply
//	GET  /v1/public/<org>/creneaux?motif=ID&lieu=ID&from=YYYY-MM-DD&days=N → 200 CreneauxReply
//	POST /v1/public/<org>/rdvs                   body BookRequest → 201 BookReply
//	POST /v1/public/<org>/rdvs/<id>/cancel     body CancelRequest → 200 CancelReply
//
// Slots are those of the en_ligne plages only (creneaux with origine en_ligne: the motif's
// public window, its online flag); a booking runs booking.Decide through pgstore.BookOnline, with
// the actor Online, and lands in the change feed with its usager, so the office pulls it. A
// refusal is an ErrorReply with its code (slot_taken → 409). The answer to a booking carries the
// secret token of the usager's cancel link (256 bits, base64url, derived from the organisation's
// secret: pgstore.CancelLinkToken): the central keeps only its SHA-256 and compares in constant
// time. Logs carry ids and codes, never a name,
// a phone or an e-mail.
const (
	PathPublic = "/v1/public/"
	// MaxDays bounds a slot search (creneaux?days=).
	MaxDays = 31
	// DefaultDays is the span of a slot search without days=.
	DefaultDays = 7
	// maxPublicBody bounds the body of a booking or a cancellation.
	maxPublicBody = 16 << 10
)

// PublicLieu is a lieu where a motif is sold online.
type PublicLieu struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Street        string `json:"street"`
	PostalCode    string `json:"postalCode"`
	City          string `json:"city"`
	Phone         string `json:"phone,omitempty"`
	Accessibility string `json:"accessibility,omitempty"`
}

// PublicMotif is a motif sold online.
type PublicMotif struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	DurationMin  int          `json:"durationMin"`
	LocationType string       `json:"locationType"`
	Collectif    bool         `json:"collectif"`
	Pieces       []string     `json:"pieces"`
	Instructions string       `json:"instructions,omitempty"`
	Lieux        []PublicLieu `json:"lieux"`
}

// MotifsReply answers GET motifs.
type MotifsReply struct {
	Organisation string        `json:"organisation"` // its name
	TimeZone     string        `json:"timeZone"`
	Motifs       []PublicMotif `json:"motifs"`
}

// PublicCreneau is a free slot (or a collective session with seats left: SeatsLeft, -1 when
// unlimited). Instants in UTC.
type PublicCreneau struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	LieuID    string    `json:"lieu"`
	SeatsLeft *int      `json:"seatsLeft,omitempty"`
}

// CreneauxReply answers GET creneaux: the slots starting on the days [From, From+Days).
type CreneauxReply struct {
	Motif    string          `json:"motif"`
	From     string          `json:"from"` // YYYY-MM-DD in the organisation's zone
	Days     int             `json:"days"`
	Creneaux []PublicCreneau `json:"creneaux"`
}

// PublicUsager is who books online.
type PublicUsager struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
}

// BookRequest is the body of POST rdvs.
type BookRequest struct {
	Motif  string       `json:"motif"`
	Lieu   string       `json:"lieu"`
	Start  time.Time    `json:"start"`
	Usager PublicUsager `json:"usager"`
}

// BookReply answers an accepted booking (201).
type BookReply struct {
	ID    string    `json:"id"`
	Motif string    `json:"motif"`
	Lieu  string    `json:"lieu"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// CancelToken is the secret of the usager's cancel link, shown once: POST
	// rdvs/<id>/cancel with it cancels the booking.
	CancelToken string `json:"cancelToken"`
}

// CancelRequest is the body of POST rdvs/<id>/cancel.
type CancelRequest struct {
	Token string `json:"token"`
}

// CancelReply answers an accepted cancellation.
type CancelReply struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// publicRoute splits a path under PathPublic: the organisation, the route's name for metrics,
// and the RDV id of a cancellation.
func publicRoute(path string) (org, route, rdv string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(path, PathPublic), "/")
	switch {
	case len(parts) == 2 && parts[1] == "motifs":
		return parts[0], "public/motifs", "", true
	case len(parts) == 2 && parts[1] == "creneaux":
		return parts[0], "public/creneaux", "", true
	case len(parts) == 2 && parts[1] == "rdvs":
		return parts[0], "public/rdvs", "", true
	case len(parts) == 4 && parts[1] == "rdvs" && parts[3] == "cancel":
		return parts[0], "public/cancel", parts[2], true
	}
	return "", "", "", false
}

// public serves the online booking API; it returns the route's name for the metrics.
func (s *Server) public(w http.ResponseWriter, r *http.Request) string {
	org, route, rdv, ok := publicRoute(r.URL.Path)
	if !ok {
		s.fail(w, agenda.Fail("server", agenda.CodeRouteUnknown))
		return "other"
	}
	if wait, ok := s.perIP.allow(s.clientIP(r)); !ok {
		s.fail(w, agenda.Fail("server.public", agenda.CodeRateLimited, "seconds", strconv.Itoa(int(math.Ceil(wait.Seconds())))))
		return route
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	r = r.WithContext(ctx)
	switch route {
	case "public/motifs":
		s.only(w, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) { s.publicMotifs(w, r, org) })
	case "public/creneaux":
		s.only(w, r, http.MethodGet, func(w http.ResponseWriter, r *http.Request) { s.publicCreneaux(w, r, org) })
	case "public/rdvs":
		s.only(w, r, http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.publicBook(w, r, org) })
	case "public/cancel":
		s.only(w, r, http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.publicCancel(w, r, org, rdv) })
	}
	return route
}

// clientIP is the address the rate limit counts: the connection's peer, or behind a trusted
// reverse proxy (Config.TrustProxy) the last address of X-Forwarded-For, the one the proxy added.
func (s *Server) clientIP(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// publicFail answers a refusal of the online API as fail does, with the text of a field error
// when the refusal is one (the usager's name, phone…). It never logs the error's text, which may
// quote what the usager typed: an internal failure is logged by its code and kind.
func (s *Server) publicFail(w http.ResponseWriter, err error) {
	var v agenda.ValidationError
	if !errors.As(err, &v) {
		if statusOf(err) == http.StatusInternalServerError {
			s.log.Error("online request failed", "code", string(agenda.CodeOf(err)), "kind", agenda.KindOf(err).String())
			writeJSON(w, http.StatusInternalServerError, protocol.ErrorReply{Error: protocol.ErrorBody{Code: agenda.CodeInternal,
				Message: messages.Text(messages.French, agenda.CodeInternal, nil)}})
			return
		}
		s.fail(w, err)
		return
	}
	m := messages.For(messages.French, err)
	params := map[string]string{}
	for k, v := range m.Params {
		params[k] = v
	}
	// The fields to correct, by the names the usager's form knows (firstName, lastName, phone…).
	var names []string
	for _, f := range m.Fields {
		names = append(names, f.Field)
	}
	if len(names) > 0 {
		params["fields"] = strings.Join(names, ",")
	}
	writeJSON(w, http.StatusBadRequest, protocol.ErrorReply{Error: protocol.ErrorBody{Code: m.Code, Message: m.Message, Params: params}})
}

func (s *Server) publicMotifs(w http.ResponseWriter, r *http.Request, org string) {
	ms, err := s.store.OnlineMotifs(r.Context(), org)
	if err != nil {
		s.publicFail(w, err)
		return
	}
	o, err := s.store.GetOrganisation(r.Context(), org)
	if err != nil {
		s.fail(w, err)
		return
	}
	reply := MotifsReply{Organisation: o.Name, TimeZone: o.TimeZone, Motifs: make([]PublicMotif, 0, len(ms))}
	for _, m := range ms {
		pm := PublicMotif{ID: m.Motif.ID, Name: m.Motif.Name, DurationMin: m.Motif.DurationMin, LocationType: string(m.Motif.LocationType),
			Collectif: m.Motif.Collectif, Pieces: m.Motif.Pieces, Instructions: m.Motif.Instructions, Lieux: make([]PublicLieu, 0, len(m.Lieux))}
		if pm.Pieces == nil {
			pm.Pieces = []string{}
		}
		for _, l := range m.Lieux {
			pm.Lieux = append(pm.Lieux, PublicLieu{ID: l.ID, Name: l.Name, Street: l.Street, PostalCode: l.PostalCode, City: l.City,
				Phone: l.Phone, Accessibility: l.Accessibility})
		}
		reply.Motifs = append(reply.Motifs, pm)
	}
	writeJSON(w, http.StatusOK, reply)
}

func (s *Server) publicCreneaux(w http.ResponseWriter, r *http.Request, org string) {
	const op = "server.creneaux"
	q := r.URL.Query()
	motif, lieu := q.Get("motif"), q.Get("lieu")
	if motif == "" {
		s.fail(w, agenda.Fail(op, agenda.CodePublicParam, "name", "motif"))
		return
	}
	days := DefaultDays
	if d := q.Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > MaxDays {
			s.fail(w, agenda.Fail(op, agenda.CodeDaysRange, "max", strconv.Itoa(MaxDays)))
			return
		}
		days = n
	}
	m, o, err := s.store.OnlineScope(r.Context(), org, motif)
	if err != nil {
		s.fail(w, err)
		return
	}
	loc, err := o.Location()
	if err != nil {
		s.fail(w, err)
		return
	}
	now := s.store.Now()
	from := agenda.DateOf(now.In(loc))
	if f := q.Get("from"); f != "" {
		if from, err = agenda.ParseDate(f); err != nil {
			s.fail(w, agenda.Fail(op, agenda.CodePublicParam, "name", "from"))
			return
		}
	}
	start, end := from.At(0, loc), from.AddDays(days).At(0, loc)
	reply := CreneauxReply{Motif: m.ID, From: from.String(), Days: days, Creneaux: []PublicCreneau{}}
	cs, err := s.store.OnlineSlots(r.Context(), m, nil, lieu, "", 1, start, end)
	if err != nil {
		s.fail(w, err)
		return
	}
	for _, c := range cs {
		pc := PublicCreneau{Start: c.Start.UTC(), End: c.End.UTC(), LieuID: c.LieuID}
		if m.Collectif {
			seats := c.SeatsLeft
			pc.SeatsLeft = &seats
		}
		reply.Creneaux = append(reply.Creneaux, pc)
	}
	writeJSON(w, http.StatusOK, reply)
}

// readBody decodes a JSON body of at most maxPublicBody bytes, refusing unknown fields.
func readBody(w http.ResponseWriter, r *http.Request, op string, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxPublicBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return agenda.Fail(op, agenda.CodeBodyTooLarge, "max", strconv.Itoa(maxPublicBody))
		}
		return agenda.Fail(op, agenda.CodePublicParam, "name", "body")
	}
	if dec.More() {
		return agenda.Fail(op, agenda.CodePublicParam, "name", "body")
	}
	return nil
}

func (s *Server) publicBook(w http.ResponseWriter, r *http.Request, org string) {
	const op = "server.book"
	var req BookRequest
	if err := readBody(w, r, op, &req); err != nil {
		s.fail(w, err)
		return
	}
	switch {
	case req.Motif == "":
		s.fail(w, agenda.Fail(op, agenda.CodePublicParam, "name", "motif"))
		return
	case req.Start.IsZero():
		s.fail(w, agenda.Fail(op, agenda.CodePublicParam, "name", "start"))
		return
	case strings.TrimSpace(req.Usager.Phone) == "" && strings.TrimSpace(req.Usager.Email) == "":
		s.fail(w, agenda.Fail(op, agenda.CodeContactRequired))
		return
	}
	u := agenda.Usager{OrganisationID: org, FirstName: req.Usager.FirstName, LastName: req.Usager.LastName,
		Email: strings.TrimSpace(req.Usager.Email)}
	if p := strings.TrimSpace(req.Usager.Phone); p != "" {
		var err error
		if u.Phone, err = agenda.NormalizePhone(p, "FR"); err != nil {
			s.fail(w, err)
			return
		}
	}
	u.NotifySMS, u.NotifyEmail = u.Phone != "", u.Email != ""
	rdv, token, err := s.store.BookOnline(r.Context(), org, booking.Request{MotifID: req.Motif, LieuID: req.Lieu, Start: req.Start, NewUsager: &u})
	if err != nil {
		code := agenda.CodeOf(err)
		s.online.WithLabelValues("book", string(code)).Inc()
		s.log.Debug("online booking refused", "organisation", org, "code", string(code))
		s.publicFail(w, err)
		return
	}
	s.online.WithLabelValues("book", "accepted").Inc()
	s.log.Info("online booking", "organisation", org, "rdv", rdv.ID, "motif", rdv.MotifID)
	writeJSON(w, http.StatusCreated, BookReply{ID: rdv.ID, Motif: rdv.MotifID, Lieu: rdv.LieuID, Start: rdv.StartsAt, End: rdv.EndsAt,
		CancelToken: token})
}

func (s *Server) publicCancel(w http.ResponseWriter, r *http.Request, org, rdvID string) {
	const op = "server.cancel"
	var req CancelRequest
	if err := readBody(w, r, op, &req); err != nil {
		s.fail(w, err)
		return
	}
	rdv, err := s.store.CancelOnline(r.Context(), org, rdvID, req.Token)
	if err != nil {
		code := agenda.CodeOf(err)
		s.online.WithLabelValues("cancel", string(code)).Inc()
		s.log.Info("online cancellation refused", "organisation", org, "code", string(code))
		s.publicFail(w, err)
		return
	}
	s.online.WithLabelValues("cancel", "accepted").Inc()
	s.log.Info("online cancellation", "organisation", org, "rdv", rdv.ID)
	writeJSON(w, http.StatusOK, CancelReply{ID: rdv.ID, Status: string(rdv.Status)})
}
