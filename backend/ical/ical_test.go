package ical

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"rdvguichet/backend/demo"
	"rdvguichet/backend/internal/golden"
	"rdvguichet/backend/store"
)

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// stamp is the injected clock's reading: DTSTAMP.
var stamp = time.Date(2026, 3, 20, 14, 5, 0, 0, time.UTC)

// sample is an RDV in the DST week: Monday 30 March 2026 at 9:00 in Paris (CEST, +02:00), the day
// after the change.
func sample() Rdv {
	start := time.Date(2026, 3, 30, 9, 0, 0, 0, paris)
	return Rdv{
		ID: "019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b", Version: 1,
		Start: start.UTC(), End: start.Add(20 * time.Minute).UTC(),
		Motif:    "Passeport",
		Location: "Mairie, 1 place de la Mairie, 45130 Saint-Aubin-sur-Loire",
		Pieces: []string{"Photo d'identité de moins de 6 mois (35 × 45 mm)",
			"Timbre fiscal : 86 € (majeur), 42 € (15–17 ans), 17 € (moins de 15 ans)"},
		Instructions: "Présentez-vous 10 minutes avant l'heure du rendez-vous.",
		Organisation: Person{Name: "Mairie de Saint-Aubin-sur-Loire", Email: "accueil@saint-aubin-sur-loire.fr"},
		Phone:        "02 38 00 00 00",
		Usager:       Person{Name: "Élodie Lefèvre", Email: "elodie.lefevre@exemple.fr"},
		Persons:      1,
	}
}

func invite(t *testing.T, r Rdv) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	method, err := Invite(&buf, r, paris, stamp)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), method
}

// TestLifecycle: create (REQUEST, SEQUENCE 1), move (SEQUENCE 2, new times), cancel (CANCEL,
// STATUS:CANCELLED, SEQUENCE 3), all with the same UID; each matches its golden file and parses
// back with go-ical.
func TestLifecycle(t *testing.T) {
	created := sample()
	moved := sample()
	moved.Version = 2
	moved.Start = moved.Start.Add(2 * time.Hour)
	moved.End = moved.End.Add(2 * time.Hour)
	cancelled := moved
	cancelled.Version = 3
	cancelled.Cancelled = true

	for _, tc := range []struct {
		file, method, status string
		rdv                  Rdv
		seq                  string
		start                string
	}{
		{"create.ics", MethodRequest, "CONFIRMED", created, "1", "2026-03-30 09:00 +0200"},
		{"update.ics", MethodRequest, "CONFIRMED", moved, "2", "2026-03-30 11:00 +0200"},
		{"cancel.ics", MethodCancel, "CANCELLED", cancelled, "3", "2026-03-30 11:00 +0200"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, method := invite(t, tc.rdv)
			golden.Check(t, tc.file, data)
			if method != tc.method {
				t.Fatalf("method %s, want %s", method, tc.method)
			}
			for _, line := range strings.Split(string(data), "\r\n") {
				if len(line) > 75 {
					t.Errorf("line longer than 75 octets: %q", line)
				}
			}
			cal, err := goical.NewDecoder(bytes.NewReader(data)).Decode()
			if err != nil {
				t.Fatal(err)
			}
			if m, _ := cal.Props.Text(goical.PropMethod); m != tc.method {
				t.Errorf("METHOD %q", m)
			}
			evs := cal.Events()
			if len(evs) != 1 {
				t.Fatalf("%d events", len(evs))
			}
			ev := evs[0]
			get := func(name string) string {
				p := ev.Props.Get(name)
				if p == nil {
					return ""
				}
				return p.Value
			}
			if uid, _ := ev.Props.Text(goical.PropUID); uid != "rdv-019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b@rdv-guichet" {
				t.Errorf("UID %q", uid)
			}
			if get(goical.PropSequence) != tc.seq || get(goical.PropStatus) != tc.status {
				t.Errorf("SEQUENCE %s STATUS %s", get(goical.PropSequence), get(goical.PropStatus))
			}
			start, err := ev.DateTimeStart(nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := start.Format("2006-01-02 15:04 -0700"); got != tc.start {
				t.Errorf("DTSTART %s, want %s", got, tc.start)
			}
			if p := ev.Props.Get(goical.PropDateTimeStart); p.Params.Get(goical.PropTimezoneID) != "Europe/Paris" {
				t.Errorf("DTSTART without TZID=Europe/Paris: %v", p)
			}
			desc, _ := ev.Props.Text(goical.PropDescription)
			if tc.method != MethodCancel && (!strings.Contains(desc, "Timbre fiscal : 86 €") || !strings.Contains(desc, "Pour annuler ou déplacer")) {
				t.Errorf("DESCRIPTION %q", desc)
			}
			att := ev.Props.Get(goical.PropAttendee)
			if att == nil || att.Params.Get(goical.ParamCommonName) != "Élodie Lefèvre" || att.Params.Get(goical.ParamRSVP) != "TRUE" ||
				att.Params.Get(goical.ParamRole) != "REQ-PARTICIPANT" || att.Params.Get(goical.ParamParticipationStatus) != "NEEDS-ACTION" {
				t.Errorf("ATTENDEE %+v", att)
			}
			if ev.Props.Get(goical.PropOrganizer) == nil {
				t.Error("no ORGANIZER")
			}
			alarms := 0
			for _, c := range ev.Children {
				if c.Name == goical.CompAlarm {
					alarms++
				}
			}
			if (alarms == 1) == (tc.method == MethodCancel) {
				t.Errorf("%d VALARM for %s", alarms, tc.method)
			}
			python(t, data, tc.method, tc.start, tc.status, tc.seq)
		})
	}
}

