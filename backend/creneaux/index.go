package creneaux

import (
	"time"

	"rdvguichet/backend/agenda"
)

// index is what the engine derives once from a Data.
type index struct {
	loc      *time.Location
	busy     map[string]*busyList // per agent, sorted by start
	absences map[string][]*agenda.Absence
}

// index builds (once) and returns the index of d.
func (d *Data) index(op string) (*index, error) {
	d.once.Do(func() {
		loc, err := d.Org.Location()
		if err != nil {
			d.err = err
			return
		}
		ix := &index{loc: loc, busy: indexBusy(d.Busy), absences: map[string][]*agenda.Absence{}}
		for i := range d.Absences {
			a := &d.Absences[i]
			ix.absences[a.AgentID] = append(ix.absences[a.AgentID], a)
		}
		d.ix = ix
	})
	if d.err != nil {
		return nil, agenda.E(op, agenda.Invalid, d.err)
	}
	return d.ix, nil
}

// indexBusy sorts the busy rows per agent, by start. A request whose data the store loads anew
// pays for this on every call, so it is linear in practice rather than n log n: one counting sort
// on (agent, day of the start) into a single array, then an insertion sort that only moves rows
// within their day (an agent has a few dozen RDVs a day). With 20,000 shuffled RDVs a comparison
// sort took most of such a request.
func indexBusy(rows []Busy) map[string]*busyList {
	const day = int64(24 * time.Hour)
	var (
		agents []string
		seen   = map[string]int32{}
		ag     = make([]int32, 0, len(rows))
		spans  = make([]span, 0, len(rows))
		last   = int32(-1)
		lo, hi int64
	)
	for _, b := range rows {
		if !b.End.After(b.Start) {
			continue
		}
		if last < 0 || agents[last] != b.AgentID {
			last = intern(b.AgentID, &agents, seen)
		}
		sp := span{ns(b.Start), ns(b.End)}
		if len(spans) == 0 {
			lo, hi = sp.s, sp.s
		}
		lo, hi = min(lo, sp.s), max(hi, sp.s)
		spans = append(spans, sp)
		ag = append(ag, last)
	}
	out := make(map[string]*busyList, len(agents))
	if len(spans) == 0 {
		return out
	}
	days := (hi-lo)/day + 1
	keys := days * int64(len(agents))
	if keys > int64(4*len(spans)+4096) {
		// Rows scattered over decades: buckets would cost more than they save.
		lists := make([]busyList, len(agents))
		for i, sp := range spans {
			lists[ag[i]].spans = append(lists[ag[i]].spans, sp)
		}
		for i, a := range agents {
			lists[i].sort()
			out[a] = &lists[i]
		}
		return out
	}
	key := func(i int) int64 { return int64(ag[i])*days + (spans[i].s-lo)/day }
	next := make([]int, keys+1) // counts of key k at k+1, then the first free place of key k
	for i := range spans {
		next[key(i)+1]++
	}
	for k := 1; k <= int(keys); k++ {
		next[k] += next[k-1]
	}
	sorted := make([]span, len(spans))
	for i, sp := range spans {
		k := key(i)
		sorted[next[k]] = sp
		next[k]++
	}
	// After the loop next[k] is the end of key k: agent a's rows end at next[(a+1)*days-1].
	start := 0
	lists := make([]busyList, len(agents))
	for i, a := range agents {
		end := next[int64(i+1)*days-1]
		l := sorted[start:end:end]
		for x := 1; x < len(l); x++ {
			for y := x; y > 0 && l[y].s < l[y-1].s; y-- {
				l[y], l[y-1] = l[y-1], l[y]
			}
		}
		lists[i].spans = l
		lists[i].setMaxEnd()
		out[a] = &lists[i]
		start = end
	}
	return out
}

// intern returns the number of agent id in agents, adding it if new. An office has a handful of
// agents: comparing a few strings is cheaper than hashing, and the map only serves big agendas.
func intern(id string, agents *[]string, seen map[string]int32) int32 {
	const small = 8
	if len(*agents) <= small {
		for i, a := range *agents {
			if a == id {
				return int32(i)
			}
		}
	} else if i, ok := seen[id]; ok {
		return i
	}
	i := int32(len(*agents))
	*agents = append(*agents, id)
	if len(*agents) > small {
		if len(seen) == 0 {
			for j, a := range *agents {
				seen[a] = int32(j)
			}
		}
		seen[id] = i
	}
	return i
}
