package ingest

import (
	"io"

	"github.com/dazhigu/hotspot/data"
)

// TrackRecord is one decoded track. N is its 1-based position in the input.
// Track carries Officer, SourceID and Fixes, the fixes still in the input's
// datum; Problems says what is wrong with the record on its own, each with
// Record set to N.
type TrackRecord struct {
	N        int
	Track    data.Track
	Problems []data.Problem
}

// TrackReader returns tracks one by one, and io.EOF after the last one.
type TrackReader interface {
	Next() (TrackRecord, error)
}

// TrackDefaults fill in what a format may not carry (GPX has no officer).
type TrackDefaults struct {
	Officer  string // used when a track names no officer
	SourceID string // used for a single track that names no source id
}

// NewTrackReader returns a reader of tracks in format f.
func NewTrackReader(r io.Reader, f Format, d TrackDefaults) (TrackReader, error) {
	switch f {
	case GeoJSON:
		return newGeoJSONTrackReader(r, d), nil
	case GPX:
		return newGPXTrackReader(r, d), nil
	case NDJSON:
		return newFixReader(r, d), nil
	}
	return nil, data.Errorf(data.EUNSUPPORTED, "tracks are read from GeoJSON, GPX or NDJSON, not %q", f)
}
