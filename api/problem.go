package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance,omitempty"`
	Problems []data.Problem `json:"problems,omitempty"` // one per rejected record field
}

// statuses maps domain error codes to HTTP statuses.
var statuses = map[string]int{
	data.EINVALID:      http.StatusBadRequest,
	data.ENOTFOUND:     http.StatusNotFound,
	data.ECONFLICT:     http.StatusConflict,
	data.EUNAUTHORIZED: http.StatusUnauthorized,
	data.EFORBIDDEN:    http.StatusForbidden,
	data.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	data.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	data.EUNAVAILABLE:  http.StatusServiceUnavailable,
	data.ETOOMANY:      http.StatusTooManyRequests,
	data.EINTERNAL:     http.StatusInternalServerError,
}

// handleError is the only place that writes error responses.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := toProblem(err)
	p.Instance = c.Request().URL.Path
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		p = problem{Type: "about:blank", Title: "Client Closed Request", Status: 499, Detail: "the request was cancelled", Instance: p.Instance}
	} else if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
		s.Logger.Error("request failed", "method", c.Request().Method, "path", p.Instance, "err", err)
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5") // seconds: start-up or a store that went away
		if data.IsOutage(err) {
			s.noteOutage(err)
		}
	}
	if p.Status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hotspot"`)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if err := encodeJSON(c.Response(), p); err != nil {
		s.Logger.Warn("write problem", "err", err)
	}
}

func toProblem(err error) problem {
	var he *echo.HTTPError
	if errors.As(err, &he) { // Echo's own: 404/405, bind errors
		msg, _ := he.Message.(string)
		switch {
		case he.Code == http.StatusNotFound:
			msg = "no such path; the API is under /api/v1, GIS tools start at /ogc and /tiles, its description is /api"
		case he.Code == http.StatusMethodNotAllowed:
			msg = "this path does not take this method; the Allow header lists the methods it takes"
		case msg == "":
			msg = http.StatusText(he.Code)
		}
		return problem{Type: "about:blank", Title: http.StatusText(he.Code), Status: he.Code, Detail: msg}
	}
	code := data.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: data.ErrorMessage(err)}
	var de *data.Error
	if errors.As(err, &de) {
		p.Problems = de.Problems
	}
	return p
}
