package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/clock"
	"rdvguichet/backend/notify"
	"rdvguichet/backend/notify/notifytest"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server/notifier"
	"rdvguichet/sync/server/pgstore"
	"rdvguichet/sync/testkit"

	"github.com/prometheus/client_golang/prometheus"
)

// messagingCentral is a central of two processes (two stores and two notifiers on one database)
// with an office whose settings are pushed, and the organisation's notifications going to a
// real SMTP server in the process and to the journal SMS provider (a file).
type messagingCentral struct {
	stores    [2]*pgstore.Store
	notifiers [2]*notifier.Notifier
	metrics   [2]*prometheus.Registry
	base      string
	office    *office
	clock     *clock.Manual
	smtp      *notifytest.SMTPServer
	journal   string
	logs      *bytes.Buffer
}

func newMessagingCentral(t *testing.T, now time.Time) *messagingCentral {
	t.Helper()
	dsn := testkit.FreshDB(t)
	m := &messagingCentral{clock: clock.NewManual(now), smtp: notifytest.StartSMTP(t, "rdv", "s3cret"),
		journal: filepath.Join(t.TempDir(), "sms.txt"), logs: &bytes.Buffer{}}
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: m.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for i := range m.stores {
		s, err := pgstore.Open(context.Background(), dsn, m.clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		m.stores[i] = s
		m.metrics[i] = prometheus.NewRegistry()
		m.notifiers[i] = &notifier.Notifier{Store: s, Clock: m.clock, Logger: logger, Registerer: m.metrics[i]}
	}
	ts := httptest.NewServer(New(Config{Store: m.stores[0], Rate: -1, PublicRate: -1, Logger: logger}))
	t.Cleanup(ts.Close)
	m.base = ts.URL
	for _, n := range m.notifiers {
		n.PublicURL = ts.URL
	}
	o, ops := newOffice(t, m.stores[0], nil, 1)
	mustPush(t, ts.URL, o.token, ops)
	m.office = o
	set := notify.DefaultSettings()
	set.EmailEnabled, set.SMSEnabled = true, true
	host, port := m.smtp.HostPort()
	set.SMTP = notify.SMTPSettings{Host: host, Port: port, TLS: "none", Username: "rdv", Password: "s3cret", From: "Mairie de Test <rdv@mairie.example>"}
	set.SMS = notify.SMSSettings{Provider: "journal", Journal: m.journal, Sender: "Mairie"}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.stores[0].SetNotificationSettings(context.Background(), o.org, b); err != nil {
		t.Fatal(err)
	}
	return m
}

// send runs both processes' notifiers at once, at instant at.
func (m *messagingCentral) send(at time.Time) {
	m.clock.Set(at)
	var wg sync.WaitGroup
	for _, n := range m.notifiers {
		wg.Go(func() { n.RunOnce(context.Background()) })
	}
	wg.Wait()
}

// sent returns the subjects of the e-mails and the number of SMS that left so far.
func (m *messagingCentral) sent(t *testing.T) ([]string, int) {
	t.Helper()
	var subjects []string
	for _, r := range m.smtp.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, subject)
	}
	b, err := os.ReadFile(m.journal)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return subjects, strings.Count(string(b), "SMS → ")
}

