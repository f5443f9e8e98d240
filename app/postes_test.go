package app

import (
	"errors"
	"slices"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
)

// serving is a postes' server that only says where it listens.
type serving struct {
	addr string
	fail error
}

func (s *serving) Start(addr string) error {
	if s.fail != nil {
		return s.fail
	}
	s.addr = addr
	return nil
}
func (s *serving) Stop() error     { s.addr = ""; return nil }
func (s *serving) Address() string { return s.addr }

// Paramètres › Postes: an administrator serves the postes, adds one (its code), revokes it; the
// address is kept for the next start; an agent who is not an administrator reaches none of it.
func TestPostesSettings(t *testing.T) {
	services, _ := demoServices(t)
	if _, err := services.Agent.EnableServing(""); doorCode(err) != string(agenda.CodePosteNonServi) {
		t.Errorf("without a server: %v", err)
	}
	srv := &serving{}
	services.SetServing(srv)
	v, err := services.Agent.EnableServing("")
	if err != nil || !v.Serving || v.Address != ":47650" || len(v.Fingerprint) != 79 || len(v.Postes) != 0 {
		t.Fatalf("serving: %+v %v", v, err)
	}
	if v.Addresses == nil || slices.Contains(v.Addresses, "127.0.0.1:47650") {
		t.Errorf("addresses to type: %v", v.Addresses)
	}
	inv, err := services.Agent.AddPoste("Borne du hall", "borne")
	if err != nil || len(inv.Code) != 12 || inv.Fingerprint != v.Fingerprint || inv.Poste.State != "En attente d’appairage" || inv.ExpiresText == "" {
		t.Fatalf("invitation: %+v %v", inv, err)
	}
	if _, err := services.Agent.AddPoste("borne du hall", "guichet"); doorCode(err) != string(agenda.CodePosteNomPris) {
		t.Errorf("same name: %v", err)
	}
	if _, err := services.Agent.AddPoste("Salle DR", "cuisine"); doorCode(err) != string(agenda.CodePosteRole) {
		t.Errorf("unknown role: %v", err)
	}
	v, err = services.Agent.RevokePoste(inv.Poste.ID)
	if err != nil || len(v.Postes) != 1 || !v.Postes[0].Revoked {
		t.Errorf("revoked: %+v %v", v, err)
	}
	// The next start serves again on the address kept.
	srv.addr = ""
	services.startServing(t.Context())
	if srv.addr != ":47650" {
		t.Errorf("serving at start: %q", srv.addr)
	}
	if v, err = services.Agent.DisableServing(); err != nil || v.Serving || srv.addr != "" || len(v.Addresses) != 0 {
		t.Errorf("disabled: %+v %v", v, err)
	}
	srv.fail = errors.New("port pris")
	services.startServing(t.Context()) // nothing kept: nothing tried
	if _, err := services.Agent.SignIn("karim", demo.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := services.Agent.PostesStatus(); doorCode(err) != string(agenda.CodeAdminOnly) {
		t.Errorf("an agent: %v", err)
	}
}

// rdv-guichet --appairer (the installer's shortcut of a poste secondaire or a borne) opens the
// window on the pairing screen.
func TestOfferPairing(t *testing.T) {
	services, _, _ := openDemo(t)
	if s, err := services.Agent.Ready(); err != nil || s.Pairing {
		t.Fatalf("by default: %+v %v", s.Pairing, err)
	}
	services.OfferPairing()
	if s, err := services.Agent.Ready(); err != nil || !s.Pairing {
		t.Errorf("offered: %+v %v", s.Pairing, err)
	}
}
