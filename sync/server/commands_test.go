package server

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rdvguichet/sync/protocol"
	"rdvguichet/sync/testkit"
)

// runCentral runs an « rdv-central » command with stdin and returns its output and exit code.
func runCentral(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	bin, err := buildCentral()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &out
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), 0
}

// The operator's commands for an organisation's personal data and notifications: the
// notification settings never show their secrets; the retention has bounds; « office revoke
// --purge » asks before it deletes, says what it deleted, and deletes only with the last office.
func TestOrganisationCommands(t *testing.T) {
	dsn := testkit.FreshDB(t)
	s, base := central(t, dsn)
	o, ops := newOffice(t, s, nil, 2)
	op, _ := o.book(t, at(day, 9, 0), 0)
	mustPush(t, base, o.token, append(ops, op))
	pg := sqlPool(t, dsn)

	secret := filepath.Join(t.TempDir(), "smtp-password")
	if err := os.WriteFile(secret, []byte("tres-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code := runCentral(t, "", "organisation", "notifications", "--db", dsn, "--organisation", o.org, "--email", "--smtp", "smtp.example.fr:587",
		"--smtp-user", "rdv", "--smtp-password-file", secret, "--from", "Mairie <rdv@mairie.example>")
	if code != 0 || !strings.Contains(out, "mot de passe enregistré") {
		t.Fatalf("organisation notifications: %d\n%s", code, out)
	}
	shown, code := runCentral(t, "", "organisation", "notifications", "--db", dsn, "--organisation", o.org)
	if code != 0 || strings.Contains(out+shown, "tres-secret") || !strings.Contains(shown, "E-mails : activés") {
		t.Fatalf("the settings as shown: %d\n%s%s", code, out, shown)
	}
	if out, code := runCentral(t, "", "organisation", "notifications", "--db", dsn, "--organisation", o.org, "--sms"); code != 1 || !strings.Contains(out, "fournisseur SMS") {
		t.Fatalf("SMS without a provider: %d\n%s", code, out)
	}
	if out, code := runCentral(t, "", "organisation", "retention", "--db", dsn, "--organisation", o.org, "--years", "11"); code != 1 || !strings.Contains(out, "entre 1 et 10 ans") {
		t.Fatalf("retention of 11 years: %d\n%s", code, out)
	}

	// Two offices: revoking one keeps the data, whatever --purge says.
	second, _ := newOffice(t, s, o, 0)
	if out, code := runCentral(t, "", "office", "revoke", "--db", dsn, "--id", second.id, "--purge", "--yes"); code != 1 || !strings.Contains(out, "révoqué") || !strings.Contains(out, "encore actifs (1)") {
		t.Fatalf("revoke --purge of one office of two: %d\n%s", code, out)
	}
	// The last one: the operator is asked, and a wrong answer deletes nothing.
	out, code = runCentral(t, "non\n", "office", "revoke", "--db", dsn, "--id", o.id, "--purge")
	if code != 0 || !strings.Contains(out, "1 rendez-vous, 2 usager(s)") || !strings.Contains(out, "Rien n’a été supprimé.") {
		t.Fatalf("revoke --purge answered « non »: %d\n%s", code, out)
	}
	if n := count(t, pg, "SELECT count(*) FROM usagers WHERE organisation_id = $1", o.org); n != 2 {
		t.Fatalf("%d usagers left after « non »", n)
	}
	out, code = runCentral(t, "SUPPRIMER\n", "office", "revoke", "--db", dsn, "--id", o.id, "--purge")
	if code != 0 || !strings.Contains(out, "Supprimé du serveur central : 1 rendez-vous, 2 usager(s)") {
		t.Fatalf("revoke --purge confirmed: %d\n%s", code, out)
	}
	for _, table := range []string{"usagers", "rdvs", "changes", "organisation_settings"} {
		if n := count(t, pg, "SELECT count(*) FROM "+table+" WHERE organisation_id = $1", o.org); n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	// Its token is refused, and there is nothing left to pull.
	if st, er := call(t, "GET", base+protocol.PathPull, o.token, nil, nil); st != 403 {
		t.Errorf("pull with the revoked token: %d %+v", st, er)
	}
}
