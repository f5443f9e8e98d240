package protocol

import (
	"fmt"
	"slices"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/reminders"
)

// Converters between the agenda's domain types and the wire types. The office writes its outbox
// with the From… functions; the central (and the office, for pulled rows) reads with the
// …V1.Agenda methods. A round trip gives back the domain value (tested), so the wire carries
// everything the rules need.

// FromOrganisation returns the wire form of o.
func FromOrganisation(o agenda.Organisation) OrganisationV1 {
	return OrganisationV1{ID: o.ID, Name: o.Name, LogoPNG: slices.Clone(o.LogoPNG), AccentColor: o.AccentColor, TimeZone: o.TimeZone,
		Email: o.Email, Phone: o.Phone, HolidaysDepartement: o.Holidays.Departement,
		LundiPentecoteTravaille: o.Holidays.LundiPentecoteTravaille, SlotGridMinutes: o.SlotGridMinutes, BufferMinutes: o.BufferMinutes}
}

// Agenda returns the domain form of v.
func (v OrganisationV1) Agenda() (agenda.Organisation, error) {
	return agenda.Organisation{ID: v.ID, Name: v.Name, LogoPNG: slices.Clone(v.LogoPNG), AccentColor: v.AccentColor, TimeZone: v.TimeZone,
		Email: v.Email, Phone: v.Phone, Holidays: agenda.HolidayRules{Departement: v.HolidaysDepartement, LundiPentecoteTravaille: v.LundiPentecoteTravaille},
		SlotGridMinutes: v.SlotGridMinutes, BufferMinutes: v.BufferMinutes}, nil
}

// FromLieu returns the wire form of l.
func FromLieu(l agenda.Lieu) LieuV1 {
	return LieuV1{ID: l.ID, OrganisationID: l.OrganisationID, Name: l.Name, Street: l.Street, PostalCode: l.PostalCode,
		City: l.City, Phone: l.Phone, Accessibility: l.Accessibility, Enabled: l.Enabled}
}

// Agenda returns the domain form of v.
func (v LieuV1) Agenda() (agenda.Lieu, error) {
	return agenda.Lieu{ID: v.ID, OrganisationID: v.OrganisationID, Name: v.Name, Street: v.Street, PostalCode: v.PostalCode,
		City: v.City, Phone: v.Phone, Accessibility: v.Accessibility, Enabled: v.Enabled}, nil
}

// FromAgent returns the wire form of a (agenda.Agent has no password hash; the wire neither).
func FromAgent(a agenda.Agent) AgentV1 {
	return AgentV1{ID: a.ID, OrganisationID: a.OrganisationID, Kind: string(a.Kind), Name: a.Name, Email: a.Email,
		Login: a.Login, Role: string(a.Role), Active: a.Active}
}

// Agenda returns the domain form of v.
func (v AgentV1) Agenda() (agenda.Agent, error) {
	return agenda.Agent{ID: v.ID, OrganisationID: v.OrganisationID, Kind: agenda.ResourceKind(v.Kind), Name: v.Name,
		Email: v.Email, Login: v.Login, Role: agenda.Role(v.Role), Active: v.Active}, nil
}

// FromMotif returns the wire form of m.
func FromMotif(m agenda.Motif) MotifV1 {
	return MotifV1{ID: m.ID, OrganisationID: m.OrganisationID, Name: m.Name, Color: m.Color, DurationMinutes: m.DurationMin,
		LocationType: string(m.LocationType), MinPublicDelaySeconds: int64(m.MinPublicDelay / time.Second),
		MaxPublicDelaySeconds: int64(m.MaxPublicDelay / time.Second), BookableKiosk: m.BookableKiosk, BookableOnline: m.BookableOnline,
		Collectif: m.Collectif, Capacity: m.Capacity, Pieces: slices.Clone(m.Pieces), Instructions: m.Instructions,
		AntsCategory: string(m.AntsCategory), Archived: m.Archived}
}

// Agenda returns the domain form of v.
func (v MotifV1) Agenda() (agenda.Motif, error) {
	return agenda.Motif{ID: v.ID, OrganisationID: v.OrganisationID, Name: v.Name, Color: v.Color, DurationMin: v.DurationMinutes,
		LocationType: agenda.LocationType(v.LocationType), MinPublicDelay: time.Duration(v.MinPublicDelaySeconds) * time.Second,
		MaxPublicDelay: time.Duration(v.MaxPublicDelaySeconds) * time.Second, BookableKiosk: v.BookableKiosk, BookableOnline: v.BookableOnline,
		Collectif: v.Collectif, Capacity: v.Capacity, Pieces: slices.Clone(v.Pieces), Instructions: v.Instructions,
		AntsCategory: agenda.AntsCategory(v.AntsCategory), Archived: v.Archived}, nil
}

