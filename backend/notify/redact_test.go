package notify

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// issue 10, #11: the sender's log names messages, RDVs and usagers by id: no phone number and no
// e-mail address, not even inside a provider's error that quotes the recipient. The test
// captures the log of a round that sends an SMS and an e-mail and of one where the provider
// refuses the number. On today's code each line carries the recipient.
func TestSenderLogsNoContact(t *testing.T) {
	w := newWorld(t)
	var log bytes.Buffer
	w.sender.Log = &log
	r := w.book(t, day(10, 10, 0))
	if acts := w.at(t, day(2, 10, 0)); len(acts) == 0 {
		t.Fatal("nothing sent")
	}
	w.sms.fail = func(m SMS) error {
		return &Failure{Kind: Permanent, Err: errors.New("destinataire " + m.To + " (06 12 34 56 78) refusé, écrire à helene.dupont@example.fr")}
	}
	w.book(t, day(11, 10, 0))
	w.at(t, day(2, 11, 0))
	out := log.String()
	if !strings.Contains(out, r.ID) || !strings.Contains(out, w.usager.ID) {
		t.Errorf("the log should name the RDV and the usager by id:\n%s", out)
	}
	for _, contact := range []string{"+33612345678", "33612345678", "0612345678", "06 12 34 56 78", "helene.dupont", "example.fr"} {
		if strings.Contains(out, contact) {
			t.Errorf("the log holds %q:\n%s", contact, out)
		}
	}
	if !strings.Contains(out, "[numéro]") {
		t.Errorf("the provider's error should still be there, masked:\n%s", out)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"550 <jean.dupont@mairie.fr>: unknown":                  "550 <[adresse]>: unknown",
		"+33 6 12 34 56 78 refusé":                              "[numéro] refusé",
		"HTTP 503 après 2 essai(s)":                             "HTTP 503 après 2 essai(s)",
		"rdv 01953452-7890-7123-8456-123456789012 : 0612345678": "rdv 01953452-7890-7123-8456-123456789012 : [numéro]",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
