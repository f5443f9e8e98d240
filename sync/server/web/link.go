package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/ical"
	"rdvguichet/sync/server/pgstore"
)

// link serves the pages of a cancel link, /r/<token>[/action]: the RDV, its documents, its
// cancellation and its move. Every request finds the RDV again by the token (pgstore.LinkByToken:
// unknown, altered and expired links are refused there).
func (h *Handler) link(w http.ResponseWriter, r *http.Request, p *page, rest string) string {
	token, action, _ := strings.Cut(rest, "/")
	l, err := h.store.LinkByToken(r.Context(), token)
	if err != nil {
		h.failure(w, p, err)
		return "web/link"
	}
	p.Org = l.Organisation
	base := "/r/" + token
	switch {
	case action == "" && r.Method != http.MethodPost:
		h.linkPage(w, r, p, l, base)
		return "web/link"
	case action == "annuler":
		h.cancel(w, r, p, l, token, base)
		return "web/cancel"
	case action == "deplacer":
		h.move(w, r, p, l, token, base)
		return "web/move"
	case action == "convocation.pdf" && r.Method != http.MethodPost:
		h.convocationPDF(w, r, p, l)
		return "web/pdf"
	case action == "rendez-vous.ics" && r.Method != http.MethodPost:
		h.invitation(w, r, p, l)
		return "web/ics"
	}
	h.failure(w, p, agenda.Fail("web", agenda.CodeRouteUnknown))
	return "web/link"
}

// linkView is the RDV as its link shows it: date, time, place, motif and initials, no more.
type linkView struct {
	Base      string
	When      string
	Motif     string
	Lieu      agenda.Lieu
	Initials  string
	Cancelled bool
	Movable   bool
	Pieces    []string
	Phone     string
}

func (h *Handler) view(p *page, l pgstore.OnlineLink, base string) linkView {
	loc, err := l.Organisation.Location()
	if err != nil {
		loc = time.UTC
	}
	v := linkView{Base: base, When: dateTimeText(p.Lang, l.Rdv.StartsAt, loc), Motif: l.Motif.Name, Lieu: l.Lieu,
		Initials: initials(l.Usager.FirstName, l.Usager.LastName), Cancelled: !active(l), Pieces: l.Motif.Pieces,
		Phone: convocation.PhoneText(l.Lieu.Phone)}
	if v.Phone == "" {
		v.Phone = convocation.PhoneText(l.Organisation.Phone)
	}
	v.Movable = !v.Cancelled && !l.Rdv.Collectif && l.Organisation.Online && l.Motif.BookableOnline && !l.Motif.Archived
	return v
}

// active reports whether the link's usager still has their seat in the RDV.
func active(l pgstore.OnlineLink) bool {
	if l.Rdv.Status.Cancelled() {
		return false
	}
	for _, pa := range l.Rdv.Participations {
		if pa.UsagerID == l.Usager.ID {
			return !pa.Status.Cancelled()
		}
	}
	return false
}

func (h *Handler) linkPage(w http.ResponseWriter, r *http.Request, p *page, l pgstore.OnlineLink, base string) {
	switch {
	case r.FormValue("ok") != "":
		p.Notice = p.T("online_booked")
	case r.FormValue("deplace") != "":
		p.Notice = p.T("online_moved")
	case r.FormValue("annule") != "":
		p.Notice = p.T("online_cancelled_done")
	}
	h.render(w, p, http.StatusOK, "rdv", h.view(p, l, base))
}

// cancel asks for confirmation (GET), then cancels (POST): « excusé » at the office after its
// next pull.
func (h *Handler) cancel(w http.ResponseWriter, r *http.Request, p *page, l pgstore.OnlineLink, token, base string) {
	if r.Method != http.MethodPost {
		h.render(w, p, http.StatusOK, "annuler", h.view(p, l, base))
		return
	}
	if !active(l) {
		http.Redirect(w, r, base+string(p.Q()), http.StatusSeeOther)
		return
	}
	if _, err := h.store.CancelByLink(r.Context(), token); err != nil {
		h.log.Info("online cancellation refused", "organisation", l.Organisation.ID, "code", string(agenda.CodeOf(err)), "via", "pages")
		h.failure(w, p, err)
		return
	}
	h.log.Info("online cancellation", "organisation", l.Organisation.ID, "rdv", l.Rdv.ID, "via", "pages")
	http.Redirect(w, r, base+string(p.Q("annule", "1")), http.StatusSeeOther)
}

