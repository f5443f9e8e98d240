package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

type stepClock struct{ t time.Time }

func (c *stepClock) Now() time.Time { return c.t }

func TestDailyBackupOncePerDayAndKeepsTheLastOnes(t *testing.T) {
	clk := &stepClock{time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)}
	db, err := Open(filepath.Join(t.TempDir(), "office.sqlite"), Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first, err := db.DailyBackup(3)
	if err != nil || first == "" {
		t.Fatalf("first backup of the day: %q, %v", first, err)
	}
	if again, err := db.DailyBackup(3); err != nil || again != "" {
		t.Fatalf("second start the same day must not write again: %q, %v", again, err)
	}
	for i := 0; i < 5; i++ {
		clk.t = clk.t.Add(24 * time.Hour)
		if p, err := db.DailyBackup(3); err != nil || p == "" {
			t.Fatalf("day %d: %q, %v", i+2, p, err)
		}
	}
	entries, err := os.ReadDir(db.BackupDir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"rdv-guichet-2026-03-04.sqlite", "rdv-guichet-2026-03-05.sqlite", "rdv-guichet-2026-03-06.sqlite"}
	if len(names) != len(want) {
		t.Fatalf("kept %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("kept %v, want %v", names, want)
		}
	}
	// A kept backup is a database that opens and passes its integrity check.
	b, err := Open(filepath.Join(db.BackupDir(), want[2]), Options{Clock: clk})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	b.Close()
}
