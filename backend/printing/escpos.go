package printing

import (
	"bytes"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/skip2/go-qrcode"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// ESC/POS commands for 80 mm thermal printers, written from Epson's ESC/POS command reference (the
// usual Go library is not available from the module proxy here). Only what a convocation ticket
// needs: initialise, code page, alignment, bold, character size, QR code (native or raster),
// feed and cut.
const (
	esc = 0x1b
	gs  = 0x1d
	// Columns80mm is the line length in font A (12×24 dots) on 72 mm of printable width (576 dots).
	Columns80mm = 48
	// codePage858 is ESC t 19: PC858, which is PC850 with « € ». It holds every French letter
	// (é è ê ë à â ç ù û ô î ï É È À Ç…) and « », but not œ: that one is written « oe ».
	codePage858 = 19
)

// Align is ESC a's argument.
type Align byte

const (
	Left   Align = 0
	Center Align = 1
	Right  Align = 2
)

// QRMode chooses how a QR code is printed.
type QRMode int

const (
	// QRNative uses GS ( k (model 2): sharp and compact, on most printers since about 2010.
	QRNative QRMode = iota
	// QRRaster draws the code as a GS v 0 bitmap, for older printers that ignore GS ( k and would
	// otherwise print nothing (an unreadable ticket nobody notices at the counter).
	QRRaster
)

// ESCPOS builds a ticket. Text is UTF-8 in, PC858 out; lines are wrapped at the current width.
type ESCPOS struct {
	buf     bytes.Buffer
	columns int // characters per line at normal width
	width   int // current character width multiplier (1 or 2)
}

// NewESCPOS starts a ticket: ESC @ (reset), ESC t 19 (PC858).
func NewESCPOS() *ESCPOS {
	e := &ESCPOS{columns: Columns80mm, width: 1}
	e.buf.Write([]byte{esc, '@', esc, 't', codePage858})
	return e
}

// Bytes returns the ticket so far.
func (e *ESCPOS) Bytes() []byte { return e.buf.Bytes() }

// Align sets the justification of the following lines (ESC a n).
func (e *ESCPOS) Align(a Align) *ESCPOS {
	e.buf.Write([]byte{esc, 'a', byte(a)})
	return e
}

// Bold turns emphasis on or off (ESC E n).
func (e *ESCPOS) Bold(on bool) *ESCPOS {
	e.buf.Write([]byte{esc, 'E', b2b(on)})
	return e
}

// Size sets the character size, 1 or 2 times in each direction (GS ! n).
func (e *ESCPOS) Size(width, height int) *ESCPOS {
	width, height = clamp(width, 1, 8), clamp(height, 1, 8)
	e.width = width
	e.buf.Write([]byte{gs, '!', byte((width-1)<<4 | (height - 1))})
	return e
}

// Line writes text wrapped to the line length at the current size, each line ended by LF.
// Plain spaces are break points; no-break spaces (« 9 h 30 ») are not.
func (e *ESCPOS) Line(text string) *ESCPOS {
	if strings.ContainsAny(text, "\r\t\u2028\u2029") {
		text = lineBreaks.Replace(text)
	}
	for _, l := range wrapColumns(text, e.columns/e.width) {
		e.buf.Write(Encode858(l))
		e.buf.WriteByte('\n')
	}
	return e
}

// lineBreaks writes every line break as LF, where Line cuts, and a tab as a space, where it may.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\t", " ")

// Feed prints and feeds n lines (ESC d n).
func (e *ESCPOS) Feed(n int) *ESCPOS {
	e.buf.Write([]byte{esc, 'd', byte(clamp(n, 0, 255))})
	return e
}

// Cut feeds the paper to the cutter and cuts it, leaving a hinge (GS V 66 0: feed and partial
// cut). Printers without a cutter ignore it.
func (e *ESCPOS) Cut() *ESCPOS {
	e.buf.Write([]byte{gs, 'V', 66, 0})
	return e
}

// MaxQRBytes is what a QR code holds at level M in byte mode (version 40). A longer payload does
// not fit a code; written as GS ( k, it would also overflow the command's 16-bit length and the
// rest of it would reach the printer as commands.
const MaxQRBytes = 2331

// ErrQRTooLong is QR's refusal of a payload longer than MaxQRBytes.
var ErrQRTooLong = errors.New("printing: QR code data too long")

// QR prints data as a QR code (error correction M) with modules of module dots (1–16), by the
// chosen mode. A wrong mode is worse than none: the raster fallback is what old printers need.
func (e *ESCPOS) QR(data string, module int, mode QRMode) error {
	if len(data) > MaxQRBytes {
		return ErrQRTooLong
	}
	module = clamp(module, 1, 16)
	if mode == QRRaster {
		q, err := qrcode.New(data, qrcode.Medium)
		if err != nil {
			return err
		}
		e.Raster(q.Bitmap(), module)
		return nil
	}
	fn := func(args ...byte) {
		n := len(args)
		e.buf.Write([]byte{gs, '(', 'k', byte(n), byte(n >> 8)})
		e.buf.Write(args)
	}
	fn(49, 65, 50, 0)        // function 165: model 2
	fn(49, 67, byte(module)) // function 167: module size in dots
	fn(49, 69, 49)           // function 169: error correction level M (15 %)
	store := append([]byte{49, 80, 48}, data...)
	fn(store...)   // function 180: store the data
	fn(49, 81, 48) // function 181: print it
	e.buf.WriteByte('\n')
	return nil
}

// Raster prints a black-and-white bitmap (true = black), each pixel scale×scale dots, with
// GS v 0 (normal density). Rows are padded to whole bytes.
func (e *ESCPOS) Raster(bits [][]bool, scale int) {
	if len(bits) == 0 {
		return
	}
	scale = max(scale, 1)
	wDots := len(bits[0]) * scale
	wBytes := (wDots + 7) / 8
	hDots := len(bits) * scale
	e.buf.Write([]byte{gs, 'v', '0', 0, byte(wBytes), byte(wBytes >> 8), byte(hDots), byte(hDots >> 8)})
	row := make([]byte, wBytes)
	for _, line := range bits {
		clear(row)
		for x := 0; x < wDots; x++ {
			if line[x/scale] {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		for range scale {
			e.buf.Write(row)
		}
	}
	e.buf.WriteByte('\n')
}

// Encode858 transcodes UTF-8 text to PC858. Characters it lacks are replaced by their usual
// French spelling (œ → oe, ’ → ', « – » → -, … → ...) and, failing that, by « ? ». No-break
// spaces become PC858's 0xFF so that a printer never breaks « 9 h 30 » at the end of a line.
//
// Whatever the source of the text (a name typed at the kiosk, a row stored before the domain
// refused control characters), nothing of it reaches the printer as a command (issue 10, #5):
// control characters (C0, DEL, C1) are dropped, except tab and the line breaks, which become
// spaces (Line cuts lines itself); invisible format characters (bidirectional controls,
// zero-width spaces) and combining marks left over after NFC are dropped; bytes that are not
// UTF-8 print as « ? ». Every byte Encode858 writes is 0x20–0x7E or 0x80–0xFF.
func Encode858(s string) []byte {
	if utf8.ValidString(s) && !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s) // « é » typed as e + U+0301 prints as « é », not « e? »
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			out = append(out, '?')
			continue
		case r >= 0x20 && r < 0x7f:
			out = append(out, byte(r))
			continue
		}
		if sub, ok := substitutes[r]; ok {
			out = append(out, sub...)
			continue
		}
		switch {
		case unicode.IsSpace(r): // tab, CR, LF, VT, FF, NEL, U+2028, U+2029, ideographic space…
			out = append(out, ' ')
			continue
		case r < 0x20 || r == 0x7f || !unicode.IsPrint(r) || unicode.Is(unicode.Mn, r):
			continue // a control, a format character, a lone combining mark: nothing to print
		}
		if b, ok := charmap.CodePage858.EncodeRune(r); ok && b >= 0x80 {
			out = append(out, b)
			continue
		}
		out = append(out, '?')
	}
	return out
}

