package app

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/daylist"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

// WaitingRoom lists the usagers checked in today (by the agent or the kiosk) whose RDV has no
// status yet, longest wait first. It is polled every few seconds: it does not count as activity.
func (s *AgentService) WaitingRoom() ([]WaitingView, error) {
	return call(s.office, s.session, asPoller, func(ctx context.Context, me agenda.Agent) ([]WaitingView, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return nil, err
		}
		rdvs, err := s.today(ctx, c)
		if err != nil {
			return nil, err
		}
		rdvs = slices.DeleteFunc(rdvs, func(r agenda.Rdv) bool { return !r.Waiting() })
		views, err := s.views(ctx, c, rdvs)
		if err != nil {
			return nil, err
		}
		now := s.clock.Now()
		out := make([]WaitingView, 0, len(views))
		for i, v := range views {
			out = append(out, WaitingView{Rdv: v, WaitingMin: rdvs[i].WaitingMinutes(now)})
		}
		slices.SortStableFunc(out, func(a, b WaitingView) int { return b.WaitingMin - a.WaitingMin })
		return out, nil
	})
}

// ToFill lists the past RDVs still « À renseigner » (the last 90 days), most recent first.
func (s *AgentService) ToFill() ([]RdvView, error) {
	return call(s.office, s.session, asPoller, func(ctx context.Context, me agenda.Agent) ([]RdvView, error) {
		c, err := s.catalogue(ctx)
		if err != nil {
			return nil, err
		}
		today := agenda.DateOf(s.clock.Now().In(c.loc))
		rdvs, err := s.db.ListRdvsToFill(ctx, c.org.ID, today.AddDays(-90).At(0, c.loc), today.At(0, c.loc), 200)
		if err != nil {
			return nil, err
		}
		out, err := s.views(ctx, c, rdvs)
		return out, err
	})
}

// dayList builds the day list of q from the store, and the views of its RDVs.
func (s *AgentService) dayList(ctx context.Context, q DayListQuery) (daylist.List, []RdvView, error) {
	c, err := s.catalogue(ctx)
	if err != nil {
		return daylist.List{}, nil, err
	}
	day, err := agenda.ParseDate(q.Date)
	if err != nil {
		return daylist.List{}, nil, agenda.E("app.DayList", agenda.Invalid, err)
	}
	rdvs, err := s.db.ListAgendaRdvs(ctx, c.org.ID, q.LieuID, day.At(0, c.loc), day.AddDays(1).At(0, c.loc), false)
	if err != nil {
		return daylist.List{}, nil, err
	}
	if q.AgentID != "" {
		rdvs = slices.DeleteFunc(rdvs, func(r agenda.Rdv) bool { return !slices.Contains(r.AgentIDs, q.AgentID) })
	}
	usagers, err := s.db.UsagersByID(ctx, store.ParticipantIDs(rdvs))
	if err != nil {
		return daylist.List{}, nil, err
	}
	var title []string
	if q.LieuID != "" {
		title = append(title, c.lieux[q.LieuID].Name)
	}
	if q.AgentID != "" {
		title = append(title, c.agents[q.AgentID].Name)
	}
	if len(title) == 0 {
		title = []string{"tous les agendas"}
	}
	now := s.clock.Now()
	l := daylist.List{Organisation: c.org.Name, Title: strings.Join(title, " — "), Day: day, Location: c.loc, Printed: now}
	seen := map[string]bool{}
	views := make([]RdvView, 0, len(rdvs))
	for _, r := range rdvs {
		views = append(views, c.view(r, usagers, now))
		m := c.motifs[r.MotifID]
		row := daylist.Row{RdvID: r.ID, Start: r.StartsAt, Motif: m.Name, Ants: m.AntsCategory != agenda.AntsNone, Documents: r.DocumentsNumber, Context: r.Context}
		if q.AgentID == "" {
			for _, a := range r.AgentIDs {
				row.Agent = c.agents[a].Name
			}
		}
		if r.Status != agenda.StatusUnknown {
			row.Status = r.Status.Label(agenda.TemporalOf(r.StartsAt, now, c.loc))
		}
		for _, p := range r.Participations {
			u := usagers[p.UsagerID]
			row.Usagers = append(row.Usagers, usagerName(u))
			if row.Phone == "" && u.Phone != "" {
				row.Phone = convocation.PhoneText(u.Phone)
			}
			if u.AntsPreDemande != "" {
				row.PreDemandes = append(row.PreDemandes, u.AntsPreDemande)
			}
		}
		l.Rows = append(l.Rows, row)
		if !seen[m.ID] && len(m.Pieces) > 0 {
			seen[m.ID] = true
			l.Pieces = append(l.Pieces, daylist.MotifPieces{Motif: m.Name, Pieces: m.Pieces})
		}
	}
	return l, views, nil
}

