package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// listAudit answers GET /api/v1/audit: the admin actions in order, a page
// at a time.
func (s *server) listAudit(c echo.Context) error {
	q := newQuery(c.QueryParams(), "limit", "cursor")
	limit, after := q.integer("limit", 100, 1, data.MaxPage), q.cursor("cursor")
	if q.err != nil {
		return q.err
	}
	es, err := s.store(c.Request().Context()).Audit(c.Request().Context(), after, limit)
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(es))
	for i, e := range es {
		out[i] = map[string]any{"seq": e.Seq, "at": e.At.In(s.Zone).Format(time.RFC3339Nano), "actor": e.Actor,
			"action": e.Action, "target": e.Target, "detail": e.Detail}
	}
	body := map[string]any{"entries": out}
	if len(es) == limit {
		body["next"] = encodeCursor(es[len(es)-1].Seq)
	}
	return c.JSON(http.StatusOK, body)
}
