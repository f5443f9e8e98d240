// Package notifytest holds the test doubles of the notification providers that several
// packages' tests share: a real SMTP server in the process (emersion/go-smtp), which keeps what
// it receives. The office's sender (backend/notify) and the central's (sync/server/sender) are
// tested against it.
package notifytest

import (
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPServer is an in-process SMTP server that keeps the messages it receives.
type SMTPServer struct {
	mu       sync.Mutex
	messages []Received
	user     string
	pass     string
	// Reject, when set, refuses a recipient (RCPT TO) with the error it returns.
	Reject func(rcpt string) error
	// Addr is where it listens (127.0.0.1:port).
	Addr string
}

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Messages returns the messages received so far.
func (srv *SMTPServer) Messages() []Received {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return append([]Received(nil), srv.messages...)
}

// HostPort returns the server's host and port.
func (srv *SMTPServer) HostPort() (string, int) {
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	return host, p
}

type session struct {
	srv  *SMTPServer
	cur  Received
	auth bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.srv.user || password != s.srv.pass {
			return errors.New("invalid credentials")
		}
		s.auth = true
		return nil
	}), nil
}
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.user != "" && !s.auth {
		return smtp.ErrAuthRequired
	}
	s.cur = Received{From: from}
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.Reject != nil {
		if err := s.srv.Reject(to); err != nil {
			return err
		}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, s.cur)
	s.srv.mu.Unlock()
	return nil
}
func (s *session) Reset()        { s.cur = Received{} }
func (s *session) Logout() error { return nil }

// StartSMTP starts a server on a free loopback port, requiring PLAIN authentication as user
// and pass when user is not empty; it stops at the end of the test.
func StartSMTP(t testing.TB, user, pass string) *SMTPServer {
	t.Helper()
	srv := &SMTPServer{user: user, pass: pass}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{srv: srv}, nil }))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Addr = l.Addr().String()
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return srv
}
