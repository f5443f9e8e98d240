package principal_test

import (
	"context"
	"fmt"
	"testing"

	"rdvguichet/app"
	"rdvguichet/backend/store"
)

// BenchmarkKioskBooking is a kiosk's booking (the booking, its convocation, its ticket) made in
// the principal's process, then from a borne through the postes' network layer on loopback (TLS,
// credential, idempotency key recorded, ticket captured and printed on the poste). Issue 12 asks
// for less than 20 ms more. Each booking takes another free time: run with -benchtime=Nx, N below
// the number of free times (docs/benchmarks.md).
func BenchmarkKioskBooking(b *testing.B) {
	ticket := app.PrinterSettings{TicketKind: app.TicketSocket, TicketAddr: "192.168.1.77"}
	b.Run("en-processus", func(b *testing.B) {
		s, db := localOffice(b)
		// The kiosk's services with the same printing settings, the ticket recorded, without the
		// network (the poste's window only lists the free times).
		r, _ := remotePoste(b, s, db, store.RoleBorne, ticket)
		rec := &printed{}
		services := app.New(db, fixedClock{now}, nil).ForCall(context.Background(), ticket,
			func(app.PrinterSettings) app.Printers { return app.Printers{A4: rec, Ticket: rec} })
		book := func(req app.KioskBookRequest) (app.KioskBookResult, error) { return services.Kiosk.Book(req) }
		benchBookings(b, r, book)
	})
	b.Run("poste-en-boucle-locale", func(b *testing.B) {
		s, db := localOffice(b)
		r, _ := remotePoste(b, s, db, store.RoleBorne, ticket)
		book := func(req app.KioskBookRequest) (res app.KioskBookResult, err error) {
			err = remoteCall(b, r, &res, "app.KioskService.Book", req)
			return res, err
		}
		benchBookings(b, r, book)
	})
}

// benchBookings books b.N different free times with book, timing the bookings only.
func benchBookings(b *testing.B, r *app.RemoteService, book func(app.KioskBookRequest) (app.KioskBookResult, error)) {
	m, _ := firstKioskTime(b, r)
	var times []app.KioskTime
	var days []app.KioskDay
	if err := remoteCall(b, r, &days, "app.KioskService.Days", m.ID, 1); err != nil {
		b.Fatal(err)
	}
	for _, d := range days {
		var ts []app.KioskTime
		if err := remoteCall(b, r, &ts, "app.KioskService.Times", m.ID, d.Date, 1); err != nil {
			b.Fatal(err)
		}
		times = append(times, ts...)
	}
	if b.N > len(times) {
		b.Fatalf("%d bookings asked, %d free times: use -benchtime=%dx", b.N, len(times), len(times))
	}
	b.ResetTimer()
	for i := range b.N {
		res, err := book(kioskRequest(m.ID, times[i], fmt.Sprintf("BANC%d", i)))
		if err != nil || res.Ticket == nil {
			b.Fatalf("booking %d: %+v %v", i, res, err)
		}
	}
}
