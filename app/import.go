package app

import (
	"context"
	"encoding/base64"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/importer"
	"rdvguichet/backend/messages"
)

// Paramètres › Import, for administrators: an existing agenda from a spreadsheet (CSV or XLSX),
// checked line by line, then imported all or nothing (store.Import), as `rdv-guichet import`.

// ImportTemplate is the template to download (« Télécharger le modèle »).
type ImportTemplate struct {
	FileName string `json:"fileName"`
	Base64   string `json:"base64"`
}

// ImportModel returns the template.
func (s *AgentService) ImportModel() (ImportTemplate, error) {
	return call(s.office, s.session, asAdmin, func(context.Context, agenda.Agent) (ImportTemplate, error) {
		return ImportTemplate{FileName: importer.TemplateName, Base64: base64.StdEncoding.EncodeToString(importer.Template)}, nil
	})
}

// PreviewImport checks the file (its bytes in base64) and says what its import would do, each
// problem with its line and its French reason; nothing is written.
func (s *AgentService) PreviewImport(file string) (importer.Report, error) {
	return s.importFile(file, true)
}

// RunImport imports the file: all of it, or nothing when a line has a problem (the report lists
// them, as the preview did).
func (s *AgentService) RunImport(file string) (importer.Report, error) {
	return s.importFile(file, false)
}

func (s *AgentService) importFile(file string, dryRun bool) (importer.Report, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (importer.Report, error) {
		data, err := base64.StdEncoding.DecodeString(file)
		if err != nil {
			return importer.Report{}, agenda.Wrap("app.Import", agenda.CodeImportUnreadable, err)
		}
		sheet, err := importer.Read(data)
		if err != nil {
			return importer.Report{}, err
		}
		rep, err := s.db.Import(ctx, me.OrganisationID, sheet, agenda.ByAgent(me.ID), dryRun)
		if err != nil {
			return rep, err
		}
		rep.Write(func(c agenda.Code, p map[string]string) string { return messages.Text(messages.French, c, p) })
		// The lists are arrays for the screen, never null.
		rep.Matched, rep.Problems, rep.Notices = nonNil(rep.Matched), nonNil(rep.Problems), nonNil(rep.Notices)
		return rep, nil
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
