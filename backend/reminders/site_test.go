package reminders

import (
	"testing"

	"rdvguichet/backend/agenda"
)

func TestSiteOf(t *testing.T) {
	for o, want := range map[agenda.Origine]Site{
		agenda.OrigineEnLigne: SiteCentral, agenda.OrigineGuichet: SiteOffice, agenda.OrigineKiosk: SiteOffice, agenda.OrigineImport: SiteOffice,
	} {
		if got := SiteOf(agenda.Rdv{Origine: o}); got != want {
			t.Errorf("SiteOf(%s) = %s, want %s", o, got, want)
		}
	}
}
