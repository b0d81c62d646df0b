package ogc

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/api/ogc/cql2"
	"github.com/dazhigu/hotspot/data"
)

// record lets a filter read a feature: its properties, its id as "id".
type record struct{ f *geojson.Feature }

func (r record) Property(name string) (any, bool) {
	if name == "id" {
		return plain(r.f.ID), r.f.ID != nil
	}
	v, ok := r.f.Properties[name]
	return plain(v), ok
}

// plain turns a value of a named string, integer or float type (such as
// data.Source) into its basic type, which filters compare.
func plain(v any) any {
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Bool:
		return rv.Bool()
	}
	return v
}

func (r record) Geometry() orb.Geometry { return r.f.Geometry }

// IDString writes a feature id as the path segment that names it
// (/collections/{id}/items/{featureId}).
func IDString(id any) string {
	switch v := id.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(id)
}

// Match reports whether feature f of collection c answers q's bbox,
// datetime, equality filters and CQL2 filter. Features with a geometry of
// a null or unknown type never match a bbox.
func (c Collection) Match(q Query, f *geojson.Feature) (bool, error) {
	if q.Bound != nil && (f.Geometry == nil || !f.Geometry.Bound().Intersects(*q.Bound) ||
		!cql2.Intersects(f.Geometry, q.Bound.ToPolygon())) {
		return false, nil
	}
	if (!q.From.IsZero() || !q.To.IsZero()) && !c.inTime(q, f) {
		return false, nil
	}
	for name, want := range q.Equal {
		qb, _ := c.Queryable(name)
		v, _ := record{f}.Property(name)
		if !equal(qb.Type, v, want) {
			return false, nil
		}
	}
	if q.Filter == nil {
		return true, nil
	}
	ok, err := cql2.Eval(q.Filter, record{f})
	if err != nil {
		return false, &data.Error{Code: data.EINVALID, Message: "parameter filter cannot be applied: " + err.Error(),
			Problems: []data.Problem{{Field: "filter", Reason: err.Error()}}}
	}
	return ok, nil
}

// inTime reports whether the feature's instant, or interval, meets [From, To).
func (c Collection) inTime(q Query, f *geojson.Feature) bool {
	start, end := c.TimeProperty, c.TimeProperty
	if start == "" {
		start, end = c.TimeInterval[0], c.TimeInterval[1]
	}
	s, ok1 := timeOf(f.Properties[start])
	e, ok2 := timeOf(f.Properties[end])
	if !ok1 || !ok2 {
		return false
	}
	return (q.To.IsZero() || s.Before(q.To)) && (q.From.IsZero() || !e.Before(q.From))
}

func timeOf(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case string:
		p, err := time.Parse(time.RFC3339Nano, t)
		return p, err == nil
	}
	return time.Time{}, false
}

// equal compares a property's value with a filter's text by the
// queryable's type: numbers as numbers, times as instants, else as text.
func equal(typ string, v any, text string) bool {
	switch typ {
	case TypeNumber, TypeInteger:
		want, err := strconv.ParseFloat(text, 64)
		got, ok := number(v)
		return err == nil && ok && got == want
	case TypeTime:
		want, err := time.Parse(time.RFC3339Nano, text)
		got, ok := timeOf(v)
		return err == nil && ok && got.Equal(want)
	case TypeBoolean:
		b, ok := v.(bool)
		return ok && strconv.FormatBool(b) == text
	}
	switch s := v.(type) {
	case string:
		return s == text
	case nil:
		return false
	}
	return IDString(v) == text
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float32:
		return float64(n), true
	}
	return 0, false
}

// compare orders two property values: nulls last, numbers as numbers,
// times as instants, anything else as text.
func compare(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return cmp.Compare(x, y)
		}
	}
	if x, ok := timeOf(a); ok {
		if y, ok := timeOf(b); ok {
			return x.Compare(y)
		}
	}
	if x, ok := a.(bool); ok {
		if y, ok := b.(bool); ok && x != y {
			if !x {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(IDString(a), IDString(b))
}

// Select filters features (in the source's order) by q, sorts them by
// q.SortBy (stably: ties keep the source's order) and returns the page at
// q.Offset of at most q.Limit, with the number matched.
func (c Collection) Select(q Query, features []*geojson.Feature) (page []*geojson.Feature, matched int, err error) {
	p := c.NewPager(q)
	for _, f := range features {
		if err := p.Add(f); err != nil {
			return nil, 0, err
		}
	}
	page, matched = p.Page()
	return page, matched, nil
}

// Pager collects the page of a query from features offered one at a time,
// so a large source streams through it: without sortby it keeps only the
// page.
type Pager struct {
	c       Collection
	q       Query
	matched int
	kept    []*geojson.Feature
}

// NewPager returns a pager for q over collection c.
func (c Collection) NewPager(q Query) *Pager { return &Pager{c: c, q: q} }

// Add offers the next feature in the source's order.
func (p *Pager) Add(f *geojson.Feature) error {
	ok, err := p.c.Match(p.q, f)
	if err != nil || !ok {
		return err
	}
	p.matched++
	if len(p.q.SortBy) > 0 || (p.matched > p.q.Offset && len(p.kept) < p.q.Limit) {
		p.kept = append(p.kept, f)
	}
	return nil
}

// Page returns the page and the number of features that matched.
func (p *Pager) Page() ([]*geojson.Feature, int) {
	if len(p.q.SortBy) == 0 {
		return p.kept, p.matched
	}
	slices.SortStableFunc(p.kept, func(a, b *geojson.Feature) int {
		for _, s := range p.q.SortBy {
			x, _ := record{a}.Property(s.Name)
			y, _ := record{b}.Property(s.Name)
			if c := compare(x, y); c != 0 {
				if s.Desc {
					return -c
				}
				return c
			}
		}
		return 0
	})
	lo := min(p.q.Offset, len(p.kept))
	return p.kept[lo:min(lo+p.q.Limit, len(p.kept))], p.matched
}
