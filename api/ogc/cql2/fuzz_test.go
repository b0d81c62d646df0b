package cql2

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// FuzzParse checks that Parse never panics, that a parsed filter's String
// reads back to the same String, and that Properties and Eval do not panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"city='Toronto'",
		"(prop = 'x') AND (prop2 > 3)",
		`(("road_class" = 'it''s') AND (NOT ("lanes" > 3)))`,
		`name = 'C:\\temp\' ok'`,
		"a = 1 OR b <> -2.5e3 AND NOT c IS NOT NULL",
		"t >= TIMESTAMP('2023-04-05T12:34:56.000Z') AND d < DATE('2023-04-05')",
		"x NOT LIKE '%a\\_b%' AND y IN (1, 'a', TRUE) AND z NOT BETWEEN .5 AND 5.",
		"S_INTERSECTS(geometry,BBOX(150,-90,-150,90))",
		"S_INTERSECTS(geom, POLYGON((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 4)))",
		"S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT Z(1 2 3), MULTIPOINT(1 2, 3 4), MULTILINESTRING((0 0,1 1))))",
		"S_INTERSECTS(POINT(1 1), MULTIPOLYGON(((0 0,2 0,2 2,0 0))))",
		`"date" IS NULL OR "my ""field""" = höhe`,
		"avg(windSpeed) < 4",
		"balance-150.0 > 0",
		"((((a = 1))))",
		"true",
	} {
		f.Add(s)
	}
	r := rec{
		props: map[string]any{
			"city": "Toronto", "prop": "x", "prop2": 4, "a": 1.0, "b": int64(2), "c": nil,
			"t": time.Date(2023, 4, 5, 0, 0, 0, 0, time.UTC), "d": "2023-04-04", "x": "ab", "y": 1, "z": 3,
		},
		geom: orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}},
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, err := Parse(text)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) error is %T, want *Error", text, err)
			}
			return
		}
		s := e.String()
		again, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q, which does not parse: %v", text, s, err)
		}
		if s2 := again.String(); s2 != s {
			t.Fatalf("Parse(%q).String() = %q, which prints back as %q", text, s, s2)
		}
		Properties(e)
		Eval(e, r)
	})
}
