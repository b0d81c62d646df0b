package cql2

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// The examples below are quoted from OGC 21-065r2, Common Query Language
// (CQL2) 1.0.0: its clause 6, its Abstract Test Suite annex, and the text
// examples kept with it (cql2/standard/schema/examples/text in
// github.com/opengeospatial/ogcapi-features).

// TestSpecBasicCQL2Examples runs the CQL2 Text examples of clause 6,
// Requirements Class "Basic CQL2".
func TestSpecBasicCQL2Examples(t *testing.T) {
	// Clause 6, "Data types and literal values", example "Scalar literal
	// examples": each literal, compared with a property holding its value.
	literals := []struct {
		literal string
		value   any
	}{
		{"'This is a literal string.'", "This is a literal string."},
		{"'Via dell''Avvento'", "Via dell'Avvento"}, // "character string with an escaped embeded quote"
		{"-100", -100},
		{"3.14159", 3.14159},
		{"true", true},
		{"false", false},
		{"TIMESTAMP('1969-07-20T20:17:40Z')", time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC)},
		{"DATE('1969-07-20')", "1969-07-20"},
	}
	for _, l := range literals {
		runEval(t, []evalCase{{"literal " + l.literal, "v = " + l.literal, props("v", l.value), true}})
	}

	// Clause 6, "Standard comparison predicates", example "Binary comparison
	// predicates", and "Examples of a NULL predicate".
	runEval(t, []evalCase{
		{"city='Toronto'", "city='Toronto'", props("city", "Toronto"), true},
		{"updated >= date('1970-01-01')", "updated >= date('1970-01-01')", props("updated", "2026-05-11T08:30:00Z"), true},
		{"geometry IS NOT NULL", "geometry IS NOT NULL", rec{props: map[string]any{"geometry": orb.Point{0, 0}}}, true},
	})
	// The other two examples of that clause need Functions and Arithmetic
	// Expressions, which Basic CQL2 does not include; they are refused.
	for filter, want := range map[string]string{
		"avg(windSpeed) < 4": "cql2: at 0: function avg() is not supported",
		"balance-150.0 > 0":  "cql2: at 7: arithmetic ('-') is not supported",
	} {
		if _, err := Parse(filter); err == nil || err.Error() != want {
			t.Errorf("Parse(%q) error = %v, want %s", filter, err, want)
		}
	}
}

// TestSpecExamples runs the text examples (exampleNN.txt) that stay within
// what this package supports.
func TestSpecExamples(t *testing.T) {
	building := props("floors", 6, "swimming_pool", true, "material", "brick", "owner", "Mike Jones", "taxes", 450)
	runEval(t, []evalCase{
		{"example01", "landsat:scene_id = 'LC82030282019133LGN00'", props("landsat:scene_id", "LC82030282019133LGN00"), true},
		{"example02", "eo:instrument LIKE 'OLI%'", props("eo:instrument", "OLI_TIRS"), true},
		{"example03", "landsat:wrs_path IN ('153','154','15X')", props("landsat:wrs_path", "15X"), true},
		{"example04", "eq:cloud_cover < 0.1 AND landsat:wrs_row=28 AND landsat:wrs_path=203",
			props("eq:cloud_cover", 0.05, "landsat:wrs_row", 28, "landsat:wrs_path", 203), true},
		{"example05a", "ro:cloud_cover=0.1 OR ro:cloud_cover=0.2", props("ro:cloud_cover", 0.2), true},
		{"example05b", "eo:cloud_cover IN (0.1,0.2)", props("eo:cloud_cover", 0.3), false},
		{"example06b", "    eo:cloud_cover >= 0.1\nAND eo:cloud_cover <= 0.2\nAND landsat:wrs_row=28\nAND landsat:wrs_path=203",
			props("eo:cloud_cover", 0.15, "landsat:wrs_row", 28, "landsat:wrs_path", 203), true},
		{"example07", `eo_instruments LIKE 'OLI%'
                AND S_INTERSECTS(footprint,POLYGON((43.5845 -79.5442,
                                                    43.6079 -79.4893,
                                                    43.5677 -79.4632,
                                                    43.6129 -79.3925,
                                                    43.6223 -79.3238,
                                                    43.6576 -79.3163,
                                                    43.7945 -79.1178,
                                                    43.8144 -79.1542,
                                                    43.8555 -79.1714,
                                                    43.7509 -79.6390,
                                                    43.5845 -79.5442)))`,
			rec{props: map[string]any{"eo_instruments": "OLI"}, geom: orb.Point{43.7, -79.4}}, true},
		{"example08", `    beamMode='ScanSAR Narrow'
AND swathDirection='ascending'
AND polarization='HH+VV+HV+VH'
AND s_intersects(geometry,POLYGON((-77.117938 38.936860,
                                   -77.040604 39.995648,
                                   -76.910536 38.892912,
                                   -77.039359 38.791753,
                                   -77.047906 38.841462,
                                   -77.034183 38.840655,
                                   -77.033142 38.857490,
                                   -77.117938 38.936860)))`,
			rec{props: map[string]any{"beamMode": "ScanSAR Narrow", "swathDirection": "ascending", "polarization": "HH+VV+HV+VH"},
				geom: orb.Point{-77.0365, 38.8977}}, true},
		{"example09", "floors>5", building, true},
		{"example10", "taxes <= 500", building, true},
		{"example11", "owner LIKE '%Jones%'", building, true},
		{"example12", "owner LIKE 'Mike%'", building, true},
		{"example13", "owner NOT LIKE '%Mike%'", building, false},
		{"example14", "swimming_pool = true", building, true},
		{"example15", "floors>5 AND swimming_pool=true", building, true},
		{"example16", "swimming_pool=true AND (floors>5 \n                    OR  material LIKE 'brick%'\n                    OR  material LIKE '%brick')", building, true},
		{"example17", "(floors>5 AND material='brick') OR swimming_pool=true", building, true},
		{"example18", "NOT (floors<5) OR swimming_pool=true", building, true},
		{"example19", "(owner LIKE 'mike%' OR owner LIKE 'Mike%') AND floors<4", building, false},
	})
	// Examples that use temporal functions or other spatial functions.
	for _, filter := range []string{
		"T_BEFORE(built, DATE('2015-01-01'))", // example20
		"T_AFTER(built,DATE('2012-06-05'))",   // example21
		"T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2017-06-10T07:30:00Z', '2017-06-11T10:30:00Z'))", // example22
		"S_WITHIN(location,BBOX(-118,33.8,-117.9,34))",                                                     // example23
	} {
		if _, err := Parse(filter); err == nil || !strings.Contains(err.Error(), "is not supported") {
			t.Errorf("Parse(%q) error = %v, want a refusal", filter, err)
		}
	}
}

