package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	exp, err := svc.ExportUsager(u.ID)
	f := exp.JSON
	if err != nil || !strings.HasSuffix(f.FileName, ".json") {
		t.Fatalf("export: %v %+v", err, f)
	}
	if data, err := os.ReadFile(f.Path); err != nil || !strings.Contains(string(data), u.LastName) || !strings.Contains(string(data), `"rdvs"`) {
		t.Fatalf("export file: %v", err)
	}
	checkReadableExport(t, exp, u)
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
	if v.Audit[len(v.Audit)-1].Action != "Export des données d’un usager" || v.Audit[len(v.Audit)-1].By != "Claire Martin" {
		t.Errorf("audit: %+v", v.Audit)
	}
}

// Hardening: the export is also a readable PDF beside the JSON, in the same folder, with the
// usager's name and their RDVs in French; both files are the user's account's only. On the old
// code ExportUsager wrote the JSON only.
func checkReadableExport(t *testing.T, exp UsagerExportView, u UsagerForm) {
	t.Helper()
	p := exp.PDF
	if !strings.HasSuffix(p.FileName, ".pdf") || filepath.Dir(p.Path) != filepath.Dir(exp.JSON.Path) ||
		strings.TrimSuffix(p.FileName, ".pdf") != strings.TrimSuffix(exp.JSON.FileName, ".json") || p.Base64 == "" {
		t.Fatalf("pdf: %+v (json %+v)", p, exp.JSON)
	}
	for _, path := range []string{p.Path, exp.JSON.Path} {
		if st, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", path, err, st)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext absent")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p.Path, "-").Output()
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Données personnelles de " + strings.ToUpper(u.LastName) + " " + u.FirstName, "Fiche de l’usager",
		"Nom : " + strings.ToUpper(u.LastName), "Rendez-vous (", "Motif : ", "Statut : ", "Messages à l’usager", " à "} {
		if err != nil || !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q: %v\n%s", want, err, text)
		}
	}
}
