package protocol

import (
	"encoding/json"
	"errors"
	"maps"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"rdvguichet/backend/agenda"
)

const (
	org = "01a2074a-0000-7000-8000-000000000001"
	op1 = "01a2074a-0000-7000-8000-0000000000a1"
	op2 = "01a2074a-0000-7000-8000-0000000000a2"
	rid = "01a2074a-0000-7000-8000-0000000000r1"
)

var (
	t0      = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	arrived = time.Date(2026, 3, 10, 7, 55, 12, 345e6, time.UTC)
	monday  = agenda.Date{Year: 2026, Month: time.March, Day: 2}
	week    = agenda.Recurrence{Every: agenda.Weekly, Interval: 1, Weekdays: []time.Weekday{1, 2, 3, 4, 5}, Until: agenda.Date{Year: 2026, Month: 12, Day: 31}}
)

// domain returns one domain value per entity, every field set, for the round trips.
func domain() map[Entity]any {
	return map[Entity]any{
		EntityOrganisation: agenda.Organisation{ID: org, Name: "Mairie de Test", LogoPNG: []byte{0x89, 'P', 'N', 'G'}, AccentColor: "#123456",
			TimeZone: "Europe/Paris", Email: "mairie@example.fr", Phone: "+33140000000",
			Holidays: agenda.HolidayRules{Departement: "57", LundiPentecoteTravaille: true}, SlotGridMinutes: 15, BufferMinutes: 5},
		EntityLieu: agenda.Lieu{ID: "lieu", OrganisationID: org, Name: "Hôtel de ville", Street: "1 place", PostalCode: "75001", City: "Paris",
			Phone: "+33140000001", Accessibility: "rampe", Enabled: true},
		EntityAgent: agenda.Agent{ID: "agent", OrganisationID: org, Kind: agenda.KindAgent, Name: "Claire Martin", Email: "c@example.fr",
			Login: "cmartin", Role: agenda.RoleAdmin, Active: true},
		EntityMotif: agenda.Motif{ID: "motif", OrganisationID: org, Name: "Passeport", Color: "#1D4ED8", DurationMin: 30,
			LocationType: agenda.PublicOffice, MinPublicDelay: 30 * time.Minute, MaxPublicDelay: 90 * 24 * time.Hour, BookableKiosk: true,
			BookableOnline: true, Collectif: true, Capacity: 3, Pieces: []string{"Photo"}, Instructions: "Venir tôt", AntsCategory: agenda.AntsPasseport, Archived: true},
		EntityPlage: agenda.PlageOuverture{ID: "plage", OrganisationID: org, AgentID: "agent", LieuID: "lieu", Title: "Accueil",
			MotifIDs: []string{"motif"}, FirstDay: monday, Start: agenda.Clk(9, 0), End: agenda.Clk(12, 0), Recurrence: week,
			Exceptions: []agenda.Exception{{Date: monday.AddDays(7), Cancelled: true}, {Date: monday.AddDays(8), Start: agenda.Clk(10, 0), End: agenda.Clk(11, 0)}},
			Canal:      agenda.CanalEnLigne},
		EntityAbsence: agenda.Absence{ID: "absence", OrganisationID: org, AgentID: "agent", Title: "Congés", FirstDay: monday,
			EndDay: monday.AddDays(4), Start: agenda.Clk(0, 0), End: agenda.Clk(24, 0), Recurrence: agenda.Recurrence{Every: agenda.Monthly, Nth: 2, Weekday: time.Tuesday}},
		EntityUsager: agenda.Usager{ID: "usager", OrganisationID: org, FirstName: "Hélène", LastName: "Dupont", BirthName: "Martin",
			BirthDate: agenda.Date{Year: 1980, Month: 5, Day: 17}, Phone: "+33612345678", Email: "h@example.fr", NotifySMS: true,
			NotifyEmail: true, ResponsibleID: "resp", AntsPreDemande: "ABCDE12345"},
		EntityRdv: agenda.Rdv{ID: rid, OrganisationID: org, MotifID: "motif", LieuID: "lieu", AgentIDs: []string{"agent"},
			StartsAt: t0, EndsAt: t0.Add(30 * time.Minute), Status: agenda.StatusRevoked, Context: "note", DocumentsNumber: 2,
			Collectif: true, Capacity: 3, CreatedBy: "agent", Origine: agenda.OrigineGuichet, CancelledAt: &arrived, Version: 4,
			Participations: []agenda.Participation{{UsagerID: "usager", Status: agenda.StatusRevoked, ArrivedAt: &arrived}, {UsagerID: "u2", Status: agenda.StatusExcused}}},
	}
}

