// Package geo holds the pure geometry of the service: spherical lengths and
// projections along road centrelines, cutting roads into fixed-length
// stretches with their H3 cover, and turning GPS tracks into presence
// (dwell) seconds per H3 cell per hour.
//
// All coordinates are WGS-84 longitude, latitude in degrees (orb.Point order).
// Distances are in meters on a sphere of radius orb.EarthRadius (6,378,137 m),
// the same sphere that github.com/paulmach/orb/geo uses. H3 resolutions are
// valid from 0 to 15.
//
// The package is pure: it does no I/O, keeps no package-level state and
// imports no other package of the project.
package geo
