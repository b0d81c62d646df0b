package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
	"github.com/dazhigu/hotspot/geo"
)

// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): citizen
// report apps list the taxonomy as services and post requests, which are
// stored as violations from the citizen source. Keys go in the Bearer header
// or, as the standard has it, in an api_key parameter.

// open311Service is one entry of services.json.
type open311Service struct {
	Code        string `json:"service_code"`
	Name        string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords"`
	Group       string `json:"group"`
}

func (s *server) open311Services(c echo.Context) error {
	q := newQuery(c.QueryParams(), "api_key", "jurisdiction_id")
	if q.err != nil {
		return q.err
	}
	cats, err := s.store(c.Request().Context()).Categories(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]open311Service, len(cats))
	for i, ct := range cats {
		group, _, _ := strings.Cut(ct.National, "/")
		out[i] = open311Service{Code: ct.Code, Name: ct.NameZh, Description: ct.NameEn,
			Type: "realtime", Keywords: strings.Join(ct.Aliases, ","), Group: group}
	}
	return c.JSON(http.StatusOK, out)
}

// open311Request is one entry of requests.json.
type open311Request struct {
	ID          string  `json:"service_request_id"`
	Status      string  `json:"status"` // open, or closed once disposed of
	ServiceCode string  `json:"service_code"`
	ServiceName string  `json:"service_name"`
	Description string  `json:"description"`
	Requested   string  `json:"requested_datetime"`
	Address     string  `json:"address"`
	Lat         float64 `json:"lat"`
	Long        float64 `json:"long"`
	MediaURL    string  `json:"media_url"`
}

// open311Fields are the POST parameters kept with a request, as attributes.
// Contact details (email, phone, names, device and account ids) are not
// stored: the analysis does not need them.
var open311Fields = []string{"description", "address_string", "media_url"}

// postOpen311 answers POST requests.json: one form-encoded citizen report.
func (s *server) postOpen311(c echo.Context) error {
	q := writeQuery(c, "api_key", "jurisdiction_id", "crs")
	crs := q.datum("crs")
	if q.err != nil {
		return q.err
	}
	if err := requireMediaType(c, echo.MIMEApplicationForm); err != nil {
		return err
	}
	form, err := readForm(c)
	if err != nil {
		return err
	}
	rules, err := s.rules(c.Request().Context())
	if err != nil {
		return err
	}
	w := ingest.Writer{Rules: rules, Datum: crs, By: keyName(c)}
	b, err := w.Violations(ingest.One(open311Record(form, time.Now())), 1)
	if err != nil {
		return err
	}
	if b.Rejected > 0 {
		return &data.Error{Code: data.EINVALID, Message: "the request is invalid; nothing was stored",
			Problems: open311Problems(b.Problems)}
	}
	outs, err := w.PutViolations(c.Request().Context(), s.store(c.Request().Context()), b)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, []map[string]any{{
		"service_request_id": strconv.FormatInt(outs[0].ID, 10),
		"service_notice":     "",
		"account_id":         nil,
	}})
}

// formContext is where readForm keeps a request's parsed form.
const formContext = "hotspot.form"

// maxFormBytes bounds an Open311 report: a description and a few fields.
const maxFormBytes = 64 << 10

// readForm reads a form-encoded body once, within maxFormBytes; later calls
// return the same form or error.
func readForm(c echo.Context) (url.Values, error) {
	if f, ok := c.Get(formContext).(formResult); ok {
		return f.values, f.err
	}
	var f formResult
	if ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); ct == echo.MIMEApplicationForm {
		// Inflated as every write route's body is; bounded before and after.
		var raw []byte
		body, err := ingest.Decode(http.MaxBytesReader(c.Response(), c.Request().Body, maxFormBytes),
			c.Request().Header.Get(echo.HeaderContentEncoding), "", 0)
		if err == nil {
			c.Request().Body = io.NopCloser(body)
			raw, err = readBody(c, maxFormBytes)
		}
		if err == nil {
			f.values, err = url.ParseQuery(string(raw))
			if err != nil {
				err = data.Errorf(data.EINVALID, "the body is not form-encoded: %v", err)
			}
		}
		f.err = err
	}
	c.Set(formContext, f)
	return f.values, f.err
}

type formResult struct {
	values url.Values
	err    error
}

