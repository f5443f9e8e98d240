package agenda

import (
	"strconv"
	"time"
)

// The retention of personal data (RGPD), as RDV Service Public: RDVs are deleted some years
// after they took place, and so are the usagers whose last RDV is that old. The office (SQLite,
// store.Purge) and the central (PostgreSQL, pgstore.Purge) both apply this rule; what they
// delete with an RDV or an usager is each store's own tables.
//
// The rule: with cutoff = now − the retention,
//   - an RDV that started before the cutoff goes;
//   - an usager goes when they have no RDV since the cutoff (an usager with a future RDV stays),
//     were not created or corrected since the cutoff, and are not named as responsible by an
//     usager who stays (nor, in turn, is that responsible's responsible).

// Retention in whole years: 2 by default, from 1 to 10.
const (
	DefaultRetentionYears = 2
	MinRetentionYears     = 1
	MaxRetentionYears     = 10
)

// ParseRetentionYears reads a stored retention setting: the default when it is unset (""),
// unreadable or out of bounds, so that a damaged setting never purges more than the default.
func ParseRetentionYears(setting string) int {
	n, err := strconv.Atoi(setting)
	if err != nil || CheckRetentionYears(n) != nil {
		return DefaultRetentionYears
	}
	return n
}

// ChangedAt is the date the retention reads for a change an office made at office (by its own
// clock) and another store received at now: the office's, so that both stores purge an usager
// alike, but never later than now (a clock ahead would keep the data longer than the office
// does), and now when the office gave none (zero).
func ChangedAt(office, now time.Time) time.Time {
	if office.IsZero() || office.After(now) {
		return now
	}
	return office
}

// CheckRetentionYears refuses a retention out of bounds (retention_bounds).
func CheckRetentionYears(years int) error {
	if years < MinRetentionYears || years > MaxRetentionYears {
		return Fail("agenda.CheckRetentionYears", CodeRetentionBounds,
			"min", strconv.Itoa(MinRetentionYears), "max", strconv.Itoa(MaxRetentionYears))
	}
	return nil
}

// RetentionCutoff is the instant before which RDVs are deleted: now − years.
func RetentionCutoff(now time.Time, years int) time.Time {
	return now.AddDate(-years, 0, 0)
}
