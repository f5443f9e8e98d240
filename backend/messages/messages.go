// Package messages is the catalogue of user text for error codes: one file set per language
// (locales/<lang>/*.json, read with go-i18n), chosen by code at the door (the app, the kiosk, the
// CLI, rdv-central's pages and results). Nothing below the doors writes user text for a failure:
// the domain and the stores return an agenda.Code with its params, and the door calls For.
//
// Params are language-neutral (minutes, status codes); this package writes them in the language
// (« 2 h », « Vu ») before they reach the templates as .duration and .statusLabel.
package messages

import (
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/fr"
)

// Lang is a language the doors speak.
type Lang string

const (
	French  Lang = "fr"
	English Lang = "en"
)

//go:embed locales
var locales embed.FS

var (
	loadOnce sync.Once
	bundle   *i18n.Bundle
	// localizers are made once per language: NewLocalizer parses its tags at each call, a few
	// microseconds that a page of sixty texts repeats (the online pages' profile, issue 13).
	localizers map[Lang]*i18n.Localizer
)

// localizer returns lang's localizer.
func localizer(lang Lang) *i18n.Localizer {
	if l, ok := localizers[lang]; ok {
		return l
	}
	return i18n.NewLocalizer(bundle, string(lang))
}

func load() {
	bundle = i18n.NewBundle(language.French)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	err := fs.WalkDir(locales, "locales", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := locales.ReadFile(path)
		if err != nil {
			return err
		}
		// go-i18n takes the language from the file name: locales/fr/booking.json → booking.fr.json.
		parts := strings.Split(path, "/")
		_, err = bundle.ParseMessageFileBytes(data, strings.TrimSuffix(parts[2], ".json")+"."+parts[1]+".json")
		return err
	})
	if err != nil {
		panic("messages: catalogue illisible : " + err.Error()) // embedded and tested: a build defect
	}
	localizers = map[Lang]*i18n.Localizer{French: i18n.NewLocalizer(bundle, string(French)), English: i18n.NewLocalizer(bundle, string(English))}
}

// Text returns the text of code in lang with its params; a language that lacks the text falls
// back to French, and a code no catalogue knows gets the text of its kind.
func Text(lang Lang, code agenda.Code, params map[string]string) string {
	loadOnce.Do(load)
	data := templateData(lang, params)
	for _, id := range []agenda.Code{code, generic(code)} {
		for _, l := range []Lang{lang, French} {
			loc := localizer(l)
			// A text whose params did not come (« <no value> ») is not shown: the kind's text is.
			if s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: string(id), TemplateData: data}); err == nil && s != "" && !strings.Contains(s, "<no value>") {
				return s
			}
		}
	}
	return string(code)
}

// Known reports whether the French catalogue has a text for code (tests hold every code to it).
func Known(code agenda.Code) bool {
	loadOnce.Do(load)
	_, err := localizer(French).Localize(&i18n.LocalizeConfig{MessageID: string(code)})
	return err == nil
}

func generic(code agenda.Code) agenda.Code {
	switch code.Kind() {
	case agenda.Invalid:
		return agenda.CodeInvalid
	case agenda.Conflict:
		return agenda.CodeConflict
	case agenda.NotFound:
		return agenda.CodeNotFound
	case agenda.Forbidden:
		return agenda.CodeForbidden
	case agenda.Unavailable:
		return agenda.CodeUnavailable
	}
	return agenda.CodeInternal
}

// templateData adds to params the values written in lang: .duration from "minutes",
// .statusLabel from "status" (and "temporal").
func templateData(lang Lang, params map[string]string) map[string]string {
	data := make(map[string]string, len(params)+2)
	for k, v := range params {
		data[k] = v
	}
	if m, err := strconv.Atoi(params["minutes"]); err == nil {
		data["duration"] = duration(lang, time.Duration(m)*time.Minute)
	}
	if s, ok := params["status"]; ok {
		data["statusLabel"] = statusLabel(lang, agenda.Status(s), temporal(params["temporal"]))
	}
	if e := params["entity"]; e != "" && Known(agenda.Code("entity_"+e)) {
		data["entityName"] = Text(lang, agenda.Code("entity_"+e), nil)
	}
	if w, err := strconv.Atoi(params["weekday"]); err == nil {
		data["weekdayName"] = weekdayName(lang, time.Weekday(w))
	}
	if n, err := strconv.Atoi(params["nth"]); err == nil {
		data["nthName"] = ordinal(lang, n)
	}
	if d, err := agenda.ParseDate(params["date"]); err == nil {
		data["dateText"] = shortDate(lang, d)
	}
	return data
}

