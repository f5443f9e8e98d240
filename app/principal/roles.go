package principal

import (
	"sync"

	"rdvguichet/app"
	"rdvguichet/backend/store"
)

// roleMethods are the methods each role reaches, by name.
var roleMethods = sync.OnceValue(func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, role := range []string{store.RoleGuichet, store.RoleBorne} {
		out[role] = map[string]bool{}
		for _, m := range app.RoleMethods(role) {
			out[role][m] = true
		}
	}
	return out
})

// allowed reports whether a poste of role may call method.
func allowed(role, method string) bool { return roleMethods()[role][method] }

// unrecorded are the methods whose answer is not kept for a retry: they change nothing a retry
// could double (reads, polls, the session's own calls, whose answer holds no state to replay).
// Any other method's answer is kept under its idempotency key: a method forgotten here costs a
// row, never a double booking.
var unrecorded = map[string]bool{
	"app.AgentService.Ready": true, "app.AgentService.Workspace": true, "app.AgentService.Agenda": true,
	"app.AgentService.SignIn": true, "app.AgentService.SignOut": true, "app.AgentService.KeepAlive": true,
	"app.AgentService.FindSlots": true, "app.AgentService.SearchUsagers": true, "app.AgentService.RdvDetail": true,
	"app.AgentService.WaitingRoom": true, "app.AgentService.ToFill": true, "app.AgentService.DayList": true,
	"app.AgentService.PrintingSettings": true, "app.AgentService.PersonalData": true, "app.AgentService.Settings": true,
	"app.AgentService.PostesStatus": true, "app.AgentService.ImportModel": true, "app.AgentService.PreviewImport": true,
	"app.NotificationService.GetSettings": true, "app.NotificationService.Messages": true,
	"app.SyncService.Status": true, "app.SyncService.Settings": true, "app.SyncService.ToTreat": true,
	"app.KioskService.Home": true, "app.KioskService.Days": true, "app.KioskService.Times": true,
}

// recorded reports whether method's answer is kept under its idempotency key.
func recorded(method string) bool { return !unrecorded[method] }
