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
)

// organisationRetention sets how long the central keeps an organisation's personal data (the
// daily purge of serve applies it).
func organisationRetention(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("organisation retention --db URL --organisation UUID --years N", stderr)
	org := fs.String("organisation", "", "identifiant de l'organisation")
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

// organisationNotifications shows or changes the notification settings of an organisation: the
// messages of its online bookings leave from the central with them (the offices keep their own
// for their bookings). Only the options given change; without any, the settings are shown.
// Secrets (SMTP password, SMS key) are read from a file, never from the command line (process
// list, shell history), and never printed.
func organisationNotifications(args []string, stdout, stderr io.Writer) error {
	fs, db := flags("organisation notifications --db URL --organisation UUID [options]", stderr)
	org := fs.String("organisation", "", "identifiant de l'organisation")
	email := fs.Bool("email", false, "envoie les e-mails (--email=false les arrête)")
	sms := fs.Bool("sms", false, "envoie les SMS (--sms=false les arrête)")
	smtpAddr := fs.String("smtp", "", "serveur SMTP, hôte:port")
	smtpTLS := fs.String("smtp-tls", "", "sécurité SMTP : starttls, tls ou none")
	smtpUser := fs.String("smtp-user", "", "utilisateur SMTP")
	smtpPassFile := fs.String("smtp-password-file", "", "fichier contenant le mot de passe SMTP")
	from := fs.String("from", "", "expéditeur des e-mails, par exemple « Mairie <rdv@mairie.fr> »")
	replyTo := fs.String("reply-to", "", "adresse de réponse (par défaut celle de l'organisation)")
	smsProvider := fs.String("sms-provider", "", "fournisseur SMS : smsfactor, ou journal (démonstration : les SMS sont écrits dans --sms-journal)")
	smsKeyFile := fs.String("sms-key-file", "", "fichier contenant la clé d'API du fournisseur SMS")
	smsSender := fs.String("sms-sender", "", "expéditeur des SMS (11 lettres ou chiffres au plus)")
	smsJournal := fs.String("sms-journal", "", "fichier du fournisseur journal")
	reminder := fs.Int("reminder-hours", 0, "le rappel part tant d'heures avant le rendez-vous (48 par défaut)")
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
	var ferr error
	fs.Visit(func(f *flag.Flag) {
		changed = changed || f.Name != "db" && f.Name != "organisation"
		switch f.Name {
		case "email":
			set.EmailEnabled = *email
		case "sms":
			set.SMSEnabled = *sms
		case "smtp":
			host, port, err := net.SplitHostPort(*smtpAddr)
			p, perr := strconv.Atoi(port)
			if err != nil || perr != nil {
				ferr = usagef("--smtp : hôte:port attendu (par exemple smtp.exemple.fr:587)")
			}
			set.SMTP.Host, set.SMTP.Port = host, p
		case "smtp-tls":
			set.SMTP.TLS = *smtpTLS
		case "smtp-user":
			set.SMTP.Username = *smtpUser
		case "smtp-password-file":
			set.SMTP.Password = readSecret(*smtpPassFile, &ferr)
		case "from":
			set.SMTP.From = *from
		case "reply-to":
			set.ReplyTo = *replyTo
		case "sms-provider":
			set.SMS.Provider = *smsProvider
		case "sms-key-file":
			set.SMS.APIKey = readSecret(*smsKeyFile, &ferr)
		case "sms-sender":
			set.SMS.Sender = *smsSender
		case "sms-journal":
			set.SMS.Journal = *smsJournal
		case "reminder-hours":
			set.ReminderHours = *reminder
		}
	})
	if ferr != nil {
		return ferr
	}
	if changed {
		if err := set.Validate(); err != nil {
			return agenda.E("organisation notifications", agenda.Invalid, err)
		}
		b, err := json.Marshal(set)
		if err != nil {
			return err
		}
		if err := store.SetNotificationSettings(ctx, *org, b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Réglages des notifications de l'organisation %s enregistrés.\n", *org)
		// A channel switched on also reminds the online bookings made while it was off.
		n, err := store.ScheduleMissingReminders(ctx, *org)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(stdout, "%d rendez-vous en ligne à venir recevront aussi leur rappel.\n", n)
		}
	}
	describe(stdout, set)
	return nil
}

// readSecret reads a secret from a file (its first line); a file that cannot be read sets *ferr.
func readSecret(path string, ferr *error) string {
	b, err := os.ReadFile(path)
	if err != nil {
		*ferr = usagef("lecture de %s : %v", path, err)
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
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
