package ogc

import (
	"net/url"
	"strconv"
	"time"

	"github.com/paulmach/orb"
)

// Media types of the documents linked.
const (
	TypeJSON    = "application/json"
	TypeGeoJSON = "application/geo+json"
	TypeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	TypeSchema  = "application/schema+json"
	TypeHTML    = "text/html"
)

// Link is a link object (OGC API – Common).
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// Linker writes absolute hrefs: Base (scheme, host and the API's root path,
// e.g. http://127.0.0.1:8080/ogc) and the path below it, with the query
// parameters that every link must carry (Keep: a key given as api_key,
// since a GIS tool follows links as given).
type Linker struct {
	Base string
	Keep url.Values
}

// Href returns the absolute URL of path under Base with query q (nil for
// none) and the kept parameters.
func (l Linker) Href(path string, q url.Values) string {
	all := url.Values{}
	for k, vs := range l.Keep {
		all[k] = vs
	}
	for k, vs := range q {
		all[k] = vs
	}
	if len(all) == 0 {
		return l.Base + path
	}
	return l.Base + path + "?" + all.Encode()
}

// Landing is the landing page document.
func (l Linker) Landing(title, description string) map[string]any {
	return map[string]any{
		"title": title, "description": description,
		"links": []Link{
			{l.Href("", nil), "self", TypeJSON, "this document"},
			{l.Href("/api", nil), "service-desc", TypeOpenAPI, "the API definition"},
			{l.Href("/conformance", nil), "conformance", TypeJSON, "the conformance classes implemented"},
			{l.Href("/collections", nil), "data", TypeJSON, "the feature collections"},
		},
	}
}

// ConformanceDoc is the conformance declaration.
func (l Linker) ConformanceDoc() map[string]any {
	return map[string]any{"conformsTo": Conformance,
		"links": []Link{{l.Href("/conformance", nil), "self", TypeJSON, "this document"}}}
}

// CollectionDoc describes collection c.
func (l Linker) CollectionDoc(c Collection) map[string]any {
	base := "/collections/" + c.ID
	doc := map[string]any{
		"id": c.ID, "title": c.Title, "description": c.Description, "itemType": "feature",
		"crs": []string{CRS84}, "storageCrs": CRS84,
		"links": []Link{
			{l.Href(base, nil), "self", TypeJSON, c.Title},
			{l.Href(base+"/items", nil), "items", TypeGeoJSON, c.Title + " (GeoJSON)"},
			{l.Href(base+"/queryables", nil), "http://www.opengis.net/def/rel/ogc/1.0/queryables", TypeSchema, "queryables"},
		},
	}
	extent := map[string]any{}
	if c.Extent != (orb.Bound{}) {
		b := c.Extent
		extent["spatial"] = map[string]any{"bbox": [][]float64{{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}, "crs": CRS84}
	}
	if c.TimeProperty != "" || c.TimeInterval[0] != "" {
		extent["temporal"] = map[string]any{"interval": [][]*string{{stamp(c.Start), stamp(c.End)}},
			"trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
	}
	if len(extent) > 0 {
		doc["extent"] = extent
	}
	for k, v := range c.Extra {
		doc[k] = v
	}
	return doc
}

// CollectionsDoc lists the collections.
func (l Linker) CollectionsDoc(cs []Collection) map[string]any {
	docs := make([]map[string]any, len(cs))
	for i, c := range cs {
		docs[i] = l.CollectionDoc(c)
	}
	return map[string]any{"collections": docs,
		"links": []Link{{l.Href("/collections", nil), "self", TypeJSON, "the feature collections"}}}
}

// ItemsLinks are the links of an items page: self, its collection, and
// next and prev when there are such pages. q holds the request's own
// parameters (paging ones are replaced).
func (l Linker) ItemsLinks(c Collection, q url.Values, offset, limit, returned, matched int) []Link {
	path := "/collections/" + c.ID + "/items"
	at := func(off int) url.Values {
		out := url.Values{}
		for k, vs := range q {
			if k != "offset" && k != "api_key" {
				out[k] = vs
			}
		}
		out.Set("limit", strconv.Itoa(limit))
		if off > 0 {
			out.Set("offset", strconv.Itoa(off))
		}
		return out
	}
	links := []Link{
		{l.Href(path, at(offset)), "self", TypeGeoJSON, "this page"},
		{l.Href("/collections/"+c.ID, nil), "collection", TypeJSON, c.Title},
	}
	if offset+returned < matched {
		links = append(links, Link{l.Href(path, at(offset+returned)), "next", TypeGeoJSON, "the next page"})
	}
	if offset > 0 {
		links = append(links, Link{l.Href(path, at(max(offset-limit, 0))), "prev", TypeGeoJSON, "the previous page"})
	}
	return links
}

func stamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}
