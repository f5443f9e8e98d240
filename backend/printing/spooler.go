package printing

// Spooler sends raw documents (ESC/POS) to a Windows printer queue through winspool.drv
// (OpenPrinterW, StartDocPrinterW with datatype RAW, WritePrinter, EndDocPrinter). It exists on
// every system so that callers compile everywhere; outside Windows, Print says it is unavailable.
type Spooler struct {
	Printer string // queue name as Windows shows it; "" = the default printer
	// Datatype is "RAW" by default; v4 (XPS) drivers want "XPS_PASS" for raw bytes (domain.md 13).
	Datatype string
}
