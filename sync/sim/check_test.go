package sim

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/sync/protocol"
	"rdvguichet/sync/server"
	"rdvguichet/sync/server/pgstore"
)

// feedEnd returns the cursor of the last change of the organisation's feed.
func feedEnd(t *testing.T, c *central, org string) string {
	t.Helper()
	var txid string
	var seq int64
	err := c.stores[0].Pool().QueryRow(context.Background(), `SELECT txid::text, seq FROM changes WHERE organisation_id = $1
		ORDER BY txid DESC, seq DESC LIMIT 1`, org).Scan(&txid, &seq)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := strconv.ParseUint(txid, 10, 64)
	return server.EncodeCursor(pgstore.Cursor{Txid: tx, Seq: seq})
}

// heal runs rounds, office after office, over the reliable link until every office has nothing
// left to push and has read the whole feed (a full pass changing nothing).
func heal(t *testing.T, c *central, w world, offices []*office) {
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for pass := 0; ; pass++ {
		quiet := true
		end := feedEnd(t, c, w.org)
		for _, o := range offices {
			rep, err := o.cl.Round(ctx)
			if err != nil {
				t.Fatalf("healed round of office %d: %v", o.n, err)
			}
			st := ok(o.db.SyncStatus(ctx))
			if rep.Pushed > 0 || rep.Pulled > 0 || st.Pending > 0 || st.Deferred > 0 || st.Cursor != end {
				quiet = false
			}
		}
		if quiet && feedEnd(t, c, w.org) == end {
			t.Logf("healed after %d passes", pass+1)
			return
		}
		if time.Now().After(deadline) {
			for _, o := range offices {
				st := ok(o.db.SyncStatus(ctx))
				t.Logf("office %d: %d op(s) to push, %d deferred, cursor %s (feed end %s)", o.n, st.Pending, st.Deferred, st.Cursor, end)
			}
			t.Fatalf("no quiescence after %d healed passes", pass+1)
		}
		if pass > 3 {
			time.Sleep(20 * time.Millisecond) // the feed's horizon: another transaction of the cluster still runs
		}
	}
}

type outboxRow struct {
	opID, entity, entityID, kind, state, code string
	newVersion                                int
}

