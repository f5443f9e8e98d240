-- RDV Guichet local schema, version 11: the agent signed in on each poste secondaire guichet, so
-- that a restart of the poste principal does not sign the counters' agents out (issue 12). The
-- poste's credential authenticates the poste; the session is the poste's: no secret is kept here,
-- only who is signed in, their last activity and the idle timeout that ends the session.
CREATE TABLE poste_sessions (
    poste_id   TEXT PRIMARY KEY REFERENCES postes(id) ON DELETE CASCADE,
    agent_id   TEXT NOT NULL,
    last_at    INTEGER NOT NULL,
    timeout_ms INTEGER NOT NULL
) STRICT;
