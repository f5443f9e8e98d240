package app

import (
	"context"
	"encoding/json"
	"log"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/checkin"
	"rdvguichet/backend/convocation"
	"rdvguichet/backend/messages"
	"rdvguichet/backend/printing"
)

// Paramètres › Impression: which printer prints what, stored as one JSON setting. SystemPrinters
// is the one place that turns these settings into printers, for the RDV's convocation, the day
// list and the kiosk; the E2E server replaces it with a fake (Services.SetPrinterFactory).

// settingPrinting is the store setting that holds PrinterSettings as JSON.
const settingPrinting = "printing"

// Ticket printer kinds.
const (
	TicketNone    = ""
	TicketCUPS    = "cups"    // a CUPS raw queue (Linux)
	TicketWindows = "windows" // a Windows queue fed RAW through the spooler
	TicketSocket  = "socket"  // a network printer's TCP port 9100
)

// PrinterSettings is the printing form; SavePrintingSettings names its field errors with these
// JSON names.
type PrinterSettings struct {
	A4Printer   string `json:"a4Printer"`   // "" = the system's default printer
	SumatraPath string `json:"sumatraPath"` // Windows: SumatraPDF.exe; "" = printing.FindSumatra
	TicketKind  string `json:"ticketKind"`  // TicketNone, TicketCUPS, TicketWindows, TicketSocket
	TicketQueue string `json:"ticketQueue"` // the raw queue (CUPS or Windows)
	TicketAddr  string `json:"ticketAddr"`  // HOST[:PORT] of a network printer, port 9100 by default
	TicketQR    string `json:"ticketQr"`    // "native" (GS ( k) or "raster" (bitmap, older printers)
}

// Printers are the printers the settings name.
type Printers struct {
	A4     printing.Printer // A4 PDFs: convocations, day lists
	Ticket printing.Printer // raw ESC/POS tickets; nil when no ticket printer is set
}

// PrinterFactory builds the printers of the settings.
type PrinterFactory func(PrinterSettings) Printers

// SystemPrinters prints A4 PDFs on the chosen (or default) printer through SumatraPDF on Windows,
// which has no silent PDF printing of its own, and through CUPS's lp elsewhere; tickets go raw to
// a CUPS queue, a Windows queue or a TCP socket.
func SystemPrinters(p PrinterSettings) Printers { return systemPrinters(runtime.GOOS, p) }

func systemPrinters(goos string, p PrinterSettings) Printers {
	var out Printers
	if goos == "windows" {
		out.A4 = &printing.Sumatra{Exe: p.SumatraPath, Printer: p.A4Printer}
	} else {
		out.A4 = &printing.CUPS{Printer: p.A4Printer}
	}
	switch p.TicketKind {
	case TicketCUPS:
		out.Ticket = &printing.CUPS{Printer: p.TicketQueue}
	case TicketWindows:
		out.Ticket = printing.Spooler{Printer: p.TicketQueue}
	case TicketSocket:
		out.Ticket = printing.Socket{Addr: p.TicketAddr}
	}
	return out
}

// qrMode is how the ticket printer draws QR codes.
func (p PrinterSettings) qrMode() printing.QRMode {
	if p.TicketQR == "raster" {
		return printing.QRRaster
	}
	return printing.QRNative
}

// a4Name and ticketName name the printers in messages.
func (p PrinterSettings) a4Name() string {
	if p.A4Printer == "" {
		return "l’imprimante par défaut"
	}
	return "l’imprimante « " + p.A4Printer + " »"
}

func (p PrinterSettings) ticketName() string {
	if p.TicketKind == TicketSocket {
		return "l’imprimante de tickets " + p.TicketAddr
	}
	return "l’imprimante de tickets « " + p.TicketQueue + " »"
}

// normalized trims the typed names.
func (p PrinterSettings) normalized() PrinterSettings {
	for _, f := range []*string{&p.A4Printer, &p.SumatraPath, &p.TicketQueue, &p.TicketAddr} {
		*f = strings.TrimSpace(*f)
	}
	if p.TicketQR == "" {
		p.TicketQR = "native"
	}
	return p
}