// DayList shows the day list on screen, as it will be printed.
func (s *AgentService) DayList(q DayListQuery) (DayListView, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, me agenda.Agent) (DayListView, error) {
		l, views, err := s.dayList(ctx, q)
		if err != nil {
			return DayListView{}, err
		}
		out := DayListView{Title: l.Title, Day: fr.Day(l.Day), Rows: []DayListLine{}, Rdvs: views}
		for _, r := range l.Rows {
			pre := strings.Join(r.PreDemandes, ", ")
			out.Rows = append(out.Rows, DayListLine{RdvID: r.RdvID, Time: fr.Time(r.Start.In(l.Location)), Usagers: r.Usagers, Phone: r.Phone, PreDemande: pre,
				Motif: r.Motif, Ants: r.Ants, Documents: r.Documents, Agent: r.Agent, Context: r.Context, Status: r.Status})
		}
		return out, nil
	})
}

// DayListPDF writes the day list as a PDF in the « Listes du jour » folder beside the data file,
// and returns it (path and content) for the window to open or save.
func (s *AgentService) DayListPDF(q DayListQuery) (FileResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, _ agenda.Agent) (FileResult, error) {
		f, _, err := s.writeDayList(ctx, q)
		return f, err
	})
}

// PrintDayList writes the day list like DayListPDF and sends it to the A4 printer of Paramètres ›
// Impression, without a print dialog.
func (s *AgentService) PrintDayList(q DayListQuery) (FileResult, error) {
	return call(s.office, s.session, asAgent, func(ctx context.Context, _ agenda.Agent) (FileResult, error) {
		f, pdf, err := s.writeDayList(ctx, q)
		if err != nil {
			return f, err
		}
		set, printers, err := s.printers(ctx)
		if err != nil {
			return f, err
		}
		doc := printing.Document{Title: strings.TrimSuffix(f.FileName, ".pdf"), Kind: printing.PDF, Data: pdf, Media: "A4"}
		if err := printDoc(ctx, printers.A4, set.a4Name(), doc); err != nil {
			return f, err
		}
		f.Printed, f.PrintedOn = true, set.a4Name()
		return f, nil
	})
}

func (s *AgentService) writeDayList(ctx context.Context, q DayListQuery) (FileResult, []byte, error) {
	l, _, err := s.dayList(ctx, q)
	if err != nil {
		return FileResult{}, nil, err
	}
	var buf bytes.Buffer
	if err := daylist.Render(&buf, l); err != nil {
		return FileResult{}, nil, err
	}
	name := "liste-du-jour-" + l.Day.String() + "-" + slug(l.Title) + ".pdf"
	f, err := s.writeDocument(folderDayLists, name, buf.Bytes())
	return f, buf.Bytes(), err
}

var unaccent = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "î", "i", "ï", "i",
	"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe")

// slug makes a file name part from a title: « DR — titres d'identité » → « dr-titres-d-identite ».
func slug(s string) string {
	var b strings.Builder
	for _, r := range unaccent.Replace(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
