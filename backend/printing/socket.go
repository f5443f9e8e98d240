package printing

import (
	"context"
	"net"
	"time"

	"rdvguichet/backend/agenda"
)

// Socket sends raw bytes to a network printer's "JetDirect" port (TCP 9100), which nearly every
// thermal printer with an Ethernet port offers. There is no spooler: the job is printed when the
// connection closes without error.
type Socket struct {
	Addr    string        // host:port; the port defaults to 9100
	Timeout time.Duration // dial and write; 0 = 10 s
}

// Print sends a raw document; PDFs are refused (a thermal printer would print them as garbage).
func (s Socket) Print(ctx context.Context, doc Document) error {
	const op = "printing.Socket"
	if err := checkDoc(op, doc); err != nil {
		return err
	}
	if doc.Kind != Raw {
		return agenda.Errorf(op, agenda.Invalid, "une imprimante réseau en port 9100 reçoit des données brutes (ESC/POS), pas un PDF")
	}
	addr := s.Addr
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return agenda.Errorf(op, agenda.Unavailable, "imprimante %s injoignable : %v", addr, err)
	}
	defer conn.Close()
	// Bound a printer that accepts the connection and then stops reading (paper out): when the
	// context ends, a deadline in the past aborts the blocked write.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.Write(doc.Data); err != nil {
		return agenda.Errorf(op, agenda.Unavailable, "envoi à l’imprimante %s interrompu : %v", addr, err)
	}
	if err := conn.Close(); err != nil {
		return agenda.Errorf(op, agenda.Unavailable, "envoi à l’imprimante %s interrompu : %v", addr, err)
	}
	return nil
}
