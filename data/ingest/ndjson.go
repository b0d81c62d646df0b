package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
)

// MaxLine is the longest NDJSON line readers accept, in bytes.
const MaxLine = 1 << 20

// lines reads non-blank lines, numbering them from 1.
type lines struct {
	sc   *bufio.Scanner
	line int
}

func newLines(r io.Reader) *lines {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	return &lines{sc: sc}
}

// next returns the next non-blank line, io.EOF at the end, or a fatal error
// for a line over MaxLine.
func (l *lines) next(record int) ([]byte, error) {
	for l.sc.Scan() {
		l.line++
		if b := bytes.TrimSpace(l.sc.Bytes()); len(b) > 0 {
			return b, nil
		}
	}
	switch err := l.sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return nil, fatal(record, "line %d is longer than %d bytes", l.line+1, MaxLine)
	case err != nil:
		return nil, err
	}
	return nil, io.EOF
}

// ndjsonReader reads one violation a line: a GeoJSON Feature, or a flat
// object with lon and lat.
type ndjsonReader struct {
	lines *lines
	n     int
}

func newNDJSONReader(r io.Reader) *ndjsonReader { return &ndjsonReader{lines: newLines(r)} }

func (d *ndjsonReader) Next() (ViolationRecord, error) {
	b, err := d.lines.next(d.n + 1)
	if err != nil {
		return ViolationRecord{}, err
	}
	d.n++
	var obj jsonFields
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return problemRecord(d.n, "body", "line "+strconv.Itoa(d.lines.line)+" is not a JSON object"), nil
	}
	if typeOf(obj) == "Feature" {
		return parseViolationFeature(d.n, b), nil
	}
	return checkText(violationFrom(d.n, obj, nil), b), nil
}
