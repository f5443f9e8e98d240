package store

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"rdvguichet/backend/agenda"
)

// DailyBackupKeep is how many daily backups DailyBackup keeps: two weeks of history, a few
// megabytes each for a mairie.
const DailyBackupKeep = 14

const dailyPrefix, dailySuffix = "rdv-guichet-", ".sqlite"

// BackupDir is the folder of the daily backups: « sauvegardes » beside the data file, where the
// installation guide tells the contractor to look.
func (db *DB) BackupDir() string { return filepath.Join(filepath.Dir(db.path), "sauvegardes") }

// DailyBackup writes today's backup (rdv-guichet-YYYY-MM-DD.sqlite, local date from the clock) if it
// does not exist yet, and removes the oldest beyond keep. The desktop app calls it at start-up:
// an office PC is switched off at night, so "daily" means "on the first start of each day".
// It returns the path written, or "" when today's backup already existed.
func (db *DB) DailyBackup(keep int) (string, error) {
	const op = "store.DailyBackup"
	dir := db.BackupDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", agenda.E(op, agenda.Other, err)
	}
	name := dailyPrefix + db.clock.Now().Local().Format("2006-01-02") + dailySuffix
	path := filepath.Join(dir, name)
	written := ""
	if _, err := os.Stat(path); os.IsNotExist(err) {
		if err := db.Backup(path); err != nil {
			return "", agenda.E(op, agenda.Other, err)
		}
		written = path
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return written, agenda.E(op, agenda.Other, err)
	}
	var daily []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, dailyPrefix) && strings.HasSuffix(n, dailySuffix) {
			daily = append(daily, n)
		}
	}
	sort.Strings(daily) // ISO dates sort in time order
	for len(daily) > keep {
		if err := os.Remove(filepath.Join(dir, daily[0])); err != nil {
			return written, agenda.E(op, agenda.Other, err)
		}
		daily = daily[1:]
	}
	return written, nil
}
