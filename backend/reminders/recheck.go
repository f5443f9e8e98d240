package reminders

import (
	"time"

	"rdvguichet/backend/agenda"
)

// Recheck says why a message written earlier must not leave now, "" when it may: the rows are
// intentions, and the RDV may have been deleted, moved, started, cancelled, restored or recorded
// since. rdv is nil when the RDV no longer exists. Whether the usager can still be reached on
// the channel is checked apart (ReasonUnreachable), with their current contact.
func Recheck(n Notification, rdv *agenda.Rdv, now time.Time) Reason {
	if rdv == nil {
		return ReasonDeleted
	}
	switch {
	case !rdv.StartsAt.Equal(n.StartsAt):
		return ReasonMovedSince
	case rdv.Started(now):
		return ReasonStarted
	}
	var part *agenda.Participation
	for i := range rdv.Participations {
		if rdv.Participations[i].UsagerID == n.UsagerID {
			part = &rdv.Participations[i]
		}
	}
	if part == nil {
		return ReasonUsagerRemoved
	}
	active := !rdv.Status.Cancelled() && !part.Status.Cancelled()
	switch {
	case n.Event == EventAnnulation && active:
		return ReasonRestored
	case n.Event != EventAnnulation && !active:
		return ReasonCancelledSince
	case n.Event != EventAnnulation && rdv.Status != agenda.StatusUnknown:
		return ReasonAlreadyRecorded
	}
	return ""
}
