package client

import (
	"context"
	"net/http"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/sync/protocol"
)

// keysEvery is how often a running client asks the central for its organisation's keys again:
// a key rotation reaches the offices within that delay (ADR 0012).
const keysEvery = time.Hour

// keys asks the central for the organisation's keys and records them, sealed, in the file
// (checkin.SaveOrgKeys): the office then signs its convocations and links with the key the
// central and the organisation's other offices use. It asks at the client's first round, then
// every keysEvery; a central that does not know the request (404) is left alone.
func (c *Client) keys(ctx context.Context) error {
	if !c.keysAt.IsZero() && c.now().Sub(c.keysAt) < keysEvery {
		return nil
	}
	var reply protocol.KeysReply
	err := c.do(ctx, http.MethodGet, protocol.PathKeys, nil, &reply)
	if agenda.KindOf(err) == agenda.NotFound {
		c.keysAt = c.now()
		return nil
	}
	if err != nil {
		return err
	}
	if err := checkin.SaveOrgKeys(ctx, c.DB, reply.Keys); err != nil {
		return agenda.Wrap(opRound, agenda.CodeSyncReplyInvalid, err)
	}
	c.keysAt = c.now()
	return nil
}
