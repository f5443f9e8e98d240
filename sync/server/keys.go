package server

import (
	"context"
	"net/http"

	"rdvguichet/sync/protocol"
)

// keys gives an office its organisation's keys (ADR 0012), over its authenticated connection:
// never in the change feed, which the central keeps and purges by other rules.
func (s *Server) keys(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	office, err := s.authenticate(ctx, r)
	if err != nil {
		s.fail(w, err)
		return
	}
	keys, err := s.store.OrganisationKeys(ctx, office.OrganisationID)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.log.Debug("keys", "office", office.ID, "organisation", office.OrganisationID, "keys", len(keys))
	writeJSON(w, http.StatusOK, protocol.KeysReply{Version: protocol.Version, Keys: keys})
}