// validate checks the settings for the system goos, with the form's field names.
func (p PrinterSettings) validate(goos string) []agenda.FieldError {
	var fe formErrors
	windows := goos == "windows"
	queueName := func(field, name string) {
		switch {
		case len(name) > 127 || strings.ContainsFunc(name, unicode.IsControl):
			fe.add(field, "Ce nom d’imprimante n’est pas valide.")
		case !windows && strings.ContainsAny(name, " \t/\\#"):
			fe.add(field, "Un nom de file CUPS ne contient ni espace, ni « / », ni « # » : choisissez-la dans la liste.")
		}
	}
	queueName("a4Printer", p.A4Printer)
	if windows && p.SumatraPath != "" {
		if st, err := os.Stat(p.SumatraPath); err != nil || st.IsDir() {
			fe.add("sumatraPath", "SumatraPDF.exe est introuvable à cet emplacement : corrigez le chemin, ou laissez vide pour le chercher automatiquement.")
		}
	}
	switch p.TicketKind {
	case TicketNone:
	case TicketCUPS, TicketWindows:
		switch {
		case p.TicketKind == TicketWindows && !windows:
			fe.add("ticketKind", "Une file d’impression Windows n’existe que sous Windows : choisissez une file CUPS ou le réseau.")
		case p.TicketKind == TicketCUPS && windows:
			fe.add("ticketKind", "Les files CUPS n’existent pas sous Windows : choisissez une file Windows ou le réseau.")
		case p.TicketQueue == "":
			fe.add("ticketQueue", "Indiquez la file d’impression brute de l’imprimante de tickets.")
		default:
			queueName("ticketQueue", p.TicketQueue)
		}
	case TicketSocket:
		if p.TicketAddr == "" {
			fe.add("ticketAddr", "Indiquez l’adresse de l’imprimante, par exemple 192.168.1.50:9100.")
		} else if !validHostPort(p.TicketAddr) {
			fe.add("ticketAddr", "Adresse attendue sous la forme HÔTE:PORT, par exemple 192.168.1.50:9100 (port entre 1 et 65535).")
		}
	default:
		fe.add("ticketKind", "Choisissez le type d’imprimante de tickets.")
	}
	if p.TicketQR != "native" && p.TicketQR != "raster" {
		fe.add("ticketQr", "Choisissez comment l’imprimante de tickets dessine le QR code.")
	}
	return fe.list
}

// validHostPort accepts HOST or HOST:PORT (port 9100 by default), IPv6 in brackets.
func validHostPort(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, "9100"
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535 && host != "" && !strings.ContainsAny(host, " \t/[]")
}

// CheckPrinterSettings reads printing settings (PrinterSettings as JSON), as the poste secondaire
// keeps its own (app.RemoteService, « rdv-guichet poste impression »): normalized, or the fields
// to correct for this system.
func CheckPrinterSettings(raw json.RawMessage) (json.RawMessage, []agenda.FieldError, error) {
	var p PrinterSettings
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, nil, agenda.Fail("app.CheckPrinterSettings", agenda.CodePosteRequete)
	}
	p = p.normalized()
	if errs := p.validate(runtime.GOOS); len(errs) > 0 {
		return nil, errs, nil
	}
	out, err := json.Marshal(p)
	return out, nil, err
}

// printerSettings reads the stored settings; unreadable ones are logged and replaced by the
// defaults (the default printer, no ticket printer) so that the settings screen can fix them.
func (s *office) printerSettings(ctx context.Context) (PrinterSettings, error) {
	if s.printing != nil {
		return s.printing.normalized(), nil
	}
	var p PrinterSettings
	v, ok, err := s.db.Setting(ctx, settingPrinting)
	if err != nil || !ok {
		return p.normalized(), err
	}
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		log.Printf("réglages d’impression illisibles, remplacés par ceux par défaut : %v", err)
		return PrinterSettings{}.normalized(), nil
	}
	return p.normalized(), nil
}

// printers returns the settings and the printers they name.
func (s *office) printers(ctx context.Context) (PrinterSettings, Printers, error) {
	p, err := s.printerSettings(ctx)
	if err != nil {
		return p, Printers{}, err
	}
	return p, s.newPrinters(p), nil
}

// printDoc sends doc to printer and says which printer (name) failed and what to do.
func printDoc(ctx context.Context, printer printing.Printer, name string, doc printing.Document) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := printer.Print(ctx, doc)
	if err == nil || agenda.KindOf(err) != agenda.Unavailable {
		return err
	}
	return &agenda.Error{Op: "app.print", Kind: agenda.Unavailable, Code: agenda.CodePrinterFailed, Err: err,
		Params: map[string]string{"detail": strings.TrimSuffix(printerDetail(err), "."), "printer": name}}
}

// PrintingView is Paramètres › Impression: the settings and what this PC offers.
type PrintingView struct {
	Settings      PrinterSettings `json:"settings"`
	Windows       bool            `json:"windows"`
	Printers      []string        `json:"printers"`      // the printers this PC knows
	PrintersError string          `json:"printersError"` // why they could not be listed; the name can still be typed
	SumatraFound  string          `json:"sumatraFound"`  // Windows: where SumatraPDF was found; "" = nowhere
}

// PrintingSettings returns the printing settings and the PC's printers. Administrators only.
func (s *AgentService) PrintingSettings() (PrintingView, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (PrintingView, error) {
		p, err := s.printerSettings(ctx)
		if err != nil {
			return PrintingView{}, err
		}
		return printingView(ctx, p), nil
	})
}

