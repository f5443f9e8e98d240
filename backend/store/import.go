package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/booking"
	"rdvguichet/backend/importer"
)

// errImportRefused rolls back an import that found problems, or a dry run: nothing is kept.
var errImportRefused = errors.New("import refused or dry run: rolled back")

// Import imports sheet (importer.Read) into organisation orgID in one BEGIN IMMEDIATE
// transaction, all or nothing: every line is checked (importer.Check) against the agendas and
// motifs read in that transaction; the usagers already in the agenda are found (importer.Match)
// rather than duplicated; each RDV is booked through the booking rules as an agent's booking
// (booking.Decide with Override, origine import): a benign refusal is booked over and said in
// the report's notices, an overlap (another RDV, or an earlier line) is a problem of its line.
// Usagers and RDVs reach the outbox as any other. When a line has a problem, or dryRun, the
// transaction is rolled back and the report says what would have been done; the error is for
// the database's own failures only.
func (db *DB) Import(ctx context.Context, orgID string, sheet importer.Sheet, by agenda.Actor, dryRun bool) (importer.Report, error) {
	const op = "store.Import"
	rep := importer.Report{Lines: len(sheet.Rows), DryRun: dryRun}
	err := db.write(ctx, op, func(tx *txn) error {
		ref, err := importReference(ctx, tx, orgID, db.now())
		if err != nil {
			return err
		}
		plan, problems := importer.Check(sheet, ref)
		if rep.Problems = problems; len(problems) > 0 {
			return errImportRefused
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+usagerCols+" FROM usagers u WHERE u.organisation_id = ?", orgID)
		if err != nil {
			return err
		}
		existing, err := collect(rows, scanUsager)
		if err != nil {
			return err
		}
		if rep.Problems = importer.Match(&plan, existing); len(rep.Problems) > 0 {
			return errImportRefused
		}
		ids := make([]string, len(plan.Usagers))
		for i, p := range plan.Usagers {
			if ids[i] = p.ExistingID; ids[i] != "" {
				rep.Matched = append(rep.Matched, importer.Matched{Line: p.Line, Name: strings.TrimSpace(strings.ToUpper(p.Usager.LastName) + " " + p.Usager.FirstName)})
				continue
			}
			u, err := db.saveUsager(ctx, tx, p.Usager)
			if err != nil {
				return err // Check validated it: a failure here is the database's
			}
			ids[i] = u.ID
			rep.NewUsagers++
		}
		messages := func() (n int, err error) {
			return n, tx.QueryRowContext(ctx, "SELECT count(*) FROM notifications").Scan(&n)
		}
		messagesBefore, err := messages()
		if err != nil {
			return err
		}
		var booked []bookedLine
		for _, r := range plan.Rdvs {
			req, err := booking.Normalize(booking.Request{MotifID: r.MotifID, AgentID: r.AgentID, Start: r.Start,
				Usagers: []string{ids[r.Usager]}, Origine: agenda.OrigineImport, By: by, Override: true})
			if err != nil {
				return err
			}
			rdv, forced, err := db.book(ctx, tx, req)
			err = mapErr(op, err) // the trigger's refusal (an overlap forced over a benign one) gets its code
			switch {
			case err == nil:
				rep.Rdvs++
				booked = append(booked, bookedLine{r.Line, rdv})
				if forced != "" {
					rep.Notices = append(rep.Notices, importer.Problem{Line: r.Line, Code: forced})
				}
			case agenda.CodeOf(err) == agenda.CodeSlotTaken:
				p := importer.Problem{Line: r.Line, Code: agenda.CodeImportOverlap}
				if l := overlapping(booked, r); l > 0 {
					p.Params = map[string]string{"line": strconv.Itoa(l)}
				}
				rep.Problems = append(rep.Problems, p)
			case agenda.HasCode(err) && agenda.KindOf(err) != agenda.Other:
				rep.Problems = append(rep.Problems, importer.Problem{Line: r.Line, Code: agenda.CodeOf(err), Params: agenda.ParamsOf(err)})
			default:
				return err
			}
		}
		messagesAfter, err := messages()
		if err != nil {
			return err
		}
		rep.Reminders = messagesAfter - messagesBefore
		if len(rep.Problems) > 0 || dryRun {
			return errImportRefused
		}
		rep.Imported = true
		return nil
	})
	if errors.Is(err, errImportRefused) {
		return rep, nil
	}
	return rep, err
}

// bookedLine is an RDV this import has booked, with its line.
type bookedLine struct {
	line int
	rdv  agenda.Rdv
}

// overlapping returns the line of an RDV of this import that r falls on (same agenda), or 0
// when r's conflict is with an RDV already in the agenda.
func overlapping(booked []bookedLine, r importer.PlannedRdv) int {
	for _, b := range booked {
		if b.rdv.AgentIDs[0] == r.AgentID && !r.Start.Before(b.rdv.StartsAt) && r.Start.Before(b.rdv.EndsAt) {
			return b.line
		}
	}
	return 0
}

// importReference reads what the lines are checked against, in the import's transaction.
func importReference(ctx context.Context, tx *txn, orgID string, now time.Time) (importer.Reference, error) {
	const op = "store.Import"
	org, err := getOrg(ctx, tx, orgID)
	if err != nil {
		return importer.Reference{}, err
	}
	loc, err := org.Location()
	if err != nil {
		return importer.Reference{}, agenda.E(op, agenda.Other, err)
	}
	ref := importer.Reference{OrganisationID: orgID, Loc: loc, Now: now}
	rows, err := tx.QueryContext(ctx, "SELECT "+agentCols+" FROM agents WHERE organisation_id = ? AND active = 1 ORDER BY kind, name", orgID)
	if err != nil {
		return ref, err
	}
	if ref.Agents, err = collect(rows, scanAgent); err != nil {
		return ref, err
	}
	rows, err = tx.QueryContext(ctx, "SELECT "+motifCols+" FROM motifs WHERE organisation_id = ? ORDER BY archived, name", orgID)
	if err != nil {
		return ref, err
	}
	ref.Motifs, err = collect(rows, scanMotif)
	return ref, err
}
