package app

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/export"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/reminders"
	"rdvguichet/backend/store"
)

// Paramètres › Données personnelles (RGPD), for administrators: the retention of the purge that
// runs every day (store.Purge), what it will delete next, an usager's export and erasure, and the
// audit trail of all three.

// folderPersonalData holds the usagers' exports, beside the data file.
const folderPersonalData = "Données personnelles"

// PersonalDataView is the section's state.
type PersonalDataView struct {
	RetentionYears int         `json:"retentionYears"`
	MinYears       int         `json:"minYears"`
	MaxYears       int         `json:"maxYears"`
	NextPurge      string      `json:"nextPurge"` // « Au prochain passage : … »
	Audit          []AuditView `json:"audit"`
}

// AuditView is one row of the audit trail, in French.
type AuditView struct {
	At     string `json:"at"` // « 10/03/2026 à 9 h 05 »
	By     string `json:"by"`
	Action string `json:"action"`
	Detail string `json:"detail"`
}

var auditActions = map[string]string{"purge": "Purge (durée de conservation)", "export": "Export des données d’un usager",
	"erase_requested": "Suppression d’un usager demandée", "erased": "Données d’un usager supprimées"}

// PersonalData returns the section: the retention, the next purge's counts, the audit trail.
func (s *AgentService) PersonalData() (PersonalDataView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (PersonalDataView, error) {
		years, err := s.db.RetentionYears(ctx)
		if err != nil {
			return PersonalDataView{}, err
		}
		v := PersonalDataView{RetentionYears: years, MinYears: agenda.MinRetentionYears, MaxYears: agenda.MaxRetentionYears, Audit: []AuditView{}}
		dry, err := s.db.Purge(ctx, me.ID, true)
		if err != nil {
			return v, err
		}
		v.NextPurge = "Au prochain passage (chaque jour), la purge supprimera " + strconv.Itoa(dry.Rdvs) + " rendez-vous antérieur(s) au " +
			fr.ShortDate(agenda.DateOf(dry.Cutoff)) + " et " + strconv.Itoa(dry.Usagers) + " usager(s) sans rendez-vous depuis."
		entries, err := s.db.Audit(ctx, "", 50)
		if err != nil {
			return v, err
		}
		c, err := s.catalogue(ctx)
		if err != nil {
			return v, err
		}
		for _, e := range entries {
			by := e.By
			if a, ok := c.agents[e.By]; ok {
				by = a.Name
			} else if by == string(agenda.ActorCLI) {
				by = "ligne de commande"
			}
			v.Audit = append(v.Audit, AuditView{At: fr.DateTime(e.At, c.loc), By: by, Action: auditActions[e.Action], Detail: auditDetail(e.Detail)})
		}
		return v, nil
	})
}

// auditDetail writes an audit row's counts in French.
func auditDetail(raw string) string {
	var m map[string]int
	if json.Unmarshal([]byte(raw), &m) != nil {
		return ""
	}
	words := []struct{ key, label string }{{"rdvs", "rendez-vous"}, {"usagers", "usager(s)"}, {"cancelled", "rendez-vous annulé(s)"},
		{"messages", "message(s)"}, {"receipts", "accusé(s) d’envoi"}}
	var parts []string
	for _, w := range words {
		if n, ok := m[w.key]; ok {
			parts = append(parts, strconv.Itoa(n)+" "+w.label)
		}
	}
	return strings.Join(parts, ", ")
}

// SaveRetention stores the retention in years (1 to 10).
func (s *AgentService) SaveRetention(years int) (SaveResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (SaveResult, error) {
		err := s.db.SetRetentionYears(ctx, years)
		if agenda.CodeOf(err) == agenda.CodeRetentionBounds {
			return SaveResult{Errors: []agenda.FieldError{{Field: "retentionYears", Code: agenda.CodeRetentionBounds, Message: text(err)}}}, nil
		}
		return SaveResult{}, err
	})
}

// UsagerExportView is what « Exporter les données de l'usager » wrote: everything as JSON (for
// another system), and the same as a readable PDF (to hand to the usager).
type UsagerExportView struct {
	JSON FileResult `json:"json"`
	PDF  FileResult `json:"pdf"`
}

// ExportUsager (« Exporter les données de l'usager ») writes everything the office holds about an
// usager as a JSON file and as a readable PDF in the « Données personnelles » folder beside the
// data file (readable by the user's account only), and records the export once.
func (s *AgentService) ExportUsager(usagerID string) (UsagerExportView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (UsagerExportView, error) {
		exp, err := s.db.ExportUsager(ctx, usagerID, agenda.ByAgent(me.ID))
		if err != nil {
			return UsagerExportView{}, err
		}
		data, err := json.MarshalIndent(exp, "", "  ")
		if err != nil {
			return UsagerExportView{}, err
		}
		c, err := s.catalogue(ctx)
		if err != nil {
			return UsagerExportView{}, err
		}
		var pdf bytes.Buffer
		if err := export.Render(&pdf, s.readableExport(ctx, c, exp)); err != nil {
			return UsagerExportView{}, err
		}
		base := "usager-" + usagerID + "-" + s.clock.Now().Format("20060102-150405")
		var v UsagerExportView
		if v.JSON, err = s.writeDocument(folderPersonalData, base+".json", data); err != nil {
			return UsagerExportView{}, err
		}
		if v.PDF, err = s.writeDocument(folderPersonalData, base+".pdf", pdf.Bytes()); err != nil {
			return UsagerExportView{}, err
		}
		return v, nil
	})
}

