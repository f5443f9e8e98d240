package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/creneaux"
	"rdvguichet/backend/messages"
	"rdvguichet/sync/server/pgstore"
)

// maxPersons bounds the persons of one online booking for ANTS titles: a family; more is asked
// at the counter.
const maxPersons = 5

// state is what the booking's steps carry in the query string and hidden fields: never a
// name, a phone or an e-mail.
type state struct {
	Motif   string
	Lieu    string
	Persons int
	Start   time.Time // the chosen slot (starts_at, RFC 3339)
	Du      string    // the first day of the week shown (YYYY-MM-DD)
}

func readState(r *http.Request) state {
	st := state{Motif: r.FormValue("motif"), Lieu: r.FormValue("lieu"), Du: r.FormValue("du"), Persons: 1}
	if n, err := strconv.Atoi(r.FormValue("personnes")); err == nil && n >= 1 && n <= maxPersons {
		st.Persons = n
	}
	if t, err := time.Parse(time.RFC3339, r.FormValue("starts_at")); err == nil {
		st.Start = t.UTC()
	}
	return st
}

// Hidden is the state as hidden fields, in a stable order.
func (st state) Hidden() [][2]string {
	out := [][2]string{{"motif", st.Motif}, {"lieu", st.Lieu}, {"personnes", strconv.Itoa(st.Persons)}}
	if !st.Start.IsZero() {
		out = append(out, [2]string{"starts_at", st.Start.Format(time.RFC3339)})
	}
	return out
}

// Query is the state as pairs for page.Q.
func (st state) Query() []string {
	var kv []string
	for _, h := range st.Hidden() {
		kv = append(kv, h[0], h[1])
	}
	return kv
}

// motifView is a motif as the first step lists it.
type motifView struct {
	pgstore.OnlineMotif
	Duration string
	Ants     bool
}

// choice is the motif chosen, with its lieux, and the organisation's zone.
type choice struct {
	pgstore.OnlineMotif
	Ants bool
	Loc  *time.Location
	Lieu agenda.Lieu // the lieu chosen; zero before
}

// motifs is step 1: the démarches sold online.
func (h *Handler) motifs(w http.ResponseWriter, r *http.Request, p *page) {
	h.motifsPage(w, r, p, http.StatusOK, "")
}

func (h *Handler) motifsPage(w http.ResponseWriter, r *http.Request, p *page, status int, fieldErr string) {
	ms, err := h.onlineMotifs(r.Context(), p.Org.ID)
	if err != nil {
		h.failure(w, p, err)
		return
	}
	views := make([]motifView, 0, len(ms))
	for _, m := range ms {
		views = append(views, motifView{OnlineMotif: m, Ants: m.Motif.AntsCategory != agenda.AntsNone,
			Duration: messages.Text(p.Lang, "online_duration", map[string]string{"minutes": strconv.Itoa(m.Motif.DurationMin)})})
	}
	p.Step, p.Form = 1, newForm(nil)
	if fieldErr != "" {
		p.Form.fail("motif", fieldErr)
	}
	h.render(w, p, status, "motifs", struct {
		Motifs   []motifView
		Selected string
		Phone    string
	}{views, r.FormValue("motif"), convocation.PhoneText(p.Org.Phone)})
}

// choose reads the motif (and the lieu when the state names one) of the state: false when the
// page for it was written instead (a motif no longer sold online: back to step 1).
func (h *Handler) choose(w http.ResponseWriter, r *http.Request, p *page, st state, needLieu bool) (choice, bool) {
	ms, err := h.onlineMotifs(r.Context(), p.Org.ID)
	if err != nil {
		h.failure(w, p, err)
		return choice{}, false
	}
	i := slices.IndexFunc(ms, func(m pgstore.OnlineMotif) bool { return m.Motif.ID == st.Motif })
	if i < 0 {
		h.motifsPage(w, r, p, http.StatusUnprocessableEntity, p.T("online_motif_choose"))
		return choice{}, false
	}
	loc, err := p.Org.Location()
	if err != nil {
		h.failure(w, p, err)
		return choice{}, false
	}
	c := choice{OnlineMotif: ms[i], Ants: ms[i].Motif.AntsCategory != agenda.AntsNone, Loc: loc}
	if j := slices.IndexFunc(c.Lieux, func(l agenda.Lieu) bool { return l.ID == st.Lieu }); j >= 0 {
		c.Lieu = c.Lieux[j]
	} else if needLieu {
		h.lieuPage(w, p, st, c, http.StatusUnprocessableEntity, p.T("online_lieu_choose"))
		return choice{}, false
	}
	return c, true
}

