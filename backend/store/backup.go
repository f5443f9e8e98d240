package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"rdvguichet/backend/agenda"
)

// Report is what Check found.
type Report struct {
	SchemaVersion int            `json:"schemaVersion"`
	Integrity     string         `json:"integrity"` // "ok" when PRAGMA integrity_check finds nothing
	Counts        map[string]int `json:"counts"`    // rows per table
	PendingOps    int            `json:"pendingOps"`
}

// countedTables are the tables Check counts (the rest are link tables and logs of no interest).
var countedTables = []string{
	"organisations", "lieux", "agents", "motifs", "plages_ouverture", "absences", "usagers",
	"rdvs", "participations", "receipts", "outbox",
}

// Check runs the full PRAGMA integrity_check (slower than the quick_check done at open) and counts
// rows, for « rdv-guichet check » and the support screen.
func (db *DB) Check() (Report, error) {
	const op = "store.Check"
	ctx := context.Background()
	var rep Report
	if err := db.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&rep.SchemaVersion); err != nil {
		return rep, agenda.E(op, agenda.Other, err)
	}
	res, err := integrity(ctx, db.r, "integrity_check")
	if err != nil {
		return rep, agenda.E(op, agenda.Other, err)
	}
	rep.Integrity = res
	rep.Counts = make(map[string]int, len(countedTables))
	for _, t := range countedTables {
		var n int
		if err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return rep, agenda.E(op, agenda.Other, fmt.Errorf("table %s : %w", t, err))
		}
		rep.Counts[t] = n
	}
	if err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE state = 'pending'").Scan(&rep.PendingOps); err != nil {
		return rep, agenda.E(op, agenda.Other, err)
	}
	return rep, nil
}

// Backup writes a consistent copy of the database to dst with VACUUM INTO (compact, no WAL, safe
// while the application runs: it reads one snapshot). It refuses to overwrite an existing file.
func (db *DB) Backup(dst string) error {
	const op = "store.Backup"
	ctx := context.Background()
	// A reader connection, so writers are not held up; query_only is lifted for the copy (VACUUM
	// INTO writes another file, but SQLite counts it as a write) and restored before the
	// connection goes back to the pool.
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		return mapErr(op, err)
	}
	defer conn.ExecContext(ctx, "PRAGMA query_only = 1")
	if err := db.backupTo(ctx, conn, dst); err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	return nil
}

func (db *DB) backupTo(ctx context.Context, q querier, dst string) error {
	if dst == "" {
		return agenda.Errorf("store.Backup", agenda.Invalid, "aucun fichier de sauvegarde indiqué")
	}
	if _, err := os.Stat(dst); err == nil {
		return agenda.Errorf("store.Backup", agenda.Invalid, "le fichier %s existe déjà : choisissez un autre nom (une sauvegarde n'en écrase jamais une autre)", dst)
	}
	if dir := filepath.Dir(dst); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return agenda.Errorf("store.Backup", agenda.Unavailable, "impossible de créer le dossier %s : %v", dir, err)
		}
	}
	if _, err := q.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		os.Remove(dst)
		return fmt.Errorf("sauvegarde vers %s : %w", dst, err)
	}
	return syncFile(dst)
}

// syncFile flushes a file to disk, so that a backup that was reported written survives a power cut.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a directory entry after a rename (no-op where unsupported, e.g. Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Restore replaces the database at dbPath by the backup from. The application must be closed.
//
// The source is opened and must pass PRAGMA integrity_check and carry a schema this build knows;
// it is copied with VACUUM INTO to a temporary file beside dbPath (so the copy is consistent even
// if the source has a WAL of its own), which is renamed over dbPath in one atomic step. The file
// it replaces is kept, with its WAL, as <db>.avant-restauration-<timestamp>.sqlite: a restore can be
// undone.
func Restore(dbPath, from string) error {
	_, err := RestoreWith(dbPath, from, Options{})
	return err
}

// RestoreWith is Restore with options (the clock names the kept file); it returns the path of
// the kept file ("" when there was none).
func RestoreWith(dbPath, from string, opts Options) (kept string, err error) {
	const op = "store.Restore"
	if opts.Clock == nil {
		opts.Clock = agenda.SystemClock{}
	}
	ctx := context.Background()
	if _, err := os.Stat(from); err != nil {
		return "", agenda.Errorf(op, agenda.NotFound, "sauvegarde %s introuvable", from)
	}
	abs1, _ := filepath.Abs(dbPath)
	abs2, _ := filepath.Abs(from)
	if abs1 == abs2 {
		return "", agenda.Errorf(op, agenda.Invalid, "la sauvegarde et le fichier de données sont le même fichier")
	}
	if err := checkHeader(from); err != nil {
		return "", agenda.E(op, agenda.Invalid, fmt.Errorf("sauvegarde %s : %w", from, err))
	}
	// Read-only look at the source: no WAL conversion, no migration.
	src, err := sql.Open("sqlite", from+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return "", agenda.E(op, agenda.Other, err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	res, err := integrity(ctx, src, "integrity_check")
	if err != nil {
		return "", agenda.E(op, agenda.Invalid, fmt.Errorf("la sauvegarde %s est illisible : %w", from, err))
	}
	if res != "ok" {
		return "", agenda.E(op, agenda.Invalid, fmt.Errorf("la sauvegarde %s est endommagée : %s", from, firstLine(res)))
	}
	var v int
	if err := src.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return "", agenda.E(op, agenda.Invalid, err)
	}
	if v > SchemaVersion() {
		return "", agenda.Errorf(op, agenda.Invalid, "la sauvegarde %s vient d'une version plus récente de RDV Guichet (schéma %d > %d)", from, v, SchemaVersion())
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return "", agenda.Errorf(op, agenda.Unavailable, "impossible de créer le dossier de %s : %v", dbPath, err)
	}
	stamp := opts.Clock.Now().UTC().Format("20060102T150405Z")
	tmp := fmt.Sprintf("%s.restauration-%s.tmp", dbPath, stamp)
	os.Remove(tmp)
	if _, err := src.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return "", agenda.E(op, agenda.Other, fmt.Errorf("copie de la sauvegarde : %w", err))
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return "", agenda.E(op, agenda.Other, err)
	}
	src.Close()

	// Keep what we replace, WAL included (a damaged file cannot be VACUUMed: copy the bytes).
	if _, err := os.Stat(dbPath); err == nil {
		kept = fmt.Sprintf("%s.avant-restauration-%s.sqlite", dbPath, stamp)
		if err := copyFile(dbPath, kept); err != nil {
			os.Remove(tmp)
			return "", agenda.E(op, agenda.Other, fmt.Errorf("copie de l'ancien fichier : %w", err))
		}
		if _, err := os.Stat(dbPath + "-wal"); err == nil {
			if err := copyFile(dbPath+"-wal", kept+"-wal"); err != nil {
				os.Remove(tmp)
				return "", agenda.E(op, agenda.Other, fmt.Errorf("copie de l'ancien journal : %w", err))
			}
		}
	}
	// The old WAL must go before the new file takes the name: SQLite would replay it onto the
	// restored file. Removing it first is safe: the kept copy has it.
	for _, sfx := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + sfx); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return "", agenda.Errorf(op, agenda.Unavailable, "impossible de retirer %s (l'application est-elle fermée ?) : %v", dbPath+sfx, err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return "", agenda.Errorf(op, agenda.Unavailable, "impossible de remplacer %s : %v", dbPath, err)
	}
	syncDir(filepath.Dir(dbPath))
	return kept, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i] + " …"
		}
	}
	return s
}