// wireOf converts a domain value (or passes a wire value) for the tests.
func wireOf(v any) (id string, w any) {
	switch p := v.(type) {
	case agenda.Organisation:
		return p.ID, FromOrganisation(p)
	case agenda.Lieu:
		return p.ID, FromLieu(p)
	case agenda.Agent:
		return p.ID, FromAgent(p)
	case agenda.Motif:
		return p.ID, FromMotif(p)
	case agenda.PlageOuverture:
		return p.ID, FromPlage(p)
	case agenda.Absence:
		return p.ID, FromAbsence(p)
	case agenda.Usager:
		return p.ID, FromUsager(p)
	case agenda.Rdv:
		return p.ID, FromRdv(p)
	}
	panic("no converter")
}

// sample returns a valid op for every pair the protocol knows.
func sample(t testing.TB, p Pair) Op {
	t.Helper()
	var id string
	var w any
	switch {
	case p.Kind == OpDelete:
		id, w = "gone", Tombstone{ID: "gone"}
	case p.Entity == EntityReceipt:
		id, w = "rec", ReceiptV1{ID: "rec", OrganisationID: org, RdvID: rid, UsagerID: "usager", Event: "rdv_created", Channel: "sms",
			Result: "sent", Provider: "x", Count: 1, Content: "Bonjour", Recipient: "+33612345678", CreatedAt: t0}
	default:
		v, ok := domain()[p.Entity]
		if !ok {
			t.Fatalf("no sample for %v", p)
		}
		id, w = wireOf(v)
	}
	base := 3
	b, err := Encode(p.Entity, p.Kind, org, id, w)
	if err != nil {
		t.Fatalf("%v: %v", p, err)
	}
	return Op{ID: op1, OrganisationID: org, Entity: p.Entity, EntityID: id, Kind: p.Kind, Payload: b, BaseVersion: base, CreatedAt: t0}
}

func push(ops ...Op) []byte {
	b, _ := json.Marshal(Push{Version: Version, Office: "mairie", Ops: ops})
	return b
}

func codeOf(err error) agenda.Code { return agenda.CodeOf(err) }

// Every pair decodes its sample to the pair's type; every domain value survives the round trip
// domain → wire → JSON → Decode → domain.
func TestEveryPairRoundTrips(t *testing.T) {
	for _, p := range Pairs() {
		op := sample(t, p)
		v, err := Decode(op)
		if err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		if reflect.TypeOf(v) != PayloadType(p.Entity, p.Kind) {
			t.Errorf("%v decoded to %T", p, v)
		}
		if p.Kind == OpDelete || p.Entity == EntityReceipt {
			continue
		}
		back, err := reflect.ValueOf(v).MethodByName("Agenda").Call(nil)[0].Interface(), error(nil)
		if want := domain()[p.Entity]; !reflect.DeepEqual(back, want) {
			t.Errorf("%v round trip:\n got %#v\nwant %#v %v", p, back, want, err)
		}
	}
}

func TestDecodePushRoundTrip(t *testing.T) {
	del := sample(t, Pair{EntityPlage, OpDelete})
	del.ID = op2
	p, err := DecodePush(push(sample(t, Pair{EntityRdv, OpBook}), del))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ops) != 2 || p.Ops[0].ID != op1 || p.Ops[1].Kind != OpDelete || string(p.Ops[1].Payload) != `{"id":"gone"}` {
		t.Errorf("decoded %+v", p)
	}
}

