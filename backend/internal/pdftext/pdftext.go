// Package pdftext reads, for tests, the exact text a PDF written by fpdf shows: pdftotext folds
// the narrow no-break space of « 9 h 30 » into a plain one, so the tests that hold the French
// typography read the text operators themselves.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"io"
	"strings"
)

// Shown returns the literal strings of the Tj operators of pdf's content streams, decoded from
// the 2-byte Identity-H codes fpdf writes for its UTF-8 fonts (code = Unicode code point), one
// string per operator, joined by spaces.
func Shown(pdf []byte) string {
	var out []string
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		raw := inflate(rest[:j])
		rest = rest[j:]
		if !bytes.Contains(raw, []byte("Tj")) {
			continue
		}
		for k := 0; k < len(raw); k++ {
			if raw[k] != '(' {
				continue
			}
			var str []byte
			for k++; k < len(raw) && raw[k] != ')'; k++ {
				if raw[k] == '\\' && k+1 < len(raw) {
					k++
					str = append(str, unescape(raw[k]))
					continue
				}
				str = append(str, raw[k])
			}
			var rs []rune
			for m := 0; m+1 < len(str); m += 2 {
				rs = append(rs, rune(str[m])<<8|rune(str[m+1]))
			}
			out = append(out, string(rs))
		}
	}
	return strings.Join(out, " ")
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return c
}

// inflate returns the content of a Flate stream (nothing when it is not one).
func inflate(b []byte) []byte {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	raw, _ := io.ReadAll(r)
	return raw
}
