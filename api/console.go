package api

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// consoleFiles is the supervisor console: static HTML, CSS and JavaScript
// that call the API with the key the user gives it.
//
//go:embed console
var consoleFiles embed.FS

// console serves GET / (the console's page) and /console/* (its assets).
func (s *server) console(c echo.Context) error {
	sub, _ := fs.Sub(consoleFiles, "console") // cannot fail: embedded above
	name := strings.TrimPrefix(c.Request().URL.Path, "/console/")
	if c.Request().URL.Path == "/" {
		name = "index.html"
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	c.Response().Header().Set("Content-Security-Policy",
		"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'")
	http.ServeFileFS(c.Response(), c.Request(), sub, name)
	return nil
}
