package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
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

// Check runs the full PRAGMA integrity_check (slower than the quick_check of each start) and counts
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
// while the application runs: it reads one snapshot). It refuses to overwrite an existing file
// and writes the copy private to the user (0600), through a temporary file renamed into place.
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
	if !db.ro {
		if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
			return mapErr(op, err)
		}
		defer conn.ExecContext(ctx, "PRAGMA query_only = 1")
	}
	return db.backupTo(ctx, conn, dst, agenda.CodeBackupExists)
}

func (db *DB) backupTo(ctx context.Context, q querier, dst string, exists agenda.Code) error {
	const op = "store.Backup"
	if dst == "" {
		return agenda.Errorf(op, agenda.Invalid, "aucun fichier de sauvegarde indiqué")
	}
	return WriteNewFile(dst, OutputOptions{Protect: []string{db.path}, exists: exists}, func(tmp string) error {
		if _, err := q.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
			return mapErr(op, fmt.Errorf("sauvegarde vers %s : %w", dst, err))
		}
		return nil
	})
}

// OutputOptions says how WriteNewFile may place its file.
type OutputOptions struct {
	// Force replaces an existing file (« --force »). Never one of Protect.
	Force bool
	// Protect lists data files that must never be written over, nor their -wal, -shm, -journal
	// and .lock, whatever the spelling of the path (symlinks, « .. », another case).
	Protect []string
	exists  agenda.Code // the refusal of an existing file: output_exists unless said otherwise
}

// WriteNewFile is the one way the application creates an output file (a backup, a document):
// write fills an empty temporary file (0600, in the same folder, so the rename is atomic and a
// reader never sees half a file); the file then takes the name path, only if nothing has it
// (O_EXCL's rule, through a hard link) unless Force. The temporary file and its SQLite journals
// are removed on failure.
func WriteNewFile(path string, opts OutputOptions, write func(tmp string) error) (err error) {
	const op = "store.WriteNewFile"
	exists := opts.exists
	if exists == "" {
		exists = agenda.CodeOutputExists
	}
	if path == "" {
		return agenda.Errorf(op, agenda.Invalid, "aucun fichier indiqué")
	}
	for _, p := range opts.Protect {
		for _, sfx := range []string{"", "-wal", "-shm", "-journal", ".lock"} {
			if sameFile(path, p+sfx) {
				return fileFail(op, agenda.CodeOutputIsDatabase, path, nil)
			}
		}
	}
	if st, err := os.Stat(path); err == nil {
		if !opts.Force || st.IsDir() {
			return fileFail(op, exists, path, nil)
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fileFail(op, agenda.CodeOutputFailed, path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fileFail(op, agenda.CodeOutputFailed, path, err)
	}
	tmp := f.Name()
	f.Close()
	defer removeWithJournals(tmp)
	if err := write(tmp); err != nil {
		if agenda.HasCode(err) {
			return err
		}
		return fileFail(op, agenda.CodeOutputFailed, path, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fileFail(op, agenda.CodeOutputFailed, path, err)
	}
	if err := syncFile(tmp); err != nil {
		return fileFail(op, agenda.CodeOutputFailed, path, err)
	}
	if opts.Force {
		err = os.Rename(tmp, path)
	} else if err = os.Link(tmp, path); err != nil && !errors.Is(err, os.ErrExist) {
		// A file system without hard links (FAT, some shares): test then rename.
		if _, serr := os.Lstat(path); serr == nil {
			err = os.ErrExist
		} else {
			err = os.Rename(tmp, path)
		}
	}
	if errors.Is(err, os.ErrExist) {
		return fileFail(op, exists, path, err)
	}
	if err != nil {
		return fileFail(op, agenda.CodeOutputFailed, path, err)
	}
	syncDir(dir)
	return nil
}

// removeWithJournals removes a temporary database file and whatever SQLite left beside it.
func removeWithJournals(path string) {
	for _, sfx := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + sfx)
	}
}

// sameFile reports whether a and b name one file: os.SameFile when both exist (symlinks, hard
// links, « .. », case-insensitive file systems), else the same resolved path (a journal that
// does not exist yet, through a symlinked folder).
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	ra, rb := resolved(a), resolved(b)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(ra, rb)
	}
	return ra == rb
}

func resolved(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(d, filepath.Base(p))
	}
	return filepath.Clean(p)
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

