package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
)

// Event is one event of a file that is analysed without being stored (a
// backtest's CSV): where (WGS-84), when (with the UTC offset it was written
// in) and of what category ("" when the file has none).
type Event struct {
	Point    orb.Point
	Time     time.Time
	Category string
}

// EventReader reads a CSV of events with a header row naming at least the
// longitude (lon, lng, long, longitude, 经度 or x), the latitude (lat,
// latitude, 纬度 or y) and the time (time or observed_at, RFC 3339 with a
// UTC offset), and optionally the category; other columns are ignored.
type EventReader struct {
	r                    *csv.Reader
	lon, lat, at, cat, n int
	read                 bool  // the header was read
	herr                 error // what was wrong with it
}

// NewEventReader returns a reader of the CSV in r.
func NewEventReader(r io.Reader) *EventReader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &EventReader{r: cr}
}

// Header reads the header row, if not read yet; an error means the file
// cannot be read at all, and every later call of Next returns it too.
func (er *EventReader) Header() error {
	if !er.read {
		er.read, er.herr = true, er.header()
	}
	return er.herr
}

// Next returns the next event, io.EOF after the last, or an *data.Error
// that names the line and what is wrong with it (reading may go on after
// one: the next call reads the next line).
func (er *EventReader) Next() (Event, error) {
	if err := er.Header(); err != nil {
		return Event{}, err
	}
	row, err := er.r.Read()
	if errors.Is(err, io.EOF) {
		return Event{}, io.EOF
	}
	line, _ := er.r.FieldPos(0)
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Event{}, eventError(pe.Line, "malformed CSV: %v", pe.Err)
	}
	if err != nil {
		return Event{}, err
	}
	if len(row) != er.n {
		return Event{}, eventError(line, "%d fields; the header has %d", len(row), er.n)
	}
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(row[er.lon]), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(row[er.lat]), 64)
	if err1 != nil || err2 != nil || math.IsNaN(lon+lat) || math.Abs(lon) > 180 || math.Abs(lat) > 90 || math.IsInf(lon+lat, 0) {
		return Event{}, eventError(line, "longitude and latitude must be WGS-84 degrees, got %q, %q", row[er.lon], row[er.lat])
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(row[er.at]))
	if err != nil {
		return Event{}, eventError(line, "time %q is not RFC 3339 with a UTC offset (e.g. 2015-03-02T08:15:00-05:00)", row[er.at])
	}
	e := Event{Point: orb.Point{lon, lat}, Time: t}
	if er.cat >= 0 {
		e.Category = strings.TrimSpace(row[er.cat])
	}
	return e, nil
}

func (er *EventReader) header() error {
	row, err := er.r.Read()
	if errors.Is(err, io.EOF) {
		return eventError(1, "the CSV is empty; it needs a header row of lon,lat,time[,category]")
	}
	if err != nil {
		return eventError(1, "malformed CSV header: %v", err)
	}
	col := map[string]int{}
	for i, h := range row {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	find := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	er.lon, er.lat, er.at, er.cat, er.n = find(lonNames...), find(latNames...), find("time", "observed_at"), find("category"), len(row)
	if er.lon < 0 || er.lat < 0 || er.at < 0 {
		return eventError(1, "the header must name lon, lat and time (and may name category); it has %s", strings.Join(row, ","))
	}
	return nil
}

func eventError(line int, format string, args ...any) error {
	reason := fmt.Sprintf(format, args...)
	return &data.Error{Code: data.EINVALID, Message: fmt.Sprintf("line %d: %s", line, reason),
		Problems: []data.Problem{{Record: line, Field: "line", Reason: reason}}}
}
