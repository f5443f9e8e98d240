package notify

import (
	"context"
	"encoding/base64"
	"runtime"
	"strings"
	"testing"

	"rdvguichet/backend/secret"
	"rdvguichet/backend/store"
)

// Hardening: the SMTP password and the SMS key are sealed in the settings row (backend/secret),
// read back in clear by LoadSettings; clear values of an older version are still read and are
// sealed by the next save. On the old code the row holds them in clear.
func TestSecretsAreSealedAtRest(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	set, err := LoadSettings(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	set.SMTP.Username, set.SMTP.Password = "rdv", "mot-de-passe-smtp"
	set.SMS = SMSSettings{Provider: "smsfactor", APIKey: "cle-api-smsfactor", Sender: "StAubin"}
	if err := SaveSettings(ctx, w.db, set); err != nil {
		t.Fatal(err)
	}
	raw := rawSettings(t, w.db)
	if strings.Contains(raw, "mot-de-passe-smtp") || strings.Contains(raw, "cle-api-smsfactor") {
		t.Fatalf("a secret is stored in clear: %s", raw)
	}
	prefix := secret.Scheme() + ":"
	if strings.Count(raw, `":"`+prefix) != 2 {
		t.Fatalf("want both secrets sealed with %q: %s", prefix, raw)
	}
	got, err := LoadSettings(ctx, w.db)
	if err != nil || got.SMTP.Password != "mot-de-passe-smtp" || got.SMS.APIKey != "cle-api-smsfactor" {
		t.Fatalf("read back: %v %q %q", err, got.SMTP.Password, got.SMS.APIKey)
	}
	if p, _ := got.NewProvider(); p.(*SMSFactor).Token != "cle-api-smsfactor" {
		t.Fatalf("the provider does not get the clear key")
	}

	// An older version's row, in clear: read as it is, sealed at the next save.
	old := `{"emailEnabled":true,"reminderHours":48,"smtp":{"host":"smtp.example.fr","username":"rdv","password":"ancien-clair","from":"rdv@example.fr"},"sms":{"provider":"smsfactor","apiKey":"ancienne-cle","sender":"MAIRIE"}}`
	if err := w.db.SetSetting(ctx, store.NotificationSettingsKey, old); err != nil {
		t.Fatal(err)
	}
	got, err = LoadSettings(ctx, w.db)
	if err != nil || got.SMTP.Password != "ancien-clair" || got.SMS.APIKey != "ancienne-cle" || got.SMTP.Host != "smtp.example.fr" {
		t.Fatalf("old clear row: %v %+v", err, got)
	}
	if err := SaveSettings(ctx, w.db, got); err != nil {
		t.Fatal(err)
	}
	if raw := rawSettings(t, w.db); strings.Contains(raw, "ancien-clair") || strings.Contains(raw, "ancienne-cle") {
		t.Fatalf("not migrated by the save: %s", raw)
	}
	if got, _ := LoadSettings(ctx, w.db); got.SMTP.Password != "ancien-clair" || got.SMS.APIKey != "ancienne-cle" {
		t.Fatalf("after the migration: %q %q", got.SMTP.Password, got.SMS.APIKey)
	}
}

// A secret sealed on another PC or Windows account (here: DPAPI read on Linux) is taken as not
// set; the other settings are read.
func TestUnreadableSecretIsNotSet(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a DPAPI blob of another account cannot be made here")
	}
	w := newWorld(t)
	ctx := context.Background()
	blob := "dpapi:" + base64.StdEncoding.EncodeToString([]byte("blob d'un autre poste"))
	row := `{"emailEnabled":true,"reminderHours":48,"smtp":{"host":"smtp.example.fr","username":"rdv","password":"` + blob + `","from":"rdv@example.fr"},"sms":{"provider":"journal","apiKey":"` + blob + `"}}`
	if err := w.db.SetSetting(ctx, store.NotificationSettingsKey, row); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSettings(ctx, w.db)
	if err != nil || got.SMTP.Password != "" || got.SMS.APIKey != "" || got.SMTP.Host != "smtp.example.fr" || !got.EmailEnabled {
		t.Fatalf("unreadable secrets: %v %+v", err, got)
	}
}

func rawSettings(t *testing.T, db *store.DB) string {
	t.Helper()
	raw, _, err := db.Setting(context.Background(), store.NotificationSettingsKey)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
