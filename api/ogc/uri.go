package ogc

// CRS84 is the only coordinate reference system served: WGS-84 longitude,
// latitude.
const CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// Conformance lists the conformance classes implemented, and no others.
var Conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	// The draft's name of the same class (S_INTERSECTS), which QGIS checks
	// before it pushes spatial filters down.
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators",
}
