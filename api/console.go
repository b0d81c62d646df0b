package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/geo"
)

// consoleFiles is the supervisor console: static HTML, CSS and JavaScript
// that call the API with the key the user gives it, and the MapLibre GL JS
// build it draws the map with (console/vendor, written by `make vendor`).
//
//go:embed console
var consoleFiles embed.FS

// ConsoleOptions configure the console's map.
type ConsoleOptions struct {
	// Basemap is drawn under the console's layers: an XYZ raster tile
	// template with {z}, {x} and {y} (e.g. 天地图's), or the URL of a
	// MapLibre style JSON (its path ends in .json) for a vector basemap;
	// "" draws none, and the key roads alone orient the viewer.
	Basemap string
	// BasemapDatum is the datum the basemap is drawn in: wgs84 (also for
	// 天地图's CGCS2000), gcj02 (Amap, Tencent) or bd09 (Baidu); "" is
	// wgs84. The console asks for every layer in this datum.
	BasemapDatum string
	// BasemapAttribution is the basemap's credit line, shown on the map.
	BasemapAttribution string
}

// Validate reports a basemap URL that is neither a tile template nor a
// style JSON, or an unknown datum.
func (o ConsoleOptions) Validate() error {
	if o.BasemapDatum != "" && !geo.ValidDatum(o.BasemapDatum) {
		return fmt.Errorf("console.basemap-datum %q: want wgs84, gcj02 or bd09", o.BasemapDatum)
	}
	if o.Basemap == "" {
		return nil
	}
	u, err := url.Parse(o.Basemap)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("console.basemap %q: want an http(s) URL", o.Basemap)
	}
	if o.basemapType() == "" {
		return fmt.Errorf("console.basemap %q: want an XYZ template with {z}, {x} and {y}, or a MapLibre style URL ending in .json", o.Basemap)
	}
	return nil
}

// basemapType is "style" for a style JSON, "raster" for a tile template, ""
// for neither.
func (o ConsoleOptions) basemapType() string {
	u, err := url.Parse(o.Basemap)
	switch {
	case err != nil || o.Basemap == "":
		return ""
	case strings.HasSuffix(u.Path, ".json"):
		return "style"
	case strings.Contains(o.Basemap, "{z}") && strings.Contains(o.Basemap, "{x}") && strings.Contains(o.Basemap, "{y}"):
		return "raster"
	}
	return ""
}

// basemapOrigin is the basemap's scheme://host[:port], "" without one.
func (o ConsoleOptions) basemapOrigin() string {
	u, err := url.Parse(o.Basemap)
	if err != nil || o.Basemap == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// contentSecurityPolicy lets the console load only its own files and the
// basemap's tiles. MapLibre starts its workers from its own module file,
// or from a blob: URL where the browser cannot, and decodes tiles through
// blob: images.
func (o ConsoleOptions) contentSecurityPolicy() string {
	origin := ""
	if o := o.basemapOrigin(); o != "" {
		origin = " " + o
	}
	return "default-src 'self'; img-src 'self' data: blob:" + origin + "; style-src 'self'; script-src 'self'; " +
		"connect-src 'self'" + origin + "; worker-src 'self' blob:; child-src 'self' blob:"
}

// basemapJSON is the basemap as GET /console/config.json states it.
type basemapJSON struct {
	URL         string `json:"url"`
	Type        string `json:"type"` // raster (an XYZ template) or style (a MapLibre style JSON)
	Datum       string `json:"datum"`
	Attribution string `json:"attribution"`
}

// consoleConfig answers GET /console/config.json (open, as the page is):
// the basemap the console draws under its layers, or null for none.
func (s *server) consoleConfig(c echo.Context) error {
	var bm *basemapJSON
	if s.Console.Basemap != "" {
		datum := s.Console.BasemapDatum
		if datum == "" {
			datum = geo.WGS84
		}
		bm = &basemapJSON{URL: s.Console.Basemap, Type: s.Console.basemapType(), Datum: datum,
			Attribution: s.Console.BasemapAttribution}
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"basemap": bm})
}

// console serves GET / (the console's page) and /console/* (its assets),
// each with a strong ETag of its content, so a reload revalidates with a
// 304 instead of fetching MapLibre again.
func (s *server) console(c echo.Context) error {
	sub, _ := fs.Sub(consoleFiles, "console") // cannot fail: embedded above
	name := strings.TrimPrefix(c.Request().URL.Path, "/console/")
	if c.Request().URL.Path == "/" {
		name = "index.html"
	}
	body, err := fs.ReadFile(sub, name)
	if err != nil {
		return data.Errorf(data.ENOTFOUND, "the console has no file %q", name)
	}
	sum := sha256.Sum256(body)
	h := c.Response().Header()
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", s.Console.contentSecurityPolicy())
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, bytes.NewReader(body))
	return nil
}
