package store

import (
	"errors"
	"os"
	"time"
)

// The data file's lock: <db>.lock, beside it, holds an advisory lock for as long as a DB is open.
// Normal opens share it (the agents' window, the kiosk, a command, a test's second handle all work
// on one file at once: SQLite serialises their writes); Restore takes it exclusively, so it
// refuses to replace a file that any process has open (rows committed meanwhile would be lost),
// and opens wait while a restore runs. The lock is the kernel's (flock on Unix, LockFileEx on
// Windows): a crashed process releases it, and the file itself is never removed (removing a
// lock file races with the next process that opens it).

// errLocked is what tryLock returns when another holder's mode conflicts.
var errLocked = errors.New("verrou tenu par un autre programme")

type fileLock struct{ f *os.File }

// lockPath names the lock file of the data file at path.
func lockPath(path string) string { return path + ".lock" }

// acquireLock takes the lock of path in the given mode, retrying for up to wait while another
// holder conflicts (a restore takes a few seconds). It returns errLocked after wait.
func acquireLock(path string, exclusive bool, wait time.Duration) (*fileLock, error) {
	f, err := os.OpenFile(lockPath(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		err := tryLock(f, exclusive)
		if err == nil {
			return &fileLock{f}, nil
		}
		if !errors.Is(err, errLocked) || time.Now().After(deadline) {
			f.Close()
			return nil, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// release drops the lock (closing the file releases it).
func (l *fileLock) release() {
	if l != nil && l.f != nil {
		unlock(l.f)
		l.f.Close()
		l.f = nil
	}
}
