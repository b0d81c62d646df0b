// Package api is the HTTP face of the service: an Echo server with the
// contract's routes, API-key auth, problem+json errors, Prometheus metrics and
// the supervisor console's static files. Handlers are thin: bind, call one
// store or analytics method with the request's context, encode.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/paulmach/orb"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// Options configure the server. Store and Logger are required.
type Options struct {
	Store    data.Store
	Logger   *slog.Logger
	Registry *prometheus.Registry // metrics are registered here; nil: a new one
	Zone     *time.Location       // zone times are written in; nil: Asia/Shanghai
	Ready    func() error         // extra readiness check (e.g. demo still loading); nil: none
	Area     orb.Polygon          // service area (WGS-84) writes must fall in; nil: anywhere
	Limits   Limits               // sizes of writes; zero fields take the defaults
	Dwell    geo.DwellOptions     // how tracks become presence; zero fields take geo's defaults
	Engine   *analytics.Engine    // the analytics over Store; nil: a new one (with its own index)
	Console  ConsoleOptions       // the console's basemap; zero: none
	// CORSOrigins may read the API from their pages (e.g. https://kepler.gl);
	// "*" any origin; nil: none (same-origin only).
	CORSOrigins []string
}

// route is one entry of the route table: every /api/v1 route names the role
// it needs; an empty role means the route is open. The handlers of
// analyses are wrapped in s.analyses, which bounds their work.
type route struct {
	method, path string
	role         data.Role
	handle       echo.HandlerFunc
}

// New returns the service's HTTP handler.
func New(opts Options) http.Handler {
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	if opts.Zone == nil {
		opts.Zone = shanghai()
	}
	opts.Limits = opts.Limits.withDefaults()
	if opts.Engine == nil {
		opts.Engine = analytics.New(analytics.Options{Source: opts.Store, Zone: opts.Zone, Boundary: opts.Area})
	}
	s := &server{Options: opts, metrics: newMetrics(opts.Registry), openapi: newOpenAPIDoc(),
		turns: make(chan struct{}, opts.Limits.MaxAnalyses), rates: newKeyRates(opts.Limits), tiles: newTileCache()}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Pages of violations run to megabytes of GeoJSON; gzip cuts them ~10x.
	// /metrics and tiles are skipped: promhttp and the tile handler compress
	// their own answers (a gzipped tile has its own ETag).
	gzip := middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024,
		Skipper: func(c echo.Context) bool {
			return c.Path() == "/metrics" || strings.HasPrefix(c.Path(), "/tiles/:layer/")
		}})
	e.Use(s.observe)
	if len(opts.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{AllowOrigins: opts.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-None-Match"},
			ExposeHeaders: []string{"ETag", "Retry-After"}, MaxAge: 3600}))
	}
	e.Use(gzip, s.recoverPanic)
	for _, r := range s.routes() {
		var mw []echo.MiddlewareFunc
		if r.role != "" {
			mw = append(mw, s.authorize(r.role))
		}
		e.Add(r.method, r.path, r.handle, mw...)
		if r.method == http.MethodGet { // every GET answers HEAD: net/http drops the body
			e.Add(http.MethodHead, r.path, r.handle, mw...)
		}
	}
	return e
}

type server struct {
	Options
	metrics   *metrics
	openapi   openAPIDoc
	outage    atomic.Bool   // the store does not answer (noteOutage)
	turns     chan struct{} // one per analysis running (analyses)
	rates     *keyRates     // requests a second per key (limitKey)
	tiles     *tileCache    // finished tiles by ETag
	roadPrint roadPrint     // the roads' fingerprint in tile ETags
}

