package ingest

import (
	"mime"
	"path/filepath"
	"slices"
	"strings"
)

// Format is an input encoding.
type Format string

// The formats readers understand.
const (
	GeoJSON Format = "geojson" // a FeatureCollection, or one Feature
	NDJSON  Format = "ndjson"  // one JSON object a line
	CSV     Format = "csv"     // a header row, then one record a row
	GPX     Format = "gpx"     // GPX 1.1 tracks
)

// mediaTypes maps Content-Type media types to formats.
var mediaTypes = map[string]Format{
	"application/geo+json": GeoJSON,
	"application/json":     GeoJSON,
	"application/x-ndjson": NDJSON,
	"application/ndjson":   NDJSON,
	"application/jsonl":    NDJSON,
	"application/x-jsonl":  NDJSON,
	"text/csv":             CSV,
	"application/gpx+xml":  GPX,
	"application/gpx":      GPX,
	"application/xml":      GPX,
	"text/xml":             GPX,
}

// extensions maps file name extensions to formats.
var extensions = map[string]Format{
	".geojson": GeoJSON, ".json": GeoJSON,
	".ndjson": NDJSON, ".jsonl": NDJSON, ".geojsonl": NDJSON, ".geojsons": NDJSON,
	".csv": CSV, ".gpx": GPX,
}

// FormatOfMediaType returns the format of a Content-Type header value, or ""
// when it names none.
func FormatOfMediaType(contentType string) Format {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mediaTypes[mt]
}

// FormatOfPath returns the format a file name's extension suggests, or "".
func FormatOfPath(path string) Format {
	return extensions[strings.ToLower(filepath.Ext(path))]
}

// MediaTypes returns the media types accepted for the formats, for messages.
func MediaTypes(formats ...Format) []string {
	var out []string
	for _, f := range formats {
		for mt, g := range mediaTypes {
			if g == f {
				out = append(out, mt)
			}
		}
	}
	slices.Sort(out)
	return out
}
