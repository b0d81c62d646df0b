package api

import (
	"github.com/labstack/echo/v4"
)

// geoJSONType is the media type of every GeoJSON answer (RFC 7946 §12).
const geoJSONType = "application/geo+json"

// writeGeoJSON writes a GeoJSON object (a FeatureCollection or a Feature) as
// application/geo+json, so GIS clients (GDAL, QGIS) read it as GeoJSON.
func writeGeoJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, geoJSONType)
	c.Response().WriteHeader(status)
	return encodeJSON(c.Response(), v)
}

// streamGeoJSON writes a FeatureCollection whose members other than
// "features" are top's, and whose n features feature appends, as
// application/geo+json, streamed (see streamObject).
func streamGeoJSON(c echo.Context, status int, top map[string]any, n int, feature func(b []byte, i int) ([]byte, error)) error {
	c.Response().Header().Set(echo.HeaderContentType, geoJSONType)
	c.Response().WriteHeader(status)
	return streamObject(c.Response(), top, "features", n, feature)
}
