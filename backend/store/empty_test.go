package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

// Leaving the demo empties the open file: no organisation, no usager (the search index too),
// nothing left to sync; the backup taken before keeps the demo whole.
func TestEmptyLeavesNothingOfTheDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "rdv.sqlite")
	if _, err := demo.Create(ctx, path, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), 3); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kept := filepath.Join(dir, "demo.sqlite")
	if err := db.Backup(kept); err != nil {
		t.Fatal(err)
	}
	if err := db.Empty(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Check()
	if err != nil || rep.Integrity != "ok" {
		t.Fatalf("check: %+v %v", rep, err)
	}
	for table, n := range rep.Counts {
		if n != 0 {
			t.Errorf("%s: %d rows left", table, n)
		}
	}
	if rep.PendingOps != 0 {
		t.Errorf("%d ops left to sync", rep.PendingOps)
	}
	if us, err := db.SearchUsagers(ctx, "martin", 10); err != nil || len(us) != 0 {
		t.Errorf("search after empty: %d usagers, %v", len(us), err)
	}
	if _, ok, _ := db.Setting(ctx, demo.SettingDemo); ok {
		t.Error("the file is still marked as the demo")
	}
	back, err := store.Open(kept, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if orgs, err := back.ListOrganisations(ctx); err != nil || len(orgs) != 1 {
		t.Fatalf("backup: %v, %v", orgs, err)
	}
}
