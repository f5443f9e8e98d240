package demo

import (
	"fmt"
)

// Password is the demo agents' password (claire, administrator; karim, agent). The sign-in
// screen shows it when the data file is a demo (SettingDemo), so that anyone trying the app can
// sign in; a real agenda never has it.
const Password = "demo-guichet"

// passwordHash is Password hashed once with store.HashPassword, shipped here: the password is
// public, and hashing it at each demo cost two argon2id runs, most of the first start's wait.
// TestPasswordHash fails when store's parameters change: hash it again then.
const passwordHash = "$argon2id$v=19$m=65536,t=3,p=2$4miXmi4esSqC9YMIhU4VxQ$3dlk7BDPHOv4p1NPO8Uztgkwn3nOsef2T2m5VrD28TY"

// SettingDemo is the local setting that marks a data file as the demo's.
const SettingDemo = "demo"

// accounts gives the demo's agents a password and marks the file as a demo.
func (g *generator) accounts() error {
	for _, a := range []string{g.claire.ID, g.karim.ID} {
		if err := g.db.SetAgentPasswordHash(a, passwordHash); err != nil {
			return fmt.Errorf("mot de passe de démonstration : %w", err)
		}
	}
	return g.db.SetSetting(SettingDemo, "1")
}
