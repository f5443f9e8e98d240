package printing

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"rdvguichet/backend/agenda"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var pdfDoc = Document{Title: "Convocation\nPasseport 3/3", Kind: PDF, Data: []byte("%PDF-1.4\n%fake\n"), Media: "A4"}

// fakeTool writes a shell script that records its arguments and standard input, then prints out.
func fakeTool(t *testing.T, out string, exit int) (path, argsFile, stdinFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts as fake tools need a Unix shell")
	}
	dir := t.TempDir()
	argsFile, stdinFile = filepath.Join(dir, "args"), filepath.Join(dir, "stdin")
	path = filepath.Join(dir, "tool")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + argsFile + "\ncat > " + stdinFile +
		"\necho '" + out + "'\nexit " + string(rune('0'+exit)) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, argsFile, stdinFile
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCUPSArgs(t *testing.T) {
	lp, argsFile, stdinFile := fakeTool(t, "request id is RDVPDF-7 (1 file(s))", 0)
	c := &CUPS{Printer: "Accueil", LP: lp, Options: []string{"sides=one-sided"}}
	if err := c.Print(context.Background(), pdfDoc); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, argsFile), "-d\nAccueil\n-t\nConvocation Passeport 3/3\n-o\nmedia=A4\n-o\nsides=one-sided\n"; got != want {
		t.Fatalf("lp args:\n%s\nwant:\n%s", got, want)
	}
	if read(t, stdinFile) != string(pdfDoc.Data) || c.JobID != "RDVPDF-7" {
		t.Fatalf("stdin or job id wrong: %q", c.JobID)
	}
	raw := Document{Title: "Ticket", Kind: Raw, Data: []byte{0x1b, '@'}}
	c = &CUPS{LP: lp}
	if err := c.Print(context.Background(), raw); err != nil {
		t.Fatal(err)
	}
	if got := read(t, argsFile); got != "-t\nTicket\n-o\nraw\n" {
		t.Fatalf("raw lp args: %q", got)
	}
}

func TestCUPSErrors(t *testing.T) {
	lp, _, _ := fakeTool(t, "", 1)
	err := (&CUPS{Printer: "Nulle", LP: lp}).Print(context.Background(), pdfDoc)
	if agenda.KindOf(err) != agenda.Unavailable || !strings.Contains(err.Error(), "« Nulle »") {
		t.Fatalf("failing lp: %v", err)
	}
	err = (&CUPS{LP: filepath.Join(t.TempDir(), "absent")}).Print(context.Background(), pdfDoc)
	if agenda.KindOf(err) != agenda.Unavailable {
		t.Fatalf("absent lp: %v", err)
	}
	if err := (&CUPS{LP: lp}).Print(context.Background(), Document{Kind: PDF, Data: []byte("hello")}); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("not a PDF: %v", err)
	}
	if err := (&CUPS{LP: lp}).Print(context.Background(), Document{}); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("empty: %v", err)
	}
}

func TestSumatra(t *testing.T) {
	s := &Sumatra{Printer: "HP Accueil"}
	if got := strings.Join(s.Args(`C:\t\c.pdf`), "|"); got != `-print-to|HP Accueil|-print-settings|fit,monochrome|-silent|-exit-when-done|C:\t\c.pdf` {
		t.Fatalf("args %s", got)
	}
	if got := strings.Join((&Sumatra{Settings: "1,fit"}).Args("c.pdf"), "|"); got != "-print-to-default|-print-settings|1,fit|-silent|-exit-when-done|c.pdf" {
		t.Fatalf("args %s", got)
	}
	exe, argsFile, _ := fakeTool(t, "", 0)
	tmp := t.TempDir()
	s = &Sumatra{Exe: exe, Printer: "HP", TempDir: tmp}
	if err := s.Print(context.Background(), pdfDoc); err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSpace(read(t, argsFile)), "\n")
	if args[len(args)-1] == "" || !strings.HasPrefix(args[len(args)-1], tmp) {
		t.Fatalf("file argument %q", args)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("temporary PDF left behind: %v", left)
	}
	if err := s.Print(context.Background(), Document{Kind: Raw, Data: []byte{1}}); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("raw to Sumatra: %v", err)
	}
}

func TestSocket(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(conn)
		conn.Close()
		got <- b
	}()
	data := NewESCPOS().Line("Bonjour").Cut().Bytes()
	if err := (Socket{Addr: ln.Addr().String()}).Print(context.Background(), Document{Kind: Raw, Data: data}); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, data) {
		t.Fatalf("printer received % x", b)
	}
	if err := (Socket{Addr: "127.0.0.1:1"}).Print(context.Background(), Document{Kind: Raw, Data: data}); agenda.KindOf(err) != agenda.Unavailable {
		t.Fatalf("closed port: %v", err)
	}
	if err := (Socket{Addr: "127.0.0.1"}).Print(context.Background(), pdfDoc); agenda.KindOf(err) != agenda.Invalid {
		t.Fatalf("PDF to a socket: %v", err)
	}
}