// readableExport writes the export in French for the PDF: the record, each RDV with the usager's
// own status (their seat, in a collective or family RDV), its history and agents by name, the
// messages with their state.
func (s *AgentService) readableExport(ctx context.Context, c *catalogue, exp store.UsagerExport) export.Usager {
	u := exp.Usager
	yes := map[bool]string{true: "oui", false: "non"}
	out := export.Usager{Organisation: c.org.Name, Location: c.loc, Exported: exp.ExportedAt, Name: usagerName(u), Attempts: len(exp.Receipts),
		Note: "Ce document contient des données personnelles : remettez-le à l’usager seulement, puis supprimez-le du poste."}
	add := func(label, value string) {
		if value != "" {
			out.Fields = append(out.Fields, export.Field{Label: label, Value: value})
		}
	}
	add("Nom", strings.ToUpper(u.LastName))
	add("Prénom", u.FirstName)
	add("Nom de naissance", u.BirthName)
	if !u.BirthDate.IsZero() {
		add("Date de naissance", fr.ShortDate(u.BirthDate))
	}
	add("Téléphone", convocation.PhoneText(u.Phone))
	add("Courriel", u.Email)
	add("Prévenu par SMS", yes[u.NotifySMS])
	add("Prévenu par courriel", yes[u.NotifyEmail])
	add("Numéro de pré-demande ANTS", u.AntsPreDemande)
	if u.ResponsibleID != "" {
		if r, err := s.db.GetUsager(ctx, u.ResponsibleID); err == nil {
			add("Responsable", usagerName(r))
		}
	}
	for _, r := range exp.Relatives {
		out.Relatives = append(out.Relatives, usagerName(r))
	}
	who := func(by string) string {
		a := agenda.ParseActor(by)
		switch a.Kind {
		case agenda.ActorAgent:
			if ag, ok := c.agents[a.AgentID]; ok {
				return ag.Name
			}
			return "un agent"
		case agenda.ActorKiosk:
			return "l’usager, à la borne"
		case agenda.ActorOnline, agenda.ActorUsager:
			return "l’usager, en ligne"
		case agenda.ActorSync:
			return "le serveur central"
		case agenda.ActorCLI:
			return "l’administrateur (ligne de commande)"
		}
		return string(a.Kind)
	}
	for _, r := range exp.Rdvs {
		status := r.Status
		for _, p := range r.Participations {
			if p.UsagerID == u.ID {
				status = p.Status
			}
		}
		row := export.Rdv{Start: r.StartsAt, End: r.EndsAt, Motif: r.Motif, Lieu: r.Lieu, Status: status.LongLabel()}
		for _, id := range r.AgentIDs {
			if a, ok := c.agents[id]; ok {
				row.Agents = append(row.Agents, a.Name)
			}
		}
		for _, h := range r.History {
			if h.UsagerID != "" && h.UsagerID != u.ID {
				continue
			}
			what := "statut « " + h.From.LongLabel() + " » → « " + h.To.LongLabel() + " »"
			switch {
			case h.Move != nil:
				what = "déplacé du " + fr.DateTime(h.Move.FromStart, c.loc) + " au " + fr.DateTime(h.Move.ToStart, c.loc)
			case h.From == "":
				what = "pris"
			}
			row.History = append(row.History, "le "+fr.DateTime(h.At, c.loc)+", par "+who(h.By)+fr.NNBSP+": "+what)
		}
		out.Rdvs = append(out.Rdvs, row)
	}
	for _, n := range exp.Messages {
		m := export.Message{At: n.DueAt, Label: eventLabels[n.Event], Channel: "Courriel", Recipient: n.Recipient, State: stateTexts[n.State]}
		if n.DoneAt != nil {
			m.At = *n.DoneAt
		}
		if n.Variant == reminders.VariantSameDay {
			m.Label = "Rappel du jour"
		} else if n.Variant != "" {
			m.Label = "Rappel renvoyé"
		}
		if m.Label == "" {
			m.Label = n.Event
		}
		if n.Channel == "sms" {
			m.Channel, m.Recipient = "SMS", convocation.PhoneText(n.Recipient)
		}
		if m.State == "" {
			m.State = n.State
		}
		out.Messages = append(out.Messages, m)
	}
	return out
}

// EraseUsager (« Supprimer l'usager ») cancels the usager's future RDVs (« annulé par le
// service », with the usual notice) and erases their personal data, and says what it did.
func (s *AgentService) EraseUsager(usagerID string) (string, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (string, error) {
		rep, err := s.db.EraseUsager(ctx, usagerID, agenda.ByAgent(me.ID))
		if err != nil {
			return "", err
		}
		msg := "Aucun rendez-vous à venir."
		if rep.Cancelled > 0 {
			msg = strconv.Itoa(rep.Cancelled) + " rendez-vous à venir annulé(s) par le service."
		}
		if rep.Done {
			return msg + " Les données personnelles de l’usager sont supprimées.", nil
		}
		return msg + " Les données personnelles seront supprimées dès que l’avis d’annulation sera parti (au plus tard dans 7 jours).", nil
	})
}
