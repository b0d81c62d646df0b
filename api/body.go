package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dazhigu/hotspot/data"
)

// readBody reads a request body of at most limit bytes.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, data.Errorf(data.ETOOLARGE, "the body is larger than %d bytes", limit)
	case err != nil:
		return nil, data.Errorf(data.EINVALID, "could not read the body: %v", err)
	}
	return b, nil
}

// requireMediaType rejects a body whose Content-Type is none of types.
func requireMediaType(c echo.Context, types ...string) error {
	got, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if slices.Contains(types, got) {
		return nil
	}
	return data.Errorf(data.EUNSUPPORTED, "Content-Type %q is not accepted here; send one of %s", got, strings.Join(types, ", "))
}
