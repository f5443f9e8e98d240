package agenda

import (
	"strings"
	"unicode"
)

// overseasPrefixes maps the first digits of a French national number (after the leading 0) that belong
// to an overseas département to its E.164 country code (ARCEP numbering plan). Everything else is +33.
//
//	Réunion   fixed 0262, 0263 · mobile 0692, 0693 → +262
//	Mayotte   fixed 0269       · mobile 0639       → +262
//	Guadeloupe, Saint-Martin, Saint-Barthélemy fixed 0590 · mobile 0690, 0691 → +590
//	Guyane    fixed 0594       · mobile 0694       → +594
//	Martinique fixed 0596      · mobile 0696, 0697 → +596
//
// Saint-Pierre-et-Miquelon (+508), Wallis-et-Futuna, Polynésie and Nouvelle-Calédonie have their own
// plans outside the 10-digit French one: type them in international form (+508…, +681…, +689…, +687…).
var overseasPrefixes = map[string]string{
	"262": "262", "263": "262", "692": "262", "693": "262",
	"269": "262", "639": "262",
	"590": "590", "690": "590", "691": "590",
	"594": "594", "694": "594",
	"596": "596", "696": "596", "697": "596",
}

// frenchRegions are the region codes whose numbers follow the French 10-digit national plan.
var frenchRegions = map[string]bool{
	"": true, "FR": true, "RE": true, "YT": true, "GP": true, "MF": true, "BL": true, "GF": true, "MQ": true,
}

// NormalizePhone turns a phone number as typed into E.164 (« +33612345678 »).
//
// Spaces, dots, hyphens, slashes and parentheses are ignored, as is a « (0) » after the country code
// (« +33 (0)6 12 34 56 78 »). « 00 » stands for « + ». A national number (10 digits starting with 0) is
// read in defaultRegion's plan; only the French plan is known (defaultRegion "", "FR" or an overseas
// département's ISO code: RE, YT, GP, MF, BL, GF, MQ) and the overseas prefixes get their own country code
// (0692 12 34 56 → +262692123456, see overseasPrefixes), also when typed after +33 by mistake. A +33
// number must have 9 digits after the country code; other countries are only checked against E.164
// (+, 8 to 15 digits). Errors are *Error of kind Invalid.
func NormalizePhone(s string, defaultRegion string) (string, error) {
	const op = "agenda.NormalizePhone"
	bad := func() (string, error) {
		return "", Fail(op, CodePhoneInvalid, "phone", s)
	}
	t := strings.ReplaceAll(strings.TrimSpace(s), "(0)", "")
	t = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(".-/()", r) {
			return -1
		}
		return r
	}, t)
	if strings.HasPrefix(t, "00") {
		t = "+" + t[2:]
	}
	var national string // French national significant number (9 digits) when known
	switch {
	case strings.HasPrefix(t, "+33"):
		national = t[3:]
		if len(national) == 10 && national[0] == '0' { // +33 0 6 12 34 56 78
			national = national[1:]
		}
	case strings.HasPrefix(t, "+"):
		if !e164Re.MatchString(t) {
			return bad()
		}
		return t, nil
	case strings.HasPrefix(t, "0") && len(t) == 10:
		if !frenchRegions[strings.ToUpper(defaultRegion)] {
			return "", Fail(op, CodePhoneRegion, "region", defaultRegion)
		}
		national = t[1:]
	default:
		return bad()
	}
	if len(national) != 9 || national[0] < '1' || national[0] > '9' || !allDigits(national) {
		return bad()
	}
	code := "33"
	if c, ok := overseasPrefixes[national[:3]]; ok {
		code = c
	}
	return "+" + code + national, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsFrenchMobile reports whether an E.164 number is a French mobile one (metropolitan 06 and 07, overseas
// 0639, 0690–0697): SMS are only sent to mobiles.
func IsFrenchMobile(e164 string) bool {
	if !e164Re.MatchString(e164) {
		return false
	}
	switch {
	case strings.HasPrefix(e164, "+336"), strings.HasPrefix(e164, "+337"):
		return len(e164) == 12
	case len(e164) != 13:
		return false
	}
	switch e164[:7] {
	case "+262692", "+262693", "+262639", "+590690", "+590691", "+594694", "+596696", "+596697":
		return true
	}
	return false
}