func TestDecodePushRefusals(t *testing.T) {
	book := func() Op { return sample(t, Pair{EntityRdv, OpBook}) }
	other := sample(t, Pair{EntityPlage, OpDelete}) // a tombstone names no organisation
	other.ID, other.OrganisationID = op2, "01a2074a-0000-7000-8000-000000000002"
	bad := func(f func(*Op)) []byte { o := book(); f(&o); return push(o) }
	cases := []struct {
		want agenda.Code
		data []byte
	}{
		{agenda.CodeSyncVersion, []byte(`{"version":2,"office":"m","ops":[]}`)},
		{agenda.CodeSyncUnreadable, []byte(`{"version":1,"ops":[`)},
		{agenda.CodeSyncUnreadable, []byte(`{"version":1,"office":"m","ops":[],"extra":1}`)},
		{agenda.CodeSyncUnreadable, []byte(`{"version":1,"office":"m","ops":[]} {}`)},
		{agenda.CodeSyncUnreadable, []byte(`{"version":1,"office":"m","ops":[]}}`)},
		{agenda.CodeSyncOpDuplicate, push(book(), book())},
		{agenda.CodeSyncMixedOrgs, push(book(), other)},
		{agenda.CodeSyncOpID, bad(func(o *Op) { o.ID = "1" })},
		{agenda.CodeSyncOrganisation, bad(func(o *Op) { o.OrganisationID = "x" })},
		{agenda.CodeSyncEntityUnknown, bad(func(o *Op) { o.Entity = "table" })},
		{agenda.CodeSyncKindUnknown, bad(func(o *Op) { o.Kind = "drop" })},
		{agenda.CodeSyncKindUnknown, bad(func(o *Op) { o.Kind = OpUpsert })}, // an RDV is never a row upsert
		{agenda.CodeSyncPayloadInvalid, bad(func(o *Op) { o.Payload = json.RawMessage(`[1]`) })},
		{agenda.CodeSyncPayloadInvalid, bad(func(o *Op) { o.Kind, o.BaseVersion = OpMove, 1; o.Payload = json.RawMessage(`{"id":"` + rid + `"}`) })},
		{agenda.CodeSyncBaseVersion, bad(func(o *Op) { o.BaseVersion = -1 })},
		{agenda.CodeSyncBaseVersion, bad(func(o *Op) { // only a collective session is joined
			var r RdvV1
			json.Unmarshal(o.Payload, &r)
			r.Collectif = false
			o.BaseVersion, o.Payload = 2, mustJSON(t, r)
		})},
		{agenda.CodeSyncEntityID, bad(func(o *Op) { o.EntityID = "" })},
		{agenda.CodeSyncPayloadMismatch, bad(func(o *Op) { o.EntityID = "other" })},
	}
	for i, c := range cases {
		_, err := DecodePush(c.data)
		if codeOf(err) != c.want {
			t.Errorf("case %d: want %s, got %v", i, c.want, err)
		}
		var ae *agenda.Error
		if !errors.As(err, &ae) || ae.Kind != agenda.Invalid {
			t.Errorf("case %d: not an Invalid *agenda.Error: %v", i, err)
		}
	}
	many := make([]Op, MaxBatch+1)
	for i := range many {
		many[i] = book()
	}
	_, err := DecodePush(push(many...))
	if codeOf(err) != agenda.CodeSyncBatchTooLarge || agenda.ParamsOf(err)["max"] != "500" {
		t.Errorf("oversized batch: %v", err)
	}
}

// Decode is strict on every pair: a field too many, a field missing, a field under another case,
// an instant not in UTC, a malformed day: refused.
func TestDecodeStrict(t *testing.T) {
	for _, p := range Pairs() {
		op := sample(t, p)
		var m map[string]any
		if err := json.Unmarshal(op.Payload, &m); err != nil {
			t.Fatal(err)
		}
		variants := map[string]map[string]any{}
		extra := maps.Clone(m)
		extra["extra"] = 1
		variants["unknown field"] = extra
		if len(m) > 1 {
			missing := maps.Clone(m)
			delete(missing, "id")
			variants["missing id"] = missing
		}
		upper := maps.Clone(m)
		delete(upper, "id")
		upper["ID"] = m["id"]
		variants["field case"] = upper
		for k := range m {
			if k == "id" {
				continue
			}
			missing := maps.Clone(m)
			delete(missing, k)
			variants["missing "+k] = missing
		}
		for name, v := range variants {
			o := op
			o.Payload, _ = json.Marshal(v)
			if _, err := Decode(o); codeOf(err) != agenda.CodeSyncPayloadInvalid {
				t.Errorf("%v %s: %v", p, name, err)
			}
		}
	}
	rdv := sample(t, Pair{EntityRdv, OpMove})
	for name, s := range map[string][2]string{
		"local time":  {`"startsAt":"2026-03-10T08:00:00Z"`, `"startsAt":"2026-03-10T09:00:00+01:00"`},
		"empty span":  {`"endsAt":"2026-03-10T08:30:00Z"`, `"endsAt":"2026-03-10T08:00:00Z"`},
		"trailing":    {`"version":4}`, `"version":4} {}`},
		"null arrive": {`"arrivedAt":"2026-03-10T07:55:12.345Z"`, `"arrivedAt":"2026-03-10T07:55:12.345+00:30"`},
	} {
		o := rdv
		if !strings.Contains(string(o.Payload), s[0]) {
			t.Fatalf("%s: %s not in %s", name, s[0], o.Payload)
		}
		o.Payload = json.RawMessage(strings.Replace(string(o.Payload), s[0], s[1], 1))
		if _, err := Decode(o); codeOf(err) != agenda.CodeSyncPayloadInvalid {
			t.Errorf("rdv %s: %v", name, err)
		}
	}
	plage := sample(t, Pair{EntityPlage, OpUpsert})
	plage.Payload = json.RawMessage(strings.Replace(string(plage.Payload), `"start":"09:00"`, `"start":"9h"`, 1))
	if _, err := Decode(plage); codeOf(err) != agenda.CodeSyncPayloadInvalid {
		t.Errorf("plage start 9h: %v", err)
	}
}