// printingView is the settings p with this PC's printers.
func printingView(ctx context.Context, p PrinterSettings) PrintingView {
	out := PrintingView{Settings: p, Windows: runtime.GOOS == "windows", Printers: []string{}}
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if names, err := printing.Queues(lctx); err != nil {
		out.PrintersError = printerDetail(err) + " : tapez le nom de l’imprimante."
	} else {
		out.Printers = names
	}
	if out.Windows {
		out.SumatraFound = printing.FindSumatra()
	}
	return out
}

// SavePrintingSettings validates and stores the printing settings; the field errors come back
// as data, in French. Administrators only.
func (s *AgentService) SavePrintingSettings(p PrinterSettings) (SaveResult, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (SaveResult, error) {
		p = p.normalized()
		if errs := p.validate(runtime.GOOS); len(errs) > 0 {
			return SaveResult{Errors: errs}, nil
		}
		v, err := json.Marshal(p)
		if err == nil {
			err = s.db.SetSetting(ctx, settingPrinting, string(v))
		}
		return saved("", err)
	})
}

// PrintTestPage (« Page de test ») prints a sample convocation now on the A4 printer (target
// "a4") or the ticket printer ("ticket"), with the settings of the form as they are (saved or
// not), and says where it went. Its QR code checks that the printer draws codes the kiosk reads.
// Administrators only.
func (s *AgentService) PrintTestPage(p PrinterSettings, target string) (string, error) {
	return call(s.office, s.session, asAdmin, func(ctx context.Context, me agenda.Agent) (string, error) {
		p = p.normalized()
		if errs := p.validate(runtime.GOOS); len(errs) > 0 {
			// The form's fields are shown beside them; the refusal says to fix them first.
			return "", &doorError{messages.Message{Code: agenda.CodeInvalidField, Fields: errs,
				Message: "Corrigez d’abord les champs signalés : " + errs[0].Message}}
		}
		c, err := s.sampleConvocation(ctx)
		if err != nil {
			return "", err
		}
		printers := s.newPrinters(p)
		if target == "ticket" {
			if printers.Ticket == nil {
				return "", agenda.Fail("app.PrintTestPage", agenda.CodeNoTicketPrinter)
			}
			data, err := convocation.ESCPOS(c, p.qrMode())
			if err != nil {
				return "", err
			}
			if err := printDoc(ctx, printers.Ticket, p.ticketName(), printing.Document{Title: "Page de test", Kind: printing.Raw, Data: data}); err != nil {
				return "", err
			}
			return "Ticket de test envoyé à " + p.ticketName() + ".", nil
		}
		data, err := renderPDF(c, convocation.A4)
		if err != nil {
			return "", err
		}
		if err := printDoc(ctx, printers.A4, p.a4Name(), printing.Document{Title: "Page de test", Kind: printing.PDF, Data: data, Media: "A4"}); err != nil {
			return "", err
		}
		return "Page de test envoyée à " + p.a4Name() + ".", nil
	})
}

// sampleConvocation is the test page: a convocation of the organisation, now, for nobody, with
// a QR code signed like a real one (for an RDV that does not exist, so the kiosk refuses it).
func (s *office) sampleConvocation(ctx context.Context) (convocation.Convocation, error) {
	org, loc, err := s.org(ctx)
	if err != nil {
		return convocation.Convocation{}, err
	}
	secret, err := checkin.SigningKey(ctx, s.db)
	if err != nil {
		return convocation.Convocation{}, err
	}
	const id = "00000000-0000-7000-8000-000000000000"
	now := s.clock.Now()
	token, err := checkin.Sign(secret, id, checkin.Expiry(now, loc))
	if err != nil {
		return convocation.Convocation{}, err
	}
	return convocation.Convocation{
		RdvID: id, Organisation: org.Name, LogoPNG: org.LogoPNG, Accent: org.AccentColor, Location: loc,
		Start: now.Truncate(time.Minute), Duration: 20 * time.Minute, Motif: "Page de test de l’impression",
		Persons: []convocation.Person{{Name: "Page de test"}}, Lieu: convocation.Place{Name: org.Name},
		Pieces: []string{"Les accents (é, è, à, ç, œ, €) et le QR code doivent être nets : sinon, changez de mode de QR code ou d’imprimante."},
		Phone:  org.Phone, Email: org.Email, ShortCode: checkin.ShortCode(secret, id), Token: token, Issued: now,
	}, nil
}

// printerDetail is what the printing package says went wrong with a printer (« imprimante
// injoignable »), as a sentence.
func printerDetail(err error) string {
	for {
		e, ok := err.(*agenda.Error)
		if !ok || e.Err == nil {
			break
		}
		err = e.Err
	}
	r, n := utf8.DecodeRuneInString(err.Error())
	return string(unicode.ToUpper(r)) + err.Error()[n:]
}
