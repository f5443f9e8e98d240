package app

import (
	"encoding/json"
	"errors"
	"testing"

	"rdvguichet/backend/agenda"
)

// The door's error is JSON {code, message, fields?}: Wails rejects the frontend's promise with it.
func TestDoorErrorJSON(t *testing.T) {
	err := userError(agenda.Fail("store.Book", agenda.CodeSlotTaken))
	var got map[string]any
	if e := json.Unmarshal([]byte(err.Error()), &got); e != nil {
		t.Fatalf("not JSON: %q", err.Error())
	}
	if got["code"] != "slot_taken" || got["message"] == "" || got["fields"] != nil || len(got) != 2 {
		t.Errorf("slot taken: %v", got)
	}
	if again := userError(err); again != err {
		t.Error("a door error goes through the door once")
	}
	if text(err) != got["message"] || text(agenda.Fail("x", agenda.CodeSlotTaken)) != got["message"] {
		t.Errorf("text: %q", text(err))
	}
	v := agenda.ValidationError{{Field: "phone", Code: agenda.CodeKioskPhoneBad}, {Field: "lastName", Code: agenda.CodeInvalidField, Message: "Le nom est obligatoire."}}
	var d struct {
		Code   string
		Fields []agenda.FieldError
	}
	if e := json.Unmarshal([]byte(userError(v).Error()), &d); e != nil || d.Code != "invalid_field" || len(d.Fields) != 2 ||
		d.Fields[0].Message == "" || d.Fields[1].Message != "Le nom est obligatoire." {
		t.Errorf("fields: %+v %v", d, e)
	}
	if doorCode(userError(errors.New("disk on fire"))) != "internal" || userError(nil) != nil {
		t.Error("an unexpected failure is internal; nil stays nil")
	}
}
