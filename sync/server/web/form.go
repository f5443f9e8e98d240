package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/messages"
)

// The usager's fields, as the forms name them. They travel only in POST bodies.
const (
	fieldFirst    = "prenom"
	fieldLast     = "nom"
	fieldPhone    = "tel"
	fieldEmail    = "email"
	fieldPre      = "pd" // one per person, in order
	fieldConsent  = "rappels"
	honeypot      = "site_web" // hidden from people; a robot fills it
	preDemandeKey = "pd."      // the error of person i's number is on "pd.i"
)

// personal are the fields a form carries from page to page in hidden fields.
var personal = []string{fieldFirst, fieldLast, fieldPhone, fieldEmail, fieldPre, fieldConsent}

// domainFields maps the fields of agenda.Usager's validation to the form's.
var domainFields = map[string]string{"firstName": fieldFirst, "lastName": fieldLast, "phone": fieldPhone, "email": fieldEmail,
	"antsPreDemande": preDemandeKey + "0"}

// form is the usager's form: what they typed (kept whatever its errors) and the error of each
// field, in the order of the page.
type form struct {
	values url.Values
	errs   map[string]string
	Order  []string // fields in error, for the summary at the top
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{values: v, errs: map[string]string{}}
}

// V is the value typed in field name.
func (f *form) V(name string) string { return strings.TrimSpace(f.values.Get(name)) }

// Pre is the pré-demande number typed for person i (from 1).
func (f *form) Pre(i int) string {
	if vs := f.values[fieldPre]; i-1 < len(vs) {
		return strings.TrimSpace(vs[i-1])
	}
	return ""
}

// Consent reports whether the reminders box is ticked.
func (f *form) Consent() bool { return f.values.Get(fieldConsent) == "oui" }

// Err is the error of field name ("" when none); PreErr that of person i's number.
func (f *form) Err(name string) string { return f.errs[name] }
func (f *form) PreErr(i int) string    { return f.errs[preDemandeKey+strconv.Itoa(i-1)] }

// Errors are the fields in error with their texts, for the summary at the top of the form.
func (f *form) Errors() [][2]string {
	out := make([][2]string, 0, len(f.Order))
	for _, k := range f.Order {
		id := k
		if strings.HasPrefix(k, preDemandeKey) {
			n, _ := strconv.Atoi(strings.TrimPrefix(k, preDemandeKey))
			id = fieldPre + strconv.Itoa(n+1)
		}
		out = append(out, [2]string{id, f.errs[k]})
	}
	return out
}

// fail records the first error of a field.
func (f *form) fail(field, text string) {
	if _, ok := f.errs[field]; ok {
		return
	}
	f.errs[field] = text
	f.Order = append(f.Order, field)
}

// fields records the field errors of err (an agenda.ValidationError), in lang.
func (f *form) fields(lang messages.Lang, err error) {
	for _, fe := range messages.For(lang, err).Fields {
		name, ok := domainFields[fe.Field]
		if !ok {
			name = fe.Field // the form's own rules already use its names
		}
		f.fail(name, fe.Message)
	}
}

