package api

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/api/ogc"
)

// openAPIYAML is the OpenAPI 3.0 document of every route. Tests check it
// against the route table and validate it; edit it with the routes.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// openAPIMediaType is the media type of the served document, as OGC API
// Features names it for a landing page's service-desc link.
const openAPIMediaType = "application/vnd.oai.openapi+json;version=3.0"

// loadOpenAPI parses the embedded document and validates it.
func loadOpenAPI(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(openAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi: load the document: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi: the document is invalid: %w", err)
	}
	return doc, nil
}

// openAPIDoc is the embedded document, loaded and validated once per
// server on first use; nothing changes it after.
type openAPIDoc = func() (*openapi3.T, error)

func newOpenAPIDoc() openAPIDoc {
	return sync.OnceValues(func() (*openapi3.T, error) { return loadOpenAPI(context.Background()) })
}

// openAPI answers GET /api and GET /ogc/api: the OpenAPI document as JSON
// whose servers entry is the base URL the request reached. Under /ogc it
// is the OGC API – Features part, rooted at /ogc as OGC clients read it
// (GDAL looks up /collections/{collectionId}/items), with one items path
// per collection listing its queryables as parameters.
func (s *server) openAPI(c echo.Context) error {
	q := newQuery(c.QueryParams(), "f")
	q.oneOf("f", "json", "json")
	if q.err != nil {
		return q.err
	}
	doc, err := s.openapi()
	if err != nil {
		return err
	}
	out := *doc
	base := openAPIBase(c)
	if strings.HasPrefix(c.Path(), ogcRoot+"/") {
		srcs, err := s.featureSources(c.Request().Context())
		if err != nil {
			return err
		}
		out.Paths = ogcPaths(doc.Paths, srcs)
		base += ogcRoot
	}
	out.Servers = openapi3.Servers{{URL: base, Description: "this server, as the request reached it"}}
	b, err := out.MarshalJSON()
	if err != nil {
		return fmt.Errorf("openapi: encode: %w", err)
	}
	return c.Blob(http.StatusOK, openAPIMediaType, b)
}

// ogcPaths are the /ogc paths of the whole document with /ogc cut off,
// and an items path per collection whose parameters name its queryables.
func ogcPaths(all *openapi3.Paths, srcs []featureSource) *openapi3.Paths {
	out := openapi3.NewPaths()
	for path, item := range all.Map() {
		if rest, ok := strings.CutPrefix(path, ogcRoot); ok && (rest == "" || rest[0] == '/') {
			out.Set(cmp.Or(rest, "/"), item)
		}
	}
	items := all.Value(ogcRoot + "/collections/{collectionId}/items")
	if items == nil || items.Get == nil {
		return out
	}
	for _, src := range srcs {
		op := *items.Get
		op.OperationID = items.Get.OperationID + "_" + strings.ReplaceAll(src.coll.ID, "-", "_")
		op.Parameters = nil
		for _, p := range items.Get.Parameters {
			if p.Value == nil || p.Value.Name != "collectionId" {
				op.Parameters = append(op.Parameters, p)
			}
		}
		for _, qb := range src.coll.Queryables {
			typ := qb.Type
			if typ == ogc.TypeTime {
				typ = openapi3.TypeString
			}
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{Name: qb.Name, In: "query",
				Description: "keep the features whose " + qb.Name + " equals the value", Schema: openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{typ}})}})
		}
		out.Set("/collections/"+src.coll.ID+"/items", &openapi3.PathItem{Get: &op})
	}
	return out
}

// openAPIBase is the absolute base URL of a request, as the OGC links have
// it: its scheme (https for TLS or when a proxy in front says so with
// X-Forwarded-Proto and its kin, as Echo reads them) and its Host.
func openAPIBase(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}
