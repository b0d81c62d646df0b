package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
)

// Limits bound what one request may carry or ask for.
type Limits struct {
	MaxBody    int64 // bytes of one request body; 0: DefaultMaxBody
	MaxRecords int   // records (violations or tracks) of one batch; 0: DefaultMaxRecords
	// MaxFeatures is the most cells a GeoJSON analytics answer lists; 0:
	// DefaultMaxFeatures. Larger study areas are refused with a hint to ask
	// for format=h3, a coarser res or a smaller area.
	MaxFeatures int
	// MaxAnalyses is how many analyses (heatmaps, hot spots, rankings,
	// forecasts, plans, tiles of cells…) run at once; more wait up to
	// AnalysisWait, then get 503 with Retry-After. 0: DefaultMaxAnalyses.
	MaxAnalyses int
	// AnalysisWait is how long an analysis may wait for a turn; 0:
	// DefaultAnalysisWait.
	AnalysisWait time.Duration
	// AnalysisTimeout ends an analysis that runs longer, with 503; 0:
	// DefaultAnalysisTimeout.
	AnalysisTimeout time.Duration
	// KeyRate is the requests a second one key may send, after a burst of
	// KeyBurst; more get 429 with Retry-After. 0: DefaultKeyRate and
	// DefaultKeyBurst.
	KeyRate  float64
	KeyBurst int
}

// Defaults of Limits.
const (
	DefaultMaxBody         = 32 << 20
	DefaultMaxRecords      = 10000
	DefaultMaxFeatures     = 50000
	DefaultMaxAnalyses     = 8
	DefaultAnalysisWait    = 2 * time.Second
	DefaultAnalysisTimeout = 60 * time.Second
	DefaultKeyRate         = 200  // requests a second: a console or a GIS tool at work stays well below
	DefaultKeyBurst        = 1000 // a map loading its tiles at once
)

func (l Limits) withDefaults() Limits {
	if l.MaxBody <= 0 {
		l.MaxBody = DefaultMaxBody
	}
	if l.MaxRecords <= 0 {
		l.MaxRecords = DefaultMaxRecords
	}
	if l.MaxFeatures <= 0 {
		l.MaxFeatures = DefaultMaxFeatures
	}
	if l.MaxAnalyses <= 0 {
		l.MaxAnalyses = DefaultMaxAnalyses
	}
	if l.AnalysisWait <= 0 {
		l.AnalysisWait = DefaultAnalysisWait
	}
	if l.AnalysisTimeout <= 0 {
		l.AnalysisTimeout = DefaultAnalysisTimeout
	}
	if l.KeyRate <= 0 {
		l.KeyRate, l.KeyBurst = DefaultKeyRate, DefaultKeyBurst
	}
	l.KeyBurst = max(l.KeyBurst, 1)
	return l
}

// writeReply answers a batch write: what was received, stored and rejected.
type writeReply struct {
	Received int            `json:"received"`
	Stored   int            `json:"stored"`
	Created  int            `json:"created"` // stored now; the rest were stored by an earlier send
	Updated  int            `json:"updated"` // earlier records this send updated (a later updated_at)
	Rejected int            `json:"rejected"`
	Records  []any          `json:"records"`
	Problems []data.Problem `json:"problems,omitempty"`
}

// storedViolation is one stored record of a violation batch, as stored.
type storedViolation struct {
	Record  int     `json:"record"`
	ID      int64   `json:"id"`
	Created bool    `json:"created"`
	Updated bool    `json:"updated"`
	H3      string  `json:"h3"`
	Road    *string `json:"road"`
	Segment *int    `json:"segment"`
	Kept    string  `json:"kept,omitempty"` // why a differing earlier record stands
}

// keptReason says that a re-sent record differs from the stored one, which
// stands: a re-send updates only with a later updated_at.
const keptReason = "a record with this source and source_id was stored earlier with other values; the stored record was kept, " +
	"because this one's updated_at is missing or not later than the stored one's (send updated_at to update it)"

// postViolations answers POST /api/v1/violations.
func (s *server) postViolations(c echo.Context) error {
	w, err := s.startWrite(c, nil, ingest.GeoJSON, ingest.NDJSON, ingest.CSV)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rd, err := ingest.NewViolationReader(w.body, w.format)
	if err != nil {
		return err
	}
	b, err := w.Violations(rd, s.Limits.MaxRecords+1)
	if err := s.verdict(err, b.Read, b.Rejected, b.Problems, w.partial); err != nil {
		return err
	}
	outs, err := w.PutViolations(ctx, s.store(ctx), b)
	if err != nil {
		return err
	}
	reply := writeReply{Received: b.Read, Stored: len(outs), Rejected: b.Rejected, Problems: b.Problems}
	for i, o := range outs {
		v := b.Violations[i]
		sv := storedViolation{Record: b.Records[i], ID: o.ID, Created: o.Created, Updated: o.Updated}
		if o.Updated {
			reply.Updated++
		}
		if !o.Created && !o.Updated {
			stored, err := s.store(ctx).Violation(ctx, o.ID)
			if err != nil {
				return err
			}
			if !stored.Same(&v) {
				sv.Kept = keptReason
			}
			v = stored
		}
		sv.H3 = v.Cell.String()
		if v.Road != "" {
			sv.Road, sv.Segment = &v.Road, &v.Segment
		}
		reply.Records = append(reply.Records, sv)
		if o.Created {
			reply.Created++
		}
	}
	return c.JSON(http.StatusOK, reply)
}

