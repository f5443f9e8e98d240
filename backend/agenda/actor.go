package agenda

import "strings"

// ActorKind says who made a change: an agent at the counter, the usager at the kiosk or online,
// an import, the sync with the central, or the office's own processes (the CLI, the sender).
type ActorKind string

const (
	ActorAgent  ActorKind = "agent"    // a signed-in agent; Actor.AgentID says which
	ActorKiosk  ActorKind = "kiosk"    // the usager at the lobby kiosk
	ActorOnline ActorKind = "en_ligne" // the usager on the central's pages
	ActorUsager ActorKind = "usager"   // the usager through a link (cancel page), channel unknown
	ActorImport ActorKind = "import"   // a file import or the demo generator, on the agents' side
	ActorSync   ActorKind = "sync"     // a change received from the central
	ActorCLI    ActorKind = "cli"      // the command line, run by the office's administrator
)

// Actor is who made a change: one type where the history, the reminder planner and the booking
// decision used to decode a free string.
type Actor struct {
	Kind    ActorKind
	AgentID string // for ActorAgent
}

// ByAgent is the actor of a change made by the signed-in agent id.
func ByAgent(id string) Actor { return Actor{Kind: ActorAgent, AgentID: id} }

// Kiosk, Online, Import, Sync and CLI are the actors that are not agents.
var (
	Kiosk  = Actor{Kind: ActorKiosk}
	Online = Actor{Kind: ActorOnline}
	Import = Actor{Kind: ActorImport}
	Sync   = Actor{Kind: ActorSync}
	CLI    = Actor{Kind: ActorCLI}
)

// String is the stored form (history's by_who, RDV's created_by): the agent's id for an agent,
// the kind otherwise. ParseActor reads it back.
func (a Actor) String() string {
	if a.Kind == ActorAgent {
		return a.AgentID
	}
	return string(a.Kind)
}

// ParseActor reads the stored form. Anything that is not a known kind is an agent's id; "" (old
// rows) is an agent whose id is unknown. "borne" is the kiosk's name in older files.
func ParseActor(s string) Actor {
	switch k := ActorKind(strings.TrimSpace(s)); k {
	case ActorKiosk, ActorOnline, ActorUsager, ActorImport, ActorSync, ActorCLI:
		return Actor{Kind: k}
	case "borne":
		return Kiosk
	case "online": // the web origin's name before the vocabulary was unified
		return Online
	}
	return ByAgent(s)
}

// SelfService reports whether the usager made the change themselves (kiosk, online, a link)
// rather than the service: RDV Service Public sends no SMS to someone who cancelled themselves.
func (a Actor) SelfService() bool {
	return a.Kind == ActorKiosk || a.Kind == ActorOnline || a.Kind == ActorUsager
}

// ForAgents reports whether the change comes from the agents' side, which may override benign
// warnings and book any free minute (agents, imports, the administrator's CLI).
func (a Actor) ForAgents() bool { return a.Origine().ForAgents() }

// Origine is the channel an RDV booked by this actor comes through.
func (a Actor) Origine() Origine {
	switch a.Kind {
	case ActorKiosk:
		return OrigineKiosk
	case ActorOnline, ActorUsager:
		return OrigineEnLigne
	case ActorImport, ActorSync:
		return OrigineImport
	}
	return OrigineGuichet
}

// ForAgents reports whether an RDV of this origine is booked by the agents' side.
func (o Origine) ForAgents() bool { return o == OrigineGuichet || o == OrigineImport || o == "" }
