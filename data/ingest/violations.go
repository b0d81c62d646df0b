package ingest

import (
	"io"

	"github.com/dazhigu/hotspot/data"
)

// ViolationRecord is one decoded violation. N is its 1-based position in
// the input. V holds what the record says, its point still in the input's
// datum; Problems says what is wrong with the record on its own, each with
// Record set to N.
type ViolationRecord struct {
	N        int
	V        data.Violation
	CRS      string // the datum the record names itself, "" when it names none
	Problems []data.Problem
}

// ViolationReader returns violations one by one, and io.EOF after the last.
type ViolationReader interface {
	Next() (ViolationRecord, error)
}

// NewViolationReader returns a reader of violations in format f.
func NewViolationReader(r io.Reader, f Format) (ViolationReader, error) {
	switch f {
	case GeoJSON:
		return newGeoJSONReader(r, parseViolationFeature), nil
	case NDJSON:
		return newNDJSONReader(r), nil
	case CSV:
		return newCSVReader(r), nil
	}
	return nil, data.Errorf(data.EUNSUPPORTED, "violations are read from GeoJSON, NDJSON or CSV, not %q", f)
}
