package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/client"
	"rdvguichet/sync/client/clienttest"
	"rdvguichet/sync/protocol"
)

// syncFile makes an office's file with an organisation, a lieu and an usager (3 ops to push).
func syncFile(t *testing.T) (path string, org agenda.Organisation) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "guichet.sqlite")
	db, err := store.Open(path, store.Options{Clock: fixedClock{tuesday}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if org, err = db.SaveOrganisation(ctx, agenda.Organisation{Name: "Mairie de Test", TimeZone: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveLieu(ctx, agenda.Lieu{OrganisationID: org.ID, Name: "Mairie", Street: "1 place", PostalCode: "75001", City: "Paris", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveUsager(ctx, agenda.Usager{OrganisationID: org.ID, FirstName: "Hélène", LastName: "Dupont"}); err != nil {
		t.Fatal(err)
	}
	return path, org
}

func TestSyncSummaryAndJSON(t *testing.T) {
	path, org := syncFile(t)
	c := clienttest.New("secret")
	srv := c.Server()
	defer srv.Close()
	u := protocol.UsagerV1{ID: "0190e7a4-5555-7000-8000-000000000001", OrganisationID: org.ID, LastName: "Martin"}
	c.Put(protocol.EntityUsager, protocol.OpUpsert, org.ID, u.ID, u)

	code, out, errs := runCLI(t, tuesday, "sync", "--db", path, "--server", srv.URL, "--token", "secret")
	// The feed holds the central's usager, then the office's 3 changes.
	if code != 0 || strings.TrimSpace(out) != "3 envoyés, 0 refusés, 4 reçus." {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	c.Put(protocol.EntityUsager, protocol.OpUpsert, org.ID, u.ID, u)
	// The server is remembered: --server may be left out.
	code, out, errs = runCLI(t, tuesday, "sync", "--db", path, "--token", "secret", "--json")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["pushed"] != 0.0 || got["rejected"] != 0.0 || got["pulled"] != 1.0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestSyncFailureIsCoded(t *testing.T) {
	path, _ := syncFile(t)
	c := clienttest.New("secret")
	srv := c.Server()
	defer srv.Close()
	code, out, _ := runCLI(t, tuesday, "sync", "--db", path, "--server", srv.URL, "--token", "wrong", "--json")
	var got struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &got) != nil || got.Error.Code != "token_unknown" || got.Error.Message == "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	srv.Close()
	code, _, errs := runCLI(t, tuesday, "sync", "--db", path, "--server", srv.URL, "--token", "secret")
	if code != 1 || !strings.Contains(errs, "indisponible") {
		t.Fatalf("unreachable: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := runCLI(t, tuesday, "sync", "--db", path, "--server", "ftp://x", "--token", "secret"); code != 2 {
		t.Fatalf("bad server: exit %d, %q", code, errs)
	}
	t.Setenv(envSyncToken, "")
	if code, _, errs := runCLI(t, tuesday, "sync", "--db", path, "--server", srv.URL); code != 2 || !strings.Contains(errs, "--token") {
		t.Fatalf("no token: exit %d, %q", code, errs)
	}
}

// Without --token nor the variable, the token saved in Paramètres › Serveur central is used.
func TestSyncUsesTheSavedToken(t *testing.T) {
	path, _ := syncFile(t)
	c := clienttest.New("secret")
	srv := c.Server()
	defer srv.Close()
	t.Setenv(envSyncToken, "")
	db, err := store.Open(path, store.Options{Clock: fixedClock{tuesday}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetSyncToken(t.Context(), "secret"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errs := runCLI(t, tuesday, "sync", "--db", path, "--server", srv.URL, "--json")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["pushed"] != 3.0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// A large first sync says where it stands on stderr.
func TestSyncProgress(t *testing.T) {
	var lines strings.Builder
	e := &env{stderr: &lines}
	p := syncProgress(e)
	p(client.Progress{Phase: "push", Done: 500, Total: 30000})
	p(client.Progress{Phase: "push", Done: 3, Total: 3})
	if lines.String() != "500/30000 changements envoyés\n" {
		t.Fatalf("%q", lines.String())
	}
}

func TestOrganisationCommand(t *testing.T) {
	path, org := syncFile(t)
	code, out, errs := runCLI(t, tuesday, "organisation", "--db", path)
	if code != 0 || strings.TrimSpace(out) != org.ID || !strings.Contains(errs, "Mairie de Test") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = runCLI(t, tuesday, "organisation", "--db", path, "--json")
	if code != 0 || !strings.Contains(out, `"id": "`+org.ID+`"`) {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
}