func fromRecurrence(r agenda.Recurrence) *RecurrenceV1 {
	if r.Every == agenda.Once && r.Interval == 0 && len(r.Weekdays) == 0 && r.Nth == 0 && r.Weekday == 0 && r.Until.IsZero() {
		return nil
	}
	out := &RecurrenceV1{Every: string(r.Every), Interval: r.Interval, Nth: r.Nth, Weekday: int(r.Weekday), Until: day(r.Until)}
	for _, d := range r.Weekdays {
		out.Weekdays = append(out.Weekdays, int(d))
	}
	return out
}

func (v *RecurrenceV1) agenda() (agenda.Recurrence, error) {
	if v == nil {
		return agenda.Recurrence{}, nil
	}
	until, err := parseDay(v.Until)
	if err != nil {
		return agenda.Recurrence{}, err
	}
	out := agenda.Recurrence{Every: agenda.Frequency(v.Every), Interval: v.Interval, Nth: v.Nth, Weekday: time.Weekday(v.Weekday), Until: until}
	for _, d := range v.Weekdays {
		out.Weekdays = append(out.Weekdays, time.Weekday(d))
	}
	return out, nil
}

// FromPlage returns the wire form of p.
func FromPlage(p agenda.PlageOuverture) PlageV1 {
	out := PlageV1{ID: p.ID, OrganisationID: p.OrganisationID, AgentID: p.AgentID, LieuID: p.LieuID, Title: p.Title,
		MotifIDs: slices.Clone(p.MotifIDs), FirstDay: day(p.FirstDay), Start: p.Start.String(), End: p.End.String(),
		Recurrence: fromRecurrence(p.Recurrence), Canal: string(p.Canal)}
	for _, e := range p.Exceptions {
		out.Exceptions = append(out.Exceptions, ExceptionV1{Date: day(e.Date), Cancelled: e.Cancelled, Start: e.Start.String(), End: e.End.String()})
	}
	return out
}

// Agenda returns the domain form of v.
func (v PlageV1) Agenda() (agenda.PlageOuverture, error) {
	out := agenda.PlageOuverture{ID: v.ID, OrganisationID: v.OrganisationID, AgentID: v.AgentID, LieuID: v.LieuID, Title: v.Title,
		MotifIDs: slices.Clone(v.MotifIDs), Canal: agenda.Canal(v.Canal)}
	var err error
	if out.FirstDay, err = parseDay(v.FirstDay); err != nil {
		return out, err
	}
	if out.Start, out.End, err = clocks(v.Start, v.End); err != nil {
		return out, err
	}
	if out.Recurrence, err = v.Recurrence.agenda(); err != nil {
		return out, err
	}
	for _, e := range v.Exceptions {
		x := agenda.Exception{Cancelled: e.Cancelled}
		if x.Date, err = parseDay(e.Date); err != nil {
			return out, err
		}
		if x.Start, x.End, err = clocks(e.Start, e.End); err != nil {
			return out, err
		}
		out.Exceptions = append(out.Exceptions, x)
	}
	return out, nil
}

// FromAbsence returns the wire form of a.
func FromAbsence(a agenda.Absence) AbsenceV1 {
	return AbsenceV1{ID: a.ID, OrganisationID: a.OrganisationID, AgentID: a.AgentID, Title: a.Title, FirstDay: day(a.FirstDay),
		EndDay: day(a.EndDay), Start: a.Start.String(), End: a.End.String(), Recurrence: fromRecurrence(a.Recurrence)}
}

// Agenda returns the domain form of v.
func (v AbsenceV1) Agenda() (agenda.Absence, error) {
	out := agenda.Absence{ID: v.ID, OrganisationID: v.OrganisationID, AgentID: v.AgentID, Title: v.Title}
	var err error
	if out.FirstDay, err = parseDay(v.FirstDay); err != nil {
		return out, err
	}
	if out.EndDay, err = parseDay(v.EndDay); err != nil {
		return out, err
	}
	if out.Start, out.End, err = clocks(v.Start, v.End); err != nil {
		return out, err
	}
	out.Recurrence, err = v.Recurrence.agenda()
	return out, err
}

