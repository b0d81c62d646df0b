// Package ingest reads violations and patrol tracks in the formats the field
// sends them (GeoJSON, NDJSON, CSV, GPX 1.1), one record at a time so that
// inputs far larger than memory stream through, and prepares each record for
// the store: datum conversion to WGS-84, validation against the taxonomy and
// the service area, placement on the key roads, and dwell for tracks.
//
// Readers report two kinds of trouble. A record that is wrong on its own (a
// missing field, a wrong type) comes back with Problems and reading goes on;
// input that cannot be read further (malformed JSON inside a
// FeatureCollection, broken XML) ends reading with an *data.Error naming the
// record where it broke.
package ingest
