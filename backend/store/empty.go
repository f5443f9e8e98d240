package store

import (
	"context"
	"strings"
)

// Empty removes every row of the data file, keeping its schema: the demo left for a real agenda
// (« Quitter la démonstration », after a backup). It runs in one transaction on the open file, so
// that the window and the kiosk that have it open see an empty agenda at once, without a restart.
// The file's own machinery comes back as a new file has it (the sync state's row); the poste's
// identity (its certificate, poste_identity) is the PC's, not the demo's, and stays.
func (db *DB) Empty(ctx context.Context) error {
	return db.write(ctx, "store.Empty", func(tx *txn) error {
		// The foreign keys are checked at the commit, when every table is empty.
		if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
			AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'usagers_fts_%' AND name <> 'poste_identity'`)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Triggers write history and outbox rows while rows are deleted: a second pass empties them.
		for range 2 {
			for _, t := range tables {
				if _, err := tx.ExecContext(ctx, `DELETE FROM "`+strings.ReplaceAll(t, `"`, `""`)+`"`); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sync_state(id) VALUES (1)"); err != nil {
			return err
		}
		// No RDV left: every one has its agenda card (as in a new file).
		_, err = tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, 'oui')", cardsBuiltKey)
		return err
	})
}
