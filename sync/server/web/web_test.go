package web

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// Every error the usager's form can show is in English on English pages (issue 13, item 3): for
// each field, values that break each of its rules; the English text differs from the French one
// (no French fallback) and is not empty.
func TestFieldErrorsInEnglish(t *testing.T) {
	long := strings.Repeat("x", 201)
	bad := map[string][]string{
		fieldFirst: {"", "Jean\u202e", "Jean\x01", "Jean\xff", long},
		fieldLast:  {"", "Val\u2028jean", "Val\tjean", "\xffjean", long},
		fieldPhone: {"12", "+33 6 12 34 56 78 90 12", "téléphone"},
		fieldEmail: {"jean@", "jean", "a@b@c"},
		fieldPre:   {"", "AB12", "AB12CD34E!"},
	}
	seen := 0
	for field, values := range bad {
		for _, v := range values {
			in := url.Values{fieldFirst: {"Jean"}, fieldLast: {"Valjean"}, fieldEmail: {"jean@example.org"}, fieldPre: {"AB12CD34EF", "ZX98CV76BN"}}
			in[field] = []string{v}
			if field == fieldPre {
				in[field] = []string{v, v}
			}
			if field == fieldPhone {
				in.Del(fieldEmail)
			}
			texts := map[messages.Lang]map[string]string{}
			for _, lang := range []messages.Lang{messages.French, messages.English} {
				f := newForm(in)
				f.usager(lang, "019a6b2c-3d4e-7f80-9a1b-2c3d4e5f6a7b", true, 2)
				texts[lang] = f.errs
			}
			if len(texts[messages.English]) == 0 {
				t.Errorf("%s=%q: no error", field, v)
			}
			for k, en := range texts[messages.English] {
				seen++
				if fr := texts[messages.French][k]; en == "" || en == fr {
					t.Errorf("%s=%q: field %s: English %q, French %q", field, v, k, en, fr)
				}
			}
		}
	}
	t.Logf("%d field errors compared", seen)
}
