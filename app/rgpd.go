package app

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
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

var auditActions = map[string]string{"purge": "Purge (durée de conservation)", "export": "Export des données d'un usager",
	"erase_requested": "Suppression d'un usager demandée", "erased": "Données d'un usager supprimées"}

// PersonalData returns the section: the retention, the next purge's counts, the audit trail.
func (s *AgentService) PersonalData() (PersonalDataView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (PersonalDataView, error) {
		years, err := s.db.RetentionYears(ctx)
		if err != nil {
			return PersonalDataView{}, err
		}
		v := PersonalDataView{RetentionYears: years, MinYears: store.MinRetentionYears, MaxYears: store.MaxRetentionYears, Audit: []AuditView{}}
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
		{"messages", "message(s)"}, {"receipts", "accusé(s) d'envoi"}}
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

// ExportUsager (« Exporter les données de l'usager ») writes everything the office holds about an
// usager as a JSON file in the « Données personnelles » folder beside the data file, and records
// the export.
func (s *AgentService) ExportUsager(usagerID string) (FileResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (FileResult, error) {
		exp, err := s.db.ExportUsager(ctx, usagerID, agenda.ByAgent(me.ID))
		if err != nil {
			return FileResult{}, err
		}
		data, err := json.MarshalIndent(exp, "", "  ")
		if err != nil {
			return FileResult{}, err
		}
		name := "usager-" + usagerID + "-" + s.clock.Now().Format("20060102-150405") + ".json"
		return s.writeDocument(folderPersonalData, name, data)
	})
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
			return msg + " Les données personnelles de l'usager sont supprimées.", nil
		}
		return msg + " Les données personnelles seront supprimées dès que l'avis d'annulation sera parti (au plus tard dans 7 jours).", nil
	})
}
