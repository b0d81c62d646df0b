package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/api/ogc"
	"github.com/dazhigu/hotspot/data"
)

// ogcRoot is where OGC API – Features is served.
const ogcRoot = "/ogc"

// ogcLinker writes the absolute links of an OGC answer, carrying the key
// when the request gave it as api_key (GIS tools follow links as given).
func ogcLinker(c echo.Context) ogc.Linker {
	l := ogc.Linker{Base: c.Scheme() + "://" + c.Request().Host + ogcRoot}
	if key := c.QueryParam("api_key"); key != "" {
		l.Keep = url.Values{"api_key": {key}}
	}
	return l
}

// ogcLanding answers GET /ogc.
func (s *server) ogcLanding(c echo.Context) error {
	if err := readFormatOnly(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ogcLinker(c).Landing("hotspot: street-order violations, Dazhigu",
		"OGC API – Features over the violations, key roads and their segments, hot-spot and forecast cells, "+
			"pilot zones and patrol tracks; WGS-84 (CRS84). Give the key as api_key= or Bearer."))
}

// ogcConformance answers GET /ogc/conformance.
func (s *server) ogcConformance(c echo.Context) error {
	if err := readFormatOnly(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ogcLinker(c).ConformanceDoc())
}

// ogcCollections answers GET /ogc/collections.
func (s *server) ogcCollections(c echo.Context) error {
	if err := readFormatOnly(c); err != nil {
		return err
	}
	srcs, err := s.featureSources(c.Request().Context())
	if err != nil {
		return err
	}
	cs := make([]ogc.Collection, len(srcs))
	for i, src := range srcs {
		cs[i] = src.coll
	}
	return c.JSON(http.StatusOK, ogcLinker(c).CollectionsDoc(cs))
}

// ogcCollection answers GET /ogc/collections/{collectionId}.
func (s *server) ogcCollection(c echo.Context) error {
	if err := readFormatOnly(c); err != nil {
		return err
	}
	src, err := s.featureSource(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ogcLinker(c).CollectionDoc(src.coll))
}

// ogcQueryables answers GET /ogc/collections/{collectionId}/queryables.
func (s *server) ogcQueryables(c echo.Context) error {
	if err := readFormatOnly(c); err != nil {
		return err
	}
	src, err := s.featureSource(c)
	if err != nil {
		return err
	}
	// Its $id names the resource: without the key a link would carry.
	id := ogc.Linker{Base: ogcLinker(c).Base}.Href("/collections/"+src.coll.ID+"/queryables", nil)
	c.Response().Header().Set(echo.HeaderContentType, ogc.TypeSchema)
	return encodeJSON(c.Response(), src.coll.QueryablesSchema(id))
}

// ogcItems answers GET /ogc/collections/{collectionId}/items: a page of the
// matching features with numberMatched, numberReturned and absolute
// next/prev links.
func (s *server) ogcItems(c echo.Context) error {
	src, err := s.featureSource(c)
	if err != nil {
		return err
	}
	q, err := src.coll.ParseQuery(c.QueryParams())
	if err != nil {
		return err
	}
	page, matched, err := src.items(c.Request().Context(), q)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	fc.Features = page
	fc.ExtraMembers = geojson.Properties{
		"numberMatched": matched, "numberReturned": len(page), "timeStamp": time.Now().UTC().Format(time.RFC3339),
		"links": ogcLinker(c).ItemsLinks(src.coll, c.QueryParams(), q.Offset, q.Limit, len(page), matched),
	}
	return writeGeoJSON(c, http.StatusOK, fc)
}

// ogcItem answers GET /ogc/collections/{collectionId}/items/{featureId}.
func (s *server) ogcItem(c echo.Context) error {
	q := newQuery(c.QueryParams(), "f")
	if q.oneOf("f", "json", "json", "geojson"); q.err != nil {
		return q.err
	}
	src, err := s.featureSource(c)
	if err != nil {
		return err
	}
	f, err := src.item(c.Request().Context(), c.Param("featureId"))
	if err != nil {
		return err
	}
	l := ogcLinker(c)
	path := "/collections/" + src.coll.ID
	var g *geojson.Geometry
	if f.Geometry != nil {
		g = geojson.NewGeometry(f.Geometry)
	}
	out := map[string]any{"type": "Feature", "id": f.ID, "geometry": g, "properties": f.Properties}
	out["links"] = []ogc.Link{
		{Href: l.Href(path+"/items/"+url.PathEscape(c.Param("featureId")), nil), Rel: "self", Type: ogc.TypeGeoJSON},
		{Href: l.Href(path, nil), Rel: "collection", Type: ogc.TypeJSON, Title: src.coll.Title},
	}
	return writeGeoJSON(c, http.StatusOK, out)
}

// readFormatOnly checks the query of an OGC document: f=json at most
// (JSON is the only encoding served).
func readFormatOnly(c echo.Context) error {
	q := newQuery(c.QueryParams(), "f")
	q.oneOf("f", "json", "json")
	return q.err
}

// featureSource returns the collection the path names, or ENOTFOUND
// listing the collections.
func (s *server) featureSource(c echo.Context) (featureSource, error) {
	srcs, err := s.featureSources(c.Request().Context())
	if err != nil {
		return featureSource{}, err
	}
	id := c.Param("collectionId")
	var ids []string
	for _, src := range srcs {
		if src.coll.ID == id {
			return src, nil
		}
		ids = append(ids, src.coll.ID)
	}
	return featureSource{}, data.Errorf(data.ENOTFOUND, "no collection %q; the collections are %v", id, ids)
}
