package reminders

import (
	"encoding/json"
	"fmt"
	"time"

	"rdvguichet/backend/agenda"
)

// Policy is what the planner needs to know of the office's settings: which channels are on, when
// reminders leave, and the quiet hours of SMS. Its JSON names are those of the stored settings
// object (the sender keeps its SMTP and SMS settings in the same object).
type Policy struct {
	EmailEnabled bool `json:"emailEnabled"`
	SMSEnabled   bool `json:"smsEnabled"`
	// ReminderHours before the RDV the reminder leaves (48 by default, as RDV Service Public).
	ReminderHours int `json:"reminderHours"`
	// MinReminderHours: an RDV booked less than ReminderHours ahead gets its reminder at once,
	// unless it starts within MinReminderHours (then the confirmation is reminder enough).
	MinReminderHours int `json:"minReminderHours"`
	// SameDaySMS adds an SMS SameDayHours before the RDV, on its day.
	SameDaySMS   bool `json:"sameDaySms"`
	SameDayHours int  `json:"sameDayHours"`
	// No SMS leaves between QuietStart and QuietEnd (local time of the organisation): they are
	// delayed to QuietEnd. Equal values disable quiet hours.
	QuietStart agenda.ClockTime `json:"quietStart"`
	QuietEnd   agenda.ClockTime `json:"quietEnd"`
}

// DefaultPolicy is the policy of a new installation: both channels off until the office
// configures them (an offline desktop has no SMTP server or SMS account by default).
func DefaultPolicy() Policy {
	return Policy{ReminderHours: 48, MinReminderHours: 24, SameDayHours: 3,
		QuietStart: agenda.Clk(20, 0), QuietEnd: agenda.Clk(8, 0)}
}

// ParsePolicy reads the policy out of the settings JSON; missing fields keep their default. A
// damaged object returns the default policy and the error.
func ParsePolicy(raw string) (Policy, error) {
	p := DefaultPolicy()
	if raw == "" {
		return p, nil
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return DefaultPolicy(), fmt.Errorf("réglages de notification illisibles : %w", err)
	}
	return p, nil
}

// Channels returns the channels switched on, e-mail first.
func (p Policy) Channels() []Channel {
	var out []Channel
	if p.EmailEnabled {
		out = append(out, ChannelEmail)
	}
	if p.SMSEnabled {
		out = append(out, ChannelSMS)
	}
	return out
}

// Enabled reports whether ch is switched on.
func (p Policy) Enabled(ch Channel) bool {
	return (ch == ChannelEmail && p.EmailEnabled) || (ch == ChannelSMS && p.SMSEnabled)
}

// Reminder is how long before the RDV the reminder leaves (48 h when unset).
func (p Policy) Reminder() time.Duration {
	if p.ReminderHours <= 0 {
		return 48 * time.Hour
	}
	return time.Duration(p.ReminderHours) * time.Hour
}

// QuietUntil returns the end of the quiet period t falls in (in loc), and whether it does.
func (p Policy) QuietUntil(t time.Time, loc *time.Location) (time.Time, bool) {
	if p.QuietStart == p.QuietEnd {
		return t, false
	}
	lt := t.In(loc)
	day := agenda.DateOf(lt)
	m := agenda.ClockTime(lt.Hour()*60 + lt.Minute())
	if p.QuietStart < p.QuietEnd { // e.g. 00:00–07:00
		if m >= p.QuietStart && m < p.QuietEnd {
			return day.At(p.QuietEnd, loc), true
		}
		return t, false
	}
	switch { // e.g. 20:00–08:00, across midnight
	case m >= p.QuietStart:
		return day.AddDays(1).At(p.QuietEnd, loc), true
	case m < p.QuietEnd:
		return day.At(p.QuietEnd, loc), true
	}
	return t, false
}