// python parses the file with Debian's python3-icalendar, an independent parser, and checks the
// wall-clock time it computes with the VTIMEZONE and zone name.
func python(t *testing.T, data []byte, method, start, status, seq string) {
	t.Helper()
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Log("python3 absent: python3-icalendar check skipped")
		return
	}
	if exec.Command(py, "-c", "import icalendar").Run() != nil {
		t.Log("python3-icalendar absent (apt-get install python3-icalendar): check skipped")
		return
	}
	const script = `
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
tz = [c for c in cal.walk('VTIMEZONE')]
assert len(tz) == 1 and str(tz[0]['TZID']) == 'Europe/Paris', tz
ev = cal.walk('VEVENT')[0]
s = ev.decoded('DTSTART')
print(str(cal['METHOD']), s.strftime('%Y-%m-%d %H:%M %z'), str(ev['STATUS']), int(ev['SEQUENCE']), ev.decoded('DTEND') - s)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3-icalendar: %v\n%s", err, out)
	}
	want := method + " " + start + " " + status + " " + seq + " 0:20:00"
	if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("python3-icalendar read %q, want %q", got, want)
	}
}

func TestPublishWithoutEmail(t *testing.T) {
	r := sample()
	r.Usager.Email = ""
	data, method := invite(t, r)
	if method != MethodPublish || bytes.Contains(data, []byte("ATTENDEE")) {
		t.Fatalf("without e-mail: %s\n%s", method, data)
	}
}

func TestVTimezone(t *testing.T) {
	var buf bytes.Buffer
	cal := newCalendar(MethodPublish)
	cal.Children = append(cal.Children, vtimezone(paris, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err := encode(&buf, cal); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT",
		"BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Europe/Paris VTIMEZONE lacks\n%s\n\ngot:\n%s", want, buf.String())
		}
	}
	// Overseas zones: no DST, one STANDARD; Saint-Pierre-et-Miquelon follows North America.
	for name, want := range map[string][]string{
		"Indian/Reunion":   {"TZOFFSETFROM:+0400\r\nTZOFFSETTO:+0400"},
		"America/Miquelon": {"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"},
	} {
		var b bytes.Buffer
		cal := newCalendar(MethodPublish)
		cal.Children = append(cal.Children, vtimezone(mustLoc(name), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))
		if err := encode(&b, cal); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: lacks %q:\n%s", name, w, b.String())
			}
		}
	}
}

func TestFold(t *testing.T) {
	long := "DESCRIPTION:" + strings.Repeat("é", 100) + "\r\n"
	got := string(fold([]byte(long)))
	for _, l := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(l) > 75 || !strings.HasPrefix(l, "DESCRIPTION") && !strings.HasPrefix(l, " ") {
			t.Fatalf("bad fold %q", l)
		}
	}
	if strings.ReplaceAll(got, "\r\n ", "") != long {
		t.Fatal("unfolding does not give the line back")
	}
}

// TestAgentFeed builds a demo agent's feed: RDVs from a month back, cancelled ones kept, and no
// usager's name, phone or e-mail anywhere.
func TestAgentFeed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.sqlite")
	// Not across a DST change: demo.Create then fails today (« en dehors des plages
	// d'ouverture »), reported to the demo's owner.
	now := time.Date(2026, 5, 20, 10, 0, 0, 0, paris)
	if _, err := demo.Create(ctx, path, now, 45); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	orgs, err := db.ListOrganisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	agents, err := db.ListAgents(ctx, orgs[0].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range agents {
		rdvs, name, loc, err := AgentFeed(ctx, db, a.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		// The same RDVs, in the same order, as the store's own agent filter.
		want, err := db.ListRdvsBetween(ctx, now.Add(-FeedHistory), now.Add(FeedHorizon), store.RdvFilter{AgentID: a.ID, IncludeCancelled: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != len(rdvs) {
			t.Fatalf("%s: %d RDVs in the feed, %d for the store's agent filter", a.Name, len(rdvs), len(want))
		}
		for i := range want {
			if rdvs[i].ID != want[i].ID {
				t.Fatalf("%s: RDV %d is %s, the store's agent filter says %s", a.Name, i, rdvs[i].ID, want[i].ID)
			}
		}
		var buf bytes.Buffer
		if err := Feed(&buf, name, rdvs, loc, now); err != nil {
			t.Fatal(err)
		}
		cal, err := goical.NewDecoder(bytes.NewReader(buf.Bytes())).Decode()
		if err != nil {
			t.Fatal(err)
		}
		events, cancelled := cal.Events(), 0
		if len(events) != len(rdvs) || len(rdvs) == 0 {
			t.Fatalf("%s: %d events for %d RDVs", a.Name, len(events), len(rdvs))
		}
		for _, ev := range events {
			s, err := ev.DateTimeStart(loc)
			if err != nil {
				t.Fatal(err)
			}
			if s.Before(now.Add(-FeedHistory)) {
				t.Errorf("event of %v, older than a month", s)
			}
			if st, _ := ev.Status(); st == goical.EventCancelled {
				cancelled++
			}
		}
		if cancelled == 0 {
			t.Errorf("%s: no cancelled RDV kept", a.Name)
		}
		// No usager data: check every usager of the RDVs.
		for _, r := range rdvs {
			full, err := db.GetRdv(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range full.Participations {
				u, err := db.GetUsager(ctx, p.UsagerID)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range []string{u.FirstName + " " + u.LastName, u.Email, u.Phone, u.Phone[min(len(u.Phone), 3):]} {
					if v != "" && bytes.Contains(buf.Bytes(), []byte(v)) {
						t.Fatalf("%s: the feed contains usager data %q", a.Name, v)
					}
				}
			}
		}
		python := exec.Command("/usr/bin/python3", "-c", "import sys, icalendar; c = icalendar.Calendar.from_ical(sys.stdin.buffer.read()); print(len(c.walk('VEVENT')))")
		python.Stdin = bytes.NewReader(buf.Bytes())
		if out, err := python.Output(); err == nil && strings.TrimSpace(string(out)) != itoa(len(rdvs)) {
			t.Errorf("python3-icalendar counts %s events", out)
		}
	}
	// An invitation straight from the store.
	rdvs, _, _, err := AgentFeed(ctx, db, agents[0].ID, now)
	if err != nil {
		t.Fatal(err)
	}
	r, loc, err := FromStore(ctx, db, rdvs[len(rdvs)-1].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Invite(&buf, r, loc, now); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