// lieu is step 2: the number of persons (ANTS titles) and the lieu. With nothing to choose (one
// lieu, one person), it goes straight to the slots.
func (h *Handler) lieu(w http.ResponseWriter, r *http.Request, p *page) {
	st := readState(r)
	c, ok := h.choose(w, r, p, st, false)
	if !ok {
		return
	}
	if !c.Ants && len(c.Lieux) == 1 {
		st.Lieu = c.Lieux[0].ID
		http.Redirect(w, r, p.Base()+"creneau"+string(p.Q(st.Query()...)), http.StatusSeeOther)
		return
	}
	h.lieuPage(w, p, st, c, http.StatusOK, "")
}

func (h *Handler) lieuPage(w http.ResponseWriter, p *page, st state, c choice, status int, fieldErr string) {
	p.Step, p.Form = 2, newForm(nil)
	if fieldErr != "" {
		p.Form.fail("lieu", fieldErr)
	}
	persons := make([]int, maxPersons)
	for i := range persons {
		persons[i] = i + 1
	}
	if st.Lieu == "" && len(c.Lieux) == 1 {
		st.Lieu = c.Lieux[0].ID
	}
	if c.Ants {
		p.Title = p.T("online_title_lieu_ants")
	}
	h.render(w, p, status, "lieu", struct {
		State   state
		Choice  choice
		Persons []int
	}{st, c, persons})
}

// day is a day of the slot grid.
type day struct {
	Label string
	Slots []slot
}

// slot is a free time: its value (RFC 3339), its text, the seats left of a collective session.
type slot struct {
	Value string
	Time  string
	Seats int // -1: not collective or unlimited
}

// grid is the slot grid of a week: the form it belongs to posts the chosen slot to Action.
type grid struct {
	Action  string
	Method  string
	Self    string      // the grid's own address, where the week buttons post
	Hidden  [][2]string // state, and on POST the usager's fields
	Days    []day
	Prev    string // YYYY-MM-DD of the previous week; "" at the first
	Next    string
	NextAt  string // the day of the next availability when the week is empty, as text
	NextDu  string
	Week    string
	Motif   string
	Lieu    agenda.Lieu
	Empty   bool
	Persons int
}

// week fills g with the free slots of the week of du (today when empty or past) for the
// motif, lieu and agent ("" = any), and the next availability when it has none.
func (h *Handler) week(r *http.Request, p *page, g *grid, c choice, agentID string, persons int, du string) error {
	now := h.store.Now()
	today := agenda.DateOf(now.In(c.Loc))
	from := today
	if d, err := agenda.ParseDate(du); err == nil && d.After(today) {
		from = d
	}
	horizon := agenda.DateOf(now.Add(max(c.Motif.MaxPublicDelay, 7*24*time.Hour)).In(c.Loc))
	if from.After(horizon) {
		from = horizon
	}
	to := from.AddDays(7)
	cs, err := h.slots(r.Context(), c.Motif, c.Lieu.ID, agentID, persons, from.At(0, c.Loc), to.At(0, c.Loc))
	if err != nil {
		return err
	}
	g.Week = p.T("online_week_of", "date", dayLabel(p.Lang, from))
	g.Motif, g.Lieu, g.Persons = c.Motif.Name, c.Lieu, persons
	for d := from; d.Before(to); d = d.AddDays(1) {
		dv := day{Label: dayLabel(p.Lang, d)}
		for _, s := range cs {
			if agenda.DateOf(s.Start.In(c.Loc)) == d {
				seats := -1
				if c.Motif.Collectif && s.SeatsLeft >= 0 {
					seats = s.SeatsLeft
				}
				dv.Slots = append(dv.Slots, slot{Value: s.Start.UTC().Format(time.RFC3339), Time: timeText(p.Lang, s.Start.In(c.Loc)), Seats: seats})
			}
		}
		g.Days = append(g.Days, dv)
	}
	if from.After(today) {
		prev := from.AddDays(-7)
		if prev.Before(today) {
			prev = today
		}
		g.Prev = prev.String()
	}
	if to.Before(horizon) || to == horizon {
		g.Next = to.String()
	}
	if len(cs) > 0 {
		return nil
	}
	g.Empty = true
	// The next availability: the following weeks, four at a time, up to the public horizon.
	for start := to; !start.After(horizon); start = start.AddDays(28) {
		next, err := h.slots(r.Context(), c.Motif, c.Lieu.ID, agentID, persons, start.At(0, c.Loc), start.AddDays(28).At(0, c.Loc))
		if err != nil {
			return err
		}
		if len(next) > 0 {
			d := agenda.DateOf(next[0].Start.In(c.Loc))
			g.NextAt, g.NextDu = dayLabel(p.Lang, d), d.String()
			return nil
		}
	}
	return nil
}

