package poste

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/secret"
)

// Config is a poste secondaire's own configuration: which principal it works with (address,
// pinned fingerprint, credential) and its own printers. It is a small file in the user's
// configuration folder (0600), the credential sealed with backend/secret (DPAPI on Windows).
// Its presence makes the window start as a secondary (main.go).
type Config struct {
	Address     string          `json:"address"`     // HOST:PORT of the principal
	Fingerprint string          `json:"fingerprint"` // the principal's certificate, pinned
	Credential  string          `json:"credential"`  // sealed (secret.Seal)
	PosteID     string          `json:"posteId"`
	Name        string          `json:"name"`
	Role        string          `json:"role"` // store.RoleGuichet or store.RoleBorne
	Office      string          `json:"office"`
	Printing    json.RawMessage `json:"printing,omitempty"` // app.PrinterSettings: this poste's Paramètres › Impression
}

// envConfig overrides ConfigPath (tests, several postes on one test machine).
const envConfig = "RDV_GUICHET_POSTE"

// ConfigPath is where the poste's configuration lives: $RDV_GUICHET_POSTE if set, else
// %APPDATA%\RDV Guichet\poste.json on Windows, else $XDG_CONFIG_HOME/rdv-guichet/poste.json.
func ConfigPath() (string, error) {
	if p := os.Getenv(envConfig); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", agenda.E("poste.ConfigPath", agenda.Other, fmt.Errorf("dossier de configuration introuvable : %w", err))
	}
	name := "rdv-guichet"
	if runtime.GOOS == "windows" {
		name = "RDV Guichet"
	}
	return filepath.Join(dir, name, "poste.json"), nil
}

// LoadConfig reads the configuration at path; ok is false when there is none (not a secondary).
func LoadConfig(path string) (cfg Config, ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, false, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &cfg)
	}
	if err != nil {
		return Config{}, false, agenda.E("poste.LoadConfig", agenda.Other, fmt.Errorf("configuration du poste %s illisible : %w", path, err))
	}
	return cfg, true, nil
}

// Save writes the configuration at path (0600), through a temporary file renamed over it.
func (c Config) Save(path string) error {
	const op = "poste.Config.Save"
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return agenda.E(op, agenda.Other, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return agenda.E(op, agenda.Unavailable, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".poste-*") // 0600
	if err != nil {
		return agenda.E(op, agenda.Unavailable, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return agenda.E(op, agenda.Unavailable, err)
	}
	return nil
}

// Paired returns the configuration of a new pairing, its credential sealed.
func Paired(p Pairing) (Config, error) {
	sealed, err := secret.SealString(p.Credential)
	if err != nil {
		return Config{}, agenda.E("poste.Paired", agenda.Other, err)
	}
	return Config{Address: p.Address, Fingerprint: p.Fingerprint, Credential: sealed, PosteID: p.PosteID, Name: p.Name, Role: p.Role, Office: p.Office}, nil
}

// Client returns the client of the configured principal.
func (c Config) Client() (*Client, error) {
	cred, err := secret.OpenString(c.Credential)
	if err != nil || cred == "" {
		return nil, agenda.Fail("poste.Config.Client", agenda.CodePosteNonApparie)
	}
	return NewClient(c.Address, c.Fingerprint, cred), nil
}