// places stand in for the test dataset of the Abstract Test Suite; their
// properties have the names and types of ne_110m_populated_places_simple.
var places = []rec{
	{props: map[string]any{"name": "København", "pop_other": 1038288, "date": "2022-04-16", "start": "2022-04-16T10:13:19Z", "boolean": true}, geom: orb.Point{12.56, 55.68}},
	{props: map[string]any{"name": "Luxembourg", "pop_other": 93000, "date": "2022-04-15", "start": time.Date(2022, 4, 16, 10, 13, 18, 0, time.UTC), "boolean": false}, geom: orb.Point{6.13, 49.61}},
	{props: map[string]any{"name": "Zürich", "pop_other": int64(2000000), "date": time.Date(2022, 4, 17, 0, 0, 0, 0, time.UTC), "start": nil, "boolean": nil}, geom: orb.Point{8.54, 47.37}},
	{props: map[string]any{"name": "Suva", "pop_other": 175399.0}, geom: orb.Point{178.44, -18.13}},
}

// matching returns the indexes of the places that satisfy filter.
func matching(t *testing.T, filter string) map[int]bool {
	t.Helper()
	e, err := Parse(filter)
	if err != nil {
		t.Fatalf("Parse(%q): %v", filter, err)
	}
	out := map[int]bool{}
	for i, r := range places {
		ok, err := Eval(e, r)
		if err != nil {
			t.Fatalf("Eval(%q) on place %d: %v", filter, i, err)
		}
		if ok {
			out[i] = true
		}
	}
	return out
}

func disjoint(a, b map[int]bool) bool {
	for i := range a {
		if b[i] {
			return false
		}
	}
	return true
}

