package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
)

// Every text the pages name has a French and an English text in the catalogue: no page shows a
// key, or falls back to French in English.
func TestEveryTextInBothLanguages(t *testing.T) {
	key := regexp.MustCompile(`"(online_[a-z0-9_]+)"`)
	sources, _ := filepath.Glob("*.go")
	templates, _ := filepath.Glob("templates/*.html")
	seen := map[string]bool{}
	for _, f := range append(sources, templates...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(data), -1) {
			seen[m[1]] = true
		}
	}
	for name := range parseTemplates() {
		seen["online_title_"+name] = name != "notice" // the notice's title is its failure's
	}
	delete(seen, "online_title_")
	var english map[string]string
	data, err := os.ReadFile("../../../backend/messages/locales/en/online.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &english); err != nil {
		t.Fatal(err)
	}
	for k, want := range seen {
		if !want {
			continue
		}
		if !messages.Known(agenda.Code(k)) {
			t.Errorf("%s: no French text", k)
		}
		if english[k] == "" {
			t.Errorf("%s: no English text", k)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for h, want := range map[string]messages.Lang{"": messages.French, "en-GB,en;q=0.9": messages.English,
		"de,fr;q=0.8,en;q=0.7": messages.French, "en;q=0.5,fr;q=0.4": messages.English, "es": messages.French} {
		if got := acceptLanguage(h); got != want {
			t.Errorf("%q: %s, want %s", h, got, want)
		}
	}
}

// The organisation's colour is used only when white text on it is readable (WCAG AA).
func TestAccent(t *testing.T) {
	for c, want := range map[string]string{"#0b5d3b": "#0b5d3b", "#ffeb3b": "#1f4e79", "blue": "#1f4e79", "": "#1f4e79"} {
		p := &page{}
		p.Org.AccentColor = c
		if got := string(p.Accent()); got != want {
			t.Errorf("%q: %s, want %s", c, got, want)
		}
	}
}