// substitutes are the spellings of characters PC858 lacks; each is printable (no byte below
// 0x20: PC858's glyphs there, such as the bullet at 0x07, are commands to an ESC/POS printer).
var substitutes = map[rune]string{
	'\u00a0': "\xff", '\u202f': "\xff", '\u2007': "\xff", // no-break spaces: PC858's NBSP
	'œ': "oe", 'Œ': "OE", '’': "'", '‘': "'", '“': "\"", '”': "\"",
	'–': "-", '—': "-", '‑': "-", '…': "...", '☐': "[ ]", '•': "\xfa", // • as PC858's middle dot
}

// wrapColumns splits text at plain spaces into lines of at most n characters (as printed, so a
// substituted « oe » counts two); a longer word is cut.
func wrapColumns(text string, n int) []string {
	if n < 1 {
		n = 1
	}
	width := func(s string) int { return len(Encode858(s)) }
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		cur := ""
		for _, w := range strings.Split(para, " ") {
			if w == "" {
				continue
			}
			try := w
			if cur != "" {
				try = cur + " " + w
			}
			if width(try) <= n {
				cur = try
				continue
			}
			if cur != "" {
				lines = append(lines, cur)
			}
			if width(w) > n {
				// One pass over the word, each rune measured once: re-measuring what is left after each
				// cut made a long word quadratic (FuzzESCPOS stalled on one). Step by the bytes each
				// rune takes: a byte that is not UTF-8 is one byte (printed « ? »), not
				// utf8.RuneLen(RuneError) = 3, which cut past the end. A line holds at least one rune.
				start, used := 0, 0
				for i := 0; i < len(w); {
					_, size := utf8.DecodeRuneInString(w[i:])
					rw := width(w[i : i+size])
					if used+rw > n && i > start {
						lines = append(lines, w[start:i])
						start, used = i, 0
					}
					used += rw
					i += size
				}
				w = w[start:]
			}
			cur = w
		}
		lines = append(lines, cur)
	}
	return lines
}

func b2b(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }
