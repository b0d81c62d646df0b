package cql2

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestParse checks that filters parse, by the canonical text they print.
func TestParse(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"comparison", "city='Toronto'", "city = 'Toronto'"},
		{"all operators", "a=1 AND b<>1 AND c<1 AND d<=1 AND e>1 AND f>=1",
			"a = 1 AND b <> 1 AND c < 1 AND d <= 1 AND e > 1 AND f >= 1"},
		{"literal on the left", "5 < floors", "5 < floors"},
		{"literal against literal", "1 = 1", "1 = 1"},
		{"property against property", "a = b", "a = b"},
		{"is null", "name IS NULL", "name IS NULL"},
		{"is not null", "name is not null", "name IS NOT NULL"},
		{"boolean literal alone", "true", "TRUE"},
		{"boolean literal in AND", "FALSE or x = 1", "FALSE OR x = 1"},
		{"boolean comparison", "swimming_pool = true", "swimming_pool = TRUE"},
		{"boolean on the left", "TRUE = swimming_pool", "TRUE = swimming_pool"},

		// Literals (21-065r2 §6.3.1 and the numericLiteral rule).
		{"escaped quote", "name = 'Via dell''Avvento'", "name = 'Via dell''Avvento'"},
		{"backslash-escaped quote", `name = 'it\'s'`, "name = 'it''s'"},
		{"doubled backslash, as QGIS writes", `path = 'C:\\temp'`, `path = 'C:\\temp'`},
		{"lone backslash kept", `path = 'C:\temp'`, `path = 'C:\\temp'`},
		{"empty string", "name = ''", "name = ''"},
		{"unicode string", "name = 'København'", "name = 'København'"},
		{"negative integer", "x = -100", "x = -100"},
		{"decimal", "x = 3.14159", "x = 3.14159"},
		{"leading dot", "x = .5", "x = 0.5"},
		{"trailing dot", "x = 5.", "x = 5"},
		{"plus sign", "x = +5", "x = 5"},
		{"exponent", "x = 1.5E3", "x = 1500"},
		{"lower-case exponent with sign", "x > 1e+20", "x > 100000000000000000000"},
		{"negative exponent", "x < 2.5e-7", "x < 2.5e-07"},
		{"timestamp", "t = TIMESTAMP('1969-07-20T20:17:40Z')", "t = TIMESTAMP('1969-07-20T20:17:40Z')"},
		{"timestamp with fraction", "t > timestamp('2023-04-05T12:34:56.250Z')", "t > TIMESTAMP('2023-04-05T12:34:56.25Z')"},
		{"timestamp with zero milliseconds (QGIS)", "t >= TIMESTAMP('2023-04-05T12:34:56.000Z')", "t >= TIMESTAMP('2023-04-05T12:34:56Z')"},
		{"date", "updated >= date('1970-01-01')", "updated >= DATE('1970-01-01')"},

		// Property names (rule propertyName).
		{"colon and dot", "landsat:scene.id = 'x'", "landsat:scene.id = 'x'"},
		{"quoted identifier", `"name" = 'x'`, "name = 'x'"},
		{"quoted keyword", `"date" IS NULL`, `"date" IS NULL`},
		{"keyword that is not an operator, unquoted", "date = DATE('2022-04-16')", `"date" = DATE('2022-04-16')`},
		{"quoted name with a space (QGIS)", `"my field" IS NOT NULL`, `"my field" IS NOT NULL`},
		{"quoted name with a doubled quote", `"say ""hi""" = 1`, `"say ""hi""" = 1`},
		{"non-ASCII identifier", "höhe > 3", "höhe > 3"},
		{"identifier that looks like a keyword prefix", "order = 1 AND notes = 'x' AND island = 2", "order = 1 AND notes = 'x' AND island = 2"},

		// Boolean structure and precedence (booleanExpression, booleanTerm, booleanFactor).
		{"AND binds tighter than OR", "a = 1 OR b = 1 AND c = 1", "a = 1 OR (b = 1 AND c = 1)"},
		{"parentheses override", "(a = 1 OR b = 1) AND c = 1", "(a = 1 OR b = 1) AND c = 1"},
		{"NOT binds tighter than AND", "NOT a = 1 AND b = 1", "NOT (a = 1) AND b = 1"},
		{"NOT of a group", "NOT (a = 1 AND b = 1)", "NOT (a = 1 AND b = 1)"},
		{"nested AND kept", "a = 1 AND (b = 1 AND c = 1)", "a = 1 AND (b = 1 AND c = 1)"},
		{"redundant parentheses dropped", "((a = 1))", "a = 1"},
		{"keywords in any case", "a = 1 and not b = 2 Or c iS nOt NuLl", "(a = 1 AND NOT (b = 2)) OR c IS NOT NULL"},
		{"whitespace of all kinds", "a\t=\n1\u00a0AND\u3000b=2", "a = 1 AND b = 2"},

		// What GDAL's OAPIF driver writes (ogroapifdriver.cpp, BuildFilterCQLText).
		{"GDAL AND", "(prop = 'x') AND (prop2 > 3)", "prop = 'x' AND prop2 > 3"},
		{"GDAL OR", "(a = 1) OR (b <> 2.5)", "a = 1 OR b <> 2.5"},
		{"GDAL NOT", "NOT ((name IS NULL))", "NOT (name IS NULL)"},
		{"GDAL float", "(x >= 0.1000000000000000)", "x >= 0.1"},

		// What QGIS writes (qgsoapifcql2textexpressioncompiler.cpp).
		{"QGIS quoted names", `(("road_class" = 'it''s') AND ("lanes" > 3))`, "road_class = 'it''s' AND lanes > 3"},
		{"QGIS NOT", `(NOT ("flag" = TRUE))`, "NOT (flag = TRUE)"},
		{"QGIS IS NOT NULL", `("name" IS NOT NULL)`, "name IS NOT NULL"},
		{"QGIS bbox", `S_INTERSECTS(geometry,BBOX(2.25,48.8,2.42,48.9))`, "S_INTERSECTS(geometry,BBOX(2.25,48.8,2.42,48.9))"},
		{"QGIS point", `S_INTERSECTS("geometry",POINT(2.35 48.85))`, "S_INTERSECTS(geometry,POINT(2.35 48.85))"},
		{"QGIS IN", `"c" IN (1,2,3)`, "c IN (1, 2, 3)"},
		{"QGIS BETWEEN", `"d" NOT BETWEEN 1 AND 2`, "d NOT BETWEEN 1 AND 2"},

		// Advanced comparison operators.
		{"LIKE", "eo:instrument LIKE 'OLI%'", "eo:instrument LIKE 'OLI%'"},
		{"NOT LIKE", "owner NOT LIKE '%Mike%'", "owner NOT LIKE '%Mike%'"},
		{"IN", "cityName IN ('Toronto','Frankfurt','Tokyo','New York')", "cityName IN ('Toronto', 'Frankfurt', 'Tokyo', 'New York')"},
		{"NOT IN", "category NOT IN (1,2,3,4)", "category NOT IN (1, 2, 3, 4)"},
		{"BETWEEN", "depth BETWEEN 100.0 and 150.0", "depth BETWEEN 100 AND 150"},
		{"BETWEEN inside AND", "a = 1 AND depth BETWEEN 1 AND 2 AND b = 2", "a = 1 AND depth BETWEEN 1 AND 2 AND b = 2"},

		// Spatial literals (rule spatialInstance).
		{"point with space before (", "S_INTERSECTS(geometry, POINT (1 2))", "S_INTERSECTS(geometry,POINT(1 2))"},
		{"literal first", "S_INTERSECTS(POINT(1 2), geometry)", "S_INTERSECTS(POINT(1 2),geometry)"},
		{"lower-case", "s_intersects(geom, point(1 2))", "S_INTERSECTS(geom,POINT(1 2))"},
		{"Z dropped", "S_INTERSECTS(geom, POINT Z(1 2 3))", "S_INTERSECTS(geom,POINT(1 2))"},
		{"linestring", "S_INTERSECTS(geom, LINESTRING(0 0, 1 1,2 0))", "S_INTERSECTS(geom,LINESTRING(0 0,1 1,2 0))"},
		{"polygon with hole", "S_INTERSECTS(geom, POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 2)))",
			"S_INTERSECTS(geom,POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 2)))"},
		{"multipoint", "S_INTERSECTS(geom, MULTIPOINT((1 2),(3 4)))", "S_INTERSECTS(geom,MULTIPOINT((1 2),(3 4)))"},
		{"multipoint without inner parentheses", "S_INTERSECTS(geom, MULTIPOINT(1 2, 3 4))", "S_INTERSECTS(geom,MULTIPOINT((1 2),(3 4)))"},
		{"multilinestring", "S_INTERSECTS(geom, MULTILINESTRING((0 0,1 1),(2 2,3 3)))", "S_INTERSECTS(geom,MULTILINESTRING((0 0,1 1),(2 2,3 3)))"},
		{"multipolygon", "S_INTERSECTS(geom, MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5))))",
			"S_INTERSECTS(geom,MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5))))"},
		{"geometrycollection", "S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING Z(1 2 3, 4 5 6)))",
			"S_INTERSECTS(geom,GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(1 2,4 5)))"},
		{"bbox with heights", "S_INTERSECTS(geom, BBOX(0, 40, -100, 10, 50, 100))", "S_INTERSECTS(geom,BBOX(0,40,-100,10,50,100))"},
		{"bbox across the antimeridian", "S_INTERSECTS(geom,BBOX(150,-90,-150,90))", "S_INTERSECTS(geom,BBOX(150,-90,-150,90))"},
		{"property named like a geometry type", "S_INTERSECTS(point, BBOX(0,0,1,1))", `S_INTERSECTS("point",BBOX(0,0,1,1))`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.in, err)
			}
			if got := e.String(); got != c.want {
				t.Fatalf("Parse(%q).String() = %q, want %q", c.in, got, c.want)
			}
			again, err := Parse(c.want)
			if err != nil {
				t.Fatalf("Parse(%q) of the canonical text: %v", c.want, err)
			}
			if got := again.String(); got != c.want {
				t.Fatalf("canonical text %q prints back as %q", c.want, got)
			}
		})
	}
}

