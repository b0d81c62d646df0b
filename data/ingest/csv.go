package ingest

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// csvReader reads a header row, then one violation a row. Header names are
// matched to wire names without regard to case or surrounding space; other
// columns become attributes.
type csvReader struct {
	r      *csv.Reader
	header []string
	n      int
}

func newCSVReader(r io.Reader) *csvReader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to name the record
	cr.ReuseRecord = true
	return &csvReader{r: cr}
}

func (c *csvReader) Next() (ViolationRecord, error) {
	if c.header == nil {
		if err := c.readHeader(); err != nil {
			return ViolationRecord{}, err
		}
	}
	row, err := c.r.Read()
	if err != nil {
		return ViolationRecord{}, c.readError(err)
	}
	c.n++
	if len(row) != len(c.header) {
		line, _ := c.r.FieldPos(0)
		return problemRecord(c.n, "body", "line "+strconv.Itoa(line)+" has "+strconv.Itoa(len(row))+" fields; the header has "+strconv.Itoa(len(c.header))), nil
	}
	fs := make(textFields, len(row))
	for i, name := range c.header {
		fs[name] = row[i]
	}
	return violationFrom(c.n, fs, nil), nil
}

func (c *csvReader) readHeader() error {
	row, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return fatal(1, "the CSV is empty; it needs a header row")
	}
	if err != nil {
		return c.readError(err)
	}
	seen := map[string]bool{}
	for i, h := range row {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) // Excel writes a BOM
		if knownName(strings.ToLower(h)) {
			h = strings.ToLower(h)
		}
		if h == "" || seen[h] {
			return fatal(1, "CSV header column %d is empty or repeated (%q)", i+1, h)
		}
		seen[h] = true
		c.header = append(c.header, h)
	}
	for _, names := range [][]string{lonNames, latNames} {
		if !anyOf(seen, names) {
			return fatal(1, "the CSV header has none of %s", strings.Join(names, ", "))
		}
	}
	return nil
}

func (c *csvReader) readError(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fatal(c.n+1, "malformed CSV at line %d: %v", pe.Line, pe.Err)
	}
	return err
}

func anyOf(set map[string]bool, names []string) bool {
	for _, n := range names {
		if set[n] {
			return true
		}
	}
	return false
}