func readOutbox(t *testing.T, raw *sql.DB) []outboxRow {
	t.Helper()
	rows, err := raw.Query("SELECT op_id, entity, entity_id, op, state, code, new_version FROM outbox ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.opID, &r.entity, &r.entityID, &r.kind, &r.state, &r.code, &r.newVersion); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// check verifies, after healing:
//  1. every op acknowledged to an office was applied exactly once at the central: its
//     applied_ops row says accepted with the same version, and the feed holds exactly one change
//     of that row at that version; the feed holds nothing else than the accepted ops and the
//     central's own online writes;
//  2. no rejected op was dropped silently: every refusal the central recorded is in its office's
//     outbox as refused with the same code, listed « à traiter », and every op an office holds
//     as refused was recorded so at the central; no op is left pending;
//  3. every office converged to the central's state for its organisation: the same rows at the
//     same versions (RDVs and usagers in the same wire form), except the rows « à traiter » at
//     that office (an op of theirs refused, or a pulled change set aside), which a person settles;
//     no plage is left en transfert;
//  4. no agent or guichet has overlapping active RDVs, at the central nor in any office's file
//     (SQL on both sides).
func check(t *testing.T, c *central, w world, offices []*office, sim stats) {
	ctx := context.Background()
	pg := c.stores[0].Pool()

	applied := map[string]protocol.Result{}
	rows, err := pg.Query(ctx, "SELECT op_id::text, result FROM applied_ops WHERE organisation_id = $1", w.org)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			t.Fatal(err)
		}
		var r protocol.Result
		if err := json.Unmarshal(b, &r); err != nil || r.OpID != id {
			t.Fatalf("applied op %s: result %s (%v)", id, b, err)
		}
		applied[id] = r
	}
	rows.Close()

	// The feed: changes by (entity, id, version), and each row's last change.
	type key struct {
		entity, id string
	}
	type change struct {
		kind    protocol.OpKind
		version int
		payload json.RawMessage
	}
	versions := map[string]int{}
	last := map[key]change{}
	total := 0
	rows, err = pg.Query(ctx, `SELECT entity, entity_id::text, kind, version, payload FROM changes WHERE organisation_id = $1 ORDER BY txid, seq`, w.org)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k key
		var ch change
		if err := rows.Scan(&k.entity, &k.id, &ch.kind, &ch.version, &ch.payload); err != nil {
			t.Fatal(err)
		}
		versions[k.entity+"/"+k.id+"/"+strconv.Itoa(ch.version)]++
		last[k] = ch
		total++
	}
	rows.Close()

	// 1 and 2: every office's outbox against applied_ops.
	accepted, refused := 0, 0
	codes := map[string]int{}
	seen := map[string]bool{}
	raws := make([]*sql.DB, len(offices))
	outboxes := make([][]outboxRow, len(offices))
	for i, o := range offices {
		raw, err := sql.Open("sqlite", "file:"+o.path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		raws[i] = raw
		outboxes[i] = readOutbox(t, raw)
		inList := 0
		for _, op := range outboxes[i] {
			r, ok := applied[op.opID]
			switch op.state {
			case "pending":
				t.Errorf("office %d: op %s (%s %s) still pending", o.n, op.opID, op.entity, op.kind)
			case "acked":
				if !ok || !r.Accepted || r.NewVersion != op.newVersion {
					t.Errorf("office %d: op %s (%s %s) acked v%d, central %+v (recorded %v)", o.n, op.opID, op.entity, op.kind, op.newVersion, r, ok)
				}
			case "rejected":
				inList++
				if !ok || r.Accepted || string(r.Code) != op.code {
					t.Errorf("office %d: op %s (%s %s) refused with %s, central %+v (recorded %v)", o.n, op.opID, op.entity, op.kind, op.code, r, ok)
				}
			}
			if seen[op.opID] { // offices 1 and 2 started from a copy of office 0's file
				continue
			}
			seen[op.opID] = true
			if op.state == "acked" {
				accepted++
				if n := versions[op.entity+"/"+op.entityID+"/"+strconv.Itoa(op.newVersion)]; n != 1 {
					t.Errorf("op %s (%s %s %s v%d): %d changes in the feed", op.opID, op.entity, op.kind, op.entityID, op.newVersion, n)
				}
			} else if op.state == "rejected" {
				refused++
				codes[op.code]++
			}
		}
		list := ok(o.db.RejectedOutbox(ctx, 1000000))
		if len(list) != inList {
			t.Errorf("office %d: %d ops refused, %d « à traiter »", o.n, inList, len(list))
		}
	}
	for id, r := range applied {
		if !seen[id] {
			t.Errorf("op %s recorded at the central (%+v) is in no office's outbox", id, r)
		}
	}
	if total != accepted+sim.onlineChanges {
		t.Errorf("feed: %d changes, want %d accepted ops + %d online writes", total, accepted, sim.onlineChanges)
	}
	for k, n := range versions {
		if n != 1 {
			t.Errorf("feed: %d changes for %s", n, k)
		}
	}
	t.Logf("%d ops accepted, %d refused %v, %d online writes, %d changes", accepted, refused, codes, sim.onlineChanges, total)

	// 3: convergence.
	tables := map[protocol.Entity]string{
		protocol.EntityOrganisation: "organisations", protocol.EntityLieu: "lieux", protocol.EntityAgent: "agents",
		protocol.EntityMotif: "motifs", protocol.EntityPlage: "plages_ouverture", protocol.EntityAbsence: "absences",
		protocol.EntityUsager: "usagers", protocol.EntityRdv: "rdvs",
	}
	for i, o := range offices {
		raw := raws[i]
		// Every op answered, no plage is left en transfert: its new channel sells again.
		var transferring int
		if err := raw.QueryRow("SELECT count(*) FROM plages_ouverture WHERE transfer_op IS NOT NULL").Scan(&transferring); err != nil {
			t.Fatal(err)
		}
		if transferring != 0 {
			t.Errorf("office %d: %d plages still en transfert after healing", o.n, transferring)
		}
		aside := map[key]bool{}
		for _, op := range outboxes[i] {
			if op.state == "rejected" {
				aside[key{op.entity, op.entityID}] = true
			}
		}
		for _, cf := range ok(o.db.SyncConflicts(ctx, 1000000)) {
			aside[key{string(cf.Entity), cf.EntityID}] = true
		}
		local := map[key]int{}
		for e, table := range tables {
			rows, err := raw.Query("SELECT id, version FROM " + table)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id string
				var v int
				if err := rows.Scan(&id, &v); err != nil {
					t.Fatal(err)
				}
				local[key{string(e), id}] = v
			}
			rows.Close()
		}
		differ, excused := 0, 0
		for k, ch := range last {
			if _, known := tables[protocol.Entity(k.entity)]; !known {
				continue
			}
			if aside[k] {
				excused++
				continue
			}
			v, has := local[k]
			switch {
			case ch.kind == protocol.OpDelete:
				if has {
					t.Errorf("office %d: %s %s deleted at the central, still here", o.n, k.entity, k.id)
				}
				continue
			case !has:
				t.Errorf("office %d: %s %s missing (central v%d)", o.n, k.entity, k.id, ch.version)
				differ++
				continue
			case v != ch.version:
				t.Errorf("office %d: %s %s at v%d, central v%d", o.n, k.entity, k.id, v, ch.version)
				differ++
				continue
			}
			var mine, theirs any
			switch protocol.Entity(k.entity) {
			case protocol.EntityRdv:
				mine, theirs = protocol.FromRdv(ok(o.db.GetRdv(ctx, k.id))), &protocol.RdvV1{}
			case protocol.EntityUsager:
				mine, theirs = protocol.FromUsager(ok(o.db.GetUsager(ctx, k.id))), &protocol.UsagerV1{}
			default:
				continue
			}
			if err := json.Unmarshal(ch.payload, theirs); err != nil {
				t.Fatal(err)
			}
			if !sameJSON(t, mine, theirs) {
				t.Errorf("office %d: %s %s differs from the central's", o.n, k.entity, k.id)
			}
		}
		for k := range local {
			if _, there := last[k]; !there && !aside[k] {
				t.Errorf("office %d: %s %s unknown at the central", o.n, k.entity, k.id)
			}
		}
		if differ > 0 {
			t.Errorf("office %d: %d rows differ from the central", o.n, differ)
		}
		t.Logf("office %d: %d rows, %d of them « à traiter » (refused op or pulled change set aside)", o.n, len(local), excused)
	}
	// The central's tables agree with its feed (version of every RDV and usager).
	for _, table := range []string{"rdvs", "usagers"} {
		rows, err := pg.Query(ctx, "SELECT id::text, version FROM "+table+" WHERE organisation_id = $1", w.org)
		if err != nil {
			t.Fatal(err)
		}
		e := map[string]string{"rdvs": "rdv", "usagers": "usager"}[table]
		for rows.Next() {
			var id string
			var v int
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			if ch := last[key{e, id}]; ch.version != v {
				t.Errorf("central: %s %s at v%d, its feed says v%d", e, id, v, ch.version)
			}
		}
		rows.Close()
	}

	// 4: no overlapping active RDVs of one agent, from the RDVs' own times and statuses.
	var n int
	if err := pg.QueryRow(ctx, `SELECT count(*) FROM rdv_agents a JOIN rdvs r ON r.organisation_id = a.organisation_id AND r.id = a.rdv_id
		JOIN rdv_agents b ON b.organisation_id = a.organisation_id AND b.agent_id = a.agent_id AND b.rdv_id > a.rdv_id
		JOIN rdvs s ON s.organisation_id = b.organisation_id AND s.id = b.rdv_id
		WHERE a.organisation_id = $1 AND r.status NOT IN ('excused', 'revoked') AND s.status NOT IN ('excused', 'revoked')
		  AND r.starts_at < s.ends_at AND s.starts_at < r.ends_at`, w.org).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("central: %d pairs of overlapping active RDVs of one agent", n)
	}
	var active int
	if err := pg.QueryRow(ctx, `SELECT count(*) FROM rdvs WHERE organisation_id = $1 AND status NOT IN ('excused', 'revoked')`, w.org).Scan(&active); err != nil {
		t.Fatal(err)
	}
	for i, o := range offices {
		if err := raws[i].QueryRow(`SELECT count(*) FROM rdv_agents a JOIN rdvs r ON r.id = a.rdv_id
			JOIN rdv_agents b ON b.agent_id = a.agent_id AND b.rdv_id > a.rdv_id JOIN rdvs s ON s.id = b.rdv_id
			WHERE r.status NOT IN ('excused', 'revoked') AND s.status NOT IN ('excused', 'revoked')
			  AND r.starts_at < s.ends_at AND s.starts_at < r.ends_at`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("office %d: %d pairs of overlapping active RDVs of one agent", o.n, n)
		}
	}
	t.Logf("central: %d active RDVs, none overlapping", active)
	_ = agenda.StatusSeen
}

// sameJSON compares two values through their JSON.
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	var x, y any
	for _, p := range []struct {
		v   any
		out *any
	}{{a, &x}, {b, &y}} {
		data, err := json.Marshal(p.v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, p.out); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(x, y) {
		ax, _ := json.Marshal(x)
		by, _ := json.Marshal(y)
		t.Logf("office: %s\ncentral: %s", ax, by)
		return false
	}
	return true
}
