package agenda

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies a failure so that callers (the app layer, the CLI, sync) can react to it
// without reading its text, in the spirit of Upspin's errors.E.
type Kind int

const (
	Other       Kind = iota // an unexpected failure (I/O, bug)
	Invalid                 // the input breaks a rule; the message says which
	Conflict                // the slot or the row changed under us (« Ce créneau vient d'être pris »)
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

// Error is an operation that failed, with its kind and cause.
type Error struct {
	Op   string // what was being done, e.g. "store.Book"
	Kind Kind
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Op + ": " + e.Kind.String()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. When err already carries a kind and kind is Other, the inner kind is kept.
func E(op string, kind Kind, err error) error {
	if kind == Other {
		kind = KindOf(err)
	}
	return &Error{Op: op, Kind: kind, Err: err}
}

// Errorf is a shortcut for E(op, kind, fmt.Errorf(format, args...)).
func Errorf(op string, kind Kind, format string, args ...any) error {
	return E(op, kind, fmt.Errorf(format, args...))
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

// FieldError is one broken rule on one field, with the message shown next to that field.
// Messages are French: they are the rule as the trade states it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every broken rule of an entity, so a form can show them all at once.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Field + " : " + f.Message
	}
	return strings.Join(parts, " ; ")
}

// fieldErrors accumulates field errors while validating.
type fieldErrors struct{ list ValidationError }

func (f *fieldErrors) add(field, message string) { f.list = append(f.list, FieldError{field, message}) }

func (f *fieldErrors) err() error {
	if len(f.list) == 0 {
		return nil
	}
	return f.list
}
