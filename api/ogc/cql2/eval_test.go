package cql2

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// rec is a Record held in a map.
type rec struct {
	props map[string]any
	geom  orb.Geometry
}

func (r rec) Property(name string) (any, bool) {
	v, ok := r.props[name]
	return v, ok
}

func (r rec) Geometry() orb.Geometry { return r.geom }

func props(kv ...any) rec {
	r := rec{props: map[string]any{}}
	for i := 0; i < len(kv); i += 2 {
		r.props[kv[i].(string)] = kv[i+1]
	}
	return r
}

// evalCase is a filter, a record and the expected outcome.
type evalCase struct {
	name   string
	filter string
	r      rec
	want   bool
}

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.filter)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.filter, err)
			}
			got, err := Eval(e, c.r)
			if err != nil {
				t.Fatalf("Eval(%q): %v", c.filter, err)
			}
			if got != c.want {
				t.Fatalf("Eval(%q, %v) = %v, want %v", c.filter, c.r.props, got, c.want)
			}
		})
	}
}

func TestEvalComparison(t *testing.T) {
	runEval(t, []evalCase{
		{"int equals", "floors = 5", props("floors", 5), true},
		{"int64 greater", "floors > 5", props("floors", int64(6)), true},
		{"uint8 less", "floors < 5", props("floors", uint8(6)), false},
		{"float32 equals", "x = 0.5", props("x", float32(0.5)), true},
		{"json.Number", "pop >= 37589262", props("pop", json.Number("37589262")), true},
		{"decimal literal against int", "taxes <= 500.0", props("taxes", 500), true},
		{"not equal", "floors <> 5", props("floors", 4.0), true},
		{"literal on the left", "5 < floors", props("floors", 6), true},
		{"literal on the left, false", "5 >= floors", props("floors", 6), false},
		{"string", "city = 'Toronto'", props("city", "Toronto"), true},
		{"string is case-sensitive", "city = 'toronto'", props("city", "Toronto"), false},
		{"string order is by code point", "name > 'Luxembourg'", props("name", "Malta"), true},
		{"string with escaped quote", "street = 'Via dell''Avvento'", props("street", "Via dell'Avvento"), true},
		{"string with backslash-escaped quote", `street = 'it\'s'`, props("street", "it's"), true},
		{"doubled backslash is one (QGIS)", `path = 'C:\\temp'`, props("path", `C:\temp`), true},
		{"lone backslash is kept", `path = 'C:\temp'`, props("path", `C:\temp`), true},
		{"boolean", "swimming_pool = true", props("swimming_pool", true), true},
		{"boolean false", "swimming_pool = TRUE", props("swimming_pool", false), false},
		{"booleans are ordered false < true", "swimming_pool > false", props("swimming_pool", true), true},
		{"property against property", "a < b", props("a", 1, "b", 2.5), true},
		{"literal against literal", "1 = 1.0", props(), true},
		{"TRUE alone", "TRUE", props(), true},
		{"FALSE alone", "FALSE", props(), false},
		{"quoted property", `"date" = 'x'`, props("date", "x"), true},
		{"property with colon", "landsat:wrs_row = 28", props("landsat:wrs_row", 28), true},
	})
}

func TestEvalNull(t *testing.T) {
	absent := props()
	null := props("x", nil)
	runEval(t, []evalCase{
		{"absent equals", "x = 1", absent, false},
		{"absent not equal", "x <> 1", absent, false},
		{"null equals", "x = 1", null, false},
		{"null not equal", "x <> 1", null, false},
		{"null string", "x = 'a'", null, false},
		{"NOT of NULL is NULL", "NOT (x = 1)", null, false},
		{"NOT of NOT NULL", "NOT (x <> 1)", absent, false},
		{"absent IS NULL", "x IS NULL", absent, true},
		{"null IS NULL", "x IS NULL", null, true},
		{"null IS NOT NULL", "x IS NOT NULL", null, false},
		{"value IS NULL", "x IS NULL", props("x", 0), false},
		{"value IS NOT NULL", "x IS NOT NULL", props("x", ""), true},
		{"literal IS NULL", "1 IS NULL", absent, false},
		{"NULL OR TRUE is TRUE", "x = 1 OR TRUE", null, true},
		{"NULL OR FALSE is NULL", "NOT (x = 1 OR FALSE)", null, false},
		{"NULL AND FALSE is FALSE", "NOT (x = 1 AND FALSE)", null, true},
		{"NULL AND TRUE is NULL", "NOT (x = 1 AND TRUE)", null, false},
		{"null on the right", "1 = x", null, false},
		{"null against null", "x = y", null, false},
		{"null in LIKE", "x LIKE '%'", null, false},
		{"null in NOT LIKE", "x NOT LIKE 'a'", null, false},
		{"null in IN", "x IN (1, 2)", null, false},
		{"null in NOT IN", "x NOT IN (1, 2)", null, false},
		{"null item, no match: NULL", "NOT (1 IN (2, x))", null, false},
		{"null item, match: TRUE", "1 IN (x, 1)", null, true},
		{"null in BETWEEN", "x BETWEEN 1 AND 2", null, false},
		{"null in NOT BETWEEN", "x NOT BETWEEN 1 AND 2", null, false},
		{"no geometry", "S_INTERSECTS(geometry, BBOX(-180,-90,180,90))", absent, false},
		{"no geometry, NOT", "NOT (S_INTERSECTS(geometry, BBOX(-180,-90,180,90)))", absent, false},
		{"geometry IS NOT NULL", "geometry IS NOT NULL", props("geometry", orb.Point{1, 2}), true},
	})
}