// move shows the free slots of the RDV's motif, lieu and agent (GET, or POST with du), and
// moves the RDV to the one chosen (POST with starts_at).
func (h *Handler) move(w http.ResponseWriter, r *http.Request, p *page, l pgstore.OnlineLink, token, base string) {
	v := h.view(p, l, base)
	if !v.Movable {
		h.failure(w, p, agenda.Fail("web.move", agenda.CodeMoveCollectif))
		return
	}
	loc, err := l.Organisation.Location()
	if err != nil {
		h.failure(w, p, err)
		return
	}
	c := choice{OnlineMotif: pgstore.OnlineMotif{Motif: l.Motif}, Loc: loc, Lieu: l.Lieu}
	st := readState(r)
	status := http.StatusOK
	if r.Method == http.MethodPost && !st.Start.IsZero() {
		_, err := h.store.MoveByLink(r.Context(), token, st.Start)
		if err == nil {
			h.log.Info("online move", "organisation", l.Organisation.ID, "rdv", l.Rdv.ID, "via", "pages")
			http.Redirect(w, r, base+string(p.Q("deplace", "1")), http.StatusSeeOther)
			return
		}
		kind := agenda.KindOf(err)
		if kind != agenda.Conflict && kind != agenda.Invalid {
			h.failure(w, p, err)
			return
		}
		h.log.Info("online move refused", "organisation", l.Organisation.ID, "code", string(agenda.CodeOf(err)), "via", "pages")
		p.Notice, status = p.T("online_slot_gone"), http.StatusConflict
		st.Du = agenda.DateOf(st.Start.In(loc)).String()
	}
	g := grid{Action: base + "/deplacer", Method: "post", Self: base + "/deplacer"}
	if err := h.week(r, p, &g, c, firstOf(l.Rdv.AgentIDs), max(l.Rdv.DocumentsNumber, 1), st.Du); err != nil {
		h.failure(w, p, err)
		return
	}
	h.render(w, p, status, "deplacer", struct {
		Grid grid
		Rdv  linkView
	}{g, v})
}

func firstOf(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// loaded is a cancel link's RDV as the documents' readers: convocation.Assemble and
// ical.FromStore make the same documents as the counter's from it.
type loaded struct{ pgstore.OnlineLink }

func (l loaded) GetRdv(context.Context, string) (agenda.Rdv, error) { return l.Rdv, nil }
func (l loaded) GetOrganisation(context.Context, string) (agenda.Organisation, error) {
	return l.Organisation.Organisation, nil
}
func (l loaded) GetMotif(context.Context, string) (agenda.Motif, error)   { return l.Motif, nil }
func (l loaded) GetLieu(context.Context, string) (agenda.Lieu, error)     { return l.Lieu, nil }
func (l loaded) GetUsager(context.Context, string) (agenda.Usager, error) { return l.Usager, nil }

// convocationPDF is the A4 convocation of the link's usager, with the QR code of the check-in.
func (h *Handler) convocationPDF(w http.ResponseWriter, r *http.Request, p *page, l pgstore.OnlineLink) {
	if !active(l) {
		h.failure(w, p, agenda.Fail("web.pdf", agenda.CodeRdvCancelled))
		return
	}
	secret, err := h.store.OrganisationSecret(r.Context(), l.Organisation.ID)
	if err != nil {
		h.failure(w, p, err)
		return
	}
	c, err := convocation.Assemble(convocation.Loaded{Rdv: l.Rdv, Organisation: l.Organisation.Organisation, Motif: l.Motif,
		Lieu: l.Lieu, Agents: l.Agents, Usagers: []agenda.Usager{l.Usager}}, secret, h.store.Now())
	if err != nil {
		h.failure(w, p, err)
		return
	}
	var buf bytes.Buffer
	if err := convocation.Render(&buf, c, convocation.A4); err != nil {
		h.failure(w, p, err)
		return
	}
	download(w, "application/pdf", "convocation.pdf", buf.Bytes())
}

// invitation is the RDV's .ics for the usager's calendar (a cancellation once cancelled).
func (h *Handler) invitation(w http.ResponseWriter, r *http.Request, p *page, l pgstore.OnlineLink) {
	ev, loc, err := ical.FromStore(r.Context(), loaded{l}, l.Rdv.ID, l.Usager.ID)
	if err != nil {
		h.failure(w, p, err)
		return
	}
	ev.Cancelled = !active(l)
	var buf bytes.Buffer
	method, err := ical.Invite(&buf, ev, loc, h.store.Now())
	if err != nil {
		h.failure(w, p, err)
		return
	}
	download(w, "text/calendar; charset=utf-8; method="+method, "rendez-vous.ics", buf.Bytes())
}

func download(w http.ResponseWriter, contentType, name string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", "attachment; filename="+url.PathEscape(name))
	hd.Set("Cache-Control", "no-store")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}