// parseArgs reads a FieldError's Args ("name=value;name=value").
func parseArgs(args string) map[string]string {
	if args == "" {
		return nil
	}
	out := map[string]string{}
	for _, kv := range strings.Split(args, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

func weekdayName(lang Lang, w time.Weekday) string {
	if lang == English {
		return w.String()
	}
	return fr.Weekday(w)
}

func ordinal(lang Lang, n int) string {
	if lang == English {
		return strconv.Itoa(n) + map[int]string{1: "st", 2: "nd", 3: "rd"}[n] + map[bool]string{true: "th"}[n > 3 || n < 1]
	}
	return fr.Ordinal(n)
}

func shortDate(lang Lang, d agenda.Date) string {
	if lang == English {
		return d.String()
	}
	return fr.ShortDate(d)
}

func duration(lang Lang, d time.Duration) string {
	if lang == English {
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		switch {
		case d >= 48*time.Hour && d%(24*time.Hour) == 0:
			return strconv.Itoa(int(d/(24*time.Hour))) + " days"
		case h == 0:
			return strconv.Itoa(m) + " min"
		case m == 0:
			return strconv.Itoa(h) + " h"
		}
		return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min"
	}
	return fr.Duration(d)
}

func temporal(s string) agenda.Temporal {
	switch s {
	case "future":
		return agenda.Future
	case "today":
		return agenda.Today
	}
	return agenda.Past
}

func statusLabel(lang Lang, s agenda.Status, t agenda.Temporal) string {
	if !s.Valid() {
		return string(s)
	}
	if lang == English {
		return Text(English, agenda.Code("status_label_"+string(s)), nil)
	}
	return s.Label(t)
}

// Message is a failure as a door shows it: its code, its text, and for invalid input the fields
// with their own texts.
type Message struct {
	Code    agenda.Code         `json:"code"`
	Message string              `json:"message"`
	Params  map[string]string   `json:"params,omitempty"`
	Fields  []agenda.FieldError `json:"fields,omitempty"`
	Benign  bool                `json:"benign,omitempty"`
}

// For returns the message of err in lang. Each field error gets the text of its rule's code
// (locales/<lang>/fields.json); a field error of the doors' own forms, which still carries its
// text under invalid_field, keeps it.
func For(lang Lang, err error) Message {
	if done, ok := err.(*Error); ok { // already through a door
		return done.Message
	}
	code := agenda.CodeOf(err)
	params := agenda.ParamsOf(err)
	m := Message{Code: code, Message: Text(lang, code, params), Params: params, Benign: code.Benign()}
	if text, ok := uncoded(err); ok {
		m.Message = text
	}
	var v agenda.ValidationError
	if errors.As(err, &v) {
		for _, f := range v {
			switch {
			case f.Code == "" || f.Code == agenda.CodeInvalidField:
			case Known(f.Code):
				f.Message = Text(lang, f.Code, parseArgs(f.Args))
			case f.Message == "": // a rule newer than the catalogue: never an empty line
				f.Message = Text(lang, agenda.CodeInvalid, nil)
			}
			m.Fields = append(m.Fields, f)
		}
		if len(v) == 1 && code == agenda.CodeInvalidField {
			m.Message = m.Fields[0].Message
		}
	}
	return m
}

// Error is a failure as it leaves a door: its Error() is the text, and the code stays readable
// (errors.As) for the door's own encoding (JSON for the CLI and the frontend).
type Error struct{ Message }

func (e *Error) Error() string { return e.Message.Message }

// UserError wraps err for a door: nil stays nil.
func UserError(lang Lang, err error) error {
	if err == nil {
		return nil
	}
	return &Error{For(lang, err)}
}

// uncoded is the text of a refusal written before codes reached its package: an error with a kind
// but no code keeps the sentence its package wrote (French), rather than the kind's general text.
// Each such place is a code to add (docs/architecture.md, « Errors »).
func uncoded(err error) (string, bool) {
	var v agenda.ValidationError
	if agenda.HasCode(err) || errors.As(err, &v) || agenda.KindOf(err) == agenda.Other {
		return "", false
	}
	for {
		e, ok := err.(*agenda.Error)
		if !ok || e.Err == nil {
			break
		}
		err = e.Err
	}
	s := strings.TrimSpace(err.Error())
	if s == "" {
		return "", false
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:], true
}
