package agenda

import (
	"sync"
	"time"
)

// locations caches the zones read: time.LoadLocation parses the zone's file at every call, and a
// booking asks for its organisation's zone several times.
var locations sync.Map

// Location returns the organisation's time zone (Europe/Paris when none is set): the one place
// that reads it.
func (o Organisation) Location() (*time.Location, error) {
	tz := o.TimeZone
	if tz == "" {
		tz = "Europe/Paris"
	}
	if loc, ok := locations.Load(tz); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(tz)
	if err == nil {
		locations.Store(tz, loc)
	}
	if err != nil {
		return nil, &Error{Op: "agenda.Location", Kind: Invalid, Code: CodeUnknownTimeZone, Params: map[string]string{"zone": tz}, Err: err}
	}
	return loc, nil
}