// Restore replaces the database at dbPath by the backup from. The application must be closed:
// Restore takes the data file's lock exclusively and refuses while any process has it open.
//
// The source is opened read-only and immutable (nothing is written beside it) and must be an RDV
// Guichet file: a known schema, the agenda's tables, at least one organisation, and a clean
// PRAGMA integrity_check. It is copied with VACUUM INTO to a temporary file beside dbPath (0600),
// which is renamed over dbPath in one atomic step. The file it replaces is kept, with its WAL, as
// <db>.avant-restauration-<timestamp>.sqlite: a restore can be undone. The temporary files of a
// restore that was interrupted (or killed) are removed, by this one or the next.
func Restore(dbPath, from string) error {
	_, err := RestoreWith(dbPath, from, Options{})
	return err
}

// RestoreWith is Restore with options (the clock names the kept file); it returns the path of
// the kept file ("" when there was none).
func RestoreWith(dbPath, from string, opts Options) (kept string, err error) {
	return RestoreContext(context.Background(), dbPath, from, opts)
}

// restoreTables are the tables every schema version has: a file without them is not an agenda.
var restoreTables = []string{"organisations", "lieux", "agents", "motifs", "usagers", "rdvs", "rdv_agents", "participations"}

// RestoreContext is RestoreWith that stops, cleaning up, when ctx is cancelled (Ctrl+C).
func RestoreContext(ctx context.Context, dbPath, from string, opts Options) (kept string, err error) {
	const op = "store.Restore"
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	st, err := os.Stat(from)
	if err != nil {
		return "", fileFail(op, agenda.CodeBackupMissing, from, err)
	}
	if st.IsDir() || st.Size() == 0 {
		return "", fileFail(op, agenda.CodeBackupNotAgenda, from, nil)
	}
	if st, err := os.Stat(dbPath); err == nil && st.IsDir() {
		return "", fileFail(op, agenda.CodeDatabaseIsDir, dbPath, nil)
	}
	for _, sfx := range []string{"", "-wal", "-shm", "-journal"} {
		if sameFile(from, dbPath+sfx) {
			return "", fileFail(op, agenda.CodeBackupIsDatabase, from, nil)
		}
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return "", fileFail(op, classifyFileErr(err), dbPath, err)
	}
	lock, err := acquireLock(dbPath, true, 0)
	if errors.Is(err, errLocked) {
		return "", fileFail(op, agenda.CodeDatabaseInUse, dbPath, err)
	}
	if err != nil {
		return "", fileFail(op, classifyFileErr(err), dbPath, err)
	}
	defer lock.release()
	cleanRestoreLeftovers(dbPath)

	stamp := opts.Clock.Now().UTC().Format("20060102T150405Z")
	tmpBase := fmt.Sprintf("%s.restauration-%s", dbPath, stamp)
	defer func() {
		if err != nil {
			cleanRestoreLeftovers(dbPath)
		}
	}()
	src, err := openBackup(ctx, from, tmpBase)
	if err != nil {
		return "", err
	}
	defer src.Close()
	if err := checkBackup(ctx, src, from); err != nil {
		return "", err
	}
	tmp := tmpBase + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fileFail(op, classifyFileErr(err), dbPath, err)
	}
	f.Close()
	// VACUUM INTO fills the empty private file: the restored agenda keeps its 0600.
	if _, err := src.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return "", mapErr(op, fmt.Errorf("copie de la sauvegarde : %w", err))
	}
	if err := syncFile(tmp); err != nil {
		return "", mapErr(op, err)
	}
	src.Close()
	if err := ctx.Err(); err != nil {
		return "", agenda.Wrap(op, agenda.CodeInterrupted, err)
	}

	// Keep what we replace, WAL included (a damaged file cannot be VACUUMed: copy the bytes).
	if _, err := os.Stat(dbPath); err == nil {
		kept = fmt.Sprintf("%s.avant-restauration-%s.sqlite", dbPath, stamp)
		if err := copyFile(dbPath, kept); err != nil {
			return "", fileFail(op, agenda.CodeOutputFailed, kept, err)
		}
		if _, err := os.Stat(dbPath + "-wal"); err == nil {
			if err := copyFile(dbPath+"-wal", kept+"-wal"); err != nil {
				return "", fileFail(op, agenda.CodeOutputFailed, kept+"-wal", err)
			}
		}
	}
	// The old WAL must go before the new file takes the name: SQLite would replay it onto the
	// restored file. Removing it first is safe: the kept copy has it, and no process has the file
	// open (the lock says so).
	for _, sfx := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + sfx); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fileFail(op, agenda.CodeDatabaseInUse, dbPath, err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return "", fileFail(op, agenda.CodeDatabaseInUse, dbPath, err)
	}
	syncDir(filepath.Dir(dbPath))
	return kept, nil
}