// counted sums, over both processes, the messages counted with result on channel.
func (m *messagingCentral) counted(t *testing.T, channel, result string) float64 {
	t.Helper()
	sum := 0.0
	for _, reg := range m.metrics {
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			for _, metric := range f.GetMetric() {
				labels := map[string]string{}
				for _, l := range metric.GetLabel() {
					labels[l.GetName()] = l.GetValue()
				}
				if f.GetName() == "rdv_central_notifications_total" && labels["channel"] == channel && labels["result"] == result {
					sum += metric.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}

// The messages of an online booking leave from the central, once each, whatever the number of
// processes: its confirmation, its reminder, and the modification when the office moves it at
// the counter. The office's own booking, pushed to the central, gets nothing from the central.
func TestOnlineMessagesLeaveFromTheCentral(t *testing.T) {
	saturday := day.AddDays(-3)
	m := newMessagingCentral(t, at(saturday, 10, 0))
	o := m.office
	st, data := publicCall(t, http.DefaultClient, http.MethodPost, m.base+PathPublic+o.org+"/rdvs", o.bookOnline(at(day, 14, 0), "Adèle"))
	if st != http.StatusCreated {
		t.Fatalf("online booking: %d %s", st, data)
	}
	booked := decode[BookReply](t, data)

	m.send(at(saturday, 10, 1))
	subjects, sms := m.sent(t)
	if len(subjects) != 1 || sms != 1 {
		t.Fatalf("after the booking: e-mails %q, %d SMS; want one confirmation on each channel\n%s", subjects, sms, m.logs)
	}
	// The confirmation carries the usager's own link, which opens the RDV's page at the central.
	journal, err := os.ReadFile(m.journal)
	if err != nil {
		t.Fatal(err)
	}
	link := m.base + "/r/" + booked.CancelToken
	if !strings.Contains(string(journal), link) {
		t.Fatalf("the confirmation SMS has no link %s:\n%s", link, journal)
	}
	if res, err := http.Get(link); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the link of the message: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	m.send(at(saturday, 10, 2)) // nothing more is due
	m.send(at(day.AddDays(-2), 14, 0))
	if subjects, sms = m.sent(t); len(subjects) != 2 || sms != 2 {
		t.Fatalf("after the reminder's hour: e-mails %q, %d SMS; want confirmation and reminder", subjects, sms)
	}

	// The office books its own RDV and moves the online one to a slot of its counter.
	own, _ := o.book(t, at(day, 9, 0), 0)
	rdv, err := m.stores[0].GetRdv(context.Background(), booked.ID)
	if err != nil {
		t.Fatal(err)
	}
	moved := rdv
	moved.StartsAt, moved.EndsAt, moved.Version = at(day, 10, 0), at(day, 10, 30), rdv.Version+1
	mustPush(t, m.base, o.token, []protocol.Op{own, mkop(t, o.org, protocol.EntityRdv, protocol.OpMove, rdv.ID, rdv.Version, protocol.FromRdv(moved))})
	m.send(at(day.AddDays(-2), 15, 0))
	// The planner's rules, as at the office: the modification, and the reminder of the new time
	// (due at once: it is less than 48 hours away).
	subjects, sms = m.sent(t)
	modified := 0
	for _, s := range subjects {
		if strings.HasSuffix(s, "modifié") {
			modified++
		}
	}
	if len(subjects) != 4 || sms != 4 || modified != 1 {
		t.Fatalf("after the move at the counter: e-mails %q, %d SMS; want a modification and a reminder on each channel", subjects, sms)
	}
	var n int
	if err := m.stores[0].Pool().QueryRow(context.Background(), "SELECT count(*) FROM notifications WHERE rdv_id = $1", own.EntityID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the central planned %d messages for the office's booking (%v)", n, err)
	}
	// Every message sent has its receipt in the feed: the office shows them in the RDV's messages.
	feed, _ := pullAll(t, []string{m.base}, o.token, "", protocol.MaxPull, feedSize(t, m.stores[0].Pool(), o.org))
	receipts := 0
	for _, c := range feed {
		if c.Entity == protocol.EntityReceipt {
			receipts++
		}
	}
	if receipts != 8 {
		t.Errorf("%d receipts in the feed, want 8", receipts)
	}
	if e, s := m.counted(t, "email", "sent"), m.counted(t, "sms", "sent"); e != 4 || s != 4 {
		t.Errorf("metrics: %v e-mails and %v SMS sent, want 4 and 4", e, s)
	}
	for _, secret := range []string{"Adèle", "Secret", "example.org", "612345678", "s3cret"} {
		if strings.Contains(m.logs.String(), secret) {
			t.Fatalf("the logs hold %q:\n%s", secret, m.logs)
		}
	}
}
