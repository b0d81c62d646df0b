package ogc

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/api/ogc/cql2"
	"github.com/dazhigu/hotspot/data"
)

// Limits of one items page (OGC API – Features, /req/core/fc-limit-*).
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// Sort is one key of sortby: a queryable, descending or not.
type Sort struct {
	Name string
	Desc bool
}

// Query is an items request.
type Query struct {
	Bound    *orb.Bound        // bbox, WGS-84
	From, To time.Time         // datetime as [From, To); zero ends are open
	Equal    map[string]string // property=value filters
	Filter   cql2.Expr         // filter=, nil for none
	SortBy   []Sort
	Limit    int
	Offset   int
}

// params are the items parameters that are not property filters.
// area, a named area's id, narrows the request to it (the API does so before
// the collection is read).
var params = []string{"bbox", "datetime", "limit", "offset", "filter", "filter-lang", "filter-crs", "sortby", "api_key", "f", "crs", "area"}

// ParseQuery reads an items request of collection c. An unknown parameter,
// a property that is not queryable, or a malformed value is an EINVALID
// error naming the parameter.
func (c Collection) ParseQuery(v url.Values) (Query, error) {
	p := parser{values: v}
	q := Query{Bound: p.bbox(), Limit: p.integer("limit", DefaultLimit, 1, MaxLimit), Offset: p.integer("offset", 0, 0, math.MaxInt32)}
	q.From, q.To = p.interval("datetime")
	if (!q.From.IsZero() || !q.To.IsZero()) && c.TimeProperty == "" && c.TimeInterval[0] == "" {
		p.fail("datetime", "is not a parameter of collection "+c.ID+": its features have no time")
	}
	switch lang := v.Get("filter-lang"); lang {
	case "", "cql2-text", "cql-text": // cql-text: the draft's name, which GDAL 3.6 sends
	default:
		p.fail("filter-lang", "must be cql2-text (the only filter language served)")
	}
	if crs := v.Get("filter-crs"); crs != "" && crs != CRS84 {
		p.fail("filter-crs", "must be "+CRS84)
	}
	if crs := v.Get("crs"); crs != "" && crs != CRS84 {
		p.fail("crs", "must be "+CRS84+" (features are served in WGS-84 longitude, latitude)")
	}
	if a := v.Get("area"); a != "" && !strings.Contains(a, ":") {
		p.fail("area", "must be a named area's id (GET /api/v1/areas lists them)")
	}
	if f := v.Get("f"); f != "" && f != "json" && f != "geojson" {
		p.fail("f", "must be json or geojson")
	}
	if text := v.Get("filter"); text != "" && p.err == nil {
		e, err := cql2.Parse(text)
		if err != nil {
			p.fail("filter", "is not CQL2 text this server reads: "+err.Error())
		} else {
			for _, name := range cql2.Properties(e) {
				if _, ok := c.Queryable(name); !ok {
					p.fail("filter", "names "+strconv.Quote(name)+", not a queryable of "+c.ID+"; queryables: "+strings.Join(c.names(), ", "))
				}
			}
			q.Filter = e
		}
	}
	q.SortBy = c.sortBy(&p)
	for name := range v {
		if slices.Contains(params, name) {
			continue
		}
		qb, ok := c.Queryable(name)
		if !ok || qb.Type == "geometry" {
			p.fail(name, "is neither a parameter of items nor a queryable of "+c.ID+"; queryables: "+strings.Join(c.names(), ", "))
			continue
		}
		if v.Get(name) == "" {
			continue // name= is no filter
		}
		if q.Equal == nil {
			q.Equal = map[string]string{}
		}
		q.Equal[name] = v.Get(name)
	}
	return q, p.err
}

// sortBy reads sortby: comma-separated queryables, each with an optional
// + (ascending, the default) or - (descending).
func (c Collection) sortBy(p *parser) []Sort {
	var out []Sort
	for _, item := range strings.Split(p.values.Get("sortby"), ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		s := Sort{Name: strings.TrimPrefix(item, "+")}
		if name, ok := strings.CutPrefix(item, "-"); ok {
			s = Sort{Name: name, Desc: true}
		}
		if q, ok := c.Queryable(s.Name); !ok || q.Type == "geometry" {
			p.fail("sortby", "names "+strconv.Quote(s.Name)+", not a sortable queryable of "+c.ID+"; queryables: "+strings.Join(c.names(), ", "))
			continue
		}
		out = append(out, s)
	}
	return out
}

// Simple reports whether q asks for nothing beyond the equality filters
// names, bbox, datetime, and the source's own order: a store can answer it
// and count it without the features passing through memory.
func (q Query) Simple(names ...string) bool {
	for name := range q.Equal {
		if !slices.Contains(names, name) {
			return false
		}
	}
	return q.Filter == nil && len(q.SortBy) == 0
}

