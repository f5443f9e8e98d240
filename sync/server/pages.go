package server

import (
	"strings"
	"time"

	"rdvguichet/sync/server/web"
)

// The online booking pages (sync/server/web) are served under every path that is not the API's
// (/v1/…) nor health and metrics: /<slug>/… and /r/<token>.

// contactRate and contactBurst bound the bookings of one phone number or e-mail address on the
// pages, whatever the IP: 5 at once, then one every 12 minutes. Unlike the per-IP limit it is
// never turned off (a shared address, a load test, have different contacts).
const (
	contactRate  = 1.0 / (12 * 60)
	contactBurst = 5
)

func (s *Server) newPages(cfg Config) *web.Handler {
	perContact := newLimiters(contactRate, contactBurst, contactRate, contactBurst)
	return web.New(web.Config{Store: cfg.Store, Log: s.log, PerIP: s.perIP, PerContact: perContact, ClientIP: s.clientIP})
}

func isPage(path string) bool {
	return !strings.HasPrefix(path, "/v1/") && path != "/" && path != "/favicon.ico"
}

// Allow takes one request from the key's bucket (web.Limiter).
func (ls *limiters) Allow(key string) (time.Duration, bool) { return ls.allow(key) }
