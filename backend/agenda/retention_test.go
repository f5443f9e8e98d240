package agenda

import (
	"testing"
	"time"
)

func TestParseRetentionYears(t *testing.T) {
	for in, want := range map[string]int{"": 2, "x": 2, "0": 2, "11": 2, "1": 1, "10": 10, "5": 5} {
		if got := ParseRetentionYears(in); got != want {
			t.Errorf("ParseRetentionYears(%q) = %d, want %d", in, got, want)
		}
	}
	if CodeOf(CheckRetentionYears(0)) != CodeRetentionBounds || CheckRetentionYears(3) != nil {
		t.Error("CheckRetentionYears: bounds 1 to 10")
	}
}

func TestRetentionCutoff(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	if got, want := RetentionCutoff(now, 2), time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("cutoff %v, want %v", got, want)
	}
}

// The retention reads the office's date of a change, never later than the receiver's now.
func TestChangedAt(t *testing.T) {
	now := time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)
	for _, c := range []struct{ office, want time.Time }{
		{now.AddDate(-3, 0, 0), now.AddDate(-3, 0, 0)},
		{time.Time{}, now},
		{now.Add(time.Hour), now},
		{now, now},
	} {
		if got := ChangedAt(c.office, now); !got.Equal(c.want) {
			t.Errorf("ChangedAt(%v) = %v, want %v", c.office, got, c.want)
		}
	}
}