// Encode writes only the pair's own type, naming the op's row and organisation.
func TestEncodeRefusals(t *testing.T) {
	r := FromRdv(domain()[EntityRdv].(agenda.Rdv))
	if _, err := Encode(EntityRdv, OpUpsert, org, rid, r); err == nil {
		t.Error("rdv upsert accepted")
	}
	if _, err := Encode(EntityRdv, OpBook, org, rid, domain()[EntityRdv]); err == nil {
		t.Error("domain struct accepted on the wire")
	}
	if _, err := Encode(EntityRdv, OpBook, org, "other", r); err == nil {
		t.Error("payload of another row accepted")
	}
	if _, err := Encode(EntityRdv, OpBook, "01a2074a-0000-7000-8000-000000000002", rid, r); err == nil {
		t.Error("payload of another organisation accepted")
	}
	if _, err := Encode(EntityPlage, OpDelete, org, "x", map[string]string{"id": "x"}); err == nil {
		t.Error("tombstone as a map accepted")
	}
}

// The agent's password hash never travels: AgentV1 has no field that could carry it.
func TestAgentHasNoPassword(t *testing.T) {
	ty := reflect.TypeFor[AgentV1]()
	for i := range ty.NumField() {
		if n := strings.ToLower(ty.Field(i).Name + ty.Field(i).Tag.Get("json")); strings.Contains(n, "pass") || strings.Contains(n, "hash") {
			t.Errorf("AgentV1.%s", ty.Field(i).Name)
		}
	}
}

// A result carries a stable code and its params, never text.
func TestResultCarriesCode(t *testing.T) {
	err := agenda.E("central.Book", agenda.Conflict, agenda.Fail("creneaux", agenda.CodeSlotTaken))
	b, _ := json.Marshal(PushReply{Version: Version, Results: []Result{Rejected(op1, err), {OpID: op2, Accepted: true, NewVersion: 2}}})
	if string(b) != `{"version":1,"results":[{"opId":"`+op1+`","accepted":false,"code":"slot_taken"},{"opId":"`+op2+`","accepted":true,"newVersion":2}]}` {
		t.Errorf("%s", b)
	}
}

// The protocol is shared with the central: it must not drag the office's database or HTTP in.
func TestNoIODependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skip("go list:", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "database/sql" || dep == "net/http" || strings.Contains(dep, "sqlite") || strings.HasPrefix(dep, "rdvguichet/backend/store") {
			t.Errorf("sync/protocol depends on %s", dep)
		}
	}
}

// FuzzDecode: whatever payload arrives for whatever pair, Decode never panics; what it accepts
// is the pair's type and re-encodes (Encode) to a payload it decodes to the same value.
func FuzzDecode(f *testing.F) {
	for _, p := range Pairs() {
		op := sample(f, p)
		f.Add(string(p.Entity), string(p.Kind), op.EntityID, string(op.Payload))
	}
	f.Add("rdv", "book", rid, `{"id":"`+rid+`","ID":"x"}`)
	f.Add("plage", "delete", "x", `{"id":"x"}`)
	f.Add("rdv", "status", "", `null`)
	f.Fuzz(func(t *testing.T, entity, kind, entityID, payload string) {
		op := Op{ID: op1, OrganisationID: org, Entity: Entity(entity), EntityID: entityID, Kind: OpKind(kind), Payload: json.RawMessage(payload)}
		v, err := Decode(op)
		if err != nil {
			if agenda.CodeOf(err).Kind() != agenda.Invalid {
				t.Fatalf("refusal without a protocol code: %v", err)
			}
			return
		}
		if reflect.TypeOf(v) != PayloadType(op.Entity, op.Kind) {
			t.Fatalf("accepted %T for %s %s", v, entity, kind)
		}
		b, err := Encode(op.Entity, op.Kind, org, entityID, v)
		if err != nil {
			t.Fatalf("accepted payload does not re-encode: %v", err)
		}
		op.Payload = b
		again, err := Decode(op)
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Fatalf("accepted payload does not round-trip: %v\n%#v\n%#v", err, v, again)
		}
	})
}

// FuzzDecodePush: whatever arrives on the wire, decoding never panics, and what it accepts
// re-encodes to a message it accepts again with the same ops.
func FuzzDecodePush(f *testing.F) {
	f.Add(push(sample(f, Pair{EntityRdv, OpBook})))
	f.Add([]byte(`{"version":1,"office":"m","ops":[{"id":"x"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePush(data)
		if err != nil {
			return
		}
		again, err := DecodePush(mustJSON(t, p))
		if err != nil || len(again.Ops) != len(p.Ops) {
			t.Fatalf("accepted message does not round-trip: %v", err)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
