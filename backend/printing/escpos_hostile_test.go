package printing

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// stray walks an ESC/POS ticket made by ESCPOS and returns the offset and value of the first
// control byte that is not part of one of the encoder's own commands (or -1). It knows exactly
// the commands the encoder writes, with their arguments: anything else below 0x20, or 0x7F, is
// text that would reach the printer as a command.
func stray(b []byte) (int, byte, error) {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\n':
			i++
		case c == esc:
			if i+1 >= len(b) {
				return i, c, errors.New("truncated ESC")
			}
			switch b[i+1] {
			case '@':
				i += 2
			case 't', 'a', 'E', 'd':
				i += 3
			default:
				return i, c, fmt.Errorf("ESC %q is not the encoder's", b[i+1])
			}
		case c == gs:
			if i+1 >= len(b) {
				return i, c, errors.New("truncated GS")
			}
			switch b[i+1] {
			case '!':
				i += 3
			case 'V': // GS V 66 n
				i += 4
			case '(': // GS ( k pL pH data
				if i+4 >= len(b) || b[i+2] != 'k' {
					return i, c, errors.New("bad GS (")
				}
				i += 5 + int(b[i+3]) + int(b[i+4])<<8
			case 'v': // GS v 0 m xL xH yL yH data
				if i+7 >= len(b) {
					return i, c, errors.New("truncated GS v")
				}
				w, h := int(b[i+4])|int(b[i+5])<<8, int(b[i+6])|int(b[i+7])<<8
				i += 8 + w*h
			default:
				return i, c, fmt.Errorf("GS %q is not the encoder's", b[i+1])
			}
		case c < 0x20 || c == 0x7f:
			return i, c, nil
		default:
			i++
		}
	}
	return -1, 0, nil
}

// hostileText is what a name, a note or a stored row could carry to the printer: printer
// commands (ESC @ reset, GS V cut, DLE EOT status, ESC p drawer kick), every C0 byte, DEL, C1
// controls, line and paragraph separators, bidi overrides, and bytes that are not UTF-8.
func hostileText() string {
	var b strings.Builder
	b.WriteString("Dupont\x1b@Jean\x1dV\x42\x00\x10\x04\x01\x1bp\x00\x19\xfa")
	for c := 0; c < 0x20; c++ {
		b.WriteByte(byte(c))
	}
	b.WriteString("\x7f\u0080\u0085\u009b\u009f\u2028\u2029\u202e\u2066\u200b\ufeff")
	b.WriteString("\xff\xfe\xc3\x28\xe2\x82\x1b\xed\xa0\x80\xf4\x90\x80\x80 fin")
	return b.String()
}

// Issue 10, #5: whatever text reaches the encoder, the ticket holds no control byte but the
// encoder's own commands.
func TestESCPOSHostileText(t *testing.T) {
	h := hostileText()
	e := NewESCPOS().Align(Center).Bold(true).Line(h).Size(2, 2).Line(h).Size(1, 1)
	e.Line("Accessibilité :\trampe\r\nascenseur\u2028étage " + h)
	if err := e.QR(h, 6, QRNative); err != nil {
		t.Fatal(err)
	}
	b := e.Feed(2).Cut().Bytes()
	if at, c, err := stray(b); at >= 0 || err != nil {
		t.Fatalf("control byte %#02x at %d (%v) in % x", c, at, err, b)
	}
	// Outside the QR code's payload (data, length-prefixed), the printer commands of the text are gone.
	plain := NewESCPOS().Line(h).Cut().Bytes()
	for _, cmd := range [][]byte{{esc, '@'}, {gs, 'V'}} {
		if n := bytes.Count(plain, cmd); n != 1 {
			t.Errorf("% x appears %d times: only the encoder's own", cmd, n)
		}
	}
	if got := Encode858(h); bytes.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Errorf("Encode858 wrote a control byte: % x", got)
	}
	for in, want := range map[string]string{
		"Jean\x1b@Dupont":       "Jean@Dupont", // ESC gone, « @ » is printable
		"a\tb\u2028c":           "a b c",
		"\u202eenilataR":        "enilataR",
		"\xffLéa\xc3":           "?L\x82a?",
		"He\u0301le\u0300ne":    "H\x82l\x8ane",
		"x\u0301\u0327•":        "x\xfa",    // combining marks PC858 cannot hold are dropped
		"Caf\u00e9\u200b\u0085": "Caf\x82 ", // NEL is a line break
	} {
		if got := string(Encode858(in)); got != want {
			t.Errorf("Encode858(%q) = %q, want %q", in, got, want)
		}
	}
	// Line breaks and tabs in a note are cut or spaced by Line, never sent raw.
	got := NewESCPOS().Line("a\r\nb\tc\rd").Bytes()[5:]
	if string(got) != "a\nb c\nd\n" {
		t.Errorf("Line = %q", got)
	}
}