// cleanRestoreLeftovers removes what an interrupted restore left beside dbPath: its temporary
// copy (<db>.restauration-<stamp>.tmp), the copy of a backup with its WAL (….src), and their
// journals. Called with the exclusive lock.
func cleanRestoreLeftovers(dbPath string) {
	dir, prefix := filepath.Dir(dbPath), filepath.Base(dbPath)+".restauration-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, prefix) || e.IsDir() {
			continue
		}
		rest := n[len(prefix):]
		if strings.Contains(rest, ".tmp") || strings.Contains(rest, ".src") {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

// openBackup opens the backup without writing anything beside it: read-only and immutable (no
// -wal, no -shm). A backup that comes with a WAL of its own (a copy of a data file taken while
// the application ran) is copied with it first, beside the data file, and the copy is opened,
// so that the WAL's rows are not lost and the original is not touched.
func openBackup(ctx context.Context, from, tmpBase string) (*sql.DB, error) {
	const op = "store.Restore"
	path, dsnStr := from, dsnReadOnly(from, true)
	if st, err := os.Stat(from + "-wal"); err == nil && st.Size() > 0 {
		path = tmpBase + ".src"
		if err := copyFile(from, path); err != nil {
			return nil, fileFail(op, agenda.CodeOutputFailed, path, err)
		}
		if err := copyFile(from+"-wal", path+"-wal"); err != nil {
			return nil, fileFail(op, agenda.CodeOutputFailed, path, err)
		}
		dsnStr = fileURI(path) + "?_pragma=busy_timeout(10000)"
	}
	if err := checkHeader(path); err != nil {
		return nil, fileFail(op, agenda.CodeBackupNotAgenda, from, nil) // its code would say « data file »
	}
	src, err := sql.Open("sqlite", dsnStr)
	if err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	src.SetMaxOpenConns(1)
	if err := src.PingContext(ctx); err != nil {
		src.Close()
		if ctx.Err() != nil {
			return nil, agenda.Wrap(op, agenda.CodeInterrupted, err)
		}
		return nil, fileFail(op, agenda.CodeBackupNotAgenda, from, err)
	}
	return src, nil
}

// checkBackup refuses what is not an RDV Guichet backup this build can restore.
func checkBackup(ctx context.Context, src *sql.DB, from string) error {
	const op = "store.Restore"
	res, err := integrity(ctx, src, "integrity_check")
	if err != nil {
		if ctx.Err() != nil {
			return agenda.Wrap(op, agenda.CodeInterrupted, err)
		}
		return fileFail(op, agenda.CodeBackupNotAgenda, from, err)
	}
	if res != "ok" {
		return fileFail(op, agenda.CodeBackupDamaged, from, errors.New(firstLine(res)))
	}
	var v int
	if err := src.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fileFail(op, agenda.CodeBackupNotAgenda, from, err)
	}
	if v > SchemaVersion() {
		return &agenda.Error{Op: op, Kind: agenda.Invalid, Code: agenda.CodeBackupTooNew,
			Params: map[string]string{"path": from, "version": strconv.Itoa(v), "known": strconv.Itoa(SchemaVersion())}}
	}
	if v < 1 {
		return fileFail(op, agenda.CodeBackupNotAgenda, from, fmt.Errorf("user_version %d", v))
	}
	have := map[string]bool{}
	rows, err := src.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table'")
	if err != nil {
		return fileFail(op, agenda.CodeBackupNotAgenda, from, err)
	}
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			have[n] = true
		}
	}
	rows.Close()
	for _, t := range restoreTables {
		if !have[t] {
			return fileFail(op, agenda.CodeBackupNotAgenda, from, fmt.Errorf("table %s absente", t))
		}
	}
	var orgs int
	if err := src.QueryRowContext(ctx, "SELECT count(*) FROM organisations").Scan(&orgs); err != nil {
		return fileFail(op, agenda.CodeBackupNotAgenda, from, err)
	}
	if orgs == 0 {
		return fileFail(op, agenda.CodeBackupEmpty, from, nil)
	}
	return nil
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
