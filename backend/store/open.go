package store

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed sql/*.sql
var migrationFS embed.FS

// Options configures Open.
type Options struct {
	// Clock gives "now" for updated_at, created_at, history rows and backup names. Nil means the
	// system clock.
	Clock agenda.Clock
	// ReadOnly opens an existing file without writing to it: no schema, no migration, no
	// pragma that writes (« rdv-guichet check »). Writes fail.
	ReadOnly bool
	// DeferSync lets commits return before they reach the disk (WAL with synchronous=NORMAL: the
	// WAL is synced at checkpoints): a power cut may lose the last commits, never corrupt the
	// file. For a bulk writer of data that can be made again, the demo; the application never
	// sets it, a booking must survive a power cut.
	DeferSync bool
	// NoMigrate opens the file read-write but leaves its schema as it is (« check --repair »).
	NoMigrate bool
}

// DB is the open local database. It is safe for concurrent use: writes go through one connection
// (SQLite has one writer; queueing in Go is cheaper than spinning on SQLITE_BUSY), reads through a
// pool that WAL lets run beside the writer.
type DB struct {
	path  string
	w     *sql.DB // one connection, every transaction BEGIN IMMEDIATE
	r     *sql.DB // readers, query_only
	clock agenda.Clock
	wr    *pool // the one session of w (held once the first write happens)
	rd    *pool // reader sessions on r
	lock  *fileLock
	ro    bool
	// cardsComplete caches that every RDV has its agenda card (never false again once true).
	cardsComplete atomic.Bool
}

// envDB names the environment variable that overrides DefaultPath.
const envDB = "RDV_GUICHET_DB"

// DefaultPath returns where the database lives when the user names none: $RDV_GUICHET_DB if set,
// else %APPDATA%\RDV Guichet\rdv-guichet.sqlite on Windows, else
// $XDG_DATA_HOME/rdv-guichet/rdv-guichet.sqlite (~/.local/share by default). Open creates the
// folder.
func DefaultPath() (string, error) {
	if p := os.Getenv(envDB); p != "" {
		return p, nil
	}
	const file = "rdv-guichet.sqlite"
	if runtime.GOOS == "windows" {
		dir := os.Getenv("APPDATA")
		if dir == "" {
			var err error
			if dir, err = os.UserConfigDir(); err != nil {
				return "", agenda.E("store.DefaultPath", agenda.Other, fmt.Errorf("dossier %%APPDATA%% introuvable : %w", err))
			}
		}
		return filepath.Join(dir, "RDV Guichet", file), nil
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", agenda.E("store.DefaultPath", agenda.Other, fmt.Errorf("dossier personnel introuvable : %w", err))
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "rdv-guichet", file), nil
}

// dsn builds the modernc DSN: a file: URI with the path escaped, so that any path works (the
// driver cuts a plain path at its first « ? »: agenda?v2.sqlite would open agenda). The
// driver hands the whole URI to sqlite3_open_v2 with SQLITE_OPEN_URI, which ignores the
// driver's own _pragma and _txlock parameters, and runs the pragmas on every new connection.
func dsn(path string, writer, deferSync bool) string {
	sync := "_pragma=synchronous(FULL)"
	if deferSync {
		sync = "_pragma=synchronous(NORMAL)"
	}
	q := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		sync,
	}
	if writer {
		q = append(q, "_txlock=immediate")
	} else {
		q = append(q, "_pragma=query_only(1)")
	}
	return fileURI(path) + "?" + strings.Join(q, "&")
}

// dsnReadOnly opens an existing file without any write: mode=ro, no journal_mode change (an old
// rollback-journal file stays as it is). immutable (for a backup that no process writes) also
// keeps SQLite from creating -wal and -shm beside it.
func dsnReadOnly(path string, immutable bool) string {
	q := "mode=ro&_pragma=busy_timeout(10000)"
	if immutable {
		q += "&immutable=1"
	}
	return fileURI(path) + "?" + q
}

// fileURI writes path as an SQLite URI (https://sqlite.org/uri.html): absolute, forward slashes,
// every byte outside a safe set percent-encoded (« ? », « # », « % », spaces, accents), and
// « file:///C:/… » for a Windows drive.
func fileURI(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	path = filepath.ToSlash(path)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // C:/dir → /C:/dir
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '/', c == '-', c == '_', c == '.', c == '~', c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

const sqliteHeader = "SQLite format 3\x00"

// Open opens (creating if needed) the database at path and brings its schema to the latest
// version, backing the file up first when it holds data. It checks only what costs the same on
// any file: the header, the schema version and SQLite's recovery of the WAL; the integrity
// checks, which read the whole file, run after the window is up (StartupCheck, Daily) or on
// demand (« rdv-guichet check »), so that ten years of RDVs open as fast as a new agenda. The file and its
// journals are private to the user (0600). While the DB is open it holds the shared lock of
// <path>.lock, which Restore tests.
func Open(path string, opts Options) (*DB, error) {
	const op = "store.Open"
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	if path == "" {
		return nil, agenda.Errorf(op, agenda.Invalid, "aucun fichier de données indiqué")
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return nil, fileFail(op, agenda.CodeDatabaseIsDir, path, nil)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, fileFail(op, agenda.CodeDatabaseUnreadable, path, err)
	case err != nil && opts.ReadOnly:
		return nil, fileFail(op, agenda.CodeDatabaseMissing, path, err)
	}
	if !opts.ReadOnly {
		if err := prepareFile(path); err != nil {
			return nil, fileFail(op, classifyFileErr(err), path, err)
		}
	}
	lock, err := acquireLock(path, false, 15*time.Second)
	switch {
	case errors.Is(err, errLocked):
		return nil, fileFail(op, agenda.CodeDatabaseInUse, path, err)
	case err != nil && !opts.ReadOnly:
		return nil, fileFail(op, classifyFileErr(err), path, err)
	case err != nil:
		lock = nil // checking a file on a read-only medium: nothing can write it anyway
	}
	db, err := open(op, path, opts)
	if err != nil {
		lock.release()
		return nil, err
	}
	db.lock = lock
	return db, nil
}

func open(op, path string, opts Options) (*DB, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	wdsn, rdsn := dsn(path, true, opts.DeferSync), dsn(path, false, opts.DeferSync)
	if opts.ReadOnly {
		wdsn, rdsn = dsnReadOnly(path, false), dsnReadOnly(path, false)
	}
	w, err := sql.Open("sqlite", wdsn)
	if err != nil {
		return nil, agenda.E(op, agenda.Other, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, w: w, clock: opts.Clock, wr: newPool(w, 1), ro: opts.ReadOnly}
	fail := func(err error) (*DB, error) {
		w.Close()
		if db.r != nil {
			db.r.Close()
		}
		return nil, err
	}
	ctx := context.Background()
	if err := ping(ctx, w); err != nil {
		return fail(openError(op, path, err))
	}
	if opts.ReadOnly || opts.NoMigrate {
		if err := db.checkVersion(ctx); err != nil {
			return fail(err)
		}
	} else if err := db.migrate(ctx); err != nil {
		return fail(err)
	}
	r, err := sql.Open("sqlite", rdsn)
	if err != nil {
		return fail(agenda.E(op, agenda.Other, err))
	}
	// Sessions hold up to nRead connections for good; the rest serve one-off reads and backups.
	nRead := max(2, min(4, runtime.GOMAXPROCS(0)))
	r.SetMaxOpenConns(nRead + 4)
	r.SetMaxIdleConns(nRead + 4)
	db.r, db.rd = r, newPool(r, nRead)
	if err := r.PingContext(ctx); err != nil {
		return fail(openError(op, path, err))
	}
	return db, nil
}

// prepareFile creates the data file private to the user (SQLite would create it 0644, and its
// journals take the file's mode) and, on Unix, takes group and others' access away from an
// existing one and its journals: the agenda holds personal data. A file the user cannot write
// is refused here, before SQLite answers « attempt to write a readonly database » at the first
// booking.
func prepareFile(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	if runtime.GOOS != "windows" {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
				os.Chmod(p, st.Mode().Perm()&0o700) // not the owner: SQLite will say what it can
			}
		}
	}
	return nil
}

// classifyFileErr names a file-system failure at open.
func classifyFileErr(err error) agenda.Code {
	switch {
	case errors.Is(err, os.ErrPermission), errors.Is(err, syscall.EROFS):
		return agenda.CodeDatabaseReadOnly
	case errors.Is(err, os.ErrNotExist):
		return agenda.CodeDatabaseMissing
	}
	return agenda.CodeDatabaseUnreadable
}

// fileFail is the refusal code about the file at path, with the cause kept for the logs.
func fileFail(op string, code agenda.Code, path string, cause error) error {
	return &agenda.Error{Op: op, Kind: code.Kind(), Code: code, Params: map[string]string{"path": path}, Err: cause}
}

// checkVersion refuses, without changing anything, a file that holds no RDV Guichet schema or
// one newer than this build.
func (db *DB) checkVersion(ctx context.Context) error {
	const op = "store.Open"
	var v int
	if err := db.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return openError(op, db.path, err)
	}
	if v == 0 {
		return fileFail(op, agenda.CodeNotAnAgenda, db.path, fmt.Errorf("schéma absent (user_version 0)"))
	}
	if v > SchemaVersion() {
		return tooNew(op, db.path, v)
	}
	return nil
}

func tooNew(op, path string, v int) error {
	return &agenda.Error{Op: op, Kind: agenda.Invalid, Code: agenda.CodeDatabaseTooNew,
		Params: map[string]string{"path": path, "version": strconv.Itoa(v), "known": strconv.Itoa(SchemaVersion())},
		Err: fmt.Errorf("le fichier de données %s a été créé par une version plus récente de RDV Guichet (schéma %d, cette version connaît le schéma %d) : mettez l’application à jour",
			path, v, SchemaVersion())}
}

// Close closes the database. The last connection to close checkpoints the WAL into the file.
func (db *DB) Close() error {
	db.wr.close()
	db.rd.close()
	err1 := db.r.Close()
	err2 := db.w.Close()
	db.lock.release()
	if err := errors.Join(err1, err2); err != nil {
		return agenda.E("store.Close", agenda.Other, err)
	}
	return nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// checkHeader refuses a non-empty file that is not SQLite, before the driver turns it into a
// confusing "file is not a database" on the first statement.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fileFail("store.checkHeader", classifyFileErr(err), path, err)
	}
	defer f.Close()
	buf := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, buf)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // empty file: SQLite initialises it
	}
	if !bytes.Equal(buf[:n], []byte(sqliteHeader)) {
		return fileFail("store.checkHeader", agenda.CodeNotAnAgenda, path, fmt.Errorf(
			"Le fichier de données %s n’est pas une base RDV Guichet (SQLite) ou il est endommagé. "+
				"Vérifiez le chemin, ou restaurez une sauvegarde avec « rdv-guichet restore ».", path))
	}
	return nil
}

// DamagedError is the cause of the error Open returns for a damaged file; the CLI and the app can
// recognise it with errors.As to offer a restore.
type DamagedError struct {
	Path   string
	Detail string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("Le fichier de données %s est endommagé : %s. Restaurez une sauvegarde avec « rdv-guichet restore ».", e.Path, e.Detail)
}

func damaged(op, path, detail string) error {
	detail = strings.TrimSpace(detail)
	if i := strings.IndexByte(detail, '\n'); i >= 0 {
		detail = detail[:i] + " …"
	}
	return &agenda.Error{Op: op, Kind: agenda.CodeDatabaseDamaged.Kind(), Code: agenda.CodeDatabaseDamaged,
		Params: map[string]string{"path": path, "backups": backupDirOf(path)},
		Err:    &DamagedError{Path: path, Detail: detail}}
}

// openError classifies a failure at open: corruption gets the restore message, a locked or
// unreadable file is Unavailable.
func openError(op, path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return damaged(op, path, se.Error())
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return agenda.Wrap(op, agenda.CodeDatabaseBusy, err)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return fileFail(op, agenda.CodeDatabaseReadOnly, path, err)
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR:
			return fileFail(op, agenda.CodeDatabaseUnreadable, path, err)
		}
	}
	if s := err.Error(); strings.Contains(s, "malformed") || strings.Contains(s, "not a database") {
		return damaged(op, path, s)
	}
	return agenda.E(op, agenda.Other, fmt.Errorf("ouverture de %s : %w", path, err))
}

// integrity runs PRAGMA quick_check or integrity_check and joins its rows ("ok" when sound).
// ping opens the first connection. Its pragmas switch a new file to WAL, which SQLite refuses at
// once (SQLITE_BUSY, no busy handler) while another process is creating the same file: the kiosk
// and the agents' window starting together on a fresh install. It tries again for a few seconds.
func ping(ctx context.Context, w *sql.DB) error {
	for attempt := 0; ; attempt++ {
		err := w.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || attempt >= 50 || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func integrity(ctx context.Context, q querier, pragma string) (string, error) {
	for attempt := 0; ; attempt++ {
		res, err := integrityOnce(ctx, q, pragma)
		// Another process creating the schema of a new file (the kiosk and the agents' window
		// starting together) changes it under the check: SQLite then asks to read it again.
		var se *sqlite.Error
		if err != nil && attempt < 5 && errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_SCHEMA {
			continue
		}
		return res, err
	}
}

func integrityOnce(ctx context.Context, q querier, pragma string) (string, error) {
	rows, err := q.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return strings.Join(out, "\n"), nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded sql/NNNN_*.sql files in order. Numbers must be 1, 2, 3… without
// gaps: PRAGMA user_version holds the number of the last one applied.
func migrations() ([]migration, error) {
	entries, err := migrationFS.ReadDir("sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		if !ok {
			return nil, fmt.Errorf("migration %s : nom attendu NNNN_description.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s : numéro invalide", name)
		}
		b, err := migrationFS.ReadFile("sql/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, name, string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations : %s devrait porter le numéro %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this build writes (the number of the last migration).
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies the missing migrations, each in its own transaction with its user_version, after
// a VACUUM INTO backup when the file already holds something: a failed or faulty migration must
// never cost the office its agenda.
func (db *DB) migrate(ctx context.Context) error {
	const op = "store.migrate"
	ms, err := migrations()
	if err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	var current int
	if err := db.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return openError(op, db.path, err)
	}
	latest := len(ms)
	if current > latest {
		return tooNew(op, db.path, current)
	}
	if current == latest {
		return nil
	}
	var objects int
	if err := db.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return openError(op, db.path, err)
	}
	if objects > 0 {
		base := fmt.Sprintf("%s.avant-migration-v%d-%s", db.path, latest, db.clock.Now().UTC().Format("20060102T150405Z"))
		// The next free name; another process starting on the same file (the kiosk with the agents'
		// window) may take it between the look and the write: then the one after.
		for i := 1; ; i++ {
			dst := base + ".sqlite"
			if i > 1 {
				dst = fmt.Sprintf("%s-%d.sqlite", base, i)
			}
			if fileExists(dst) {
				continue
			}
			err := db.backupTo(ctx, db.w, dst, agenda.CodeBackupExists)
			if err == nil {
				break
			}
			if agenda.CodeOf(err) != agenda.CodeBackupExists || i > 100 {
				return agenda.E(op, agenda.Other, fmt.Errorf("sauvegarde avant migration impossible, migration annulée : %w", err))
			}
		}
	}
	for _, m := range ms[current:] {
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return agenda.E(op, agenda.Other, err)
		}
		// Another process (the kiosk starting with the agent app) may have migrated meanwhile:
		// BEGIN IMMEDIATE serialised us, so the version read now is the truth.
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return agenda.E(op, agenda.Other, err)
		}
		if v >= m.version {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return agenda.E(op, agenda.Other, fmt.Errorf("migration %s : %w", m.name, err))
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return agenda.E(op, agenda.Other, fmt.Errorf("migration %s : %w", m.name, err))
		}
		if err := tx.Commit(); err != nil {
			return agenda.E(op, agenda.Other, fmt.Errorf("migration %s : %w", m.name, err))
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
