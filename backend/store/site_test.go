package store

import (
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

// An online booking's messages leave from the central (reminders.SiteOf): pulled, moved or
// cancelled at the counter, or reminded when a channel is switched on, it gets none from the
// office. The office's own booking does.
func TestOnlineRdvNotPlannedAtTheOffice(t *testing.T) {
	f := newFixture(t, 1)
	enableNotifications(t, f.db)
	ctx := t.Context()
	online := agenda.Rdv{ID: "0190e7a4-7777-7000-8000-000000000001", OrganisationID: f.org.ID, MotifID: f.motif.ID, LieuID: f.lieu.ID,
		StartsAt: at(3, 9, 0), EndsAt: at(3, 9, 30), AgentIDs: []string{f.agents[0].ID}, Status: agenda.StatusUnknown,
		Participations: []agenda.Participation{{UsagerID: f.usager.ID, Status: agenda.StatusUnknown}},
		Origine:        agenda.OrigineEnLigne, DocumentsNumber: 1, Version: 1}
	rep, err := f.db.ApplyPage(ctx, []protocol.Change{change(t, "c1", protocol.EntityRdv, protocol.OpBook, f.org.ID, online.ID, protocol.FromRdv(online), 1)}, "c1")
	if err != nil || rep.Applied != 1 {
		t.Fatalf("pull: %+v %v", rep, err)
	}
	by := agenda.ByAgent(f.agents[0].ID)
	if _, err := f.db.Move(ctx, online.ID, at(3, 10, 0), "", by, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ScheduleMissingReminders(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SetStatus(ctx, online.ID, agenda.StatusExcused, by); err != nil {
		t.Fatal(err)
	}
	if ns, _ := f.db.RdvNotifications(ctx, online.ID); len(ns) != 0 {
		t.Errorf("the office planned %d messages for an online booking: %+v", len(ns), ns)
	}
	mine, err := f.book(at(3, 11, 0), f.agents[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if ns, _ := f.db.RdvNotifications(ctx, mine.ID); len(ns) == 0 {
		t.Error("the office's own booking got no message")
	}
}
