package cql2_test

import (
	"fmt"

	"github.com/dazhigu/hotspot/api/ogc/cql2"
	"github.com/paulmach/orb"
)

// feature is a Record backed by a map, as a server might hold a GeoJSON
// feature.
type feature struct {
	props map[string]any
	geom  orb.Geometry
}

func (f feature) Property(name string) (any, bool) {
	v, ok := f.props[name]
	return v, ok
}

func (f feature) Geometry() orb.Geometry { return f.geom }

func Example() {
	// A filter as QGIS sends it.
	e, err := cql2.Parse(`("category" = 'noise') AND ("count" >= 3) AND S_INTERSECTS(geometry,BBOX(116.3,39.8,116.5,40))`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e)
	fmt.Println(cql2.Properties(e))

	f := feature{
		props: map[string]any{"category": "noise", "count": 5},
		geom:  orb.Point{116.397, 39.909},
	}
	ok, err := cql2.Eval(e, f)
	fmt.Println(ok, err)

	_, err = cql2.Parse("count >= )")
	fmt.Println(err)
	// Output:
	// category = 'noise' AND count >= 3 AND S_INTERSECTS(geometry,BBOX(116.3,39.8,116.5,40))
	// [category count geometry]
	// true <nil>
	// cql2: at 9: expected a property or a literal after '>=', found ')'
}
