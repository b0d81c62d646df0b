// Package ogc holds what OGC API – Features (Parts 1 and 3) needs that does
// not depend on where features come from: collections and their
// queryables, the items query (bbox, datetime, property equality, CQL2
// filter, sortby, limit and offset) read from a URL, matching a feature
// against it, paging the matches, and the JSON documents of the landing
// page, conformance, collections and queryables. The api package serves it.
package ogc