func (s *server) routes() []route {
	const v1, open311 = "/api/v1", "/open311/v2"
	return []route{
		{http.MethodGet, "/healthz", "", s.healthz},
		{http.MethodGet, "/readyz", "", s.readyz},
		{http.MethodGet, "/metrics", "", metricsHandler(s.Registry)},
		{http.MethodGet, "/", "", s.console},
		{http.MethodGet, "/console/config.json", "", s.consoleConfig},
		{http.MethodGet, "/console/*", "", s.console},
		{http.MethodGet, "/api", "", s.openAPI},

		{http.MethodGet, v1 + "/roads", data.RoleViewer, s.listRoads},
		{http.MethodGet, v1 + "/roads/:id", data.RoleViewer, s.getRoad},
		{http.MethodPut, v1 + "/roads/:id", data.RoleAdmin, s.putRoad},
		{http.MethodGet, v1 + "/categories", data.RoleViewer, s.listCategories},
		{http.MethodGet, v1 + "/audit", data.RoleAdmin, s.listAudit},
		{http.MethodGet, v1 + "/areas", data.RoleViewer, s.listAreas},
		{http.MethodGet, v1 + "/areas/:id", data.RoleViewer, s.getArea},
		{http.MethodPut, v1 + "/areas/:id", data.RoleAdmin, s.putArea},
		{http.MethodGet, v1 + "/heatmap", data.RoleViewer, s.analyses(s.heatmap)},
		{http.MethodGet, v1 + "/hotspots", data.RoleViewer, s.analyses(s.hotspots)},
		{http.MethodGet, v1 + "/hotspots/emerging", data.RoleViewer, s.analyses(s.emerging)},
		{http.MethodGet, v1 + "/roads/ranking", data.RoleViewer, s.analyses(s.ranking)},
		{http.MethodGet, v1 + "/forecast", data.RoleViewer, s.analyses(s.forecast)},
		{http.MethodGet, v1 + "/backtest", data.RoleViewer, s.analyses(s.backtest)},
		{http.MethodGet, v1 + "/recommendations/patrol", data.RoleScheduler, s.analyses(s.patrolPlan)},
		{http.MethodGet, v1 + "/recommendations/pilot-zones", data.RoleScheduler, s.analyses(s.pilotZones)},
		{http.MethodGet, v1 + "/pilots/:road/evaluation", data.RoleViewer, s.analyses(s.evaluation)},
		{http.MethodGet, v1 + "/merchants", data.RoleScheduler, s.analyses(s.merchants)},
		{http.MethodGet, v1 + "/merchants/:id", data.RoleScheduler, s.analyses(s.merchantOne)},
		{http.MethodGet, v1 + "/recommendations/patrol/delivery", data.RoleScheduler, s.analyses(s.patrolDelivery)},
		{http.MethodGet, v1 + "/violations", data.RoleViewer, s.listViolations},
		{http.MethodGet, v1 + "/violations/:id", data.RoleViewer, s.getViolation},
		{http.MethodGet, v1 + "/violations/:id/history", data.RoleScheduler, s.violationHistory},
		{http.MethodPost, v1 + "/violations", data.RoleIngest, s.postViolations},
		{http.MethodGet, v1 + "/tracks", data.RoleViewer, s.listTracks},
		{http.MethodPost, v1 + "/tracks", data.RoleIngest, s.postTracks},

		{http.MethodGet, ogcRoot, "", s.ogcLanding},
		{http.MethodGet, ogcRoot + "/conformance", "", s.ogcConformance},
		{http.MethodGet, ogcRoot + "/api", "", s.openAPI},
		{http.MethodGet, ogcRoot + "/collections", data.RoleViewer, s.ogcCollections},
		{http.MethodGet, ogcRoot + "/collections/:collectionId", data.RoleViewer, s.ogcCollection},
		{http.MethodGet, ogcRoot + "/collections/:collectionId/queryables", data.RoleViewer, s.ogcQueryables},
		{http.MethodGet, ogcRoot + "/collections/:collectionId/items", data.RoleViewer, s.analyses(s.ogcItems)},
		{http.MethodGet, ogcRoot + "/collections/:collectionId/items/:featureId", data.RoleViewer, s.analyses(s.ogcItem)},

		{http.MethodGet, "/tiles/:layer", data.RoleViewer, s.tileJSON},
		{http.MethodGet, "/tiles/:layer/:z/:x/:y", data.RoleViewer, s.analyses(s.tile)},

		{http.MethodGet, open311 + "/services.json", data.RoleViewer, s.open311Services},
		{http.MethodGet, open311 + "/requests.json", data.RoleViewer, s.getOpen311},
		{http.MethodPost, open311 + "/requests.json", data.RoleIngest, s.postOpen311},
	}
}
