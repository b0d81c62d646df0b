package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// healthz answers while the process runs.
func (s *server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the store answers and start-up work is done.
func (s *server) readyz(c echo.Context) error {
	if err := s.Store.Ping(c.Request().Context()); err != nil {
		if data.IsOutage(err) {
			return err // handleError logs the outage once
		}
		s.Logger.Warn("store not ready", "err", err)
		return data.Errorf(data.EUNAVAILABLE, "the store does not answer")
	}
	if s.Ready != nil {
		if err := s.Ready(); err != nil {
			return data.Errorf(data.EUNAVAILABLE, "not ready: %v", err)
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