// TestParseErrors checks the offset and message of syntax errors and of
// refused constructs.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"", "cql2: at 0: the filter is empty"},
		{"   ", "cql2: at 3: the filter is empty"},
		{"a = )", "cql2: at 4: expected a property or a literal after '=', found ')'"},
		{"population >= )", "cql2: at 14: expected a property or a literal after '>=', found ')'"},
		{"city = 'Toronto", "cql2: at 7: string is not closed: add a ' at its end (write '' for a quote inside it)"},
		{`city = 'it\'`, "cql2: at 7: string is not closed: add a ' at its end (write '' for a quote inside it)"},
		{`"city = 'a'`, `cql2: at 0: property name is not closed: add a " at its end`},
		{`"" = 1`, `cql2: at 0: empty property name ""`},
		{"a == 1", "cql2: at 3: expected a property or a literal after '=', found '='"},
		{"a != 1", "cql2: at 2: '!=' is not CQL2; write '<>' for not equal"},
		{"a = [1]", "cql2: at 4: unexpected character '['"},
		{"a = 'x\xff'", "cql2: at 6: the filter is not valid UTF-8"},
		{"a = 1 AND", "cql2: at 9: expected a predicate, found the end of the filter"},
		{"a = 1 AND OR b = 2", "cql2: at 10: expected a predicate, found keyword OR"},
		{"a = 1 b = 2", "cql2: at 6: expected AND, OR or the end of the filter, found name b"},
		{"(a = 1", "cql2: at 6: expected AND, OR or ')' to close the '(' at 0, found the end of the filter"},
		{"a = 1)", "cql2: at 5: ')' has no matching '('"},
		{"NOT NOT a = 1", "cql2: at 4: NOT cannot follow NOT; write NOT (NOT …)"},
		{"a IS 5", "cql2: at 5: expected NULL after IS, found the number 5"},
		{"a IS NOT 5", "cql2: at 9: expected NULL after IS NOT, found the number 5"},
		{"a NOT NULL", "cql2: at 6: expected LIKE, IN or BETWEEN after NOT, found keyword NULL"},
		{"a = NULL", "cql2: at 4: NULL can only be tested with IS NULL or IS NOT NULL"},
		{"a", "cql2: at 1: expected a comparison (=, <>, <, <=, >, >=), IS NULL, LIKE, IN or BETWEEN after property a, found the end of the filter"},
		{"'x'", "cql2: at 3: expected a comparison (=, <>, <, <=, >, >=), IS NULL, LIKE, IN or BETWEEN after the string 'x', found the end of the filter"},
		{"a = 1e400", "cql2: at 4: the number 1e400 is out of range"},
		{"x LIKE 5", "cql2: at 7: expected a quoted pattern after LIKE, found the number 5"},
		{"x IN ()", "cql2: at 6: expected a literal in the IN list, found ')'"},
		{"x IN (1 2)", "cql2: at 8: expected ',' or ')' in the IN list, found the number 2"},
		{"x BETWEEN 1 OR 2", "cql2: at 12: expected AND between the bounds of BETWEEN, found keyword OR"},
		{strings.Repeat("(", 101) + "a = 1" + strings.Repeat(")", 101), "cql2: at 100: parentheses nest more than 100 deep"},

		// Unsupported constructs are named.
		{"avg(windSpeed) < 4", "cql2: at 0: function avg() is not supported"},
		{"balance-150.0 > 0", "cql2: at 7: arithmetic ('-') is not supported"},
		{"a * 2 > 3", "cql2: at 2: arithmetic ('*') is not supported"},
		{"a = -b", "cql2: at 4: arithmetic ('-') is not supported"},
		{"a div 2 = 1", "cql2: at 2: arithmetic ('DIV') is not supported"},
		{"CASEI(road_class) = CASEI('Straße')", "cql2: at 0: CASEI is not supported; case- and accent-insensitive comparison is not implemented"},
		{"name LIKE ACCENTI('a%')", "cql2: at 10: ACCENTI is not supported; case- and accent-insensitive comparison is not implemented"},
		{"T_AFTER(built,DATE('2012-06-05'))", "cql2: at 0: T_AFTER is not supported; temporal functions are not implemented (compare with TIMESTAMP or DATE instead)"},
		{"t = INTERVAL('..','2020-01-01')", "cql2: at 4: INTERVAL is not supported; temporal functions are not implemented"},
		{"A_CONTAINS(layer:ids, ('layers-ca','layers-us'))", "cql2: at 0: A_CONTAINS is not supported; array functions are not implemented"},
		{"S_WITHIN(location,BBOX(-118,33.8,-117.9,34))", "cql2: at 0: S_WITHIN is not supported; the only spatial function is S_INTERSECTS"},
		{"POINT(1 2) = x", "cql2: at 0: a geometry such as POINT(…) can only be an argument of S_INTERSECTS"},

		// Instants (rules timestampInstant and dateInstant).
		{"t = TIMESTAMP('2026-05-11 08:30:00Z')", "cql2: at 14: TIMESTAMP needs an instant like '2026-05-11T08:30:00Z', found '2026-05-11 08:30:00Z'"},
		{"t = TIMESTAMP('2026-05-11T08:30:00+02:00')", "cql2: at 14: TIMESTAMP needs an instant like '2026-05-11T08:30:00Z', found '2026-05-11T08:30:00+02:00'"},
		{"t = TIMESTAMP('2026-05-11T08:30:00.Z')", "cql2: at 14: TIMESTAMP needs an instant like '2026-05-11T08:30:00Z', found '2026-05-11T08:30:00.Z'"},
		{"t = TIMESTAMP('2026-13-11T08:30:00Z')", "cql2: at 14: TIMESTAMP('2026-13-11T08:30:00Z') is not a valid instant: month out of range"},
		{"d = DATE('2026-02-30')", "cql2: at 9: DATE('2026-02-30') is not a valid instant: day out of range"},
		{"d = DATE('2026-05-11T00:00:00Z')", "cql2: at 9: DATE needs an instant like '2026-05-11', found '2026-05-11T00:00:00Z'"},
		{"d = DATE(2026)", "cql2: at 9: expected a quoted instant in DATE(…), found the number 2026"},
		{"d = DATE('2026-05-11'", "cql2: at 21: expected ')' to close DATE(, found the end of the filter"},

		// Spatial arguments.
		{"S_INTERSECTS(geometry,POINT(90 180))", "cql2: at 31: latitude 180 is outside [-90, 90]; coordinates are longitude and latitude in degrees (CRS84)"},
		{"S_INTERSECTS(geometry,POINT(181 0))", "cql2: at 28: longitude 181 is outside [-180, 180]; coordinates are longitude and latitude in degrees (CRS84)"},
		{"S_INTERSECTS(geometry,POINT(1))", "cql2: at 29: expected a latitude (a number), found ')'"},
		{"S_INTERSECTS(geometry,POINT EMPTY)", "cql2: at 28: EMPTY geometries are not supported"},
		{"S_INTERSECTS(geometry,LINESTRING(1 2))", "cql2: at 32: a line needs at least 2 points, found 1"},
		{"S_INTERSECTS(geometry,POLYGON((1 2, 3 4, 5 6)))", "cql2: at 30: a polygon ring needs at least 4 points (the last repeating the first), found 3"},
		{"S_INTERSECTS(geometry,GEOMETRYCOLLECTION(BBOX(0,0,1,1)))", "cql2: at 41: expected a POINT, LINESTRING, POLYGON or MULTI… geometry in GEOMETRYCOLLECTION, found keyword BBOX"},
		{"S_INTERSECTS(geometry,BBOX(1,2,3))", "cql2: at 22: BBOX needs 4 numbers (west,south,east,north) or 6 (west,south,minz,east,north,maxz), found 3"},
		{"S_INTERSECTS(geometry,BBOX(0,50,10,40))", "cql2: at 22: BBOX south edge 50 is north of its north edge 40"},
		{"S_INTERSECTS(geometry,BBOX(0,-91,10,40))", "cql2: at 29: latitude -91 is outside [-90, 90]; coordinates are longitude and latitude in degrees (CRS84)"},
		{"S_INTERSECTS(geometry,ENVELOPE(0,40,10,50))", "cql2: at 22: ENVELOPE is from a draft of CQL2; write BBOX(west,south,east,north)"},
		{"S_INTERSECTS(a, b)", "cql2: at 0: S_INTERSECTS of two properties is not supported; give a geometry literal such as POINT(…) or BBOX(…)"},
		{"S_INTERSECTS(geometry, 5)", "cql2: at 23: expected a geometry property, a WKT geometry or BBOX(…) in S_INTERSECTS, found the number 5"},
		{"S_INTERSECTS(geometry POINT(1 2))", "cql2: at 22: expected ',' between the arguments of S_INTERSECTS, found keyword POINT"},
		{"S_INTERSECTS(geometry, st_point(1, 2))", "cql2: at 23: function st_point() is not supported"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			_, err := Parse(c.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want %q", c.in, c.want)
			}
			if got := err.Error(); got != c.want {
				t.Fatalf("Parse(%q) error\n got %s\nwant %s", c.in, got, c.want)
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error is %T, want *Error", c.in, err)
			}
			if perr.Offset < 0 || perr.Offset > len(c.in) {
				t.Fatalf("Parse(%q) error offset %d is outside the text", c.in, perr.Offset)
			}
		})
	}
}

func TestProperties(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"TRUE", nil},
		{"city = 'Toronto'", []string{"city"}},
		{"5 < floors AND floors > 1 OR b = a", []string{"floors", "b", "a"}},
		{`"date" IS NULL AND NOT (x LIKE 'a%')`, []string{"date", "x"}},
		{"x IN (y, 1) AND z BETWEEN lo AND hi", []string{"x", "y", "z", "lo", "hi"}},
		{"S_INTERSECTS(geometry, BBOX(0,0,1,1)) AND S_INTERSECTS(POINT(0 0), geom)", []string{"geometry", "geom"}},
	}
	for _, c := range cases {
		e, err := Parse(c.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		if got := Properties(e); !slices.Equal(got, c.want) {
			t.Errorf("Properties(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Properties(nil); got != nil {
		t.Errorf("Properties(nil) = %q, want nil", got)
	}
}
