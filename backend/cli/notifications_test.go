package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/notify"
	"rdvguichet/backend/store"
)

// notifDB makes a data file with one RDV on Friday 13 March 2026 at 10:00 Paris for an usager
// with a mobile, SMS on through the journal provider, booked at `tuesday`.
func notifDB(t *testing.T) (path, journal string, rdv agenda.Rdv) {
	t.Helper()
	dir := t.TempDir()
	path, journal = filepath.Join(dir, "rdv.sqlite"), filepath.Join(dir, "sms.log")
	ctx := context.Background()
	db, err := store.Open(path, store.Options{Clock: fixedClock{tuesday}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	set := notify.DefaultSettings()
	set.SMSEnabled = true
	set.SMS = notify.SMSSettings{Provider: "journal", Journal: journal}
	must(notify.SaveSettings(ctx, db, set))
	org, err := db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Test", TimeZone: "Europe/Paris", Phone: "+33238000000"})
	must(err)
	lieu, err := db.SaveLieu(ctx, agenda.Lieu{OrganisationID: org.ID, Name: "Mairie", Street: "1 place de la Mairie", PostalCode: "45000", City: "Test", Enabled: true})
	must(err)
	agent, err := db.SaveAgent(ctx, agenda.Agent{OrganisationID: org.ID, Kind: agenda.KindAgent, Name: "Claire", Login: "claire", Role: agenda.RoleAdmin, Active: true})
	must(err)
	motif, err := db.SaveMotif(ctx, agenda.Motif{OrganisationID: org.ID, Name: "CNI", Color: "#123456", DurationMin: 30, LocationType: agenda.PublicOffice, MaxPublicDelay: 90 * 24 * time.Hour})
	must(err)
	u, err := db.SaveUsager(ctx, agenda.Usager{OrganisationID: org.ID, FirstName: "Hélène", LastName: "Dupont", Phone: "+33612345678", NotifySMS: true})
	must(err)
	paris, _ := time.LoadLocation("Europe/Paris")
	rdv, err = db.Book(ctx, store.BookRequest{MotifID: motif.ID, LieuID: lieu.ID, AgentID: agent.ID, Start: time.Date(2026, 3, 13, 10, 0, 0, 0, paris),
		Usagers: []string{u.ID}, By: agenda.ByAgent(agent.ID), Override: true})
	must(err)
	return path, journal, rdv
}

func TestNotificationsListAndSend(t *testing.T) {
	path, journal, rdv := notifDB(t)
	var due []notificationJSON
	code, out, errs := runCLI(t, tuesday, "notifications", "--db", path, "--json")
	if code != 0 || json.Unmarshal([]byte(out), &due) != nil {
		t.Fatalf("list: %d %s %s", code, out, errs)
	}
	if len(due) != 1 || due[0].RdvID != rdv.ID || due[0].Event != "confirmation" || due[0].Channel != "sms" || due[0].Recipient != "+33612345678" {
		t.Fatalf("due now: %+v", due)
	}
	// On Wednesday 11 at 10:00 (48 h before), the reminder is due too; nothing was sent by listing.
	code, out, _ = runCLI(t, tuesday, "notifications", "--db", path, "--at", "2026-03-11T10:00:00+01:00", "--json")
	due = nil
	if code != 0 || json.Unmarshal([]byte(out), &due) != nil || len(due) != 2 || due[1].Event != "rappel" {
		t.Fatalf("due Wednesday: %d %s", code, out)
	}
	code, out, errs = runCLI(t, tuesday, "notifications", "send", "--db", path)
	if code != 0 || !strings.Contains(out, "sent") || !strings.Contains(out, "1 envoyé(s)") {
		t.Fatalf("send: %d %s %s", code, out, errs)
	}
	b, _ := os.ReadFile(journal)
	if !strings.Contains(string(b), "+33612345678") || !strings.Contains(string(b), "confirmé le ven. 13/03 à 10h00") {
		t.Fatalf("journal:\n%s", b)
	}
	code, out, _ = runCLI(t, tuesday, "notifications", "send", "--db", path)
	if code != 0 || !strings.Contains(out, "Rien à envoyer") {
		t.Fatalf("second send: %d %s", code, out)
	}
	code, out, _ = runCLI(t, tuesday, "notifications", "--db", path)
	if code != 0 || !strings.Contains(out, "Aucun message dû") {
		t.Fatalf("text list after send: %d %s", code, out)
	}
	for _, args := range [][]string{
		{"notifications", "--db", path, "--at", "demain"},
		{"notifications", "send", "--db", path, "--nope"},
		{"notifications", "envoyer"},
	} {
		if code, _, errs := runCLI(t, tuesday, args...); code != 2 || !strings.Contains(errs, "rdv-guichet") {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}
