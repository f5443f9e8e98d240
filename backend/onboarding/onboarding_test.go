package onboarding

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

func TestPlaceOf(t *testing.T) {
	for _, c := range []struct {
		postal, dep     string
		wantDep, wantTZ string
		note            string // a word the note must hold; "" for none
		ok              bool
	}{
		{"45130", "", "45", "Europe/Paris", "", true},
		{"57430", "", "57", "Europe/Paris", "Alsace-Moselle", true},
		{"67000", "", "67", "Europe/Paris", "Alsace-Moselle", true},
		{"68100", "", "68", "Europe/Paris", "Alsace-Moselle", true},
		{"97400", "", "974", "Indian/Reunion", "Réunion", true},
		{"97200", "", "972", "America/Martinique", "Martinique", true},
		{"97300", "", "973", "America/Cayenne", "Guyane", true},
		{"97600", "", "976", "Indian/Mayotte", "Mayotte", true},
		{"20000", "", "2A", "Europe/Paris", "", true},
		{"20200", "", "2B", "Europe/Paris", "", true},
		{"45130", "2a", "2A", "Europe/Paris", "", true}, // the département given wins
		{"", "", "", "", "", false},
		{"ABCDE", "", "", "", "", false},
	} {
		p, ok := PlaceOf(c.postal, c.dep)
		if ok != c.ok || p.Departement != c.wantDep || p.TimeZone != c.wantTZ || (c.note == "") != (p.Note == "") || !strings.Contains(p.Note, c.note) {
			t.Errorf("PlaceOf(%q, %q) = %+v, %v; want %s %s note %q", c.postal, c.dep, p, ok, c.wantDep, c.wantTZ, c.note)
		}
	}
}

