package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// keyContext is where authorize leaves the caller's key for handlers.
const keyContext = "hotspot.key"

// authorize lets through requests whose Bearer key has a role that allows need.
func (s *server) authorize(need data.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, ok := bearer(c)
			if !ok {
				return data.Errorf(data.EUNAUTHORIZED, "an API key is required: send it as 'Authorization: Bearer <key>' (reads also take ?api_key=<key>)")
			}
			k, err := s.Store.KeyByHash(c.Request().Context(), data.HashToken(strings.TrimSpace(token)))
			switch {
			case data.ErrorCode(err) == data.ENOTFOUND:
				return data.Errorf(data.EUNAUTHORIZED, "the API key is unknown or revoked")
			case err != nil:
				return err
			case k.Expired(time.Now()):
				return data.Errorf(data.EUNAUTHORIZED, "the API key %q expired at %s; ask an admin for a new one", k.Name, k.ExpiresAt.In(s.Zone).Format(time.RFC3339))
			case !k.Role.Allows(need):
				return data.Errorf(data.EFORBIDDEN, "this route needs the %s role; the key %q has the %s role", need, k.Name, k.Role)
			}
			c.Set(keyContext, k)
			if err := s.limitKey(c, k); err != nil {
				return err
			}
			if err := s.setScope(c, k); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// bearer returns the request's API key: the Bearer token or, on reads (GET
// and HEAD, for GIS tools that cannot send headers) and on Open311 paths
// whose clients send it so, the api_key parameter of the query or of an
// Open311 form body. Header first.
func bearer(c echo.Context) (string, bool) {
	r := c.Request()
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get(echo.HeaderAuthorization)), " ")
	ok = ok && strings.EqualFold(scheme, "Bearer") // the scheme is case-insensitive (RFC 9110 §11.1)
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	if !ok && (read || strings.HasPrefix(r.URL.Path, "/open311/")) {
		token, ok = c.QueryParam("api_key"), true
		if form, err := readForm(c); token == "" && err == nil && !read {
			token = form.Get("api_key")
		}
	}
	token = strings.TrimSpace(token)
	return token, ok && token != ""
}

// observe writes errors as problems, then one structured log line and the
// metrics of each request.
func (s *server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // write the problem now so the status below is the real one
		}
		attrs := []any{"method", c.Request().Method, "path", c.Request().URL.Path,
			"status", c.Response().Status, "bytes", c.Response().Size, "duration", time.Since(start)}
		if k, ok := c.Get(keyContext).(data.Key); ok {
			attrs = append(attrs, "key", k.Name)
		}
		s.Logger.Info("request", attrs...)
		s.metrics.observe(c, time.Since(start))
		return nil
	}
}

// recoverPanic turns a handler's panic into an internal error.
func (s *server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}