// verdict turns a batch's reading into the answer's error, if any: reader
// errors, a batch over the record limit, an empty batch, and rejected
// records unless partial acceptance was asked for (and something is left).
func (s *server) verdict(readErr error, read, rejected int, problems []data.Problem, partial bool) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(readErr, &tooBig):
		return data.Errorf(data.ETOOLARGE, "the body is larger than %d bytes; send smaller batches or use 'hotspotd import'", s.Limits.MaxBody)
	case readErr != nil && data.ErrorCode(readErr) == data.EINTERNAL:
		s.Logger.Warn("read a write's body", "err", readErr)
		return data.Errorf(data.EINVALID, "could not read the body (was the connection cut?); nothing was stored")
	case readErr != nil:
		return readErr
	case read > s.Limits.MaxRecords:
		return data.Errorf(data.ETOOLARGE, "a batch may hold at most %d records; split it, or use 'hotspotd import'", s.Limits.MaxRecords)
	case read == 0:
		return data.Errorf(data.EINVALID, "the body holds no records")
	case rejected == read:
		return &data.Error{Code: data.EINVALID, Problems: problems,
			Message: "every record is invalid (" + strconv.Itoa(rejected) + "); nothing was stored"}
	case rejected > 0 && !partial:
		return &data.Error{Code: data.EINVALID, Problems: problems,
			Message: strconv.Itoa(rejected) + " of " + strconv.Itoa(read) + " records are invalid; nothing was stored (add ?partial=true to store the valid ones)"}
	}
	return nil
}

// write is what a batch write settles before reading its records: the
// writer (the one write path, which import's chunks take too) and how to
// read the body.
type write struct {
	ingest.Writer
	partial bool
	format  ingest.Format
	body    io.Reader
}

// startWrite reads a batch write's query (crs, partial and the route's
// own params), its format from the Content-Type, the ingest rules and the
// body.
func (s *server) startWrite(c echo.Context, params []string, formats ...ingest.Format) (*write, error) {
	q := writeQuery(c, append([]string{"crs", "partial"}, params...)...)
	w := &write{Writer: ingest.Writer{Datum: q.datum("crs"), By: keyName(c)}, partial: q.boolean("partial")}
	if q.err != nil {
		return nil, q.err
	}
	var err error
	if w.format, err = bodyFormat(c, formats...); err != nil {
		return nil, err
	}
	if w.Rules, err = s.rules(c.Request().Context()); err != nil {
		return nil, err
	}
	if w.body, err = s.body(c); err != nil {
		return nil, err
	}
	return w, nil
}

// rules are the ingest rules: the taxonomy as the store has it now, the
// key roads from the road cache.
func (s *server) rules(ctx context.Context) (*ingest.Rules, error) {
	r, err := ingest.LoadRules(ctx, rulesSource{s}, s.Area)
	if err != nil {
		return nil, err
	}
	r.Dwell, r.Scope = s.Dwell, scopeOf(ctx)
	return r, nil
}

// rulesSource reads roads through the analytics engine's road cache.
type rulesSource struct{ s *server }

func (r rulesSource) Roads(ctx context.Context) ([]data.Road, error) {
	return r.s.Engine.Roads(ctx)
}

func (r rulesSource) Categories(ctx context.Context) ([]data.Category, error) {
	return r.s.store(ctx).Categories(ctx)
}

// body is the request body, cut off past the configured limit, inflated
// and decoded to UTF-8 as its Content-Encoding and charset say (as import
// reads a file: ingest.Decode).
func (s *server) body(c echo.Context) (io.Reader, error) {
	r := http.MaxBytesReader(c.Response(), c.Request().Body, s.Limits.MaxBody)
	_, params, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	return ingest.Decode(r, c.Request().Header.Get(echo.HeaderContentEncoding), params["charset"], s.Limits.MaxBody)
}

// bodyFormat returns the ingest format the Content-Type names, when it is
// one of formats.
func bodyFormat(c echo.Context, formats ...ingest.Format) (ingest.Format, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	f := ingest.FormatOfMediaType(ct)
	for _, g := range formats {
		if f == g {
			return f, nil
		}
	}
	return "", data.Errorf(data.EUNSUPPORTED, "Content-Type %q is not accepted here; send one of %s", ct,
		strings.Join(ingest.MediaTypes(formats...), ", "))
}

// keyName names the caller's key, for the history of what it changed.
func keyName(c echo.Context) string {
	if k, ok := c.Get(keyContext).(data.Key); ok {
		name := "key:" + k.Name
		for len(name) > data.MaxIDLength { // cut on a rune boundary
			_, size := utf8.DecodeLastRuneInString(name)
			name = name[:len(name)-size]
		}
		return name
	}
	return ""
}
