package printing

import (
	"context"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"

	"rdvguichet/backend/agenda"
)

// The Windows spooler API (winspool.drv), called directly: the usual Go wrapper
// (alexbrainman/printer) is not available from the module proxy here (toolchain.md 12).
var (
	winspool             = windows.NewLazySystemDLL("winspool.drv")
	procOpenPrinter      = winspool.NewProc("OpenPrinterW")
	procClosePrinter     = winspool.NewProc("ClosePrinter")
	procStartDocPrinter  = winspool.NewProc("StartDocPrinterW")
	procEndDocPrinter    = winspool.NewProc("EndDocPrinter")
	procStartPagePrinter = winspool.NewProc("StartPagePrinter")
	procEndPagePrinter   = winspool.NewProc("EndPagePrinter")
	procWritePrinter     = winspool.NewProc("WritePrinter")
	procGetDefaultPrint  = winspool.NewProc("GetDefaultPrinterW")
)

// docInfo1 is DOC_INFO_1W.
type docInfo1 struct {
	docName    *uint16
	outputFile *uint16
	datatype   *uint16
}

// Print sends the bytes as a RAW job: the driver does not touch them, which ESC/POS needs.
func (s Spooler) Print(ctx context.Context, doc Document) error {
	const op = "printing.Spooler"
	if err := checkDoc(op, doc); err != nil {
		return err
	}
	if doc.Kind != Raw {
		return agenda.Errorf(op, agenda.Invalid, "la file Windows en mode brut reçoit de l’ESC/POS ; un PDF s’imprime avec SumatraPDF")
	}
	if err := ctx.Err(); err != nil {
		return agenda.E(op, agenda.Unavailable, err)
	}
	if err := winspool.Load(); err != nil {
		return agenda.Errorf(op, agenda.Unavailable, "impression impossible : winspool.drv absent (%v)", err)
	}
	name := s.Printer
	if name == "" {
		var err error
		if name, err = defaultPrinter(); err != nil {
			return agenda.Errorf(op, agenda.Unavailable, "aucune imprimante par défaut : %v", err)
		}
	}
	pname, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return agenda.E(op, agenda.Invalid, err)
	}
	var h windows.Handle
	if r, _, e := procOpenPrinter.Call(uintptr(unsafe.Pointer(pname)), uintptr(unsafe.Pointer(&h)), 0); r == 0 {
		return agenda.Errorf(op, agenda.Unavailable, "imprimante « %s » introuvable : %v", name, e)
	}
	defer procClosePrinter.Call(uintptr(h))

	title, _ := windows.UTF16PtrFromString(jobTitle(doc.Title))
	datatype := s.Datatype
	if datatype == "" {
		datatype = "RAW"
	}
	dt, _ := windows.UTF16PtrFromString(datatype)
	di := docInfo1{docName: title, datatype: dt}
	if r, _, e := procStartDocPrinter.Call(uintptr(h), 1, uintptr(unsafe.Pointer(&di))); r == 0 {
		return agenda.Errorf(op, agenda.Unavailable, "impression refusée par « %s » : %v", name, e)
	}
	defer procEndDocPrinter.Call(uintptr(h))
	if r, _, e := procStartPagePrinter.Call(uintptr(h)); r == 0 {
		return agenda.Errorf(op, agenda.Unavailable, "impression refusée par « %s » : %v", name, e)
	}
	defer procEndPagePrinter.Call(uintptr(h))
	data := doc.Data
	for len(data) > 0 {
		var written uint32
		r, _, e := procWritePrinter.Call(uintptr(h), uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(unsafe.Pointer(&written)))
		runtime.KeepAlive(data)
		if r == 0 || written == 0 {
			return agenda.Errorf(op, agenda.Unavailable, "envoi à « %s » interrompu : %v", name, e)
		}
		data = data[written:]
	}
	return nil
}

func defaultPrinter() (string, error) {
	var n uint32
	procGetDefaultPrint.Call(0, uintptr(unsafe.Pointer(&n)))
	if n == 0 {
		return "", windows.ERROR_FILE_NOT_FOUND
	}
	buf := make([]uint16, n)
	if r, _, e := procGetDefaultPrint.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n))); r == 0 {
		return "", e
	}
	return windows.UTF16ToString(buf), nil
}
