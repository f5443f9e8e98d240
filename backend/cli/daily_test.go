package cli

import (
	"bytes"
	"database/sql"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/store"
)

// breakIndexPage overwrites the root page of the index rdv_agents_busy with garbage, as a disk
// that lost a write would: the tables are sound, the file opens, only a check reading the index
// sees it.
func breakIndexPage(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, size int64
	if err := raw.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'rdv_agents_busy'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, int(size/4)), (root-1)*size); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a log's output read while the check writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Issue 16, #1: store.Open no longer reads the whole file, so damage in an index page opens; the
// check run beside the window once it is up still finds it, logs it and hands it to the window,
// on the first start of the day (full check before the backup) as on the next ones (quick check).
func TestDamageFoundAfterTheWindowIsUp(t *testing.T) {
	for _, backupDone := range []bool{false, true} {
		path := demoDB(t)
		breakIndexPage(t, path)
		db, err := store.Open(path, store.Options{Clock: fixedClock{tuesday}})
		if err != nil {
			t.Fatalf("the open should read nothing of the index: %v", err)
		}
		today := filepath.Join(db.BackupDir(), "rdv-guichet-"+tuesday.Local().Format("2006-01-02")+".sqlite")
		if backupDone { // an earlier start today wrote the day's backup
			os.MkdirAll(db.BackupDir(), 0o700)
			os.WriteFile(today, nil, 0o600)
		}
		var logs syncBuffer
		faults := make(chan error, 2)
		up := make(chan struct{})
		stop := StartDaily(db, log.New(&logs, "", 0), up, func(err error) { faults <- err })
		select {
		case err := <-faults:
			t.Fatalf("checked before the window was up: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		close(up)
		select {
		case err := <-faults:
			if agenda.CodeOf(err) != agenda.CodeDatabaseDamaged || agenda.ParamsOf(err)["backups"] != db.BackupDir() {
				t.Errorf("backup done %v: fault %v %v", backupDone, err, agenda.ParamsOf(err))
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("backup done %v: the damage was not reported; log: %s", backupDone, logs.String())
		}
		stop()
		db.Close()
		if !strings.Contains(logs.String(), "endommagé") {
			t.Errorf("backup done %v: log %q", backupDone, logs.String())
		}
		if st, err := os.Stat(today); !backupDone && err == nil {
			t.Errorf("a damaged file was backed up (%d bytes)", st.Size())
		}
	}
}
