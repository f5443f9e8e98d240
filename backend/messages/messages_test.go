package messages

import (
	"errors"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
)

// Every code the domain defines has a French text: a door never shows a bare code.
func TestEveryCodeHasFrenchText(t *testing.T) {
	for _, c := range agenda.Codes() {
		if !Known(c) {
			t.Errorf("code %s: no French text in locales/fr", c)
		}
	}
}

func TestTextWithParams(t *testing.T) {
	err := agenda.E("store.Book", agenda.Invalid, &agenda.Error{Op: "creneaux.Available", Kind: agenda.Invalid, Code: agenda.CodeTooSoon,
		Params: map[string]string{"bound": "min", "minutes": "120"}})
	m := For(French, err)
	if m.Code != agenda.CodeTooSoon || m.Message != "Ce créneau est hors du délai de réservation du motif : au plus tôt 2 heures à l'avance." {
		t.Errorf("fr: %+v", m)
	}
	if got := For(English, err).Message; got != "This time cannot be booked here: at least 2 h in advance." {
		t.Errorf("en: %q", got)
	}
	err = agenda.CanTransition(agenda.StatusSeen, agenda.StatusSeen, agenda.Past, true, false)
	if got := For(French, err).Message; got != "Le rendez-vous est déjà au statut « Vu »." {
		t.Errorf("status: %q", got)
	}
}

// A code missing in English falls back to French; a code unknown everywhere gets its kind's text.
func TestFallbacks(t *testing.T) {
	if got := Text(English, agenda.CodeHoliday, nil); got != "Ce jour est férié." {
		t.Errorf("fallback to French: %q", got)
	}
	if got := Text(French, agenda.Code("no_such_code"), nil); !strings.HasPrefix(got, "L'opération a échoué") {
		t.Errorf("unknown code: %q", got)
	}
	if m := For(French, errors.New("disk on fire")); m.Code != agenda.CodeInternal || strings.Contains(m.Message, "disk") {
		t.Errorf("plain error: %+v", m)
	}
}

// The engine's refusal keeps its code through the store's wrapping, and benign codes say so.
func TestInnermostCodeAndBenign(t *testing.T) {
	inner := agenda.Fail("creneaux", agenda.CodeAgentAbsent)
	err := agenda.E("store.Book", agenda.Other, agenda.E("store.book", agenda.Invalid, inner))
	if m := For(French, err); m.Code != agenda.CodeAgentAbsent || !m.Benign || m.Message != "L'agent est absent sur ce créneau." {
		t.Errorf("%+v", m)
	}
	if agenda.IsBenign(agenda.Fail("x", agenda.CodeSlotTaken)) {
		t.Error("slot_taken is a hard rule")
	}
}

func TestValidationFields(t *testing.T) {
	v := agenda.ValidationError{{Field: "name", Code: agenda.CodeInvalidField, Message: "Le nom est obligatoire."}}
	m := For(French, agenda.E("store.SaveMotif", agenda.Invalid, v))
	if m.Code != agenda.CodeInvalidField || len(m.Fields) != 1 || m.Message != "Le nom est obligatoire." {
		t.Errorf("%+v", m)
	}
}
