package api

import (
	"encoding/json"
	"io"
	"math"
	"time"
)

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// shanghai returns the Asia/Shanghai zone, or a fixed UTC+8 zone when the
// system has no zone database.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// round rounds x to n decimal places, for figures whose extra digits are noise.
func round(x float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(x*p) / p
}
