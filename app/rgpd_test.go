package app

import (
	"os"
	"strings"
	"testing"

	"rdvguichet/backend/demo"
)

// issue 10, #13 (b, c): Paramètres › Données personnelles, for administrators: the retention
// (bounded, the field error in French), the export of an usager as a JSON file, the erasure with
// its French sentence, each in the audit trail. On today's code none of these doors exist.
func TestPersonalDataDoors(t *testing.T) {
	services, _, _ := openDemo(t)
	svc := services.Agent
	if _, err := svc.SignIn("karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EraseUsager("x"); doorCode(err) != "admin_only" {
		t.Fatalf("an agent erasing: %v", err)
	}
	if _, err := svc.SignIn("claire", demo.Password); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.SaveRetention(11); err != nil || len(res.Errors) != 1 || res.Errors[0].Message != "La durée de conservation doit être comprise entre 1 et 10 ans." {
		t.Fatalf("retention 11: %v %+v", err, res)
	}
	if res, err := svc.SaveRetention(3); err != nil || len(res.Errors) != 0 {
		t.Fatalf("retention 3: %v %+v", err, res)
	}
	found, err := svc.SearchUsagers("a")
	if err != nil || len(found) == 0 {
		t.Fatalf("search: %v", err)
	}
	u := found[0]
	f, err := svc.ExportUsager(u.ID)
	if err != nil || !strings.HasSuffix(f.FileName, ".json") {
		t.Fatalf("export: %v %+v", err, f)
	}
	if data, err := os.ReadFile(f.Path); err != nil || !strings.Contains(string(data), u.LastName) || !strings.Contains(string(data), `"rdvs"`) {
		t.Fatalf("export file: %v", err)
	}
	msg, err := svc.EraseUsager(u.ID)
	if err != nil || !strings.Contains(msg, "Les données personnelles") {
		t.Fatalf("erase: %v %q", err, msg)
	}
	if _, err := svc.EraseUsager(u.ID); doorMessage(err) != "Les données de cet usager ont déjà été supprimées." {
		t.Fatalf("erase twice: %v", err)
	}
	v, err := svc.PersonalData()
	if err != nil || v.RetentionYears != 3 || len(v.Audit) < 2 || !strings.HasPrefix(v.NextPurge, "Au prochain passage") {
		t.Fatalf("view: %v %+v", err, v)
	}
	if v.Audit[len(v.Audit)-1].Action != "Export des données d'un usager" || v.Audit[len(v.Audit)-1].By != "Claire Martin" {
		t.Errorf("audit: %+v", v.Audit)
	}
}
