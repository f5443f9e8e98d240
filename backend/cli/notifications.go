package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"rdvguichet/backend/notify"
)

func init() {
	commands["notifications"] = command{"liste les SMS et courriels dus (« notifications send » les envoie)", cmdNotifications}
}

// notificationJSON is a due message as scripts read it.
type notificationJSON struct {
	ID        string    `json:"id"`
	RdvID     string    `json:"rdvId"`
	Event     string    `json:"event"`   // confirmation, modification, rappel, annulation
	Channel   string    `json:"channel"` // sms, email
	Recipient string    `json:"recipient"`
	DueAt     time.Time `json:"dueAt"`
	StartsAt  time.Time `json:"startsAt"`
}

// cmdNotifications is `notifications --db F [--at RFC3339] [--json]` (list what is due, send
// nothing) and `notifications send --db F [--json]` (send what is due now). The commands map is
// keyed by the first word, so the « send » sub-command is read here.
func cmdNotifications(e *env, args []string) error {
	if len(args) > 0 && args[0] == "send" {
		return cmdNotificationsSend(e, args[1:])
	}
	fs := flags(e, "notifications", "--db FICHIER [--at AAAA-MM-JJTHH:MM:SS+01:00] [--json]   |   notifications send --db FICHIER [--json]")
	dbFlag := fs.String("db", "", "fichier de données")
	atFlag := fs.String("at", "", "instant (RFC 3339), par défaut maintenant")
	asJSON := fs.Bool("json", false, "sortie JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	at := e.clock.Now()
	if *atFlag != "" {
		t, err := parseInstant("at", *atFlag)
		if err != nil {
			return err
		}
		at = t
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	due, err := db.DueNotifications(context.Background(), at, 0)
	if err != nil {
		return err
	}
	out := make([]notificationJSON, 0, len(due))
	for _, n := range due {
		out = append(out, notificationJSON{ID: n.ID, RdvID: n.RdvID, Event: n.Event, Channel: n.Channel, Recipient: n.Recipient,
			DueAt: n.DueAt, StartsAt: n.StartsAt})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "Aucun message dû.")
		return nil
	}
	for _, n := range out {
		fmt.Fprintf(e.stdout, "%s  %-12s %-5s %-32s RDV %s\n", n.DueAt.Local().Format("2006-01-02 15:04"), n.Event, n.Channel, n.Recipient, n.RdvID)
	}
	fmt.Fprintf(e.stdout, "%d message(s) dû(s).\n", len(out))
	return nil
}

func cmdNotificationsSend(e *env, args []string) error {
	fs := flags(e, "notifications send", "--db FICHIER [--json]")
	dbFlag := fs.String("db", "", "fichier de données")
	asJSON := fs.Bool("json", false, "sortie JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(e, *dbFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	s := &notify.Sender{DB: db, Clock: e.clock}
	acts, err := s.RunOnce(context.Background())
	if err != nil {
		return err
	}
	if acts == nil {
		acts = []notify.Action{}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(acts)
	}
	if len(acts) == 0 {
		fmt.Fprintln(e.stdout, "Rien à envoyer.")
		return nil
	}
	counts := map[string]int{}
	for _, a := range acts {
		counts[a.Result]++
		line := fmt.Sprintf("%-9s %-12s %-5s %-32s RDV %s", a.Result, a.Event, a.Channel, a.Recipient, a.RdvID)
		if a.Detail != "" {
			line += " — " + a.Detail
		}
		fmt.Fprintln(e.stdout, line)
	}
	fmt.Fprintf(e.stdout, "%d envoyé(s), %d à réessayer, %d en échec, %d annulé(s), %d reporté(s), %d incertain(s).\n",
		counts["sent"], counts["retry"], counts["failed"], counts["cancelled"], counts["deferred"], counts["uncertain"])
	return nil
}
