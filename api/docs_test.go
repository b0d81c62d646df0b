package api_test

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/api"
)

// TestDocsNameRealRoutes: every /api/v1, /ogc, /tiles or /open311 path the
// README and docs/ name is a route of the server (ids written as {id} or
// as an example value).
func TestDocsNameRealRoutes(t *testing.T) {
	e := newEnv(t)
	h := api.New(api.Options{Store: e.store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).(*echo.Echo)
	var routes []*regexp.Regexp
	for _, r := range h.Routes() {
		pat := regexp.QuoteMeta(r.Path)
		pat = regexp.MustCompile(`:\w+`).ReplaceAllString(pat, `[^/]+`)
		pat = strings.ReplaceAll(pat, `\*`, `.*`)
		routes = append(routes, regexp.MustCompile(`^`+pat+`$`))
	}
	files, _ := filepath.Glob("../docs/*.md")
	files = append(files, "../README.md")
	named := regexp.MustCompile("(/(?:api/v1|ogc|tiles|open311/v2)(?:/[A-Za-z0-9{}._-]+)*)")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range named.FindAllString(string(raw), -1) {
			path := strings.TrimRight(m, "/.")
			path = strings.Replace(path, "{layer}.json", "x.json", 1)
			path = regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(path, "x")
			if path == "/open311/v2" || path == "/api/v1" || path == "/tiles" || strings.HasPrefix(path, "/ogc/cql") {
				continue // the API's roots, named as such; a package path in the layout
			}
			found := false
			for _, r := range routes {
				if r.MatchString(path) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s names %s, which is no route", filepath.Base(f), m)
			}
		}
	}
}
