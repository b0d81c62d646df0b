package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// Updates reports whether v, a re-send of stored (the same source and
// source_id), updates it. It does when its content differs (!v.Same(stored))
// and its UpdatedAt is strictly later than stored.UpdatedAt, both taken to
// the microsecond stores keep, a zero UpdatedAt being earlier than any other.
// So a record first sent without updated_at is updated by any re-send that
// carries one and differs; a re-send without updated_at never updates; and a
// re-send with the same content is a no-op whatever its updated_at.
//
// Stores apply this rule in PutViolations: same content, nothing happens
// (Outcome{Created: false}); Updates true, the stored record takes every
// field of v except its id, source and source_id, and one ViolationUpdate
// is written (Outcome{Updated: true}); otherwise the stored record stands.
func (v *Violation) Updates(stored *Violation) bool {
	return !v.Same(stored) &&
		v.UpdatedAt.Truncate(time.Microsecond).After(stored.UpdatedAt.Truncate(time.Microsecond))
}

// Counted is what the analytic index counts a violation by: its res-12 cell,
// its WGS-84 point, the UTC hour of its observation, its category and source.
type Counted struct {
	Cell     h3.Cell
	Point    orb.Point
	Hour     time.Time // UTC, whole hour
	Category string
	Source   Source
}

// Counted returns what the analytic index counts v by.
func (v *Violation) Counted() Counted {
	return Counted{Cell: v.Cell, Point: v.Point, Hour: Hour(v.ObservedAt), Category: v.Category, Source: v.Source}
}

// Equal reports whether c and d count in the same place: the same cell,
// point, hour, category and source.
func (c Counted) Equal(d Counted) bool {
	return c.Cell == d.Cell && c.Point == d.Point && c.Hour.Equal(d.Hour) &&
		c.Category == d.Category && c.Source == d.Source
}

// ViolationUpdate is one entry of a violation's history: a re-send that
// changed the stored record. The first entry's Old is what the record was
// first stored with.
type ViolationUpdate struct {
	Seq         int64     // its number in the change feed (a ChangeUpdate)
	ViolationID int64     // the violation it changed
	ChangedAt   time.Time // when the store applied it (the server's clock, UTC)
	By          string    // who sent it (Violation.UpdatedBy), "" when unknown
	UpdatedAt   time.Time // the record's own updated_at, as sent
	// Fields holds the old and new value of every field that changed, by its
	// wire name: category, observed_at, lon, lat, datum, h3, road, segment,
	// along_m, offset_m, merchant_id, severity, disposition, attributes and
	// updated_at. See Diff for the values.
	Fields   map[string]FieldChange
	Old, New Counted // what the analytic index counted the record by before and after
}

// FieldChange is one field's value before and after an update, each as
// JSON. It encodes as the JSON array [old, new].
type FieldChange struct {
	Old, New json.RawMessage // JSON values; nil encodes as null
}

// MarshalJSON encodes c as [old, new].
func (c FieldChange) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	b.Write(orNull(c.Old))
	b.WriteByte(',')
	b.Write(orNull(c.New))
	b.WriteByte(']')
	return b.Bytes(), nil
}

// UnmarshalJSON decodes [old, new].
func (c *FieldChange) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil || len(pair) != 2 {
		return fmt.Errorf("data: a field change must be a JSON array [old, new], not %.40s", b)
	}
	c.Old, c.New = pair[0], pair[1]
	return nil
}

func orNull(v json.RawMessage) []byte {
	if len(v) == 0 {
		return []byte("null")
	}
	return v
}

// Diff returns the fields in which to differs from from, by wire name, with
// both values as JSON: text as strings, times as RFC 3339 in UTC to the
// microsecond (null when zero), lon, lat, along_m and offset_m as numbers,
// segment as an integer, h3 as its hexadecimal index, attributes as the
// object (null when absent). Attributes compare by their JSON value, times
// to the microsecond, numbers exactly. Source and source_id, which name the
// record, and UpdatedBy are not compared.
func Diff(from, to *Violation) map[string]FieldChange {
	d := map[string]FieldChange{}
	text := func(name, a, b string) {
		if a != b {
			d[name] = FieldChange{jsonValue(a), jsonValue(b)}
		}
	}
	number := func(name string, a, b float64) {
		if a != b {
			d[name] = FieldChange{jsonValue(a), jsonValue(b)}
		}
	}
	instant := func(name string, a, b time.Time) {
		a, b = a.Truncate(time.Microsecond), b.Truncate(time.Microsecond)
		if !a.Equal(b) {
			d[name] = FieldChange{jsonTime(a), jsonTime(b)}
		}
	}
	text("category", from.Category, to.Category)
	instant("observed_at", from.ObservedAt, to.ObservedAt)
	number("lon", from.Point[0], to.Point[0])
	number("lat", from.Point[1], to.Point[1])
	text("datum", from.Datum, to.Datum)
	if from.Cell != to.Cell {
		d["h3"] = FieldChange{jsonValue(from.Cell.String()), jsonValue(to.Cell.String())}
	}
	text("road", from.Road, to.Road)
	if from.Segment != to.Segment {
		d["segment"] = FieldChange{jsonValue(from.Segment), jsonValue(to.Segment)}
	}
	number("along_m", from.Along, to.Along)
	number("offset_m", from.Offset, to.Offset)
	text("merchant_id", from.MerchantID, to.MerchantID)
	text("severity", from.Severity, to.Severity)
	text("disposition", from.Disposition, to.Disposition)
	if !sameJSON(from.Attributes, to.Attributes) {
		d["attributes"] = FieldChange{compactJSON(from.Attributes), compactJSON(to.Attributes)}
	}
	instant("updated_at", from.UpdatedAt, to.UpdatedAt)
	return d
}

func jsonValue(v any) json.RawMessage {
	b, _ := json.Marshal(v) // strings, numbers and ints always encode
	return b
}

func jsonTime(t time.Time) json.RawMessage {
	if t.IsZero() {
		return nil
	}
	return jsonValue(t.UTC().Format(time.RFC3339Nano))
}

func compactJSON(a json.RawMessage) json.RawMessage {
	if len(a) == 0 {
		return nil
	}
	var b bytes.Buffer
	if json.Compact(&b, a) != nil {
		return a
	}
	return b.Bytes()
}
