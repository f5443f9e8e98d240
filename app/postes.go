package app

import (
	"cmp"
	"context"
	"errors"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/fr"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

// Paramètres › Postes (ADR 0010): the agent window of the poste principal also serves the office's
// other postes when an administrator turns it on; the administrator adds a poste (a one-time
// pairing code to type on the new PC) and revokes one. The server itself is app/principal, which
// main.go gives the services (SetServing): the doors here only check the caller and describe.

// Serving is the postes' server of this process.
type Serving interface {
	Start(addr string) error // serves the postes on addr (HOST:PORT; ":PORT" for every interface)
	Stop() error
	Address() string // where it serves; "" when it does not
}

// settingServing keeps the address the postes are served on: the window serves again at its
// next start (StartBackground).
const settingServing = "postes.listen"

// SetServing gives the services the postes' server of this process.
func (s *Services) SetServing(v Serving) { s.office.serving = v }

// OfferPairing opens the window on the pairing screen (rdv-guichet --appairer: the installer's
// shortcut of a poste secondaire or a borne, until the PC is paired).
func (s *Services) OfferPairing() { s.office.pairFirst = true }

// SetReopen gives the services what opens this PC's window again once it is paired (OpenAsPoste):
// the desktop starts itself anew and closes this window; the E2E server serves the poste's window.
func (s *Services) SetReopen(reopen func() error) { s.office.reopen = reopen }

// startServing serves the postes again if an administrator turned it on; a failure (the port
// taken) is logged, and Paramètres › Postes says it.
func (s *Services) startServing(ctx context.Context) {
	addr, ok, err := s.office.db.Setting(ctx, settingServing)
	if s.office.serving == nil || !ok || err != nil || addr == "" {
		return
	}
	if err := s.office.serving.Start(addr); err != nil {
		log.Printf("postes : impossible de servir les postes sur %s : %v", addr, err)
	}
}

// KeepSession keeps the agent's session of these services in the data file under posteID, and
// takes back the one kept there if it is still within its idle timeout: the principal's services
// of a poste secondaire survive the principal's restart (the counter's agent stays signed in).
// The writes do not run under a call's context: they are not the call's change.
func (s *Services) KeepSession(ctx context.Context, posteID string) error {
	kept, ok, err := s.office.db.LoadPosteSession(ctx, posteID)
	if err != nil {
		return err
	}
	var agent agenda.Agent
	if ok && s.office.clock.Now().Sub(kept.Last) <= kept.Timeout {
		if agent, err = s.office.db.GetAgent(ctx, kept.AgentID); err != nil && agenda.KindOf(err) != agenda.NotFound {
			return err
		}
	}
	sess := s.Agent.session
	sess.mu.Lock()
	defer sess.mu.Unlock()
	sess.keep = func(p *store.PosteSession) {
		if err := s.office.db.SavePosteSession(context.Background(), posteID, p); err != nil {
			log.Printf("postes : session du poste %s non enregistrée : %v", posteID, err)
		}
	}
	if agent.Active && agent.Kind == agenda.KindAgent {
		sess.agent, sess.last, sess.timeout, sess.saved = &agent, kept.Last, kept.Timeout, kept.Last
	}
	return nil
}

// PostesView is Paramètres › Postes.
type PostesView struct {
	Serving     bool        `json:"serving"`
	Available   bool        `json:"available"` // this process can serve (the desktop's principal)
	Address     string      `json:"address"`   // where it serves, or the last address asked
	Addresses   []string    `json:"addresses"` // what the other PCs type (this PC's IP addresses and the port)
	Fingerprint string      `json:"fingerprint"`
	Postes      []PosteView `json:"postes"`
}

// PosteView is a poste of the list.
type PosteView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`      // guichet, borne
	RoleLabel string `json:"roleLabel"` // « Guichet », « Borne d'accueil »
	Hostname  string `json:"hostname"`
	State     string `json:"state"` // « En attente d'appairage », « Appairé », « Révoqué »
	LastSeen  string `json:"lastSeen"`
	Revoked   bool   `json:"revoked"`
}

// PosteInvitation is a new poste's pairing code, to type on the new PC before it expires.
type PosteInvitation struct {
	Poste       PosteView `json:"poste"`
	Code        string    `json:"code"`
	Expires     string    `json:"expires"`     // RFC 3339
	ExpiresText string    `json:"expiresText"` // « valable jusqu'à 10 h 42 »
	Fingerprint string    `json:"fingerprint"` // to compare on the new PC
}

// PostesStatus returns Paramètres › Postes. Administrators only.
func (s *AgentService) PostesStatus() (PostesView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (PostesView, error) {
		return s.postesView(ctx)
	})
}

// EnableServing serves the office's postes on addr (poste.DefaultListen when empty), now and at each
// start of the window. Administrators only.
func (s *AgentService) EnableServing(addr string) (PostesView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (PostesView, error) {
		if s.serving == nil {
			return PostesView{}, agenda.Fail("app.EnableServing", agenda.CodePosteNonServi)
		}
		if addr == "" {
			addr = poste.DefaultListen
		}
		if err := s.serving.Start(addr); err != nil {
			return PostesView{}, err
		}
		if err := s.db.SetSetting(ctx, settingServing, addr); err != nil {
			return PostesView{}, err
		}
		return s.postesView(ctx)
	})
}

// DisableServing stops serving the postes (they find the principal unreachable). Administrators only.
func (s *AgentService) DisableServing() (PostesView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (PostesView, error) {
		if s.serving != nil {
			if err := s.serving.Stop(); err != nil {
				return PostesView{}, err
			}
		}
		if err := s.db.SetSetting(ctx, settingServing, ""); err != nil {
			return PostesView{}, err
		}
		return s.postesView(ctx)
	})
}

// AddPoste adds a poste of role (guichet or borne) and returns its one-time pairing code.
// Administrators only.
func (s *AgentService) AddPoste(name, role string) (PosteInvitation, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (PosteInvitation, error) {
		inv, err := poste.Invite(ctx, s.db, name, role, s.clock.Now())
		if err != nil {
			return PosteInvitation{}, err
		}
		_, loc, err := s.org(ctx)
		if err != nil {
			return PosteInvitation{}, err
		}
		return PosteInvitation{Poste: posteView(inv.Poste, loc), Code: inv.Code, Expires: inv.Expires.In(loc).Format(time.RFC3339),
			ExpiresText: "valable jusqu’à " + fr.Time(inv.Expires.In(loc)), Fingerprint: inv.Fingerprint}, nil
	})
}

// RevokePoste revokes a poste: its next call is refused. Administrators only.
func (s *AgentService) RevokePoste(id string) (PostesView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, _ agenda.Agent) (PostesView, error) {
		if _, err := s.db.RevokePoste(ctx, id); err != nil {
			return PostesView{}, err
		}
		return s.postesView(ctx)
	})
}

func (o *office) postesView(ctx context.Context) (PostesView, error) {
	id, err := poste.LoadIdentity(ctx, o.db)
	if err != nil {
		return PostesView{}, err
	}
	_, loc, err := o.org(ctx)
	if err != nil {
		return PostesView{}, err
	}
	out := PostesView{Fingerprint: id.Fingerprint, Available: o.serving != nil, Postes: []PosteView{}}
	if o.serving != nil {
		out.Address = o.serving.Address()
	}
	out.Serving = out.Address != ""
	out.Addresses = AddressesToTypeOf(out.Address)
	if !out.Serving {
		out.Address, _, _ = o.db.Setting(ctx, settingServing)
	}
	list, err := o.db.ListPostes(ctx)
	for _, p := range list {
		out.Postes = append(out.Postes, posteView(p, loc))
	}
	return out, err
}

func posteView(p store.Poste, loc *time.Location) PosteView {
	v := PosteView{ID: p.ID, Name: p.Name, Role: p.Role, RoleLabel: "Guichet", Hostname: p.Hostname, State: "En attente d’appairage"}
	if p.Role == store.RoleBorne {
		v.RoleLabel = "Borne d’accueil"
	}
	switch {
	case p.RevokedAt != nil:
		v.State, v.Revoked = "Révoqué", true
	case p.PairedAt != nil:
		v.State = "Appairé"
	}
	if p.LastSeen != nil {
		v.LastSeen = fr.DateTime(*p.LastSeen, loc)
	}
	return v
}

// PairingView is the outcome of pairing this PC with a poste principal.
type PairingView struct {
	Name        string `json:"name"`
	Role        string `json:"role"`
	Office      string `json:"office"`
	Fingerprint string `json:"fingerprint"`
	Message     string `json:"message"`
}

// AddressesToTypeOf is poste.AddressesToType for this PC's interfaces ("" when not serving).
func AddressesToTypeOf(listen string) []string {
	if listen == "" {
		return []string{}
	}
	return poste.AddressesToType(listen, net.InterfaceAddrs)
}

// pairingAccess is who may pair this PC (it then opens another office's agenda): an administrator,
// or anyone on a new PC, whose data file is still empty (the first start's chooser) or the
// demonstration: it has no account of its own yet (the first-start screen and the sign-in screen
// offer the pairing).
func (s *AgentService) pairingAccess() access {
	ctx := s.context()
	if _, isDemo, err := s.db.Setting(ctx, demo.SettingDemo); err == nil && isDemo {
		return noSession
	}
	if orgs, err := s.db.ListOrganisations(ctx); err == nil && len(orgs) == 0 {
		return noSession
	}
	return asAdmin
}

// ProbePrincipal returns the fingerprint of the poste principal at address (HOST[:PORT], the port
// 47650 when none is typed), for the pairing screen to ask « L'empreinte affichée sur le poste
// principal est-elle … ? » before the code is sent. pairingAccess says who may.
func (s *AgentService) ProbePrincipal(address string) (string, error) {
	return call(s.office, s.session, s.pairingAccess(), func(ctx context.Context, _ agenda.Agent) (string, error) {
		return poste.Probe(ctx, poste.NormalizeAddress(address))
	})
}

// PairThisPoste pairs this PC with the poste principal at address, sending code only to the
// certificate whose fingerprint the administrator confirmed: OpenAsPoste, or the next start, opens
// the principal's agenda (this PC's data file stays as it is). pairingAccess says who may.
func (s *AgentService) PairThisPoste(address, code, fingerprint string) (PairingView, error) {
	return call(s.office, s.session, s.pairingAccess(), func(ctx context.Context, _ agenda.Agent) (PairingView, error) {
		if strings.TrimSpace(fingerprint) == "" {
			return PairingView{}, agenda.Fail("app.PairThisPoste", agenda.CodePosteCertificat, "fingerprint", "")
		}
		path, err := poste.ConfigPath()
		if err != nil {
			return PairingView{}, err
		}
		host, _ := os.Hostname()
		p, err := poste.Pair(ctx, poste.NormalizeAddress(address), code, host, fingerprint)
		if err != nil {
			return PairingView{}, err
		}
		cfg, err := poste.Paired(p)
		if err == nil {
			err = cfg.Save(path)
		}
		return PairingView{Name: p.Name, Role: p.Role, Office: p.Office, Fingerprint: p.Fingerprint,
			Message: "Ce poste est appairé : RDV Guichet s’ouvre désormais sur l’agenda du poste principal."}, err
	})
}

// OpenAsPoste opens this PC's window again as the poste secondaire it was just paired as (the
// agents' window of the principal, or its kiosk): PairThisPoste first.
func (s *AgentService) OpenAsPoste() error {
	_, err := call(s.office, s.session, noSession, func(context.Context, agenda.Agent) (done, error) {
		path, err := poste.ConfigPath()
		if err != nil {
			return done{}, err
		}
		if _, paired, err := poste.LoadConfig(path); err != nil || !paired {
			return done{}, cmp.Or(err, agenda.Fail("app.OpenAsPoste", agenda.CodePosteNonApparie))
		}
		if s.reopen == nil {
			return done{}, errors.New("app.OpenAsPoste : cette fenêtre ne peut pas se rouvrir")
		}
		return done{}, s.reopen()
	})
	return err
}