func TestEvalPrecedence(t *testing.T) {
	runEval(t, []evalCase{
		// Read as a = 1 OR (b = 1 AND c = 1), which is TRUE; (a = 1 OR b = 1) AND c = 1 would be FALSE.
		{"AND before OR", "a = 1 OR b = 1 AND c = 1", props("a", 1, "b", 0, "c", 0), true},
		{"parentheses first", "(a = 1 OR b = 1) AND c = 1", props("a", 1, "b", 0, "c", 0), false},
		// Read as (NOT a = 1) AND b = 1, which is FALSE; NOT (a = 1 AND b = 1) would be TRUE.
		{"NOT before AND", "NOT a = 1 AND b = 1", props("a", 0, "b", 0), false},
		{"NOT before OR", "NOT a = 1 OR b = 1", props("a", 1, "b", 1), true},
		{"NOT of a group", "NOT (a = 1 AND b = 1)", props("a", 0, "b", 0), true},
		{"case-insensitive keywords", "a = 1 and not b = 2 Or c iS nOt NuLl", props("a", 1, "b", 3), true},
	})
}

func TestEvalInstant(t *testing.T) {
	at := time.Date(2026, 5, 11, 8, 30, 0, 0, time.UTC)
	runEval(t, []evalCase{
		{"time.Time equals", "t = TIMESTAMP('2026-05-11T08:30:00Z')", props("t", at), true},
		{"time.Time in another zone", "t = TIMESTAMP('2026-05-11T08:30:00Z')", props("t", at.In(time.FixedZone("CST", 8*3600))), true},
		{"time.Time before", "t < TIMESTAMP('2026-05-11T08:30:00.001Z')", props("t", at), true},
		{"RFC 3339 string equals", "t = TIMESTAMP('2026-05-11T08:30:00Z')", props("t", "2026-05-11T08:30:00Z"), true},
		{"RFC 3339 string with offset", "t = TIMESTAMP('2026-05-11T08:30:00Z')", props("t", "2026-05-11T16:30:00+08:00"), true},
		{"RFC 3339 string with fraction", "t > TIMESTAMP('2026-05-11T08:30:00Z')", props("t", "2026-05-11T08:30:00.5Z"), true},
		{"literal on the left", "TIMESTAMP('2026-05-11T08:30:00Z') >= t", props("t", "2026-05-11T08:29:59Z"), true},
		{"date against date string", "d = DATE('2026-05-11')", props("d", "2026-05-11"), true},
		{"date against timestamp string", "d = DATE('2026-05-11')", props("d", "2026-05-11T23:59:59Z"), true},
		{"date against time.Time, same UTC day", "d = DATE('2026-05-11')", props("d", at), true},
		{"date against time.Time, next day", "d < DATE('2026-05-11')", props("d", at.Add(24*time.Hour)), false},
		{"timestamp properties", "a < b", props("a", at, "b", at.Add(time.Second)), true},
		{"string literal against time.Time, as old GDAL writes", "t >= '2026-05-11T08:30:00Z'", props("t", at), true},
		{"string properties compare as strings", "t < '2026-05-11T08:30:00Z'", props("t", "2026-05-11T08:29:00Z"), true},
	})
}