// Pushdown returns what a store may select by before the query is matched
// in memory: the equality filters and the bbox, with those of the CQL2
// filter's top-level AND terms (the filter is still matched after). none
// reports that they contradict each other, so nothing can match.
func (q Query) Pushdown() (equal map[string]string, bound *orb.Bound, none bool) {
	equal = map[string]string{}
	for k, v := range q.Equal {
		equal[k] = v
	}
	bound = q.Bound
	if q.Filter == nil {
		return equal, bound, false
	}
	p := cql2.Prefilters(q.Filter)
	for k, v := range p.Equal {
		if w, ok := equal[k]; ok && w != v {
			return nil, nil, true
		}
		equal[k] = v
	}
	if p.Bound != nil {
		b := *p.Bound
		if bound != nil {
			b = orb.Bound{Min: orb.Point{max(b.Min[0], bound.Min[0]), max(b.Min[1], bound.Min[1])},
				Max: orb.Point{min(b.Max[0], bound.Max[0]), min(b.Max[1], bound.Max[1])}}
		}
		if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] {
			return nil, nil, true
		}
		bound = &b
	}
	return equal, bound, false
}

// parser reads parameters, keeping the first problem.
type parser struct {
	values url.Values
	err    error
}

func (p *parser) fail(name, reason string) {
	if p.err == nil {
		p.err = &data.Error{Code: data.EINVALID, Message: "parameter " + name + " " + reason,
			Problems: []data.Problem{{Field: name, Reason: reason}}}
	}
}

func (p *parser) integer(name string, def, min, max int) int {
	v := p.values.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		p.fail(name, "must be an integer within "+strconv.Itoa(min)+".."+strconv.Itoa(max))
		return def
	}
	return n
}

// bbox reads minLon,minLat,maxLon,maxLat (CRS84); six numbers (with
// heights) are accepted and the heights ignored.
func (p *parser) bbox() *orb.Bound {
	b, reason := ParseBBox(p.values.Get("bbox"), true)
	if reason != "" {
		p.fail("bbox", reason)
	}
	return b
}

// ParseBBox reads a bbox parameter, minLon,minLat,maxLon,maxLat in degrees
// (with heights, six numbers, when withHeights): nil for an empty value,
// else the bound, or the reason it is refused. The API's bbox and OGC's
// are read by it.
func ParseBBox(v string, withHeights bool) (*orb.Bound, string) {
	if v == "" {
		return nil, ""
	}
	const reason = "must be minLon,minLat,maxLon,maxLat in degrees (CRS84), minimum before maximum, within -180..180 and -90..90"
	parts := strings.Split(v, ",")
	if len(parts) != 4 && (len(parts) != 6 || !withHeights) {
		return nil, reason
	}
	n := make([]float64, len(parts))
	for i, s := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, reason
		}
		n[i] = f
	}
	if len(n) == 6 {
		n = []float64{n[0], n[1], n[3], n[4]}
	}
	if n[0] > n[2] || n[1] > n[3] || n[0] < -180 || n[2] > 180 || n[1] < -90 || n[3] > 90 {
		return nil, reason
	}
	return &orb.Bound{Min: orb.Point{n[0], n[1]}, Max: orb.Point{n[2], n[3]}}, ""
}

// interval reads an RFC 3339 instant or an interval start/end whose ends
// may be open ("..", or empty) as [from, to); the end is inclusive, as
// OGC API – Features has it.
func (p *parser) interval(name string) (from, to time.Time) {
	from, to, reason := ParseInterval(p.values.Get(name), true)
	if reason != "" {
		p.fail(name, reason)
	}
	return from, to
}

// ParseInterval reads an RFC 3339 instant, or an interval "start/end" whose
// ends may be open ("..") or empty, as the half-open range [from, to) (an
// instant is [t, t+1µs); with inclusiveEnd, as OGC has it, so is an
// interval's end). A zero time is an open end; reason says why a value is
// refused. The API's datetime parameters and OGC's are read by it.
func ParseInterval(v string, inclusiveEnd bool) (from, to time.Time, reason string) {
	if v == "" {
		return
	}
	const bad = "must be an RFC 3339 time with a zone, or start/end with '..' for an open end"
	ok := true
	parse := func(s string) time.Time {
		if s == "" || s == ".." {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			ok = false
		}
		return t
	}
	start, end, isInterval := strings.Cut(v, "/")
	if !isInterval {
		t := parse(v)
		if !ok || t.IsZero() {
			return time.Time{}, time.Time{}, bad
		}
		return t, t.Add(time.Microsecond), ""
	}
	from, to = parse(start), parse(end)
	if !ok {
		return time.Time{}, time.Time{}, bad
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return time.Time{}, time.Time{}, "ends before it starts"
	}
	if !to.IsZero() && inclusiveEnd {
		to = to.Add(time.Microsecond)
	}
	return from, to, ""
}
