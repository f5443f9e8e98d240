package checkin_test

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"

	"rdvguichet/backend/checkin"
	"rdvguichet/backend/store"
)

// Two processes (here two handles on one file) creating the secret at the same moment must end
// up signing with the same one: a QR printed by one verifies in the other.
func TestLoadSecretFirstWriterWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.sqlite")
	var dbs []*store.DB
	for range 4 {
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	secrets := make([][]byte, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := checkin.LoadSecret(t.Context(), db, nil)
			if err != nil {
				t.Error(err)
			}
			secrets[i] = s
		}()
	}
	wg.Wait()
	for i := range secrets {
		if !bytes.Equal(secrets[i], secrets[0]) {
			t.Fatalf("handle %d signs with another secret", i)
		}
	}
}
