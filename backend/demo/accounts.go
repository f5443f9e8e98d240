package demo

import (
	"context"
	"fmt"

	"rdvguichet/backend/store"
)

// Password is the demo agents' password (claire, administrator; karim, agent). The sign-in
// screen shows it when the data file is a demo (SettingDemo), so that anyone trying the app can
// sign in; a real agenda never has it.
const Password = "demo-guichet"

// SettingDemo is the local setting that marks a data file as the demo's.
const SettingDemo = "demo"

// accounts gives the demo's agents a password and marks the file as a demo.
func (g *generator) accounts(ctx context.Context) error {
	for _, a := range []string{g.claire.ID, g.karim.ID} {
		hash, err := store.HashPassword(Password)
		if err != nil {
			return err
		}
		if err := g.db.SetAgentPasswordHash(ctx, a, hash); err != nil {
			return fmt.Errorf("mot de passe de démonstration : %w", err)
		}
	}
	return g.db.SetSetting(ctx, SettingDemo, "1")
}