// Hidden are the usager's fields as hidden fields: what a page between two forms passes on.
func (f *form) Hidden() [][2]string {
	var out [][2]string
	for _, k := range personal {
		for _, v := range f.values[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// usager reads the form: the usager to book (names, phone and/or e-mail, the first pré-demande,
// reminders by consent) and the pré-demande numbers of every person; false with the errors
// recorded when a field is wrong. The rules are the domain's (agenda.Usager.Validate,
// agenda.PreDemandes, agenda.NormalizePhone), the texts the catalogue's.
func (f *form) usager(lang messages.Lang, orgID string, ants bool, persons int) (agenda.Usager, []string, bool) {
	var fe agenda.ValidationError
	u := agenda.Usager{OrganisationID: orgID, FirstName: f.V(fieldFirst), LastName: f.V(fieldLast), Email: f.V(fieldEmail)}
	if tel := f.V(fieldPhone); tel != "" {
		p, err := agenda.NormalizePhone(tel, "FR")
		if err != nil {
			fe = append(fe, agenda.FieldError{Field: fieldPhone, Code: agenda.CodeKioskPhoneBad})
		}
		u.Phone = p
	} else if u.Email == "" {
		fe = append(fe, agenda.FieldError{Field: fieldPhone, Code: agenda.CodeContactRequired})
	}
	var numbers []string
	if ants {
		var pe agenda.ValidationError
		numbers, pe = agenda.PreDemandes(f.values[fieldPre], persons, strings.TrimSuffix(preDemandeKey, "."))
		fe = append(fe, pe...)
		if len(pe) == 0 {
			u.AntsPreDemande = numbers[0]
		}
	}
	var v agenda.ValidationError
	if errors.As(u.Validate(), &v) {
		fe = append(fe, v...)
	}
	// In the page's order: the first error the usager meets is the first listed.
	order := map[string]int{"firstName": 1, fieldFirst: 1, "lastName": 2, fieldLast: 2, "phone": 3, fieldPhone: 3, "email": 4}
	for i := range 4 {
		for _, e := range fe {
			if order[e.Field] == i+1 {
				f.fields(lang, agenda.ValidationError{e})
			}
		}
	}
	for _, e := range fe {
		if order[e.Field] == 0 {
			f.fields(lang, agenda.ValidationError{e})
		}
	}
	if len(f.errs) > 0 {
		return agenda.Usager{}, nil, false
	}
	u.NotifySMS, u.NotifyEmail = f.Consent() && u.Phone != "", f.Consent() && u.Email != ""
	return u, numbers, true
}

// input is a text field as the "input" template draws it.
type input struct {
	ID, Name, Label, Value, Err, Hint string
	Optional                          string // « facultatif »
	Type, Auto, Mode                  string
	Max                               int
	Caps                              bool   // pré-demande numbers: capitals, no spelling check
	Described                         string // aria-describedby: the error first, then the hint
}

// Input is field name of the usager's form (i: the person, for a pré-demande number): its
// label, hint, value kept and error, with the error tied to the field (aria-describedby).
func (p *page) Input(name string, i int) input {
	in := input{ID: name, Name: name, Type: "text", Max: 100}
	switch name {
	case fieldFirst:
		in.Label, in.Auto = p.T("online_field_first"), "given-name"
	case fieldLast:
		in.Label, in.Auto = p.T("online_field_last"), "family-name"
	case fieldPhone:
		in.Label, in.Type, in.Auto, in.Mode, in.Max = p.T("online_field_phone"), "tel", "tel", "tel", 30
		in.Hint, in.Optional = p.T("online_field_phone_hint"), p.T("online_optional_one")
	case fieldEmail:
		in.Label, in.Type, in.Auto, in.Mode, in.Max = p.T("online_field_email"), "email", "email", "email", 254
		in.Hint, in.Optional = p.T("online_field_email_hint"), p.T("online_optional_one")
	case fieldPre:
		in.ID, in.Label, in.Hint, in.Max, in.Caps = fieldPre+strconv.Itoa(i), p.T("online_field_predemande", "n", i), p.T("online_predemande_hint"), 14, true
	}
	if p.Form != nil {
		if name == fieldPre {
			in.Value, in.Err = p.Form.Pre(i), p.Form.PreErr(i)
		} else {
			in.Value, in.Err = p.Form.V(name), p.Form.Err(name)
		}
	}
	var ids []string
	if in.Err != "" {
		ids = append(ids, in.ID+"-erreur")
	}
	if in.Hint != "" {
		ids = append(ids, in.ID+"-aide")
	}
	if name == fieldPhone || name == fieldEmail {
		ids = append(ids, "contact-aide")
	}
	in.Described = strings.Join(ids, " ")
	return in
}
