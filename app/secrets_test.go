package app

import (
	"encoding/base64"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"rdvguichet/backend/demo"
	"rdvguichet/backend/secret"
	"rdvguichet/backend/store"
)

// Hardening: the SMTP password and the SMS key go in through Paramètres › Notifications, are
// sealed in the file, and never come back to the frontend: GetSettings says « set » only.
func TestNotificationSecretsSealedAndNeverReturned(t *testing.T) {
	services, db, _ := openDemo(t)
	svc := services.Notifications
	if _, err := services.Agent.SignIn("claire", demo.Password); err != nil {
		t.Fatal(err)
	}
	v, err := svc.GetSettings()
	if err != nil {
		t.Fatal(err)
	}
	v.EmailEnabled, v.SMTPHost, v.SMTPPort, v.SMTPTLS, v.SMTPUsername, v.SMTPPassword = true, "smtp.saint-aubin.fr", 587, "starttls", "rdv", "secret-smtp-de-la-mairie"
	v.SMTPFrom = "Mairie <rdv@saint-aubin.fr>"
	v.SMSProvider, v.SMSAPIKey, v.SMSSender = "smsfactor", "cle-api-de-la-mairie", "MAIRIE"
	if res, err := svc.SaveSettings(v); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	got, err := svc.GetSettings()
	if err != nil || !got.SMTPPasswordSet || !got.SMSAPIKeySet || got.SMTPPassword != "" || got.SMSAPIKey != "" {
		t.Fatalf("view: %v %+v", err, got)
	}
	view, _ := json.Marshal(got)
	raw, _, _ := db.Setting(t.Context(), store.NotificationSettingsKey)
	for _, s := range []string{string(view), raw} {
		if strings.Contains(s, "secret-smtp-de-la-mairie") || strings.Contains(s, "cle-api-de-la-mairie") {
			t.Fatalf("a secret leaks: %s", s)
		}
	}
	// Saving the form again with empty secrets keeps them (still sealed).
	if res, err := svc.SaveSettings(got); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save again: %v %+v", err, res.Errors)
	}
	if again, _ := svc.GetSettings(); !again.SMTPPasswordSet || !again.SMSAPIKeySet {
		t.Fatalf("empty fields lost the secrets: %+v", again)
	}
	if raw, _, _ := db.Setting(t.Context(), store.NotificationSettingsKey); strings.Contains(raw, "secret-smtp") || !strings.Contains(raw, secret.Scheme()+":") {
		t.Fatalf("after the second save: %s", raw)
	}
}

// The sync token of an older version, in clear, is still read; one sealed on another PC or
// Windows account is taken as not set (the badge is off, the settings ask for it again).
func TestSyncTokenOldClearAndUnreadable(t *testing.T) {
	services, db, _ := openDemo(t)
	ctx := t.Context()
	if err := db.SetSyncServer(ctx, "https://central.example.fr"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, store.SyncTokenKey, "jeton-en-clair"); err != nil {
		t.Fatal(err)
	}
	if tok, err := db.SyncToken(ctx); err != nil || tok != "jeton-en-clair" {
		t.Fatalf("old clear token: %q %v", tok, err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if err := db.SetSetting(ctx, store.SyncTokenKey, "dpapi:"+base64.StdEncoding.EncodeToString([]byte("blob d'un autre poste"))); err != nil {
		t.Fatal(err)
	}
	if tok, err := db.SyncToken(ctx); err != nil || tok != "" {
		t.Fatalf("unreadable token: %q %v", tok, err)
	}
	if _, err := services.Agent.SignIn("claire", demo.Password); err != nil {
		t.Fatal(err)
	}
	if v, err := services.Sync.Settings(); err != nil || v.TokenSet || v.Connected {
		t.Fatalf("settings with an unreadable token: %v %+v", err, v)
	}
}
