// Package notifier sends, from rdv-central, the messages of the RDVs that leave from the central
// (reminders.SiteOf: online bookings): confirmations, modifications, reminders, cancellations.
// It is the office's sender (backend/notify: the same re-checks at send time, the same SMTP and
// SMS providers, at most once) over the central's outbox (pgstore.Outbox), one organisation at a
// time, with the settings each organisation has at the central (`rdv-central organisation
// notifications`).
//
// Several rdv-central processes may run it on one database: a message is claimed under a row
// lock taken with SKIP LOCKED and committed before it leaves, so one process sends it and the
// others skip it; a process killed between sending and recording leaves it « uncertain », never
// sent twice (ADR 0003).
package notifier

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/notify"
	"rdvguichet/sync/server/pgstore"

	"github.com/prometheus/client_golang/prometheus"
)

// Notifier sends the due messages of every organisation that has notification settings.
type Notifier struct {
	Store  *pgstore.Store
	Clock  agenda.Clock
	Logger *slog.Logger // nil: discard
	// SMS and Mail, when set (tests), replace the providers the organisations' settings name.
	SMS  notify.Provider
	Mail notify.Mailer
	// PublicURL is the central's public address (serve --public-url): the messages link to the
	// usager's page /r/<token> there, unless the organisation's settings name another address.
	PublicURL string
	// Registerer, when set, receives rdv_central_notifications_total{channel, result}.
	Registerer prometheus.Registerer

	once    sync.Once
	counted *prometheus.CounterVec
}

// count counts the sender's actions by channel and result (never by organisation or recipient).
func (n *Notifier) count(acts []notify.Action) {
	n.once.Do(func() {
		if n.Registerer == nil {
			return
		}
		n.counted = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rdv_central_notifications_total",
			Help: "Messages of online bookings handled by the sender, by channel and result (sent, retry, failed, cancelled, uncertain, deferred, busy)."},
			[]string{"channel", "result"})
		n.Registerer.MustRegister(n.counted)
	})
	if n.counted == nil {
		return
	}
	for _, a := range acts {
		n.counted.WithLabelValues(a.Channel, a.Result).Inc()
	}
}

// Run sends what is due every interval until ctx ends, starting at once.
func (n *Notifier) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce visits every organisation with notification settings once and returns the actions of
// its senders. An organisation whose round fails is logged and the others go on.
func (n *Notifier) RunOnce(ctx context.Context) []notify.Action {
	orgs, err := n.Store.NotifyingOrganisations(ctx)
	if err != nil {
		n.logger().Error("notifications: organisations unreadable", "error", err.Error())
		return nil
	}
	var all []notify.Action
	for _, o := range orgs {
		if ctx.Err() != nil {
			break
		}
		acts, err := n.organisation(ctx, o)
		n.count(acts)
		all = append(all, acts...)
		if err != nil && ctx.Err() == nil {
			n.logger().Error("notifications: round failed", "organisation", o.OrganisationID, "error", notify.Redact(err.Error()))
		}
	}
	return all
}

// organisation runs one round of the sender of one organisation.
func (n *Notifier) organisation(ctx context.Context, o pgstore.OrganisationSettings) ([]notify.Action, error) {
	set, err := notify.ParseSettings(o.Notifications)
	if err != nil {
		return nil, err
	}
	if set.CentralURL == "" {
		set.CentralURL = n.PublicURL
	}
	s := notify.Sender{DB: n.Store.Outbox(o.OrganisationID), Clock: n.Clock, Settings: &set, SMS: n.SMS, Mail: n.Mail,
		Log: logWriter{n.logger().With("organisation", o.OrganisationID)}}
	return s.RunOnce(ctx)
}

func (n *Notifier) logger() *slog.Logger {
	if n.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return n.Logger
}

// logWriter turns the sender's lines (ids, events, results and redacted details: no name, no
// address, no phone number) into structured log records.
type logWriter struct{ l *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.l.Info(strings.TrimSpace(string(p)))
	return len(p), nil
}
