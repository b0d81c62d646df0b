package ingest

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// timeLayouts are the layouts observed times are read in: RFC 3339, and the
// same with a space for the 'T' as many platform exports write it. Both
// require a zone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"}

// reasonTime is why a time was refused.
const reasonTime = "must be an RFC 3339 time with a zone, e.g. 2026-05-11T08:30:00+08:00"

// parseTime reads a time with a zone; reason is non-empty when it cannot.
func parseTime(s string) (t time.Time, reason string) {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.IsZero() { // else it would read as no time: "is required"
				return t, "is " + s + ", before 2000; check the date"
			}
			return t, ""
		}
	}
	return time.Time{}, reasonTime
}

// epochTime reads a Unix time in seconds, or in milliseconds when it is too
// large to be seconds (after the year 5138), as GPS loggers write either.
func epochTime(v float64) (t time.Time, reason string) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e14 {
		return time.Time{}, "must be a Unix time in seconds or milliseconds"
	}
	if v > 1e11 {
		v /= 1000
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), ""
}

// fatal is the error that ends reading: the input breaks at record n.
func fatal(n int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &data.Error{Code: data.EINVALID, Message: "the input cannot be read past record " + fmt.Sprint(n) + ": " + msg + "; nothing was stored",
		Problems: []data.Problem{{Record: n, Field: "body", Reason: msg}}}
}

// IsFatal reports whether err came from a reader that could not go on, as
// opposed to an I/O or limit error of the underlying reader.
func IsFatal(err error) bool {
	var e *data.Error
	return errors.As(err, &e) && e.Code == data.EINVALID
}

// DeriveSourceID returns a stable source id for a track sent without one:
// the same officer and fixes always give the same id, so re-sending is
// harmless.
func DeriveSourceID(officer string, fixes []data.Fix) string {
	h := sha256.New()
	h.Write([]byte(officer))
	h.Write([]byte{0})
	h.Write(data.EncodeFixes(fixes))
	sum := h.Sum(nil)
	return "auto-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:15]))
}

// readErr remembers the error of the reader it wraps, to tell it from
// errors of the input's content.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n, err
}
