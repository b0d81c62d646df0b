package cql2

import (
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func TestPrefilters(t *testing.T) {
	box := func(a, b, c, d float64) *orb.Bound { return &orb.Bound{Min: orb.Point{a, b}, Max: orb.Point{c, d}} }
	cases := []struct {
		filter string
		equal  map[string]string
		bound  *orb.Bound
	}{
		{"category = 'street-vending'", map[string]string{"category": "street-vending"}, nil},
		{"(category = 'a') AND ('hotline' = source) AND n > 3", map[string]string{"category": "a", "source": "hotline"}, nil},
		{"category = 'a' OR source = 'b'", nil, nil}, // either may hold: nothing to select by
		{"NOT (category = 'a')", nil, nil},
		{"n = 3 AND category <> 'a'", nil, nil}, // numbers and <> are left to evaluation
		{"S_INTERSECTS(geometry, BBOX(117.2, 39.1, 117.3, 39.2)) AND road = 'x'", map[string]string{"road": "x"}, box(117.2, 39.1, 117.3, 39.2)},
		{"S_INTERSECTS(POLYGON((1 1, 3 1, 3 4, 1 1)), geometry)", nil, box(1, 1, 3, 4)},
		{"S_INTERSECTS(geometry, BBOX(0,0,2,2)) AND S_INTERSECTS(geometry, BBOX(1,1,3,3))", nil, box(1, 1, 2, 2)},
	}
	for _, c := range cases {
		e, err := Parse(c.filter)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.filter, err)
		}
		p := Prefilters(e)
		if !reflect.DeepEqual(p.Equal, c.equal) || !reflect.DeepEqual(p.Bound, c.bound) {
			t.Errorf("Prefilters(%q) = %v %v, want %v %v", c.filter, p.Equal, p.Bound, c.equal, c.bound)
		}
	}
}
