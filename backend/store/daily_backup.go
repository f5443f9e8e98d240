package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
func (db *DB) BackupDir() string { return backupDirOf(db.path) }

func backupDirOf(path string) string { return filepath.Join(filepath.Dir(path), "sauvegardes") }

// IntegrityReport is what VerifyIntegrity found and did.
type IntegrityReport struct {
	// Found is what PRAGMA integrity_check answered first: "ok" when the file is sound.
	Found string `json:"found"`
	// IndexOnly is true when every fault is an index that disagrees with its table (a missing
	// or extra entry): the rows are sound and REINDEX rebuilds the index from them.
	IndexOnly bool `json:"indexOnly,omitempty"`
	// Repaired is true when the indexes were rebuilt and the check then passed; Backup is the
	// copy written before.
	Repaired bool   `json:"repaired,omitempty"`
	Backup   string `json:"backup,omitempty"`
}

// Notice is the code and params of the message for the agent (database_repaired), or "" when
// there is nothing to say.
func (r IntegrityReport) Notice() (agenda.Code, map[string]string) {
	if !r.Repaired {
		return "", nil
	}
	return agenda.CodeDatabaseRepaired, map[string]string{"backup": r.Backup}
}

// indexFault matches the lines of integrity_check that only blame an index: the table's rows
// are sound, the index lacks an entry or has one too many. Anything else (a b-tree page, a
// NULL in a NOT NULL column, a duplicate in a UNIQUE index, a freelist) is damage.
var indexFault = regexp.MustCompile(`^(row [0-9]+ missing from index [A-Za-z0-9_]+|wrong # of entries in index [A-Za-z0-9_]+)$`)

func indexOnly(res string) bool {
	lines := strings.Split(strings.TrimSpace(res), "\n")
	for _, l := range lines {
		if !indexFault.MatchString(strings.TrimSpace(l)) {
			return false
		}
	}
	return len(lines) > 0
}

// StartupCheck is the check of each start, run beside the window once it is up (Open reads
// nothing proportional to the file): PRAGMA quick_check, which reads every page but compares no
// index with its table. A fault it finds is then examined by VerifyIntegrity, which repairs an
// index-only fault and returns database_damaged for anything else.
func (db *DB) StartupCheck(ctx context.Context) (IntegrityReport, error) {
	res, err := integrity(ctx, db.r, "quick_check")
	if err != nil {
		return IntegrityReport{}, openError("store.StartupCheck", db.path, err)
	}
	if res == "ok" {
		return IntegrityReport{Found: res}, nil
	}
	return db.VerifyIntegrity(ctx, true)
}

// VerifyIntegrity runs the full PRAGMA integrity_check: the quick_check at start does not read
// the indexes against their tables, and the overlap trigger reads an index, so an index that
// lost an entry would let a slot be sold twice. On a fault that only concerns indexes, and
// unless repair is false or the file is open read-only, it backs the file up
// (sauvegardes/avant-reparation-<instant>.sqlite), rebuilds the indexes (REINDEX) and checks
// again; on anything else it returns database_damaged, whose text says how to restore.
func (db *DB) VerifyIntegrity(ctx context.Context, repair bool) (IntegrityReport, error) {
	const op = "store.VerifyIntegrity"
	res, err := integrity(ctx, db.r, "integrity_check")
	if err != nil {
		return IntegrityReport{}, openError(op, db.path, err)
	}
	rep := IntegrityReport{Found: firstLine(res), IndexOnly: res != "ok" && indexOnly(res)}
	if res == "ok" {
		return rep, nil
	}
	if !rep.IndexOnly {
		return rep, damaged(op, db.path, res)
	}
	if !repair || db.ro {
		return rep, nil
	}
	dst := filepath.Join(db.BackupDir(), "avant-reparation-"+db.clock.Now().UTC().Format("20060102T150405.000Z")+dailySuffix)
	if err := db.Backup(dst); err != nil {
		return rep, agenda.E(op, agenda.Other, fmt.Errorf("sauvegarde avant réparation impossible, index non reconstruits : %w", err))
	}
	rep.Backup = dst
	err = db.write(ctx, op, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, "REINDEX")
		return err
	})
	if err != nil {
		return rep, err
	}
	res, err = integrity(ctx, db.r, "integrity_check")
	if err != nil {
		return rep, openError(op, db.path, err)
	}
	if res != "ok" {
		return rep, damaged(op, db.path, res)
	}
	rep.Repaired = true
	return rep, nil
}

// DailyBackup writes today's backup (rdv-guichet-YYYY-MM-DD.sqlite, local date from the clock) if it
// does not exist yet, and removes the oldest beyond keep. The desktop app calls it at start-up:
// an office PC is switched off at night, so "daily" means "on the first start of each day".
// It returns the path written, or "" when today's backup already existed.
func (db *DB) DailyBackup(keep int) (string, error) {
	d, err := db.Daily(context.Background(), keep)
	return d.Written, err
}

// DailyResult is what Daily did.
type DailyResult struct {
	Written   string          // the backup written, "" when today's existed already
	Integrity IntegrityReport // the check run before it (zero when none was due)
}

// Daily is the day's care of the file, cheap when already done today (one stat), so the app can
// call it at start and then every hour: before writing today's backup it runs the full integrity
// check (VerifyIntegrity, repairing an index-only fault). A damaged file is not backed up: its
// copy would push a sound backup out of the fourteen kept.
func (db *DB) Daily(ctx context.Context, keep int) (DailyResult, error) {
	const op = "store.DailyBackup"
	var out DailyResult
	dir := db.BackupDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return out, agenda.E(op, agenda.Other, err)
	}
	name := dailyPrefix + db.clock.Now().Local().Format("2006-01-02") + dailySuffix
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		rep, err := db.VerifyIntegrity(ctx, true)
		out.Integrity = rep
		if err != nil {
			return out, err
		}
		if err := db.Backup(path); err != nil {
			return out, agenda.E(op, agenda.Other, err)
		}
		out.Written = path
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out, agenda.E(op, agenda.Other, err)
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
			return out, agenda.E(op, agenda.Other, err)
		}
		daily = daily[1:]
	}
	return out, nil
}
