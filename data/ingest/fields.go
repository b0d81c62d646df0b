package ingest

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// fields is one flat record's named values, whatever the encoding. Each
// accessor reports whether the value is present (absent and null are the
// same) and, when it is present but unusable, why.
type fields interface {
	text(name string) (s string, ok bool, reason string)
	number(name string) (f float64, ok bool, reason string)
	object(name string) (o json.RawMessage, ok bool, reason string)
	// rest returns the values under names none of the wire fields use, as a
	// JSON object's members, for the record's free attributes.
	rest(known func(string) bool) map[string]json.RawMessage
}

// Wire names of a violation's fields (DESIGN.md §3, and updated_at: the
// optional RFC 3339 time, with a zone, of the record's latest content, by
// which a re-send updates a stored record; see data.Violation.Updates).
var (
	lonNames = []string{"lon", "lng", "long", "longitude", "经度", "x"} // x, y last: they may be projected
	latNames = []string{"lat", "latitude", "纬度", "y"}
	// readOnly are what reads add; a feature read back and posted again
	// ignores them ("crs" is read: it must agree with the request's).
	readOnly = []string{"h3", "road", "segment", "along_m", "offset_m", "crs", "received_crs"}
	wire     = []string{"source", "source_id", "category", "observed_at", "merchant_id", "severity", "disposition", "attributes", "updated_at"}
)

func knownName(name string) bool {
	for _, set := range [][]string{wire, readOnly, lonNames, latNames} {
		for _, n := range set {
			if n == name {
				return true
			}
		}
	}
	return false
}

// violationFrom builds record n from its fields. A non-nil point comes from
// a GeoJSON geometry; otherwise the longitude and latitude are read from the
// fields under any of their usual names.
func violationFrom(n int, fs fields, point *orb.Point) ViolationRecord {
	rec := ViolationRecord{N: n, V: data.Violation{Segment: -1}}
	bad := func(field, reason string) {
		rec.Problems = append(rec.Problems, data.Problem{Record: n, Field: field, Reason: reason})
	}
	str := func(name string, required bool) string {
		s, ok, reason := fs.text(name)
		switch {
		case reason != "":
			bad(name, reason)
		case !ok && required:
			bad(name, "is required")
		}
		return s
	}
	v := &rec.V
	v.Source = data.Source(str("source", true))
	v.SourceID = str("source_id", true)
	v.Category = str("category", true)
	if s := str("observed_at", true); s != "" {
		t, reason := parseTime(s)
		if reason != "" {
			bad("observed_at", reason)
		}
		v.ObservedAt = t
	}
	// updated_at, the time of the record's latest content, is optional; a
	// re-send with a later one and other content updates the stored record
	// (data.Violation.Updates).
	if s := str("updated_at", false); s != "" {
		t, reason := parseTime(s)
		if reason != "" {
			bad("updated_at", reason)
		}
		v.UpdatedAt = t
	}
	v.MerchantID = str("merchant_id", false)
	v.Severity = str("severity", false)
	v.Disposition = str("disposition", false)
	if point != nil {
		v.Point = *point
	} else {
		lon, reasonLon := coordinate(fs, lonNames, "longitude")
		lat, reasonLat := coordinate(fs, latNames, "latitude")
		for _, r := range []string{reasonLon, reasonLat} {
			if r != "" {
				bad("lon/lat", r)
			}
		}
		v.Point = orb.Point{lon, lat}
	}
	attrs, reason := attributes(fs)
	if reason != "" {
		bad("attributes", reason)
	}
	v.Attributes = attrs
	rec.CRS = str("crs", false)
	return rec
}

// coordinate reads the first of names that is present.
func coordinate(fs fields, names []string, what string) (float64, string) {
	for _, name := range names {
		f, ok, reason := fs.number(name)
		if reason != "" {
			return 0, what + " (" + name + ") " + reason
		}
		if ok {
			return f, ""
		}
	}
	return 0, what + " is required, as one of " + strings.Join(names, ", ")
}

