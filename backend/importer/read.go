// Package importer reads an existing agenda from a spreadsheet (CSV or XLSX) and checks every
// line against the organisation's agendas and motifs before anything is written: the usagers
// (nom, prénom, date de naissance, téléphone, e-mail) and, on the same line, their future RDVs
// (date, heure, agenda, motif). It is pure: the store loads the reference data, calls Check and
// Match, and writes the plan through the booking rules in one transaction (store.Import).
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"rdvguichet/backend/agenda"
)

// Bounds of one import: a commune's agenda is a few thousand lines; beyond, the file is split.
const (
	MaxBytes = 2 << 20 // 2 Mo
	MaxLines = 5000    // data lines, header excluded
	// maxUnzipped bounds what an XLSX may inflate to: a small zip can hold gigabytes.
	maxUnzipped = 64 << 20
)

// Sheet is a file as read: its header's cells and its data lines.
type Sheet struct {
	Header []string
	Rows   []Row
	// Serial is set for an XLSX: its dates and times are Excel's serial numbers. In a CSV a bare
	// number is no date (« 1985 » is a year, not 7 June 1905).
	Serial bool
}

// Row is one data line: its line number in the file (the header is line 1) and its cells.
type Row struct {
	Line  int
	Cells []string
}

// Read reads a CSV (separator « ; », « , » or tab, found on the header; UTF-8 with or without
// BOM, or Windows-1252 as Excel writes it in France) or an XLSX (its first sheet). Its refusals
// are the file's own faults (size, format, number of lines), with their codes; the lines are
// checked by Check.
func Read(data []byte) (Sheet, error) {
	const op = "importer.Read"
	if len(data) > MaxBytes {
		return Sheet{}, agenda.Fail(op, agenda.CodeImportTooLarge, "max", "2 Mo")
	}
	var records []Row
	var err error
	xlsx := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	if xlsx {
		records, err = readXLSX(data)
	} else {
		records, err = readCSV(data)
	}
	if err != nil {
		return Sheet{}, agenda.Wrap(op, agenda.CodeImportUnreadable, err)
	}
	// Blank lines (an Excel export's trailing ones) are not data.
	rows := records[:0]
	for _, r := range records {
		if !blank(r.Cells) {
			rows = append(rows, r)
		}
	}
	if len(rows) < 2 {
		return Sheet{}, agenda.Fail(op, agenda.CodeImportEmpty)
	}
	if n := len(rows) - 1; n > MaxLines {
		return Sheet{}, agenda.Fail(op, agenda.CodeImportTooManyLines, "lines", strconv.Itoa(n), "max", strconv.Itoa(MaxLines))
	}
	return Sheet{Header: rows[0].Cells, Rows: rows[1:], Serial: xlsx}, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func readCSV(data []byte) ([]Row, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		// Not UTF-8: Excel's « CSV (séparateur : point-virgule) » in France is Windows-1252, where
		// every byte is a character.
		var err error
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			return nil, err
		}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errors.New("binary file")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = separator(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var out []Row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		out = append(out, Row{Line: line, Cells: rec})
	}
}

// separator is the one of « ; », « , » and tab that the first line holds most of (outside
// quotes); « ; » when none, as Excel writes CSV in France.
func separator(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(data) {
		if c == '"' {
			quoted = !quoted
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted {
			counts[c]++
		}
	}
	best := ';'
	for _, c := range []rune{',', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// readXLSX reads the first sheet's raw values: dates and times come as Excel's serial numbers
// (parseDate and parseTime read them), whatever the cells' display format.
func readXLSX(data []byte) ([]Row, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		out = append(out, Row{Line: line, Cells: cells})
	}
	return out, rows.Error()
}
