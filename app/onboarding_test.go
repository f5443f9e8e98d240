package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/cli"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/install"
	"rdvguichet/backend/onboarding"
	"rdvguichet/backend/store"
)

var setupNow = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func openSetupFile(t *testing.T, path string) (*store.DB, *Services) {
	t.Helper()
	db, err := store.Open(path, store.Options{Clock: fixedClock{setupNow}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, New(db, fixedClock{setupNow}, nil)
}

func readExample(t *testing.T) onboarding.Config {
	t.Helper()
	f, err := os.Open("../docs/exemples/init-mairie.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := onboarding.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dump describes an organisation by names, not ids: two files set up alike dump alike.
func dump(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	orgs, err := db.ListOrganisations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("organisations: %v %v", orgs, err)
	}
	o := orgs[0]
	o.ID = ""
	fmt.Fprintf(&b, "org %+v\n", o)
	for _, k := range []string{install.SettingKind, install.SettingStep} {
		v, _, _ := db.Setting(ctx, k)
		fmt.Fprintf(&b, "setting %s=%s\n", k, v)
	}
	names := map[string]string{}
	lieux, _ := db.ListLieux(ctx, o.ID+orgs[0].ID, true)
	for _, l := range lieux {
		names[l.ID] = l.Name
		l.ID, l.OrganisationID = "", ""
		fmt.Fprintf(&b, "lieu %+v\n", l)
	}
	agents, _ := db.ListAgents(ctx, orgs[0].ID, true)
	for _, a := range agents {
		names[a.ID] = a.Name
		_, hash, _ := db.GetAgentByLogin(ctx, orgs[0].ID, a.Login)
		a.ID, a.OrganisationID = "", ""
		fmt.Fprintf(&b, "agent %+v password=%v\n", a, hash != "")
	}
	motifs, _ := db.ListMotifs(ctx, orgs[0].ID, true)
	for _, m := range motifs {
		names[m.ID] = m.Name
		m.ID, m.OrganisationID = "", ""
		fmt.Fprintf(&b, "motif %+v\n", m)
	}
	plages, _ := db.ListPlages(ctx, orgs[0].ID, "")
	var lines []string
	for _, p := range plages {
		var ms []string
		for _, id := range p.MotifIDs {
			ms = append(ms, names[id])
		}
		slices.Sort(ms)
		lines = append(lines, fmt.Sprintf("plage %s %s %s %s-%s %v from %s motifs %v %s", names[p.AgentID], names[p.LieuID], p.Title,
			p.Start, p.End, p.Recurrence.Weekdays, p.FirstDay, ms, p.Canal))
	}
	slices.Sort(lines)
	b.WriteString(strings.Join(lines, "\n"))
	return b.String()
}

// « rdv-guichet init » with the documented example and the assistant given the same answers, step
// by step through the window's door, make the same organisation.
func TestInitAndAssistantMakeTheSameOrganisation(t *testing.T) {
	dir := t.TempDir()
	example := readExample(t)

	initFile := filepath.Join(dir, "init.sqlite")
	var out, errOut bytes.Buffer
	if code := cli.MainAt(fixedClock{setupNow}, []string{"init", "--db", initFile, "--config", "../docs/exemples/init-mairie.json"}, &out, &errOut); code != 0 {
		t.Fatalf("init: %d %s", code, errOut.String())
	}

	db, s := openSetupFile(t, filepath.Join(dir, "assistant.sqlite"))
	st, err := s.Agent.Ready()
	if err != nil || st.Setup != SetupChoose {
		t.Fatalf("an empty file opens on the chooser: %+v %v", st, err)
	}
	// The assistant's motifs are the templates, edited on screen: here, left as they come but for
	// « En ligne », ticked where the file opens the motif online.
	var motifs []onboarding.Motif
	for _, m := range example.Motifs {
		tpl, _ := onboarding.Template(m.Template)
		tpl.Channels = m.Channels
		motifs = append(motifs, tpl)
	}
	steps := []func() (SaveResult, error){
		func() (SaveResult, error) { return s.Setup.SetupOrganisation(example.Organisation) },
		func() (SaveResult, error) { return s.Setup.SetupLieux(example.Lieux) },
		func() (SaveResult, error) { return s.Setup.SetupAgendas(example.Agendas) },
		func() (SaveResult, error) { return s.Setup.SetupMotifs(motifs) },
		func() (SaveResult, error) { return s.Setup.SetupHours(example.CounterHours()) },
	}
	for i, step := range steps {
		res, err := step()
		if err != nil || len(res.Errors) > 0 {
			t.Fatalf("step %d: %+v %v", i, res, err)
		}
	}
	// The hours step proposes, for the agendas offering the passeport open online, their
	// afternoons sold online.
	if v, err := s.Setup.SetupState(); err != nil || len(v.Hours) != 3 || len(v.Hours[2].AfternoonOnlineDays) != 5 || len(v.Hours[2].MorningOnlineDays) != 0 {
		t.Fatalf("proposed hours: %+v %v", v.Hours, err)
	}
	mid, err := s.Agent.Ready()
	if err != nil || mid.Setup != onboarding.StepRappels || mid.Session == nil || mid.Session.Role != "admin" {
		t.Fatalf("after the hours, the administrator is signed in and the assistant at the reminders: %+v %v", mid, err)
	}
	for _, step := range []string{onboarding.StepRappels, onboarding.StepImpression, onboarding.StepServeur} {
		if err := s.Setup.SetupSkip(step); err != nil {
			t.Fatal(err)
		}
	}
	end, err := s.Agent.Ready()
	if err != nil || end.Setup != "" || len(end.Motifs) != 4 {
		t.Fatalf("the assistant ends on the agenda: %+v %v", end, err)
	}

	initDB, err := store.Open(initFile, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer initDB.Close()
	got, want := dump(t, db), dump(t, initDB)
	if got != want {
		t.Fatalf("assistant:\n%s\n\ninit:\n%s", got, want)
	}
	for _, line := range []string{"Holidays:{Departement:57", "TimeZone:Europe/Paris", "Role:admin", "plage DR — titres d'identité Mairie Matin 08:30-12:00 [Monday Tuesday Wednesday Thursday Friday Saturday]", "BookableKiosk:true",
		// The passeport, open online, is sold online on Tuesday and Thursday afternoons, which the
		// counter's afternoon leaves out.
		"plage DR — titres d'identité Mairie Après-midi 13:30-17:00 [Monday Friday] from 2026-12-04 motifs [Carte d’identité Carte d’identité + passeport Passeport Retrait de titre] guichet",
		"plage DR — titres d'identité Mairie Après-midi en ligne 13:30-17:00 [Tuesday Thursday] from 2026-12-03 motifs [Passeport] en_ligne"} {
		if !strings.Contains(got, line) {
			t.Errorf("the set-up lacks %q:\n%s", line, got)
		}
	}
}

// A step given again updates what it wrote; the assistant's steps need the administrator once
// the agendas step made one.
func TestAssistantStepAgainAndClaimedFile(t *testing.T) {
	db, s := openSetupFile(t, filepath.Join(t.TempDir(), "f.sqlite"))
	ex := readExample(t)
	for _, step := range []func() (SaveResult, error){
		func() (SaveResult, error) { return s.Setup.SetupOrganisation(ex.Organisation) },
		func() (SaveResult, error) { return s.Setup.SetupLieux(ex.Lieux) },
		func() (SaveResult, error) { return s.Setup.SetupLieux(ex.Lieux) }, // back and forth
	} {
		if res, err := step(); err != nil || len(res.Errors) > 0 {
			t.Fatalf("%+v %v", res, err)
		}
	}
	// The lieux step offers the organisation's address, which the organisation itself does not keep.
	if v, err := s.Setup.SetupState(); err != nil || v.Step != onboarding.StepAgendas || v.Organisation.Street != ex.Organisation.Street || v.Organisation.Kind != "mairie" {
		t.Fatalf("state: %+v %v", v.Organisation, err)
	}
	org, _, _ := s.office.org(context.Background())
	if lieux, _ := db.ListLieux(context.Background(), org.ID, true); len(lieux) != 1 {
		t.Fatalf("the lieux step given twice made %d lieux", len(lieux))
	}
	// A bad row is refused beside its row, and nothing of the step is written.
	res, err := s.Setup.SetupLieux([]onboarding.Lieu{{Name: "Annexe", Street: "1 rue Haute", PostalCode: "57430", City: "Champvert"}, {Name: ""}})
	if err != nil || len(res.Errors) == 0 || !strings.HasPrefix(res.Errors[0].Field, "1.") {
		t.Fatalf("empty name: %+v %v", res, err)
	}
	if lieux, _ := db.ListLieux(context.Background(), org.ID, true); len(lieux) != 1 {
		t.Fatalf("a refused step wrote %d lieux", len(lieux))
	}
	if res, err := s.Setup.SetupAgendas(ex.Agendas); err != nil || len(res.Errors) > 0 {
		t.Fatalf("%+v %v", res, err)
	}
	s.Agent.SignOut()
	if _, err := s.Setup.SetupLieux(ex.Lieux); err == nil || !strings.Contains(err.Error(), "signed_out") {
		t.Fatalf("a claimed file's step without the administrator: %v", err)
	}
	if _, err := s.Setup.LeaveDemo(); err == nil || !strings.Contains(err.Error(), "not_demo") {
		t.Fatalf("a real agenda cannot be emptied as the demo: %v", err)
	}
}

// The chooser's demo, then « Quitter la démonstration »: a backup of the demo beside the file, and
// the file empty, on the chooser again.
func TestStartAndLeaveDemo(t *testing.T) {
	dir := t.TempDir()
	db, s := openSetupFile(t, filepath.Join(dir, "rdv-guichet.sqlite"))
	if err := s.Setup.StartDemo(); err != nil {
		t.Fatal(err)
	}
	st, err := s.Agent.Ready()
	if err != nil || st.Setup != "" || st.Demo == nil {
		t.Fatalf("the demo opens on its sign-in: %+v %v", st, err)
	}
	if err := s.Setup.StartDemo(); err == nil {
		t.Fatal("a second demo over the first")
	}
	kept, err := s.Setup.LeaveDemo()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(kept) != dir {
		t.Fatalf("backup at %s", kept)
	}
	st, err = s.Agent.Ready()
	if err != nil || st.Setup != SetupChoose || st.Demo != nil {
		t.Fatalf("after leaving, the chooser: %+v %v", st, err)
	}
	if us, _ := db.SearchUsagers(context.Background(), "martin", 5); len(us) != 0 {
		t.Fatalf("demo usagers left: %d", len(us))
	}
	back, err := store.Open(kept, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if v, ok, _ := back.Setting(context.Background(), demo.SettingDemo); !ok || v == "" {
		t.Fatal("the backup is not the demo")
	}
}
