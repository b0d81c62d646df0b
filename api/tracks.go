package api

import (
	"context"
	"math"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
	"github.com/dazhigu/hotspot/geo"
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
	CRS      string  `json:"crs"`        // the datum the fixes arrived in
}

// listTracks answers GET /api/v1/tracks: a GeoJSON FeatureCollection of
// tracks in id order, each a LineString of its fixes (in datum crs) with
// their times (fixes=false: no geometry, up to 10,000 a page), and a 'next'
// link while more remain. The "tracks" member keeps the summaries of the
// earlier answer, for its clients.
func (s *server) listTracks(c echo.Context) error {
	q := newQuery(c.QueryParams(), "officer", "datetime", "limit", "cursor", "crs", "fixes")
	crs := q.datum("crs")
	fixes := q.oneOf("fixes", "true", "true", "false") == "true"
	most := data.MaxPage
	if fixes {
		most = 1000 // a page of tracks with their fixes runs to 15 MB
	}
	f := data.TrackFilter{
		Officer:   c.QueryParam("officer"),
		Limit:     q.integer("limit", 100, 1, most),
		After:     q.cursor("cursor"),
		WithFixes: fixes,
	}
	f.From, f.To = q.interval("datetime")
	if q.err != nil {
		return q.err
	}
	ts, err := s.store(c.Request().Context()).Tracks(c.Request().Context(), f)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	summaries := make([]trackJSON, len(ts))
	for i, t := range ts {
		fc.Append(s.trackFeature(t, crs))
		summaries[i] = trackJSON{ID: t.ID, Officer: t.Officer, SourceID: t.SourceID,
			Start: t.Start.In(s.Zone).Format(time.RFC3339), End: t.End.In(s.Zone).Format(time.RFC3339),
			Fixes: t.NFixes, Presence: round(t.Seconds, 1), CRS: t.Datum}
	}
	links := []map[string]string{{"rel": "self", "href": c.Request().URL.RequestURI()}}
	fc.ExtraMembers = geojson.Properties{"numberReturned": len(ts), "tracks": summaries}
	if len(ts) == data.PageLimit(f.Limit) {
		next := encodeCursor(ts[len(ts)-1].ID)
		links = append(links, map[string]string{"rel": "next", "href": withParam(c.Request().URL, "cursor", next)})
		fc.ExtraMembers["next"] = next
	}
	fc.ExtraMembers["links"] = links
	return writeGeoJSON(c, http.StatusOK, fc)
}

// trackFeature encodes a track as a LineString of its fixes in datum crs,
// their times in "times" (RFC 3339, one per vertex) when the fixes are
// loaded; without fixes the geometry is null.
func (s *server) trackFeature(t data.Track, crs string) *geojson.Feature {
	var g orb.Geometry
	times := make([]string, len(t.Fixes))
	if len(t.Fixes) > 0 {
		line := make(orb.LineString, len(t.Fixes))
		for i, fx := range t.Fixes {
			line[i], times[i] = geo.FromWGS84(fx.Point, crs), fx.Time.In(s.Zone).Format(time.RFC3339)
		}
		g = line
	}
	f := &geojson.Feature{Type: "Feature", ID: t.ID, Geometry: g}
	f.Properties = geojson.Properties{"officer": t.Officer, "source_id": t.SourceID,
		"start": t.Start.In(s.Zone).Format(time.RFC3339Nano), "end": t.End.In(s.Zone).Format(time.RFC3339Nano),
		"fixes": t.NFixes, "presence_s": round(t.Seconds, 1), "crs": crs, "received_crs": t.Datum}
	if len(t.Fixes) > 0 {
		f.Properties["times"] = times
	}
	return f
}

// storedTrack is one stored track of a batch, with what its dwell counted
// and dropped.
type storedTrack struct {
	Record       int     `json:"record"`
	ID           int64   `json:"id"`
	Created      bool    `json:"created"`
	Officer      string  `json:"officer"`
	SourceID     string  `json:"source_id"`
	Fixes        int     `json:"fixes"`
	Cells        int     `json:"cells"`      // distinct H3 cells with presence
	Presence     float64 `json:"presence_s"` // seconds counted as presence
	DroppedGap   float64 `json:"dropped_gap_s"`
	DroppedSpeed float64 `json:"dropped_speed_s"`
	Kept         string  `json:"kept,omitempty"` // why a differing earlier track stands
}

// postTracks answers POST /api/v1/tracks: GeoJSON LineStrings with times,
// GPX 1.1 or NDJSON fixes, each track turned into dwell per cell and hour.
func (s *server) postTracks(c echo.Context) error {
	w, err := s.startWrite(c, []string{"officer", "source_id"}, ingest.GeoJSON, ingest.GPX, ingest.NDJSON)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rd, err := ingest.NewTrackReader(w.body, w.format,
		ingest.TrackDefaults{Officer: c.QueryParam("officer"), SourceID: c.QueryParam("source_id")})
	if err != nil {
		return err
	}
	b, err := w.Tracks(rd, s.Limits.MaxRecords+1)
	if err := s.verdict(err, b.Read, b.Rejected, b.Problems, w.partial); err != nil {
		return err
	}
	// The batch is stored in one transaction: whole or not at all, also
	// when the client goes away or the process dies mid-request.
	reply := writeReply{Received: b.Read, Rejected: b.Rejected, Problems: b.Problems}
	outs, err := w.PutTracks(ctx, s.store(ctx), b)
	if err != nil {
		return err
	}
	for i, t := range b.Tracks {
		o, sum := outs[i], b.Summaries[i]
		st := storedTrack{Record: b.Records[i], ID: o.ID, Created: o.Created,
			Officer: t.Officer, SourceID: t.SourceID, Fixes: len(t.Fixes), Cells: distinctCells(t.Dwell),
			Presence: round(t.Seconds, 1), DroppedGap: round(sum.DroppedGap.Seconds(), 1),
			DroppedSpeed: round(sum.DroppedSpeed.Seconds(), 1)}
		if !o.Created {
			if st, err = s.keptTrack(ctx, st, t); err != nil {
				return err
			}
		}
		reply.Records = append(reply.Records, st)
		reply.Stored++
		if o.Created {
			reply.Created++
		}
	}
	return c.JSON(http.StatusOK, reply)
}

func distinctCells(ds []data.Dwell) int {
	seen := map[h3.Cell]bool{}
	for _, d := range ds {
		seen[d.Cell] = true
	}
	return len(seen)
}

// keptTrack describes a re-sent track by the stored one, which stands, and
// says so when the two differ.
func (s *server) keptTrack(ctx context.Context, st storedTrack, sent data.Track) (storedTrack, error) {
	stored, err := s.store(ctx).Track(ctx, st.ID)
	if err != nil {
		return st, err
	}
	if !slices.EqualFunc(stored.Fixes, sent.Fixes, func(a, b data.Fix) bool {
		return a.Time.Truncate(time.Microsecond).Equal(b.Time.Truncate(time.Microsecond)) &&
			math.Abs(a.Point[0]-b.Point[0]) < 1e-7 && math.Abs(a.Point[1]-b.Point[1]) < 1e-7
	}) || stored.Datum != sent.Datum {
		st.Kept = "a track with this officer and source_id was stored earlier with other fixes; the stored track was kept (re-sending does not update)"
	}
	st.Fixes, st.Cells, st.Presence = stored.NFixes, distinctCells(stored.Dwell), round(stored.Seconds, 1)
	return st, nil
}
