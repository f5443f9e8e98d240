package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
	"rdvguichet/sync/server"
	"rdvguichet/sync/testkit"
)

// An usager books on the organisation's pages (its address from « office list »), the RDV comes
// down to the office's file on the next sync; they cancel through their link, and the office
// sees it « excusé » after the following sync.
func TestOnlinePagesReachTheOffice(t *testing.T) {
	dsn := testkit.FreshDB(t)
	base := startCentral(t, dsn)
	file, org, token := registerOffice(t, dsn)
	syncOffice(t, file, base, token)
	link := bookOnPages(t, dsn, base, org, "Parlapage")

	if r, _ := syncOffice(t, file, base, token); r.Pulled < 2 || r.Conflicts != 0 {
		t.Fatalf("sync after the booking: %+v", r)
	}
	rdv := onlineRdv(t, file, org, "Parlapage")
	if rdv.Origine != agenda.OrigineEnLigne || rdv.Status != agenda.StatusUnknown {
		t.Fatalf("at the office: %+v", rdv)
	}

	if resp, err := noRedirect.PostForm(base+link+"/annuler", url.Values{}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %v %v", resp, err)
	}
	if r, _ := syncOffice(t, file, base, token); r.Pulled < 1 || r.Conflicts != 0 {
		t.Fatalf("sync after the cancellation: %+v", r)
	}
	if got := onlineRdv(t, file, org, "Parlapage"); got.ID != rdv.ID || got.Status != agenda.StatusExcused {
		t.Fatalf("after the cancellation, at the office: %s %s", got.ID, got.Status)
	}
}

// noRedirect is a client that reads the pages' redirections instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// bookOnPages books the first online slot of a motif that is not a collective session, for an
// usager named last, on the pages of the organisation (their address from « office list »), and
// returns the RDV's link, /r/<token>.
func bookOnPages(t testing.TB, dsn, base, org, last string) string {
	t.Helper()
	list := string(run(t, bin.central, "office", "list", "--db", dsn))
	slug := regexp.MustCompile(`/([a-z0-9-]+)/\n`).FindStringSubmatch(list)
	if slug == nil {
		t.Fatalf("office list shows no pages' address:\n%s", list)
	}
	pages := base + "/" + slug[1] + "/"
	if resp, err := http.Get(pages); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %v %v", pages, resp, err)
	}

	// The slot, as the pages' grid offers it (the JSON API reads the same en_ligne slots).
	api := base + server.PathPublic + org
	var motifs server.MotifsReply
	getJSON(t, api+"/motifs", &motifs)
	var m server.PublicMotif
	for _, x := range motifs.Motifs {
		if !x.Collectif {
			m = x
			break
		}
	}
	var slots server.CreneauxReply
	getJSON(t, fmt.Sprintf("%s/creneaux?motif=%s&days=%d", api, m.ID, server.MaxDays), &slots)
	if len(slots.Creneaux) == 0 {
		t.Fatalf("no online slot for %s", m.Name)
	}
	form := url.Values{"motif": {m.ID}, "lieu": {slots.Creneaux[0].LieuID}, "personnes": {"1"},
		"starts_at": {slots.Creneaux[0].Start.UTC().Format(time.RFC3339)},
		"prenom":    {"Inès"}, "nom": {last}, "email": {"ines@example.org"}, "rappels": {"oui"}}
	for i := range 3 { // ANTS motifs ask for numbers: give them
		form.Add("pd", fmt.Sprintf("AB12CD34E%d", i))
	}
	if resp, err := noRedirect.PostForm(pages+"coordonnees", form); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("summary: %v %v", resp, err)
	}
	resp, err := noRedirect.PostForm(pages+"confirmer", form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %v %v", resp, err)
	}
	link, _, _ := strings.Cut(resp.Header.Get("Location"), "?")
	return link
}

// onlineRdv reads, in the office's file, the RDV of the usager named last.
func onlineRdv(t testing.TB, file, org, last string) agenda.Rdv {
	t.Helper()
	db, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rdvs, err := db.ListRdvsBetween(ctx, time.Now().Add(-time.Hour), time.Now().Add(60*24*time.Hour), store.RdvFilter{OrganisationID: org, IncludeCancelled: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rdvs {
		for _, p := range r.Participations {
			if u, err := db.GetUsager(ctx, p.UsagerID); err == nil && u.LastName == last {
				return r
			}
		}
	}
	t.Fatalf("no RDV of %s in the office's file", last)
	return agenda.Rdv{}
}