// attributes merges the explicit attributes object with the values under
// names that are not wire fields; explicit members win.
func attributes(fs fields) (json.RawMessage, string) {
	explicit, ok, reason := fs.object("attributes")
	if reason != "" {
		return nil, reason
	}
	members := map[string]json.RawMessage{}
	if ok {
		if err := json.Unmarshal(explicit, &members); err != nil {
			return nil, "must be a JSON object"
		}
	}
	for k, v := range fs.rest(knownName) {
		reason := textProblem(v)
		if !utf8.ValidString(k) {
			reason = "is not valid UTF-8"
		}
		if reason != "" {
			return nil, "field " + strconv.Quote(strings.ToValidUTF8(k, "?")) + " " + reason
		}
		if _, taken := members[k]; !taken {
			members[k] = v
		}
	}
	if len(members) == 0 {
		return nil, ""
	}
	b, err := json.Marshal(members)
	if err != nil {
		return nil, "must be a JSON object"
	}
	return b, ""
}

// textProblem says why raw, JSON text, holds a string that is no text:
// invalid UTF-8, or an escaped surrogate that is not half of a pair
// ("\ud800"). json.Unmarshal reads both as U+FFFD without an error, so that
// two different ids would be stored as one.
func textProblem(raw []byte) string {
	if !utf8.Valid(raw) {
		return "is not valid UTF-8"
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' { // \n, \", \\ …: skip the escaped character
			i++
			continue
		}
		r := hex4(raw[i+2:])
		switch {
		case r >= 0xD800 && r < 0xDC00 && i+12 <= len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' &&
			hex4(raw[i+8:]) >= 0xDC00 && hex4(raw[i+8:]) < 0xE000:
			i += 11 // a pair
		case r >= 0xD800 && r < 0xE000:
			return "holds a lone surrogate (" + string(raw[i:i+6]) + "), which is not text"
		default:
			i += 5
		}
	}
	return ""
}

// hex4 is the value of the four hex digits that b starts with, -1 when it
// does not.
func hex4(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return -1
	}
	return int(n)
}

// integer matches a JSON integer literal of any length.
var integer = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// jsonFields are a JSON object's members.
type jsonFields map[string]json.RawMessage

func (j jsonFields) get(name string) (json.RawMessage, bool) {
	raw, ok := j[name]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, false
	}
	return raw, true
}

func (j jsonFields) text(name string) (string, bool, string) {
	raw, ok := j.get(name)
	if !ok {
		return "", false, ""
	}
	if reason := textProblem(raw); reason != "" { // Unmarshal would quietly replace the bad text
		return "", true, reason
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, true, ""
	}
	// Platforms often number their records; an integer id is taken as text.
	if strings.HasSuffix(name, "_id") {
		if digits := bytes.TrimSpace(raw); integer.Match(digits) {
			return string(digits), true, ""
		}
		return "", true, "must be a string or an integer"
	}
	return "", true, "must be a string"
}

func (j jsonFields) number(name string) (float64, bool, string) {
	raw, ok := j.get(name)
	if !ok {
		return 0, false, ""
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, true, "must be a number"
	}
	return f, true, ""
}

func (j jsonFields) object(name string) (json.RawMessage, bool, string) {
	raw, ok := j.get(name)
	if !ok {
		return nil, false, ""
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return nil, true, "must be a JSON object"
	}
	if reason := textProblem(raw); reason != "" {
		return nil, true, reason
	}
	return raw, true, ""
}

func (j jsonFields) rest(known func(string) bool) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range j {
		if !known(k) {
			out[k] = v
		}
	}
	return out
}

// textFields are a CSV row's cells by header; an empty cell is absent.
type textFields map[string]string

func (t textFields) text(name string) (string, bool, string) {
	s := strings.TrimSpace(t[name])
	return s, s != "", ""
}

func (t textFields) number(name string) (float64, bool, string) {
	s := strings.TrimSpace(t[name])
	if s == "" {
		return 0, false, ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, true, "must be a number, not " + strconv.Quote(truncate(s, 40))
	}
	return f, true, ""
}

func (t textFields) object(name string) (json.RawMessage, bool, string) {
	s := strings.TrimSpace(t[name])
	if s == "" {
		return nil, false, ""
	}
	if !json.Valid([]byte(s)) || s[0] != '{' || !utf8.ValidString(s) {
		return nil, true, "must be a JSON object"
	}
	return json.RawMessage(s), true, ""
}

func (t textFields) rest(known func(string) bool) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range t {
		if !known(k) && strings.TrimSpace(v) != "" {
			b, _ := json.Marshal(v)
			if !utf8.ValidString(v) {
				b = []byte(v) // Marshal would quietly replace the bad bytes; attributes refuses these
			}
			out[k] = b
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
