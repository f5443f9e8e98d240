package printing

import (
	"context"
	"slices"
	"unsafe"

	"golang.org/x/sys/windows"

	"rdvguichet/backend/agenda"
)

var procEnumPrinters = winspool.NewProc("EnumPrintersW")

const (
	printerEnumLocal       = 0x2
	printerEnumConnections = 0x4
)

// printerInfo4 is PRINTER_INFO_4W: the level that only names printers, answered from the
// spooler's cache without asking each printer.
type printerInfo4 struct {
	printerName *uint16
	serverName  *uint16
	attributes  uint32
}

// Queues lists the printers this system can print to: the spooler's local printers and the
// network printers the user is connected to (EnumPrintersW, level 4), sorted.
func Queues(ctx context.Context) ([]string, error) {
	const op = "printing.Queues"
	if err := winspool.Load(); err != nil {
		return nil, agenda.Errorf(op, agenda.Unavailable, "liste des imprimantes indisponible : winspool.drv absent (%v)", err)
	}
	flags := uintptr(printerEnumLocal | printerEnumConnections)
	var needed, returned uint32
	// The first call asks for the size of the answer.
	procEnumPrinters.Call(flags, 0, 4, 0, 0, uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&returned)))
	if needed == 0 {
		return []string{}, nil
	}
	buf := make([]byte, needed)
	r, _, e := procEnumPrinters.Call(flags, 0, 4, uintptr(unsafe.Pointer(&buf[0])), uintptr(needed),
		uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&returned)))
	if r == 0 {
		return nil, agenda.Errorf(op, agenda.Unavailable, "liste des imprimantes indisponible : %v", e)
	}
	infos := unsafe.Slice((*printerInfo4)(unsafe.Pointer(&buf[0])), returned)
	names := make([]string, 0, len(infos))
	for _, p := range infos {
		names = append(names, windows.UTF16PtrToString(p.printerName))
	}
	slices.Sort(names)
	return names, nil
}