// creneau is step 3: a week of free slots. A GET carries the state only; a POST also carries
// the usager's fields (after a slot was taken meanwhile), which the grid passes on.
func (h *Handler) creneau(w http.ResponseWriter, r *http.Request, p *page) {
	st := readState(r)
	c, ok := h.choose(w, r, p, st, true)
	if !ok {
		return
	}
	var f *form
	if r.Method == http.MethodPost {
		f = newForm(r.PostForm)
	}
	h.gridPage(w, r, p, st, c, f, http.StatusOK)
}

func (h *Handler) gridPage(w http.ResponseWriter, r *http.Request, p *page, st state, c choice, f *form, status int) {
	if !c.Ants {
		st.Persons = 1
	}
	g := grid{Action: p.Base() + "coordonnees", Method: "get", Self: p.Base() + "creneau"}
	st.Start = time.Time{}
	g.Hidden = st.Hidden()
	if f != nil {
		g.Method = "post"
		g.Hidden = append(g.Hidden, f.Hidden()...)
	}
	if err := h.week(r, p, &g, c, "", st.Persons, st.Du); err != nil {
		h.failure(w, p, err)
		return
	}
	p.Step = 3
	h.render(w, p, status, "creneau", struct {
		Grid  grid
		State state
		Back  string
	}{g, st, p.Base() + "lieu"})
}

// coordonnees is step 4: GET shows the usager's form for the chosen slot; POST checks it and
// shows the summary (step 5), or the form again with each error next to its field.
func (h *Handler) coordonnees(w http.ResponseWriter, r *http.Request, p *page) {
	st := readState(r)
	c, ok := h.choose(w, r, p, st, true)
	if !ok {
		return
	}
	if !c.Ants {
		st.Persons = 1
	}
	if st.Start.IsZero() {
		h.gridPage(w, r, p, st, c, nil, http.StatusUnprocessableEntity)
		return
	}
	if r.Method != http.MethodPost {
		// The slot of a link (or of ANTS's search) may be gone: say so on the grid at once.
		if !h.offered(r, c, st) {
			p.Notice = p.T("online_slot_gone")
			st.Du = agenda.DateOf(st.Start.In(c.Loc)).String()
			h.gridPage(w, r, p, st, c, nil, http.StatusConflict)
			return
		}
		h.formPage(w, p, st, c, newForm(url.Values{}), http.StatusOK)
		return
	}
	f := newForm(r.PostForm)
	if r.PostForm.Get("modifier") != "" {
		h.formPage(w, p, st, c, f, http.StatusOK)
		return
	}
	if _, _, ok := f.usager(p.Lang, p.Org.ID, c.Ants, st.Persons); !ok {
		h.formPage(w, p, st, c, f, http.StatusUnprocessableEntity)
		return
	}
	h.summaryPage(w, p, st, c, f, http.StatusOK)
}

// offered reports whether the state's slot is still free online. The search covers the slot's
// whole day, as the grid's did: a narrower one loads the day's data only in part.
func (h *Handler) offered(r *http.Request, c choice, st state) bool {
	d := agenda.DateOf(st.Start.In(c.Loc))
	cs, err := h.slots(r.Context(), c.Motif, c.Lieu.ID, "", st.Persons, d.At(0, c.Loc), d.AddDays(1).At(0, c.Loc))
	return err == nil && slices.ContainsFunc(cs, func(s creneaux.Creneau) bool { return s.Start.Equal(st.Start) })
}

// summary is what the usager checks before confirming.
type summary struct {
	State   state
	Choice  choice
	When    string
	Persons []int  // 1…n, for the pré-demande fields
	Numbers string // the pré-demande numbers as stored, for the summary
	Phone   string
	Back    string
}

func (h *Handler) summaryOf(p *page, st state, c choice) summary {
	s := summary{State: st, Choice: c, When: dateTimeText(p.Lang, st.Start, c.Loc), Back: p.Base() + "creneau"}
	for i := range st.Persons {
		s.Persons = append(s.Persons, i+1)
	}
	return s
}

func (h *Handler) formPage(w http.ResponseWriter, p *page, st state, c choice, f *form, status int) {
	p.Step, p.Form = 4, f
	h.render(w, p, status, "coordonnees", h.summaryOf(p, st, c))
}

