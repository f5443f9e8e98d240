package app

import (
	"errors"
	"slices"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
)

// formErrors collects the errors of a form's fields, with the JSON field names of
// agenda.ValidationError, so that the screen shows each message beside its field.
type formErrors struct{ list []agenda.FieldError }

func (f *formErrors) add(field, msg string) {
	f.list = append(f.list, agenda.FieldError{Field: field, Message: msg})
}

// any merges the entity's validation error (skipping fields that already have a reading error)
// and reports whether the form has errors.
func (f *formErrors) any(validation error) bool {
	var v agenda.ValidationError
	if errors.As(validation, &v) {
		for _, e := range rendered(v) {
			if !slices.ContainsFunc(f.list, func(o agenda.FieldError) bool { return o.Field == e.Field }) {
				f.list = append(f.list, e)
			}
		}
	}
	return len(f.list) > 0
}

// date reads a YYYY-MM-DD field.
func (f *formErrors) date(field, s string, required bool) agenda.Date {
	if s == "" {
		if required {
			f.add(field, "La date est obligatoire.")
		}
		return agenda.Date{}
	}
	d, err := agenda.ParseDate(s)
	if err != nil {
		f.add(field, "La date n’existe pas.")
	}
	return d
}

// clock reads an HH:MM field.
func (f *formErrors) clock(field, s string) agenda.ClockTime {
	c, err := agenda.ParseClock(s)
	if err != nil {
		f.add(field, "L’heure doit être au format HH:MM (par exemple 09:30).")
	}
	return c
}

// saved answers a save: the id, or the validation errors as data; other errors are errors.
func saved(id string, err error) (SaveResult, error) {
	var v agenda.ValidationError
	if errors.As(err, &v) {
		return SaveResult{Errors: rendered(v)}, nil
	}
	if err != nil {
		return SaveResult{}, err
	}
	return SaveResult{ID: id, Errors: []agenda.FieldError{}}, nil
}

// rendered gives each field error of the domain the catalogue's text of its code: the form shows
// it next to the field.
func rendered(v agenda.ValidationError) []agenda.FieldError {
	return messages.For(messages.French, v).Fields
}