func TestEncode858(t *testing.T) {
	for in, want := range map[string][]byte{
		"é":                 {0x82},
		"è ê à ç ù":         {0x8a, ' ', 0x88, ' ', 0x85, ' ', 0x87, ' ', 0x97},
		"ô î ï ë û":         {0x93, ' ', 0x8c, ' ', 0x8b, ' ', 0x89, ' ', 0x96},
		"É È À Ç Ô Î":       {0x90, ' ', 0xd4, ' ', 0xb7, ' ', 0x80, ' ', 0xe2, ' ', 0xd7},
		"«\u202fa\u202f»":   {0xae, 0xff, 'a', 0xff, 0xaf},
		"86 €":              {'8', '6', ' ', 0xd5},
		"œuvre Œ":           []byte("oeuvre OE"),
		"l’été – 35 × 45 …": {'l', '\'', 0x82, 't', 0x82, ' ', '-', ' ', '3', '5', ' ', 0x9e, ' ', '4', '5', ' ', '.', '.', '.'},
		"日":                 {'?'},
	} {
		if got := Encode858(in); !bytes.Equal(got, want) {
			t.Errorf("Encode858(%q) = % x, want % x", in, got, want)
		}
	}
}

func TestWrapColumns(t *testing.T) {
	got := wrapColumns("Rendez-vous à 9\u202fh\u202f30 au guichet numéro deux", 16)
	want := []string{"Rendez-vous à", "9\u202fh\u202f30 au", "guichet numéro", "deux"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("wrap = %q", got)
	}
	if got := wrapColumns("abcdefghij", 4); strings.Join(got, "|") != "abcd|efgh|ij" {
		t.Fatalf("long word = %q", got)
	}
}

// TestESCPOSGolden pins the builder's bytes: init and code page, styles, native QR, raster, cut.
func TestESCPOSGolden(t *testing.T) {
	e := NewESCPOS().Align(Center).Bold(true).Size(2, 2).Line("Mairie").Size(1, 1).Bold(false).
		Align(Left).Line("Pièces à fournir : « photo » 86 €")
	if err := e.QR("ABC234", 6, QRNative); err != nil {
		t.Fatal(err)
	}
	if err := e.QR("ABC234", 2, QRRaster); err != nil {
		t.Fatal(err)
	}
	b := e.Feed(3).Cut().Bytes()
	path := filepath.Join("testdata", "escpos-basic.bin")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("ESC/POS bytes differ from %s (go test -update after checking)", path)
	}
	for _, seq := range [][]byte{
		{0x1b, '@', 0x1b, 't', 19},                                       // init, PC858
		{0x1b, 'a', 1, 0x1b, 'E', 1, 0x1d, '!', 0x11},                    // centre, bold, double size
		{0x1d, '(', 'k', 4, 0, 49, 65, 50, 0},                            // QR model 2
		{0x1d, '(', 'k', 3, 0, 49, 67, 6},                                // module 6 dots
		{0x1d, '(', 'k', 3, 0, 49, 69, 49},                               // level M
		{0x1d, '(', 'k', 9, 0, 49, 80, 48, 'A', 'B', 'C', '2', '3', '4'}, // store: 6 bytes + 3
		{0x1d, '(', 'k', 3, 0, 49, 81, 48},                               // print
		{0x1d, 'v', '0', 0},                                              // raster
		{0x1b, 'd', 3, 0x1d, 'V', 66, 0},                                 // feed, cut
	} {
		if !bytes.Contains(b, seq) {
			t.Errorf("missing % x", seq)
		}
	}
}

func TestLpstatQueues(t *testing.T) {
	lpstat, argsFile, _ := fakeTool(t, "RDVPDF\nAccueil_HP\nTicket-80mm", 0)
	got, err := lpstatQueues(context.Background(), lpstat)
	if err != nil || strings.Join(got, "|") != "Accueil_HP|RDVPDF|Ticket-80mm" {
		t.Fatalf("queues %q, %v", got, err)
	}
	if args := read(t, argsFile); args != "-e\n" {
		t.Fatalf("lpstat args %q", args)
	}
	failing, _, _ := fakeTool(t, "", 1)
	if _, err := lpstatQueues(context.Background(), failing); agenda.KindOf(err) != agenda.Unavailable {
		t.Fatalf("failing lpstat: %v", err)
	}
	if _, err := lpstatQueues(context.Background(), filepath.Join(t.TempDir(), "absent")); agenda.KindOf(err) != agenda.Unavailable || !strings.Contains(err.Error(), "cups-client") {
		t.Fatalf("absent lpstat: %v", err)
	}
}
