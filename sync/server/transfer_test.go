package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
)

// A plage moved between channels: the central sells its slots online as long as, and only
// while, its canal at the central is en_ligne; the office's op moving it is what the central
// acknowledges.
func TestTransferAtTheCentral(t *testing.T) {
	_, base, o, _ := onlineCentral(t, Config{PublicRate: -1})
	slots := func() int {
		t.Helper()
		st, data := publicCall(t, http.DefaultClient, http.MethodGet, fmt.Sprintf("%s%s%s/creneaux?motif=%s&from=%s&days=1", base, PathPublic, o.org, o.motif, day), nil)
		if st != http.StatusOK {
			t.Fatalf("creneaux: %d %s", st, data)
		}
		return len(decode[CreneauxReply](t, data).Creneaux)
	}
	plage := func(c agenda.Canal) agenda.PlageOuverture {
		return agenda.PlageOuverture{ID: o.plageEnLigne, OrganisationID: o.org, AgentID: o.agent, LieuID: o.lieu, Title: "En ligne",
			MotifIDs: []string{o.motif}, FirstDay: day.AddDays(-1), Start: agenda.Clk(14, 0), End: agenda.Clk(16, 0),
			Recurrence: agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}}, Canal: c}
	}
	if n := slots(); n != 4 {
		t.Fatalf("%d online slots before the transfer, want 4", n)
	}
	for i, c := range []agenda.Canal{agenda.CanalGuichet, agenda.CanalEnLigne} {
		reply := mustPush(t, base, o.token, []protocol.Op{mkop(t, o.org, protocol.EntityPlage, protocol.OpUpsert, o.plageEnLigne, i+1, protocol.FromPlage(plage(c)))})
		if !reply.Results[0].Accepted {
			t.Fatalf("transfer to %s refused: %+v", c, reply.Results[0])
		}
		if n, want := slots(), map[agenda.Canal]int{agenda.CanalGuichet: 0, agenda.CanalEnLigne: 4}[c]; n != want {
			t.Fatalf("after the transfer to %s: %d online slots, want %d", c, n, want)
		}
	}
}
