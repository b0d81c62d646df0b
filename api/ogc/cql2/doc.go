// Package cql2 parses and evaluates filters written in CQL2 text, the filter
// language of OGC API – Features – Part 3: Filtering.
//
// It covers the conformance classes Basic CQL2 and Basic Spatial Functions of
// the CQL2 standard (OGC 21-065r2, version 1.0.0) in the CQL2 Text encoding:
//
//   - AND, OR, NOT and parentheses, with NOT binding tighter than AND and AND
//     tighter than OR;
//   - the comparisons =, <>, <, <=, >, >= between properties and literals, and
//     IS [NOT] NULL;
//   - string, number, boolean, TIMESTAMP('…Z') and DATE('…') literals;
//   - S_INTERSECTS between a geometry property and a WKT literal (POINT,
//     LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON,
//     GEOMETRYCOLLECTION) or a BBOX(west, south, east, north) literal.
//
// It also accepts LIKE, IN and BETWEEN from Advanced Comparison Operators.
// Everything else in the grammar (CASEI, ACCENTI, functions, arithmetic,
// temporal and array functions, the other spatial functions) is refused by
// Parse with an *Error that names the construct.
//
// Keywords are case-insensitive. A property whose name is a keyword, or is not
// an identifier, is written in double quotes ("date", "my name"); a double
// quote inside such a name is doubled. In a string literal a quote is written
// as two quotes (or as a backslash and a quote), and a backslash that precedes
// a quote or another backslash escapes it, which is how QGIS writes strings.
//
// Values are compared only with values of the same type, as the standard
// requires; a mismatch is an error matching ErrTypeMismatch. The one cast is
// for instants: a string compared with a timestamp or a date is read as
// RFC 3339, so TIMESTAMP('…') works on properties stored as text, and a
// time.Time compared with a DATE is cut to its UTC day.
//
// Evaluation follows the standard's three-valued logic: a comparison with a
// NULL or absent property is NULL, NOT NULL is NULL, and a record matches only
// when the whole filter is TRUE. Geometries are compared with planar
// arithmetic on WGS-84 longitude/latitude degrees (CRS84), which is what the
// standard's default filter-crs means; a BBOX whose west edge is east of its
// east edge crosses the antimeridian.
package cql2
