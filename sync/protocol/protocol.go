// Package protocol is the wire format between an office (the desktop app) and the central server,
// shared by both sides: the push of outbox ops and its per-op results. Every message carries
// the protocol version; a side refuses a version it does not know rather than guess.
//
// The design (ARCHITECTURE.md, « Sync »): each local mutation writes an op (UUIDv7 id, entity,
// payload, base version) in the same transaction as the business rows; the office pushes ops in
// order; the central applies each in its own transaction and records its result under the op id,
// so a replayed op gets the same answer (idempotency). Order comes from the central's sequence,
// never from the devices' clocks.
package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// Version is the protocol version this build speaks.
const Version = 1

// MaxBatch bounds a push: an office that was offline for weeks sends its backlog in several
// requests, each small enough to apply within the central's timeouts.
const MaxBatch = 500

// Op is one local mutation, as the outbox recorded it.
type Op struct {
	ID             string          `json:"id"` // UUIDv7: the idempotency key
	OrganisationID string          `json:"organisationId"`
	Entity         string          `json:"entity"` // rdv, usager, motif, plage, …
	EntityID       string          `json:"entityId"`
	Kind           string          `json:"kind"`    // upsert, delete
	Payload        json.RawMessage `json:"payload"` // the entity after the change (null for a delete)
	BaseVersion    int             `json:"baseVersion"`
	CreatedAt      time.Time       `json:"createdAt"` // for people reading logs; never used to order
}

// Push is an office's batch of ops, in its outbox order.
type Push struct {
	Version int    `json:"version"`
	Office  string `json:"office"`
	Ops     []Op   `json:"ops"`
}

// Result is the central's answer to one op. A rejected op goes to the office's « à traiter » list.
type Result struct {
	OpID       string `json:"opId"`
	Accepted   bool   `json:"accepted"`
	NewVersion int    `json:"newVersion,omitempty"`
	Reason     string `json:"reason,omitempty"` // French, shown to the agent when rejected
}

// PushReply answers a Push with one result per op, in the same order.
type PushReply struct {
	Version int      `json:"version"`
	Results []Result `json:"results"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// entities are the kinds of rows an office may push.
var entities = map[string]bool{"organisation": true, "lieu": true, "agent": true, "motif": true, "plage": true,
	"absence": true, "usager": true, "rdv": true}

// DecodePush reads and checks a Push: known version, bounded batch, well-formed ops, one office's
// organisation. A malformed message is refused whole, with a French reason: nothing is applied.
func DecodePush(data []byte) (Push, error) {
	var p Push
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Push{}, fmt.Errorf("message de synchronisation illisible : %v", err)
	}
	if dec.More() {
		return Push{}, fmt.Errorf("message de synchronisation illisible : données après le message")
	}
	if p.Version != Version {
		return Push{}, fmt.Errorf("version de protocole %d inconnue (ce serveur parle la version %d) : mettez à jour RDV Guichet", p.Version, Version)
	}
	if len(p.Ops) > MaxBatch {
		return Push{}, fmt.Errorf("lot de %d opérations : au plus %d par envoi", len(p.Ops), MaxBatch)
	}
	seen := make(map[string]bool, len(p.Ops))
	for i, op := range p.Ops {
		if err := op.check(); err != nil {
			return Push{}, fmt.Errorf("opération %d : %v", i+1, err)
		}
		if seen[op.ID] {
			return Push{}, fmt.Errorf("opération %d : identifiant %s en double dans le lot", i+1, op.ID)
		}
		seen[op.ID] = true
		if op.OrganisationID != p.Ops[0].OrganisationID {
			return Push{}, fmt.Errorf("opération %d : un lot ne concerne qu'une organisation", i+1)
		}
	}
	return p, nil
}

func (op Op) check() error {
	switch {
	case !uuidRE.MatchString(op.ID):
		return fmt.Errorf("identifiant d'opération %q invalide", op.ID)
	case !uuidRE.MatchString(op.OrganisationID):
		return fmt.Errorf("organisation %q invalide", op.OrganisationID)
	case !entities[op.Entity]:
		return fmt.Errorf("entité %q inconnue", op.Entity)
	case op.EntityID == "":
		return fmt.Errorf("identifiant d'entité manquant")
	case op.BaseVersion < 0:
		return fmt.Errorf("version de base %d négative", op.BaseVersion)
	}
	switch op.Kind {
	case "upsert":
		if len(op.Payload) == 0 || op.Payload[0] != '{' {
			return fmt.Errorf("une mise à jour porte l'entité en objet JSON")
		}
	case "delete":
		if len(op.Payload) != 0 && string(op.Payload) != "null" {
			return fmt.Errorf("une suppression ne porte pas d'entité")
		}
	default:
		return fmt.Errorf("type d'opération %q inconnu (upsert ou delete)", op.Kind)
	}
	return nil
}
