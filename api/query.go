package api

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/api/ogc"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// query reads URL parameters, collecting the first problem it meets.
type query struct {
	values url.Values
	err    error
}

// newQuery checks that values has only the allowed parameters, or api_key
// (the key of a read, which authorize has taken already).
func newQuery(values url.Values, allowed ...string) *query {
	q := &query{values: values}
	for name := range values {
		if name == "area" && !slices.Contains(allowed, name) {
			// Every route takes a named area (setScope narrows the
			// request to it); the study-area kinds are the analyses'.
			if !data.IsAreaID(values.Get(name)) {
				q.fail(name, "must be a named area's id here (GET /api/v1/areas lists them)")
			}
			continue
		}
		if name != "api_key" && !slices.Contains(allowed, name) {
			q.fail(name, "is not a parameter of this path; use "+strings.Join(allowed, ", "))
		}
	}
	return q
}

// writeQuery is newQuery for a write, which reads its query strictly: a
// parameter misread there (a datum) would store records in the wrong place,
// so a query string that does not parse, or a parameter given twice, is
// refused rather than partly ignored.
func writeQuery(c echo.Context, allowed ...string) *query {
	values, err := url.ParseQuery(c.Request().URL.RawQuery)
	q := newQuery(values, allowed...)
	if err != nil {
		q.err = data.Errorf(data.EINVALID, "the query string cannot be read (%v); percent-encode it and separate parameters with '&'", err)
		return q
	}
	for name, vs := range values {
		if len(vs) > 1 {
			q.fail(name, "is given more than once")
		}
	}
	return q
}

func (q *query) fail(name, reason string) {
	if q.err == nil {
		q.err = &data.Error{Code: data.EINVALID, Message: "parameter " + name + " " + reason,
			Problems: []data.Problem{{Field: name, Reason: reason}}}
	}
}

// list returns a comma-separated parameter's items, or nil.
func (q *query) list(name string) []string {
	v := q.values.Get(name)
	if v == "" {
		return nil
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// bbox reads minLon,minLat,maxLon,maxLat (WGS-84), as OGC's bbox is read.
func (q *query) bbox(name string) *orb.Bound {
	b, reason := ogc.ParseBBox(q.values.Get(name), false)
	if reason != "" {
		q.fail(name, reason)
	}
	return b
}

// interval reads an RFC 3339 instant, or an interval "start/end" whose ends
// may be open ("..") or empty, as the half-open range [from, to): the end
// is exclusive here (OGC's is inclusive; ogc.ParseInterval reads both).
func (q *query) interval(name string) (from, to time.Time) {
	from, to, reason := ogc.ParseInterval(q.values.Get(name), false)
	if reason != "" {
		q.fail(name, reason)
	}
	return from, to
}

// integer reads an integer within [min, max], def when absent.
func (q *query) integer(name string, def, min, max int) int {
	v := q.values.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		q.fail(name, "must be an integer within "+strconv.Itoa(min)+".."+strconv.Itoa(max))
		return def
	}
	return n
}

// cursor reads an opaque paging cursor written by encodeCursor.
func (q *query) cursor(name string) int64 {
	v := q.values.Get(name)
	if v == "" {
		return 0
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	n, err2 := strconv.ParseInt(strings.TrimPrefix(string(b), "after:"), 10, 64)
	if err != nil || err2 != nil || !strings.HasPrefix(string(b), "after:") || n < 0 {
		q.fail(name, "is not a cursor this server wrote; take it from the previous page's 'next' link")
		return 0
	}
	return n
}

func encodeCursor(after int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.FormatInt(after, 10)))
}

// datum reads a datum name (wgs84, gcj02, bd09); wgs84 when absent.
func (q *query) datum(name string) string {
	v := q.values.Get(name)
	if v == "" {
		return geo.WGS84
	}
	if !geo.ValidDatum(v) {
		q.fail(name, "must be one of wgs84, gcj02, bd09")
		return geo.WGS84
	}
	return v
}

// boolean reads true or false; false when absent.
func (q *query) boolean(name string) bool {
	switch q.values.Get(name) {
	case "", "false":
		return false
	case "true":
		return true
	}
	q.fail(name, "must be true or false")
	return false
}

// instant reads an RFC 3339 time with a zone; zero when absent.
func (q *query) instant(name string) time.Time {
	v := q.values.Get(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		q.fail(name, "must be an RFC 3339 time with a zone, e.g. 2026-05-11T08:30:00+08:00")
	}
	return t
}

// oneOf reads one of the allowed values, def when absent.
func (q *query) oneOf(name, def string, allowed ...string) string {
	v := q.values.Get(name)
	if v == "" {
		return def
	}
	if !slices.Contains(allowed, v) {
		q.fail(name, "must be one of "+strings.Join(allowed, ", "))
		return def
	}
	return v
}