func TestAgendaOrganisationZoneFromPostalCode(t *testing.T) {
	o := Organisation{Name: "Mairie de Saint-Denis", PostalCode: "97400"}.AgendaOrganisation()
	if o.TimeZone != "Indian/Reunion" || o.Holidays.Departement != "974" {
		t.Fatalf("got %s %s", o.TimeZone, o.Holidays.Departement)
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestPlagesFromWeeklyTable(t *testing.T) {
	wed := agenda.DateOf(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)) // a Wednesday
	counter := []agenda.Motif{{ID: "m"}}
	withOnline := []agenda.Motif{{ID: "m"}, {ID: "web", BookableOnline: true}}
	for _, c := range []struct {
		name   string
		h      Hours
		motifs []agenda.Motif
		want   []string // title start-end days first canal motifs
		errSub string
	}{
		{"both halves", Hours{Agenda: "DR", Morning: "08:30-12:00", Afternoon: "13:30-17:00",
			MorningDays: []string{"vendredi", "lundi", "Mardi"}, AfternoonDays: []string{"jeudi"}}, counter,
			[]string{"Matin 08:30-12:00 [1 2 5] 2026-12-04 guichet [m]", "Après-midi 13:30-17:00 [4] 2026-12-03 guichet [m]"}, ""},
		{"first day is today when ticked", Hours{Agenda: "DR", Morning: "09:00-12:00", MorningDays: []string{"mercredi"}}, counter,
			[]string{"Matin 09:00-12:00 [3] 2026-12-02 guichet [m]"}, ""},
		{"saturday morning only, afternoon without days", Hours{Agenda: "DR", Morning: "09:00-12:00", Afternoon: "14:00-17:00", MorningDays: []string{"samedi", "samedi"}}, counter,
			[]string{"Matin 09:00-12:00 [6] 2026-12-05 guichet [m]"}, ""},
		{"nothing ticked", Hours{Agenda: "DR", Morning: "09:00-12:00"}, counter, nil, ""},
		// The half-days sold online are the central's: out of the counter's plage, in a plage of
		// their own that offers only the motifs open online.
		{"tuesday afternoon online", Hours{Agenda: "DR", Morning: "09:00-12:00", Afternoon: "14:00-17:00",
			MorningDays: []string{"lundi", "mardi"}, AfternoonDays: []string{"lundi", "mardi"}, AfternoonOnlineDays: []string{"mardi"}}, withOnline,
			[]string{"Matin 09:00-12:00 [1 2] 2026-12-07 guichet [m web]", "Après-midi 14:00-17:00 [1] 2026-12-07 guichet [m web]",
				"Après-midi en ligne 14:00-17:00 [2] 2026-12-08 en_ligne [web]"}, ""},
		{"a whole half-day online", Hours{Agenda: "DR", Morning: "09:00-12:00", MorningDays: []string{"jeudi"}, MorningOnlineDays: []string{"jeudi"}}, withOnline,
			[]string{"Matin en ligne 09:00-12:00 [4] 2026-12-03 en_ligne [web]"}, ""},
		{"online on a closed day", Hours{Agenda: "DR", Morning: "09:00-12:00", MorningDays: []string{"lundi"}, MorningOnlineDays: []string{"mardi"}}, withOnline,
			nil, "mardi matin est vendu en ligne sans être ouvert"},
		{"online without a motif open online", Hours{Agenda: "DR", Morning: "09:00-12:00", MorningDays: []string{"lundi"}, MorningOnlineDays: []string{"lundi"}}, counter,
			nil, "aucun de ses motifs n’est ouvert en ligne"},
		{"bad times", Hours{Agenda: "DR", Morning: "12:00-09:00", MorningDays: []string{"lundi"}}, counter, nil, "n’est pas une plage horaire"},
		{"bad day", Hours{Agenda: "DR", Morning: "09:00-12:00", MorningDays: []string{"lundy"}}, counter, nil, "n’est pas un jour"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps, err := Plages(c.h, "org", "ag", "li", c.motifs, wed)
			if c.errSub != "" {
				if err == nil || !strings.Contains(err.Error(), c.errSub) {
					t.Fatalf("err = %v, want %q", err, c.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%s %s-%s %s %s %s %v", p.Title, p.Start, p.End, fmtDays(p.Recurrence.Weekdays), p.FirstDay, p.Canal, p.MotifIDs))
				if err := p.Validate(); err != nil {
					t.Errorf("plage %s invalide : %v", p.Title, err)
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("got %q\nwant %q", got, c.want)
			}
		})
	}
}

// The assistant proposes Monday to Friday at the first lieu; a table offering a motif open online
// sells its afternoons online; with a DR, the identity motifs go to the DR. A motif open online that no half-day sells online is refused.
func TestDefaultHoursAndOnlineUnsold(t *testing.T) {
	cni, _ := Template("cni")
	pass, _ := Template("passeport")
	c := Config{Lieux: []Lieu{{Name: "Mairie"}}, Agendas: []Agenda{{Name: "DR"}}, Motifs: []Motif{cni, pass}}
	h := c.DefaultHours()
	if len(h) != 1 || h[0].Lieu != "Mairie" || len(h[0].Motifs) != 2 || len(h[0].MorningDays) != 5 || len(h[0].AfternoonOnlineDays) != 0 {
		t.Fatalf("counter only: %+v", h)
	}
	if unsold := OnlineUnsold(h, []string{"Passeport"}); len(unsold) != 1 {
		t.Fatalf("a motif open online, no half-day online: unsold %v", unsold)
	}
	c.Motifs[1].Channels.EnLigne = true
	h = c.DefaultHours()
	if len(h[0].AfternoonOnlineDays) != 5 || len(h[0].MorningOnlineDays) != 0 {
		t.Fatalf("online: %+v", h)
	}
	if unsold := OnlineUnsold(h, []string{"Passeport"}); len(unsold) != 0 {
		t.Fatalf("unsold %v", unsold)
	}
	// With a DR, the identity motifs are proposed on the DR only; the retrait, without ANTS
	// category, on the agent too; an agent offering no motif open online sells nothing online.
	retrait, _ := Template("retrait-titre")
	dr := Config{Lieux: c.Lieux, Agendas: []Agenda{{Name: "Sophie", Kind: "agent"}, {Name: "DR", Kind: "guichet"}}, Motifs: []Motif{cni, c.Motifs[1], retrait}}
	h = dr.DefaultHours()
	if got := fmt.Sprint(h[0].Motifs, h[0].AfternoonOnlineDays, h[1].Motifs, len(h[1].AfternoonOnlineDays)); got != "[Retrait de titre] [] [Carte d’identité Passeport Retrait de titre] 5" {
		t.Fatalf("with a DR: %s", got)
	}
	c.Hours = []Hours{{Agenda: "DR", Lieu: "Mairie", Morning: "09:00-12:00", MorningDays: []string{"lundi"}}}
	c.Agendas[0] = Agenda{Name: "DR", Kind: "agent", Login: "a", Password: "p"}
	c.Organisation.Name = "X"
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "« Passeport » est ouvert en ligne, mais aucune demi-journée ne le vend en ligne") {
		t.Fatalf("check: %v", err)
	}
}

func fmtDays(d []time.Weekday) string {
	var s []string
	for _, w := range d {
		s = append(s, string(rune('0'+int(w))))
	}
	return "[" + strings.Join(s, " ") + "]"
}

func TestTemplatesAreValidMotifs(t *testing.T) {
	for _, g := range Groups {
		for _, m := range g.Motifs {
			if m.Template == "vide" {
				continue // its name is the user's to write
			}
			if err := m.AgendaMotif("org").Validate(); err != nil {
				t.Errorf("%s / %s : %v", g.ID, m.Template, err)
			}
		}
	}
}

func TestExpandKeepsWhatTheFileChanged(t *testing.T) {
	m, err := Motif{Template: "passeport", DurationMin: 25}.Expand()
	if err != nil || m.Name != "Passeport" || m.DurationMin != 25 || m.AntsCategory != "PASSPORT" || !m.Channels.Borne || len(m.Pieces) != 5 {
		t.Fatalf("got %+v, %v", m, err)
	}
	if _, err := (Motif{Template: "cni2"}).Expand(); err == nil || !strings.Contains(err.Error(), "cni2") {
		t.Fatalf("unknown template: %v", err)
	}
}

func TestReadExample(t *testing.T) {
	f, err := os.Open("../../docs/exemples/init-mairie.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lieux) != 1 || len(c.Agendas) != 3 || len(c.Motifs) != 4 || c.Motifs[0].AntsCategory != "CNI" || !c.Motifs[0].Channels.Borne {
		t.Fatalf("got %+v", c)
	}
	if o := c.Organisation.AgendaOrganisation(); o.Holidays.Departement != "57" {
		t.Fatalf("département %q", o.Holidays.Departement)
	}
}

func TestReadRefusesIncompleteConfig(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"organisation":{"name":"X"},"lieux":[],"agendas":[]}`, "au moins un lieu"},
		{`{"organisation":{"name":"X"},"lieux":[{"name":"M"}],"agendas":[{"name":"DR","kind":"guichet"}]}`, "administrateur"},
		{`{"organisation":{"name":"X"},"lieux":[{"name":"M"}],"agendas":[{"name":"A","kind":"agent","login":"a","password":"p"}],"horaires":[{"agenda":"B","lieu":"M"}]}`, "« B » n’existe pas"},
		{`{"organisation":{"name":"X"},"lieu":[]}`, "illisible"},
	} {
		_, err := Read(strings.NewReader(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.json, err, c.want)
		}
	}
}