func (h *Handler) summaryPage(w http.ResponseWriter, p *page, st state, c choice, f *form, status int) {
	p.Step, p.Form = 5, f
	s := h.summaryOf(p, st, c)
	if tel, err := agenda.NormalizePhone(f.V(fieldPhone), "FR"); err == nil {
		s.Phone = convocation.PhoneText(tel)
	}
	if c.Ants {
		numbers, _ := agenda.PreDemandes(f.values[fieldPre], st.Persons, fieldPre)
		s.Numbers = strings.Join(numbers, ", ")
	}
	h.render(w, p, status, "recapitulatif", s)
}

// confirm books (POST from the summary): the form checked again, the honeypot, the contact's
// rate limit and cap, then pgstore.BookOnline, as the JSON API books. Success goes to the cancel
// link's page, which is the confirmation; a slot taken meanwhile goes back to the grid with
// everything typed kept.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, p *page) {
	st := readState(r)
	c, ok := h.choose(w, r, p, st, true)
	if !ok {
		return
	}
	if !c.Ants {
		st.Persons = 1
	}
	f := newForm(r.PostForm)
	if f.V(honeypot) != "" {
		// A robot filled the field no person sees: refuse without saying why.
		h.log.Info("online booking refused", "organisation", p.Org.ID, "code", "honeypot")
		h.failure(w, p, agenda.Fail("web.confirm", agenda.CodePublicParam, "name", "form"))
		return
	}
	u, numbers, ok := f.usager(p.Lang, p.Org.ID, c.Ants, st.Persons)
	if !ok || st.Start.IsZero() {
		h.formPage(w, p, st, c, f, http.StatusUnprocessableEntity)
		return
	}
	for _, key := range []string{u.Phone, strings.ToLower(u.Email)} {
		if key == "" || h.perContact == nil {
			continue
		}
		if wait, ok := h.perContact.Allow(key); !ok {
			h.limited(w, p, wait)
			return
		}
	}
	n, err := h.store.FutureOnlineRdvs(r.Context(), p.Org.ID, c.Motif.ID, u.Phone, u.Email)
	if err != nil {
		h.failure(w, p, err)
		return
	}
	if n >= h.maxFuture {
		p.Notice = messages.Text(p.Lang, agenda.CodeOnlineCap, map[string]string{"max": strconv.Itoa(h.maxFuture)})
		h.summaryPage(w, p, st, c, f, http.StatusConflict)
		return
	}
	// A slot sold meanwhile is refused without the booking's transaction: in a rush on a few
	// slots most usagers confirm one sold a moment before, and the booking would queue them behind
	// the agent's lock to say so. This read only refuses; the booking decides.
	if !h.offered(r, c, st) {
		h.slotGone(w, r, p, st, c, f, agenda.CodeSlotTaken)
		return
	}
	rdv, token, err := h.store.BookOnline(r.Context(), p.Org.ID, bookingRequest(c, st, u, numbers))
	var v agenda.ValidationError
	switch {
	case err == nil:
		h.log.Info("online booking", "organisation", p.Org.ID, "rdv", rdv.ID, "motif", rdv.MotifID, "via", "pages")
		q := url.Values{"ok": {"1"}}
		if p.LangParam != "" {
			q.Set("lang", p.LangParam)
		}
		http.Redirect(w, r, "/r/"+token+"?"+q.Encode(), http.StatusSeeOther)
	case errors.As(err, &v):
		f.fields(p.Lang, err)
		h.formPage(w, p, st, c, f, http.StatusUnprocessableEntity)
	case agenda.KindOf(err) == agenda.Conflict || agenda.KindOf(err) == agenda.Invalid:
		// Taken meanwhile, or no longer offered (the public window moved): another time.
		h.slotGone(w, r, p, st, c, f, agenda.CodeOf(err))
	default:
		h.failure(w, p, err)
	}
}

// slotGone answers a confirmation whose slot is no longer free: the grid of its week, with
// everything typed kept.
func (h *Handler) slotGone(w http.ResponseWriter, r *http.Request, p *page, st state, c choice, f *form, code agenda.Code) {
	h.log.Info("online booking refused", "organisation", p.Org.ID, "code", string(code), "via", "pages")
	p.Notice = p.T("online_slot_gone")
	st.Du = agenda.DateOf(st.Start.In(c.Loc)).String()
	h.gridPage(w, r, p, st, c, f, http.StatusConflict)
}

// bookingRequest is the booking of the form's usager: the pré-demande numbers of the other
// persons go in the RDV's note, as the kiosk writes them.
func bookingRequest(c choice, st state, u agenda.Usager, numbers []string) booking.Request {
	req := booking.Request{MotifID: c.Motif.ID, LieuID: c.Lieu.ID, Start: st.Start, Documents: st.Persons, NewUsager: &u}
	if len(numbers) > 1 {
		req.Context = "Pré-demandes ANTS : " + strings.Join(numbers, ", ")
	}
	return req
}
