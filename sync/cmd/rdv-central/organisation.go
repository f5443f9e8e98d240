package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/notify"
	"rdvguichet/sync/server/pgstore"
)

// organisationRetention sets how long the central keeps an organisation's personal data (the
// daily purge of serve applies it).
func organisationRetention(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("organisation retention --db URL --organisation UUID --years N", stderr)
	org := fs.String("organisation", "", "identifiant de l’organisation")
	years := fs.Int("years", 0, "durée de conservation en années (1 à 10 ; 2 par défaut, comme RDV Service Public)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *org == "" || *years == 0 {
		return usagef("--organisation et --years sont obligatoires")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetRetentionYears(ctx, *org, *years); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Organisation %s : données personnelles conservées %d an(s) après le dernier rendez-vous.\n", *org, *years)
	return nil
}

// notificationOption is one option of « organisation notifications »: it changes the settings
// only when it is given (the others keep their stored value).
type notificationOption struct {
	name, usage string
	boolean     bool
	set         func(s *notify.Settings, v string) error
}

var notificationOptions = []notificationOption{
	{"email", "envoie les e-mails (--email=false les arrête)", true, func(s *notify.Settings, v string) error {
		s.EmailEnabled = v == "true"
		return nil
	}},
	{"smtp", "serveur SMTP, hôte:port", false, func(s *notify.Settings, v string) error {
		host, port, err := net.SplitHostPort(v)
		p, perr := strconv.Atoi(port)
		if err != nil || perr != nil {
			return usagef("--smtp : hôte:port attendu (par exemple smtp.exemple.fr:587)")
		}
		s.SMTP.Host, s.SMTP.Port = host, p
		return nil
	}},
	{"smtp-tls", "sécurité SMTP : starttls, tls ou none", false, func(s *notify.Settings, v string) error { s.SMTP.TLS = v; return nil }},
	{"smtp-user", "utilisateur SMTP", false, func(s *notify.Settings, v string) error { s.SMTP.Username = v; return nil }},
	{"smtp-password-file", "fichier contenant le mot de passe SMTP", false, func(s *notify.Settings, v string) (err error) {
		s.SMTP.Password, err = readSecret(v)
		return err
	}},
	{"from", "expéditeur des e-mails, par exemple « Mairie <rdv@mairie.fr> »", false, func(s *notify.Settings, v string) error { s.SMTP.From = v; return nil }},
	{"reply-to", "adresse de réponse (par défaut celle de l’organisation)", false, func(s *notify.Settings, v string) error { s.ReplyTo = v; return nil }},
	{"sms", "envoie les SMS (--sms=false les arrête)", true, func(s *notify.Settings, v string) error {
		s.SMSEnabled = v == "true"
		return nil
	}},
	{"sms-provider", "fournisseur SMS : smsfactor, ou journal (démonstration : les SMS sont écrits dans --sms-journal)", false,
		func(s *notify.Settings, v string) error { s.SMS.Provider = v; return nil }},
	{"sms-key-file", "fichier contenant la clé d’API du fournisseur SMS", false, func(s *notify.Settings, v string) (err error) {
		s.SMS.APIKey, err = readSecret(v)
		return err
	}},
	{"sms-sender", "expéditeur des SMS (11 lettres ou chiffres au plus)", false, func(s *notify.Settings, v string) error { s.SMS.Sender = v; return nil }},
	{"sms-journal", "fichier du fournisseur journal", false, func(s *notify.Settings, v string) error { s.SMS.Journal = v; return nil }},
	{"reminder-hours", "le rappel part tant d’heures avant le rendez-vous (48 par défaut)", false, func(s *notify.Settings, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return usagef("--reminder-hours : un nombre d’heures est attendu")
		}
		s.ReminderHours = n
		return nil
	}},
}

// organisationNotifications shows or changes the notification settings of an organisation: the
// messages of its online bookings leave from the central with them (the offices keep their own
// for their bookings). Only the options given change; without any, the settings are shown.
// Secrets (SMTP password, SMS key) are read from a file, never from the command line (process
// list, shell history), and never printed.
func organisationNotifications(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("organisation notifications --db URL --organisation UUID [options]", stderr)
	org := fs.String("organisation", "", "identifiant de l’organisation")
	byName := map[string]notificationOption{}
	for _, o := range notificationOptions {
		byName[o.name] = o
		if o.boolean {
			fs.Bool(o.name, false, o.usage)
		} else {
			fs.String(o.name, "", o.usage)
		}
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if *org == "" {
		return usagef("--organisation est obligatoire")
	}
	ctx := context.Background()
	store, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	raw, err := store.NotificationSettings(ctx, *org)
	if err != nil {
		return err
	}
	set, err := notify.ParseSettings(raw)
	if err != nil {
		return err
	}
	changed := false
	fs.Visit(func(f *flag.Flag) {
		if o, ok := byName[f.Name]; ok && err == nil {
			changed, err = true, o.set(&set, f.Value.String())
		}
	})
	if err != nil {
		return err
	}
	if changed {
		if err := saveNotifications(ctx, store, *org, set, stdout); err != nil {
			return err
		}
	}
	describe(stdout, set)
	return nil
}

// saveNotifications validates and stores an organisation's settings, then gives the online
// bookings made while a channel was off the reminders of the channels now on.
func saveNotifications(ctx context.Context, store *pgstore.Store, org string, set notify.Settings, stdout io.Writer) error {
	if err := set.Validate(); err != nil {
		return agenda.E("organisation notifications", agenda.Invalid, err)
	}
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	if err := store.SetNotificationSettings(ctx, org, b); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Réglages des notifications de l’organisation %s enregistrés.\n", org)
	n, err := store.ScheduleMissingReminders(ctx, org)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stdout, "%d rendez-vous en ligne à venir recevront aussi leur rappel.\n", n)
	}
	return nil
}

// readSecret reads a secret from a file: its first line.
func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usagef("lecture de %s : %v", path, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line), nil
}

// describe prints the settings, their secrets as « enregistré » or « absent » only.
func describe(w io.Writer, s notify.Settings) {
	onOff := func(b bool) string {
		if b {
			return "activés"
		}
		return "désactivés"
	}
	secret := func(v string) string {
		if v == "" {
			return "absent"
		}
		return "enregistré"
	}
	fmt.Fprintf(w, "E-mails : %s ; serveur %s:%d (%s), utilisateur « %s », mot de passe %s, expéditeur « %s »\n",
		onOff(s.EmailEnabled), s.SMTP.Host, s.SMTP.Port, s.SMTP.TLS, s.SMTP.Username, secret(s.SMTP.Password), s.SMTP.From)
	fmt.Fprintf(w, "SMS : %s ; fournisseur « %s », clé %s, expéditeur « %s »\n", onOff(s.SMSEnabled), s.SMS.Provider, secret(s.SMS.APIKey), s.SMS.Sender)
	fmt.Fprintf(w, "Rappel : %d h avant le rendez-vous\n", s.ReminderHours)
}