// FromUsager returns the wire form of u.
func FromUsager(u agenda.Usager) UsagerV1 {
	return UsagerV1{ID: u.ID, OrganisationID: u.OrganisationID, FirstName: u.FirstName, LastName: u.LastName, BirthName: u.BirthName,
		BirthDate: day(u.BirthDate), Phone: u.Phone, Email: u.Email, NotifySMS: u.NotifySMS, NotifyEmail: u.NotifyEmail,
		ResponsibleID: u.ResponsibleID, AntsPreDemande: u.AntsPreDemande}
}

// Agenda returns the domain form of v.
func (v UsagerV1) Agenda() (agenda.Usager, error) {
	birth, err := parseDay(v.BirthDate)
	return agenda.Usager{ID: v.ID, OrganisationID: v.OrganisationID, FirstName: v.FirstName, LastName: v.LastName, BirthName: v.BirthName,
		BirthDate: birth, Phone: v.Phone, Email: v.Email, NotifySMS: v.NotifySMS, NotifyEmail: v.NotifyEmail,
		ResponsibleID: v.ResponsibleID, AntsPreDemande: v.AntsPreDemande}, err
}

// FromRdv returns the wire form of r; instants are written in UTC, to the millisecond (the
// stores' precision).
func FromRdv(r agenda.Rdv) RdvV1 {
	out := RdvV1{ID: r.ID, OrganisationID: r.OrganisationID, MotifID: r.MotifID, LieuID: r.LieuID, AgentIDs: slices.Clone(r.AgentIDs),
		StartsAt: instant(r.StartsAt), EndsAt: instant(r.EndsAt), Status: string(r.Status), DocumentsNumber: r.DocumentsNumber,
		Collectif: r.Collectif, Capacity: r.Capacity, Origine: string(r.Origine), CreatedBy: r.CreatedBy,
		CancelledAt: utcPtr(r.CancelledAt), Context: r.Context, Version: r.Version}
	for _, p := range r.Participations {
		out.Participations = append(out.Participations, ParticipationV1{UsagerID: p.UsagerID, Status: string(p.Status), ArrivedAt: utcPtr(p.ArrivedAt)})
	}
	return out
}

// Agenda returns the domain form of v.
func (v RdvV1) Agenda() (agenda.Rdv, error) {
	out := agenda.Rdv{ID: v.ID, OrganisationID: v.OrganisationID, MotifID: v.MotifID, LieuID: v.LieuID, AgentIDs: slices.Clone(v.AgentIDs),
		StartsAt: v.StartsAt.UTC(), EndsAt: v.EndsAt.UTC(), Status: agenda.Status(v.Status), DocumentsNumber: v.DocumentsNumber,
		Collectif: v.Collectif, Capacity: v.Capacity, Origine: agenda.Origine(v.Origine), CreatedBy: v.CreatedBy,
		CancelledAt: utcPtr(v.CancelledAt), Context: v.Context, Version: v.Version}
	for _, p := range v.Participations {
		out.Participations = append(out.Participations, agenda.Participation{UsagerID: p.UsagerID, Status: agenda.Status(p.Status), ArrivedAt: utcPtr(p.ArrivedAt)})
	}
	return out, nil
}

// instant is t as the wire carries it: UTC, to the millisecond.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := instant(*t)
	return &u
}

func day(d agenda.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func parseDay(s string) (agenda.Date, error) {
	if s == "" {
		return agenda.Date{}, nil
	}
	d, err := agenda.ParseDate(s)
	if err != nil {
		return d, fmt.Errorf("day %q: %w", s, err)
	}
	return d, nil
}

func clocks(start, end string) (agenda.ClockTime, agenda.ClockTime, error) {
	s, err := agenda.ParseClock(start)
	if err != nil {
		return 0, 0, err
	}
	e, err := agenda.ParseClock(end)
	return s, e, err
}

// FromReceipt is the wire form of a notification's receipt. Instants travel in UTC to the
// millisecond, as stored.
func FromReceipt(r reminders.Receipt) ReceiptV1 {
	return ReceiptV1{ID: r.ID, OrganisationID: r.OrganisationID, RdvID: r.RdvID, UsagerID: r.UsagerID, Event: r.Event,
		Channel: r.Channel, Result: r.Result, Error: r.Error, Provider: r.Provider, Count: r.Count, Content: r.Content,
		Recipient: r.Recipient, CreatedAt: r.CreatedAt.UTC().Truncate(time.Millisecond)}
}
