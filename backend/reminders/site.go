package reminders

import "rdvguichet/backend/agenda"

// Site is where an RDV's messages are planned and sent from: the office that holds it, or the
// central server (rdv-central).
type Site string

const (
	SiteOffice  Site = "guichet"
	SiteCentral Site = "central"
)

// SiteOf says where the messages of r leave from: the side that sold it, for its whole life. An
// online booking's (origine en_ligne) leave from the central, even when the RDV is moved or
// cancelled at the counter (the office's op reaches the central, whose planner writes the
// modification or the cancellation: ADR 0007); every other RDV's leave from the office, even
// once pushed to the central. Each change is planned on one side only, and a pulled or pushed
// copy is never planned again, so no message is sent twice because an RDV travelled.
func SiteOf(r agenda.Rdv) Site {
	if r.Origine == agenda.OrigineEnLigne {
		return SiteCentral
	}
	return SiteOffice
}
