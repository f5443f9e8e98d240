package principal_test

import (
	"testing"

	"github.com/google/uuid"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/store"
)

// The agent signed in on a counter poste stays signed in when the principal restarts (killed,
// then « rdv-guichet serve » again); one who signed out stays signed out.
func TestCounterSessionSurvivesARestart(t *testing.T) {
	o := newOffice(t)
	o.start()
	counter := o.pair("Guichet 2", store.RoleGuichet)
	workspace := func() agenda.Code {
		t.Helper()
		reply, err := callKey(t, counter, uuid.NewString(), "app.AgentService.Workspace")
		if err != nil {
			t.Fatal(err)
		}
		if reply.Error != nil {
			return reply.Error.Code
		}
		return ""
	}
	if reply, err := callKey(t, counter, uuid.NewString(), "app.AgentService.SignIn", "karim", demo.Password); err != nil || reply.Error != nil {
		t.Fatalf("sign-in: %+v %v", reply.Error, err)
	}
	if code := workspace(); code != "" {
		t.Fatalf("signed in: %s", code)
	}
	o.kill()
	o.start()
	if code := workspace(); code != "" {
		t.Fatalf("after the principal's restart: %s", code)
	}
	if reply, err := callKey(t, counter, uuid.NewString(), "app.AgentService.SignOut"); err != nil || reply.Error != nil {
		t.Fatalf("sign-out: %+v %v", reply.Error, err)
	}
	o.kill()
	o.start()
	if code := workspace(); code != agenda.CodeSignedOut {
		t.Fatalf("signed out, after a restart: %q", code)
	}
}
