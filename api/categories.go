package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *server) listCategories(c echo.Context) error {
	if q := newQuery(c.QueryParams()); q.err != nil {
		return q.err
	}
	cs, err := s.Store.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"categories": cs})
}
