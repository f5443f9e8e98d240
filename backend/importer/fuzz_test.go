package importer

import (
	"testing"
	"unicode/utf8"
)

// Whatever bytes come in, Read and Check neither panic nor loop: they return a sheet, a coded
// refusal, or problems on real line numbers; and every text they keep is valid UTF-8.
func FuzzRead(f *testing.F) {
	f.Add([]byte(header + "Martin;Jeanne;07/04/1985;06 12 34 56 78;;24/03/2026;9 h 30;Claire Martin;Aide CAF\n"))
	f.Add([]byte("\xef\xbb\xbfnom,prénom\n\"Mar\ntin\",\"Je\"\"anne\"\n"))
	f.Add([]byte("nom;pr\xe9nom\r\nL\xe9a;Z\xe9\r\n"))
	f.Add(Template)
	f.Fuzz(func(t *testing.T, data []byte) {
		sheet, err := Read(data)
		if err != nil {
			return
		}
		last := 0
		for _, r := range sheet.Rows {
			if r.Line <= last {
				t.Fatalf("line numbers not increasing: %d after %d", r.Line, last)
			}
			last = r.Line
			for _, c := range r.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("cell not UTF-8: %q", c)
				}
			}
		}
		_, problems := Check(sheet, ref())
		for _, p := range problems {
			if p.Line < 1 || p.Line > last || p.Code == "" {
				t.Fatalf("problem out of the file: %+v", p)
			}
		}
	})
}
