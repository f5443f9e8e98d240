package agenda

import (
	"errors"
	"fmt"
	"maps"
	"strings"
)

// Kind classifies a failure so that callers (the app layer, the CLI, sync) can react to it
// without reading its text, in the spirit of Upspin's errors.E.
type Kind int

const (
	Other       Kind = iota // an unexpected failure (I/O, bug)
	Invalid                 // the input breaks a rule; the code says which
	Conflict                // the slot or the row changed under us (slot_taken)
	NotFound                // the entity does not exist
	Forbidden               // the caller may not do this
	Unavailable             // a dependency (network, printer, central) cannot be reached
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case Conflict:
		return "conflict"
	case NotFound:
		return "not found"
	case Forbidden:
		return "forbidden"
	case Unavailable:
		return "unavailable"
	}
	return "other"
}

// Error is an operation that failed, with its kind, its stable code and its cause. The code is
// what crosses every door (the app, the kiosk, the CLI's --json, the sync protocol's results);
// each door chooses the text from the code in its language (backend/messages). Params are the
// values the text needs (a delay, a name), already written as the door will show them.
type Error struct {
	Op     string // what was being done, e.g. "store.Book"
	Kind   Kind
	Code   Code
	Params map[string]string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Code != "" {
		b.WriteString(" [" + string(e.Code) + "]")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	} else {
		b.WriteString(": " + e.Kind.String())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. When err already carries a kind and kind is Other, the inner kind is kept;
// the code is the innermost one (CodeOf).
func E(op string, kind Kind, err error) error {
	if kind == Other {
		kind = KindOf(err)
	}
	return &Error{Op: op, Kind: kind, Err: err}
}

// Errorf is a shortcut for E(op, kind, fmt.Errorf(format, args...)). The text is for logs and
// developers: the user reads the text of the error's code.
func Errorf(op string, kind Kind, format string, args ...any) error {
	return E(op, kind, fmt.Errorf(format, args...))
}

// Fail builds the refusal of op with code (its kind is the code's) and the params its text needs,
// given as name, value pairs.
func Fail(op string, code Code, params ...string) error {
	e := &Error{Op: op, Kind: code.Kind(), Code: code}
	if len(params) > 0 {
		e.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			e.Params[params[i]] = params[i+1]
		}
	}
	return e
}

// Wrap is Fail keeping cause in the chain (for logs and errors.Is).
func Wrap(op string, code Code, cause error) error {
	return &Error{Op: op, Kind: code.Kind(), Code: code, Err: cause}
}

// NotFoundError is the refusal of op for a missing entity (rdv, usager, motif, lieu, agent,
// plage, absence, organisation, login, op: language-neutral names the door turns into words).
func NotFoundError(op, entity, id string) error {
	return &Error{Op: op, Kind: NotFound, Code: CodeNotFound, Params: map[string]string{"entity": entity},
		Err: fmt.Errorf("%s %s", entity, id)}
}

// KindOf returns the kind of the outermost *Error in err's chain that has one, Other otherwise.
// A ValidationError is Invalid.
func KindOf(err error) Kind {
	for err != nil {
		var e *Error
		if errors.As(err, &e) {
			if e.Kind != Other {
				return e.Kind
			}
			err = e.Err
			continue
		}
		var v ValidationError
		if errors.As(err, &v) {
			return Invalid
		}
		return Other
	}
	return Other
}

// CodeOf returns the code of err: the innermost code in its chain (the most precise one: the
// engine's slot_taken rather than the store's conflict), invalid_field for a ValidationError,
// the code of its kind otherwise. nil has no code.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	code, _ := innermostCode(err)
	if code != "" {
		return code
	}
	var v ValidationError
	if errors.As(err, &v) {
		return CodeInvalidField
	}
	return kindCode(KindOf(err))
}

// ParamsOf returns the params of the error that carries err's code.
func ParamsOf(err error) map[string]string {
	_, p := innermostCode(err)
	return maps.Clone(p)
}

func innermostCode(err error) (Code, map[string]string) {
	var code Code
	var params map[string]string
	for err != nil {
		if e, ok := err.(*Error); ok && e.Code != "" {
			if e.Code != code {
				code, params = e.Code, nil
			}
			// The same code said again deeper (a sentinel wrapped with its params): keep every param.
			for k, v := range e.Params {
				if params == nil {
					params = map[string]string{}
				}
				params[k] = v
			}
		}
		if u, ok := err.(interface{ Unwrap() []error }); ok {
			for _, inner := range u.Unwrap() {
				if c, p := innermostCode(inner); c != "" {
					return c, p
				}
			}
			break
		}
		err = errors.Unwrap(err)
	}
	return code, params
}

// HasCode reports whether err's chain names a code (rather than only a kind).
func HasCode(err error) bool {
	c, _ := innermostCode(err)
	return c != ""
}

// IsBenign reports whether err is a refusal an agent may override (RDV Service Public's
// warnings: outside the plages, over an absence, on a jour férié). Hard rules never are.
func IsBenign(err error) bool { return err != nil && CodeOf(err).Benign() }

// FieldError is one broken rule on one field. Code names the rule; Message is the text the door
// chose for it (empty below the door), shown next to that field.
type FieldError struct {
	Field string `json:"field"`
	Code  Code   `json:"code,omitempty"`
	// Args are the values the rule's text names, language-neutral, as "name=value;name=value"
	// (weekday=5, nth=1, date=2026-05-07, zone=…, n=…): a string keeps FieldError comparable.
	Args    string `json:"args,omitempty"`
	Message string `json:"message"`
}

// ValidationError lists every broken rule of an entity, so a form can show them all at once.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		m := f.Message
		if m == "" {
			m = string(f.Code)
		}
		parts[i] = f.Field + " : " + m
	}
	return strings.Join(parts, " ; ")
}

// fieldErrors accumulates field errors while validating.
type fieldErrors struct{ list ValidationError }

func (f *fieldErrors) err() error {
	if len(f.list) == 0 {
		return nil
	}
	return f.list
}