// A long word with a byte that is not UTF-8 is cut at the width without a panic (found by
// FuzzESCPOS: the cut counted the bad byte as the 3 bytes of U+FFFD and sliced past the end).
func TestWrapInvalidUTF8(t *testing.T) {
	word := strings.Repeat("0", 47) + "\xd90"
	got := wrapColumns(word, 48)
	if strings.Join(got, "|") != strings.Repeat("0", 47)+"\xd9|0" {
		t.Errorf("wrap = %q", got)
	}
	if b := NewESCPOS().Line(word).Bytes()[5:]; string(b) != strings.Repeat("0", 47)+"?\n0\n" {
		t.Errorf("Line = %q", b)
	}
}

// A payload longer than a QR code holds is refused: its 16-bit length would overflow and the
// rest would reach the printer as commands.
func TestESCPOSQRTooLong(t *testing.T) {
	long := strings.Repeat("\x1dV\x42\x00", 1<<14+1) // 65540 bytes
	for _, mode := range []QRMode{QRNative, QRRaster} {
		e := NewESCPOS()
		if err := e.QR(long, 6, mode); !errors.Is(err, ErrQRTooLong) {
			t.Errorf("mode %d: %v", mode, err)
		}
		if len(e.Bytes()) != 5 {
			t.Errorf("mode %d wrote %d bytes", mode, len(e.Bytes()))
		}
	}
	if err := NewESCPOS().QR(strings.Repeat("A", MaxQRBytes), 2, QRNative); err != nil {
		t.Errorf("longest payload: %v", err)
	}
}

// FuzzESCPOS: any text, at any size, and any QR payload give a ticket whose only control bytes
// are the encoder's commands, and Line's wrapping keeps every printed line within the width.
func FuzzESCPOS(f *testing.F) {
	f.Add("Jean Dupont", 1, "ABC234")
	f.Add(hostileText(), 2, hostileText())
	f.Add("Rendez-vous à 9\u202fh\u202f30 au guichet numéro deux", 2, "")
	f.Add("\x1b@\x1dV\x42\x00\x10\x04\x01", 1, "\x1b@")
	f.Add("He\u0301le\u0300ne\tœuvre\r\n«\u00a0x\u00a0»", 3, "x")
	f.Fuzz(func(t *testing.T, text string, width int, qr string) {
		if width < 1 || width > 2 {
			width = 1
		}
		e := NewESCPOS().Size(width, width).Line(text)
		if err := e.QR(qr, 4, QRNative); err != nil && len(qr) <= MaxQRBytes {
			t.Fatalf("QR: %v", err)
		}
		b := e.Cut().Bytes()
		if at, c, err := stray(b); at >= 0 || err != nil {
			t.Fatalf("control byte %#02x at %d (%v) for %q", c, at, err, text)
		}
		enc := Encode858(text)
		if bytes.ContainsFunc(enc, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Fatalf("Encode858(%q) = % x", text, enc)
		}
		for _, l := range wrapColumns(text, Columns80mm/width) {
			if n := len(Encode858(l)); n > Columns80mm/width && len([]rune(l)) > 1 {
				t.Fatalf("line %q prints %d columns, more than %d", l, n, Columns80mm/width)
			}
		}
	})
}

// A word of 200,000 letters is cut in one pass: the wrapper used to measure what was left of the
// word after each cut, which made it quadratic and stalled the fuzzer (issue 10, #5).
func TestWrapLongWordLinear(t *testing.T) {
	lines := wrapColumns(strings.Repeat("é", 200_000), Columns80mm)
	if len(lines) != 200_000/Columns80mm+1 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines[:len(lines)-1] {
		if n := len(Encode858(l)); n != Columns80mm {
			t.Fatalf("line of %d columns", n)
		}
	}
}
