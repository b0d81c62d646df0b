package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// trackJSON is a track's summary on the wire.
type trackJSON struct {
	ID       int64   `json:"id"`
	Officer  string  `json:"officer"`
	SourceID string  `json:"source_id"`
	Start    string  `json:"start"`
	End      string  `json:"end"`
	Fixes    int     `json:"fixes"`
	Presence float64 `json:"presence_s"` // seconds counted as patrol presence
	CRS      string  `json:"crs"`
}

// listTracks answers GET /api/v1/tracks with track summaries in id order.
func (s *server) listTracks(c echo.Context) error {
	q := newQuery(c.QueryParams(), "officer", "datetime", "limit", "cursor")
	f := data.TrackFilter{
		Officer: c.QueryParam("officer"),
		Limit:   q.integer("limit", 100, 1, data.MaxPage),
		After:   q.cursor("cursor"),
	}
	f.From, f.To = q.interval("datetime")
	if q.err != nil {
		return q.err
	}
	ts, err := s.Store.Tracks(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]trackJSON, len(ts))
	for i, t := range ts {
		out[i] = trackJSON{ID: t.ID, Officer: t.Officer, SourceID: t.SourceID,
			Start: t.Start.In(s.Zone).Format(time.RFC3339), End: t.End.In(s.Zone).Format(time.RFC3339),
			Fixes: t.NFixes, Presence: round(t.Seconds, 1), CRS: t.Datum}
	}
	body := map[string]any{"tracks": out}
	if len(ts) == data.PageLimit(f.Limit) {
		body["next"] = encodeCursor(ts[len(ts)-1].ID)
	}
	return c.JSON(http.StatusOK, body)
}
