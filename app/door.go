package app

import (
	"context"
	"encoding/json"
	"errors"
	"log"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/poste"
)

// The door of every bound method: call checks who calls, runs the method's work with the
// window's context and the signed-in agent, and turns its failure into the door's error.

// access is what a bound method requires of its caller.
type access int

const (
	noSession access = iota // no session: the kiosk, the sign-in screen
	asAgent                 // a signed-in agent; the call counts as activity
	asPoller                // a signed-in agent; a poll (waiting room, agenda refresh) is not activity
	asAdmin                 // a signed-in administrator; counts as activity
)

// call is the one wrapper of bound methods. sess may be nil for public methods (the kiosk has no
// session). The work's error leaves as userError's; its result is returned as is.
func call[T any](o *office, sess *session, need access, work func(ctx context.Context, me agenda.Agent) (T, error)) (T, error) {
	var me agenda.Agent
	if need != noSession {
		var err error
		if me, err = sess.check(need); err != nil {
			var zero T
			return zero, userError(err)
		}
	}
	out, err := work(o.context(), me)
	return out, userError(err)
}

// done is call's result for a method that returns only an error.
type done struct{}

// doorError is a failure as it leaves a bound method. Wails rejects the method's promise with
// Error(), so Error() is the JSON the frontend reads (frontend/src/shared/errors.ts):
// {"code": "slot_taken", "message": "Ce créneau vient d'être pris.", "fields": [...]}. The
// message is the code's text in French, from the catalogue (backend/messages); fields are the
// form's fields to correct, each with its text.
type doorError struct{ messages.Message }

// doorJSON is the contract of doorError's Error().
type doorJSON struct {
	Code    agenda.Code         `json:"code"`
	Message string              `json:"message"`
	Fields  []agenda.FieldError `json:"fields,omitempty"`
}

func (e *doorError) Error() string {
	b, err := json.Marshal(doorJSON{Code: e.Code, Message: e.Message.Message, Fields: e.Fields})
	if err != nil { // strings and field lists: cannot fail
		return e.Message.Message
	}
	return string(b)
}

// userError turns a backend error into the door's error (nil stays nil; a door error stays
// itself). The cause goes to the log; the screen reads the code and the text.
func userError(err error) error {
	if err == nil {
		return nil
	}
	var d *doorError
	if errors.As(err, &d) {
		return d
	}
	var r *poste.Refusal // the principal's door wrote it already: a poste secondaire shows it as it came
	if errors.As(err, &r) {
		return &doorError{r.Message}
	}
	log.Printf("erreur : %v", err)
	return &doorError{messages.For(messages.French, err)}
}

// text is the French text of err, for a door that puts it in a result (BookResult.Message,
// KioskBookResult.Message) rather than failing.
func text(err error) string {
	var d *doorError
	if errors.As(err, &d) {
		return d.Message.Message
	}
	return messages.For(messages.French, err).Message
}

// say is the French text of a catalogue entry that is not a failure (the kiosk's greeting, its
// printing notices), with its params as name, value pairs.
func say(id string, params ...string) string {
	p := map[string]string{}
	for i := 0; i+1 < len(params); i += 2 {
		p[params[i]] = params[i+1]
	}
	return messages.Text(messages.French, agenda.Code(id), p)
}
