package reminders

import "fmt"

// Reason is why a message will not leave: a stable code for programs, and a French text that is
// stored in the message's last_error and shown as is in the RDV's message list. The texts are
// data already written in the agents' files: change one only knowing that older rows keep the
// old wording. They are written here and nowhere else.
type Reason string

// Reasons of the planner (a change made the message obsolete).
const (
	ReasonMoved     Reason = "superseded_moved" // Cancellation.Text adds the RDV's new version
	ReasonCancelled Reason = "rdv_cancelled"
	ReasonRecorded  Reason = "rdv_recorded" // seen or noshow: reminders are moot
)

// Reasons of the outbox (the store's housekeeping).
const (
	ReasonExpired     Reason = "started_before_sending" // due while no sender ran
	ReasonInterrupted Reason = "sending_interrupted"    // claimed, never recorded: uncertain
)

// Reasons of the sender's checks at send time (Recheck, and the settings of the sender).
const (
	ReasonDeleted         Reason = "rdv_deleted"
	ReasonMovedSince      Reason = "rdv_moved_since"
	ReasonStarted         Reason = "rdv_started"
	ReasonUsagerRemoved   Reason = "usager_removed"
	ReasonRestored        Reason = "rdv_restored"
	ReasonCancelledSince  Reason = "rdv_cancelled_since"
	ReasonAlreadyRecorded Reason = "rdv_already_recorded"
	ReasonUnreachable     Reason = "usager_unreachable"
	ReasonSMSOff          Reason = "sms_disabled"
	ReasonEmailOff        Reason = "email_disabled"
	ReasonNoSMSProvider   Reason = "no_sms_provider"
	ReasonNoMailServer    Reason = "no_mail_server"
	ReasonQuietUntilStart Reason = "quiet_hours_until_start"
)

var reasonTexts = map[Reason]string{
	ReasonMoved:           "remplacé : rendez-vous déplacé",
	ReasonCancelled:       "rendez-vous annulé",
	ReasonRecorded:        "rendez-vous renseigné",
	ReasonExpired:         "rendez-vous commencé avant l’envoi",
	ReasonInterrupted:     "envoi interrompu (arrêt du poste pendant l’envoi) : résultat inconnu, non renvoyé",
	ReasonDeleted:         "rendez-vous supprimé",
	ReasonMovedSince:      "rendez-vous déplacé depuis",
	ReasonStarted:         "rendez-vous commencé",
	ReasonUsagerRemoved:   "usager retiré du rendez-vous",
	ReasonRestored:        "rendez-vous rétabli depuis",
	ReasonCancelledSince:  "rendez-vous annulé",
	ReasonAlreadyRecorded: "rendez-vous déjà renseigné",
	ReasonUnreachable:     "l’usager ne peut plus ou ne souhaite plus être prévenu par ce canal",
	ReasonSMSOff:          "SMS désactivés dans les réglages",
	ReasonEmailOff:        "courriels désactivés dans les réglages",
	ReasonNoSMSProvider:   "aucun fournisseur SMS configuré",
	ReasonNoMailServer:    "aucun serveur de messagerie configuré",
	ReasonQuietUntilStart: "heures calmes jusqu’au début du rendez-vous",
}

// Text is the French text stored for r ("" for no reason, the code itself for an unknown one).
func (r Reason) Text() string {
	if r == "" {
		return ""
	}
	if t, ok := reasonTexts[r]; ok {
		return t
	}
	return string(r)
}

// movedText is the stored text of a message superseded by the move to version.
func movedText(version int) string {
	return fmt.Sprintf("%s (version %d)", ReasonMoved.Text(), version)
}