// open311Record turns a posted report into a violation record. Its source id
// is a digest of the report and the ten minutes it arrived in, so an app's
// retry of the same report is not stored twice.
func open311Record(form url.Values, now time.Time) ingest.ViolationRecord {
	rec := ingest.ViolationRecord{N: 1, V: data.Violation{Source: data.SourceCitizen, Segment: -1,
		Category: form.Get("service_code"), ObservedAt: now}}
	bad := func(field, reason string) {
		rec.Problems = append(rec.Problems, data.Problem{Record: 1, Field: field, Reason: reason})
	}
	for name, vs := range form { // as every write route: text is UTF-8, or refused
		for _, v := range vs {
			if !utf8.ValidString(v) {
				bad(name, "is not UTF-8 text: send the form in UTF-8")
			}
		}
		if len(vs) > 1 { // only the first would be read
			bad(name, "is given more than once")
		}
	}
	for i, name := range []string{"long", "lat"} {
		v := strings.TrimSpace(form.Get(name))
		f, err := strconv.ParseFloat(v, 64)
		switch {
		case v == "":
			bad("lon/lat", name+" is required, in decimal degrees (this service needs a location, not only an address)")
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
			bad("lon/lat", name+" must be a finite number of decimal degrees, not "+strconv.Quote(v))
		}
		rec.V.Point[i] = f
	}
	attrs := map[string]string{}
	for _, k := range open311Fields {
		if v := strings.TrimSpace(form.Get(k)); v != "" {
			attrs[k] = v
		}
	}
	if len(attrs) > 0 {
		rec.V.Attributes, _ = json.Marshal(attrs)
	}
	h := sha256.New()
	for _, k := range []string{"service_code", "lat", "long", "description", "address_string", "device_id", "account_id", "email"} {
		h.Write([]byte(k + "=" + form.Get(k) + "\x00"))
	}
	h.Write([]byte(now.UTC().Truncate(10 * time.Minute).Format(time.RFC3339)))
	rec.V.SourceID = "open311-" + hex.EncodeToString(h.Sum(nil)[:12])
	return rec
}

// open311Problems names problems by the Open311 parameters.
func open311Problems(ps []data.Problem) []data.Problem {
	out := make([]data.Problem, len(ps))
	for i, p := range ps {
		switch p.Field {
		case "category":
			p.Field = "service_code"
			p.Reason = strings.Replace(p.Reason, "GET /api/v1/categories", "GET services.json", 1)
		case "lon/lat":
			p.Field = "lat/long"
		case "attributes":
			p.Field = "description"
		}
		out[i] = p
	}
	return out
}

// getOpen311 answers GET requests.json: complaints (citizen and hotline) in
// the order they were stored, at most 1000, from the last 90 days unless
// start_date or end_date says otherwise.
func (s *server) getOpen311(c echo.Context) error {
	q := newQuery(c.QueryParams(), "api_key", "jurisdiction_id", "service_request_id", "service_code",
		"start_date", "end_date", "status", "crs")
	crs := q.datum("crs")
	from, to := q.instant("start_date"), q.instant("end_date")
	status := c.QueryParam("status")
	if status != "" && status != "open" && status != "closed" {
		q.fail("status", "must be open or closed")
	}
	ids := q.list("service_request_id")
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		q.fail("end_date", "is before start_date")
	}
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	cats, err := s.store(ctx).Categories(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, ct := range cats {
		names[ct.Code] = ct.NameZh
	}
	var vs []data.Violation
	if len(ids) > 0 {
		for _, id := range ids {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return data.Errorf(data.EINVALID, "service_request_id %q is not a request id", id)
			}
			v, err := s.store(ctx).Violation(ctx, n)
			switch {
			case err == nil && v.Source.Complaint():
				vs = append(vs, v)
			case err != nil && data.ErrorCode(err) != data.ENOTFOUND:
				return err
			}
		}
	} else {
		if from.IsZero() && to.IsZero() {
			from = time.Now().AddDate(0, 0, -90)
		}
		vs, err = s.store(ctx).Violations(ctx, data.ViolationFilter{From: from, To: to, Categories: q.list("service_code"),
			Sources: []data.Source{data.SourceCitizen, data.SourceHotline}, Limit: 1000})
		if err != nil {
			return err
		}
	}
	out := []open311Request{}
	for _, v := range vs {
		r := s.open311Request(v, names[v.Category], crs)
		if status == "" || r.Status == status {
			out = append(out, r)
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) open311Request(v data.Violation, name, crs string) open311Request {
	var attrs map[string]any
	_ = json.Unmarshal(v.Attributes, &attrs)
	str := func(k string) string { x, _ := attrs[k].(string); return x }
	p := geo.FromWGS84(v.Point, crs)
	r := open311Request{ID: strconv.FormatInt(v.ID, 10), Status: "open", ServiceCode: v.Category, ServiceName: name,
		Description: str("description"), Requested: v.ObservedAt.In(s.Zone).Format(time.RFC3339),
		Address: str("address_string"), Lat: p.Lat(), Long: p.Lon(), MediaURL: str("media_url")}
	if v.Disposition != "" {
		r.Status = "closed"
	}
	return r
}
