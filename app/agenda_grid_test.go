package app

import (
	"encoding/json"
	"testing"
)

// The grid's cards say of each RDV what its full view says (the panel, the day list): same RDVs,
// same times, agendas, motif, status, people and arrival. A day with arrivals, statuses and a
// session of the demo, all agendas, then one agenda.
func TestAgendaGridSaysWhatTheViewsSay(t *testing.T) {
	services, _ := demoServices(t)
	s := services.Agent
	ws, err := s.Workspace()
	if err != nil {
		t.Fatal(err)
	}
	for _, agent := range []string{"", ws.Agents[0].ID} {
		q := AgendaQuery{Start: "2026-03-10", End: "2026-03-11"}
		if agent != "" {
			q.AgentIDs = []string{agent}
		}
		grid, err := s.Agenda(q)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.DayList(DayListQuery{Date: "2026-03-10", AgentID: agent})
		if err != nil {
			t.Fatal(err)
		}
		if len(grid.Rdvs) == 0 || len(grid.Rdvs) != len(list.Rdvs) {
			t.Fatalf("agenda %q: %d cards, %d RDVs in the day list", agent, len(grid.Rdvs), len(list.Rdvs))
		}
		arrived := 0
		for i, g := range grid.Rdvs {
			v := list.Rdvs[i]
			want := GridRdv{ID: v.ID, Start: v.Start, End: v.End, AgentIDs: v.AgentIDs, MotifName: v.MotifName, Color: v.Color,
				Documents: v.Documents, Status: v.Status, StatusLabel: v.StatusLabel, Usagers: v.Usagers, ArrivedAt: v.ArrivedAt}
			if gj, wj := marshal(t, g), marshal(t, want); gj != wj {
				t.Fatalf("agenda %q, RDV %d:\n card %+v\n view %+v", agent, i, g, want)
			}
			if g.ArrivedAt != "" {
				arrived++
			}
		}
		if agent == "" && arrived == 0 {
			t.Fatal("the demo's morning has arrivals: the comparison must cover one")
		}
	}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
