package app

import (
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

// Issue 16, #1: the checks that read the whole file wait for the window (Ready); the damage they
// find reaches the agent window as an event, and DataFault gives the banner's text: whom to call
// and where the backups are.
func TestDataFaultReachesTheWindow(t *testing.T) {
	services, db := demoServices(t)
	select {
	case <-services.WindowUp():
		t.Fatal("window up before it loaded")
	default:
	}
	if _, err := services.Agent.Ready(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-services.WindowUp():
	default:
		t.Fatal("Ready did not mark the window up")
	}
	if text, err := services.Agent.DataFault(); err != nil || text != "" {
		t.Fatalf("fault before any check: %q %v", text, err)
	}

	window := newEvents()
	services.Events.Start(t.Context(), window)
	defer services.Events.Stop()
	services.ReportDataFault(&agenda.Error{Op: "store.StartupCheck", Code: agenda.CodeDatabaseDamaged,
		Params: map[string]string{"path": db.Path(), "backups": db.BackupDir()}})
	deadline := time.After(2 * time.Second)
	for got := ""; got != EventDataFault; {
		select {
		case got = <-window.ch:
		case <-deadline:
			t.Fatal("no event for the fault")
		}
	}
	text, err := services.Agent.DataFault()
	if err != nil || !strings.Contains(text, "prestataire informatique") || !strings.Contains(text, "« "+db.BackupDir()+" »") {
		t.Fatalf("banner: %q %v", text, err)
	}
}