// TestSpecConformanceBasicCQL2 follows the test methods of conformance class
// Basic-CQL2: /conf/basic-cql2/comparison, /is-null, /boolean and /logical.
func TestSpecConformanceBasicCQL2(t *testing.T) {
	// "where {value} depends on the data type"
	values := map[string]string{
		"name":      "'foo'",
		"boolean":   "true",
		"pop_other": "3.14",
		"start":     "TIMESTAMP('2022-04-14T14:48:46Z')",
		`"date"`:    "DATE('2022-04-14')",
	}
	var stored []string
	for q, v := range values {
		p := func(op string) string { return q + " " + op + " " + v }
		// "assert that the two result sets for each queryable for the
		// operators = and <> have no item in common", and so on.
		for _, pair := range [][2]string{{"=", "<>"}, {">", "<="}, {"<", ">="}} {
			if a, b := matching(t, p(pair[0])), matching(t, p(pair[1])); !disjoint(a, b) {
				t.Errorf("%q and %q share items: %v, %v", p(pair[0]), p(pair[1]), a, b)
			}
			stored = append(stored, p(pair[0]), p(pair[1]))
		}
		// /conf/basic-cql2/is-null
		null, notNull := q+" IS NULL", q+" is not null"
		if a, b := matching(t, null), matching(t, notNull); !disjoint(a, b) || len(a)+len(b) != len(places) {
			t.Errorf("%q and %q: %v, %v; want a partition of the places", null, notNull, a, b)
		}
		stored = append(stored, null, notNull)
	}
	// /conf/basic-cql2/boolean: "assert that the result sets for false are empty".
	if got := matching(t, "false"); len(got) != 0 {
		t.Errorf("false matched %v", got)
	}
	if got := matching(t, "true"); len(got) != len(places) {
		t.Errorf("true matched %v, want all", got)
	}

	// The test-data table's predicates, on our stand-in data.
	for filter, want := range map[string][]int{
		"name='København'":                        {0},
		"name>='København'":                       {0, 1, 2, 3},
		"name<'København'":                        {},
		"name<>'København'":                       {1, 2, 3},
		"pop_other=1038288":                       {0},
		"pop_other>1038288":                       {2},
		`"date" IS NOT NULL`:                      {0, 1, 2},
		`"date"=DATE('2022-04-16')`:               {0},
		`"date">DATE('2022-04-16')`:               {2},
		"start IS NULL":                           {2, 3},
		"start=TIMESTAMP('2022-04-16T10:13:19Z')": {0},
		"start<TIMESTAMP('2022-04-16T10:13:19Z')": {1},
		"boolean=true":                            {0},
		"boolean=false":                           {1},
	} {
		got := matching(t, filter)
		if len(got) != len(want) {
			t.Errorf("%s matched %v, want %v", filter, got, want)
			continue
		}
		for _, i := range want {
			if !got[i] {
				t.Errorf("%s matched %v, want %v", filter, got, want)
			}
		}
	}

	// /conf/basic-cql2/logical: "select at least 10 random combinations of
	// four predicates ({p1} to {p4}) from the stored predicates and evaluate
	// the filter expression ((NOT {p1} AND {p2}) OR ({p3} and NOT {p4}) or
	// not ({p1} AND {p4}))" and "assert successful execution".
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var p [4]string
		for i := range p {
			p[i] = stored[rng.IntN(len(stored))]
		}
		matching(t, fmt.Sprintf("((NOT %s AND %s) OR (%s and NOT %s) or not (%s AND %s))", p[0], p[1], p[2], p[3], p[0], p[3]))
	}
}

// TestSpecConformanceSpatial follows conformance class Basic Spatial
// Functions: /conf/basic-spatial-functions/s_intersects and /test-data.
func TestSpecConformanceSpatial(t *testing.T) {
	// "assert successful execution of the evaluation for the first two
	// filter expressions; assert unsuccessful execution of the evaluation
	// for the third filter expressions (invalid coordinate)".
	if got := matching(t, "S_INTERSECTS(geom,BBOX(-180,-90,180,90))"); len(got) != len(places) {
		t.Errorf("the whole world matched %v", got)
	}
	matching(t, "S_INTERSECTS(geom,POINT(7.02 49.92))")
	if _, err := Parse("S_INTERSECTS(geom,POINT(90 180))"); err == nil {
		t.Error("POINT(90 180) parsed, want an invalid-coordinate error")
	}
	matching(t, "S_INTERSECTS(geom,BBOX(-180,-90,-90,90)) AND S_INTERSECTS(geom,BBOX(90,-90,180,90))")

	// The test-data table's predicates, on our stand-in places.
	for filter, want := range map[string]int{
		"S_INTERSECTS(geom,BBOX(0,40,10,50))":                                             2, // Luxembourg, Zürich
		"S_INTERSECTS(geom,BBOX(150,-90,-150,90))":                                        1, // Suva, across the antimeridian
		"S_INTERSECTS(geom,BBOX(0,40,10,50)) and S_INTERSECTS(geom,BBOX(5,50,10,60))":     0,
		"S_INTERSECTS(geom,BBOX(0,40,10,50)) and not S_INTERSECTS(geom,BBOX(5,50,10,60))": 2,
		"S_INTERSECTS(geom,BBOX(0,40,10,50)) or S_INTERSECTS(geom,BBOX(-90,40,-60,50))":   2,
		"S_INTERSECTS(geom,BBOX(0,40,10,50)) or S_INTERSECTS(geom,BBOX(10,50,20,60))":     3,
		"S_INTERSECTS(geom,POINT(6.13 49.61))":                                            1,
	} {
		if got := matching(t, filter); len(got) != want {
			t.Errorf("%s matched %v, want %d places", filter, got, want)
		}
	}
}