func TestEvalAdvanced(t *testing.T) {
	runEval(t, []evalCase{
		{"LIKE prefix", "eo:instrument LIKE 'OLI%'", props("eo:instrument", "OLI_TIRS"), true},
		{"LIKE prefix, no match", "eo:instrument LIKE 'OLI%'", props("eo:instrument", "TM"), false},
		{"LIKE infix", "owner LIKE '%Jones%'", props("owner", "Mrs Jones-Smith"), true},
		{"LIKE is case-sensitive", "owner LIKE 'mike%'", props("owner", "Mike"), false},
		{"NOT LIKE", "owner NOT LIKE '%Mike%'", props("owner", "Anna"), true},
		{"LIKE one character, a code point", "name LIKE 'K_benhavn'", props("name", "København"), true},
		{"LIKE one character needs one", "name LIKE 'ab_'", props("name", "ab"), false},
		{"LIKE escaped percent", `rate LIKE '50\%'`, props("rate", "50%"), true},
		{"LIKE escaped percent is literal", `rate LIKE '50\%'`, props("rate", "500"), false},
		{"LIKE backtracking", "s LIKE '%a%b%c'", props("s", "xxaxxbxxbxc"), true},
		{"LIKE empty pattern", "s LIKE ''", props("s", ""), true},
		{"IN strings", "cityName IN ('Toronto','Frankfurt','Tokyo','New York')", props("cityName", "Tokyo"), true},
		{"IN no match", "cityName IN ('Toronto','Frankfurt')", props("cityName", "Tokyo"), false},
		{"NOT IN numbers", "category NOT IN (1,2,3,4)", props("category", 5), true},
		{"NOT IN numbers, member", "category NOT IN (1,2,3,4)", props("category", 3), false},
		{"BETWEEN inclusive low", "depth BETWEEN 100.0 and 150.0", props("depth", 100), true},
		{"BETWEEN inclusive high", "depth BETWEEN 100.0 and 150.0", props("depth", 150), true},
		{"BETWEEN outside", "depth BETWEEN 100.0 and 150.0", props("depth", 150.5), false},
		{"NOT BETWEEN", "depth NOT BETWEEN 100 AND 150", props("depth", 99), true},
	})
}

func TestEvalErrors(t *testing.T) {
	cases := []struct {
		name, filter string
		r            rec
		want         string
		mismatch     bool
	}{
		{"number with string", "count = 'x'", props("count", 3), "cql2: property count is a number, compared with the string 'x'", true},
		{"string literal on the left", "'x' < count", props("count", 3), "cql2: property count is a number, compared with the string 'x'", true},
		{"string with number", "city = 5", props("city", "Toronto"), "cql2: property city is a string, compared with the number 5", true},
		{"boolean with string", "flag = 'true'", props("flag", true), "cql2: property flag is a boolean, compared with the string 'true'", true},
		{"two properties", "a = b", props("a", 1, "b", "1"), "cql2: property a is a number, compared with property b, which is a string", true},
		{"two literals", "1 = 'x'", props(), "cql2: the number 1 cannot be compared with the string 'x'", true},
		{"timestamp with unreadable string", "t = TIMESTAMP('2026-05-11T08:30:00Z')", props("t", "yesterday"),
			"cql2: property t holds 'yesterday', which is not an RFC 3339 timestamp, compared with TIMESTAMP('2026-05-11T08:30:00Z')", true},
		{"date with unreadable string", "d = DATE('2026-05-11')", props("d", "11/05/2026"),
			"cql2: property d holds '11/05/2026', which is not an RFC 3339 date, compared with DATE('2026-05-11')", true},
		{"time.Time with unreadable string literal", "t = 'yesterday'", props("t", time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC)),
			"cql2: the string 'yesterday' is not an RFC 3339 timestamp, compared with property t", true},
		{"timestamp with number", "t > TIMESTAMP('2026-05-11T08:30:00Z')", props("t", 5), "cql2: property t is a number, compared with TIMESTAMP('2026-05-11T08:30:00Z')", true},
		{"timestamp literal with date literal", "TIMESTAMP('2026-05-11T00:00:00Z') = DATE('2026-05-11')", props(),
			"cql2: TIMESTAMP('2026-05-11T00:00:00Z') cannot be compared with DATE('2026-05-11')", true},
		{"geometry in a comparison", "geometry = 1", props("geometry", orb.Point{1, 2}), "cql2: property geometry is a geometry, compared with the number 1", true},
		{"LIKE on a number", "x LIKE '1%'", props("x", 10), "cql2: LIKE needs a string, and property x is a number", true},
		{"IN with mixed types", "x IN ('a', 1)", props("x", "b"), "cql2: property x is a string, compared with the number 1", true},
		{"BETWEEN on a string", "x BETWEEN 'a' AND 'c'", props("x", "b"), "cql2: BETWEEN needs numbers, and property x is a string", true},
		{"unsupported Go type", "tags = 'a'", props("tags", []string{"a"}), "cql2: property tags holds a []string, which a filter cannot use", false},
		{"bad json.Number", "n = 1", props("n", json.Number("x")), `cql2: property n holds "x", which is not a number`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.filter)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.filter, err)
			}
			_, err = Eval(e, c.r)
			if err == nil {
				t.Fatalf("Eval(%q) succeeded, want %q", c.filter, c.want)
			}
			if got := err.Error(); got != c.want {
				t.Fatalf("Eval(%q) error\n got %s\nwant %s", c.filter, got, c.want)
			}
			if got := errors.Is(err, ErrTypeMismatch); got != c.mismatch {
				t.Fatalf("errors.Is(%v, ErrTypeMismatch) = %v, want %v", err, got, c.mismatch)
			}
		})
	}
	if _, err := Eval(nil, props()); err == nil {
		t.Error("Eval(nil) succeeded, want an error")
	}
}
