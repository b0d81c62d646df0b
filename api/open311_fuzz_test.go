package api

import (
	"net/url"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data/ingest"
)

// FuzzOpen311 feeds arbitrary form bodies to the Open311 decoder: it must
// not panic, and a report it accepts must be a valid citizen violation.
func FuzzOpen311(f *testing.F) {
	f.Add("service_code=dumping&lat=39.1133&long=117.2301&description=%E5%9E%83%E5%9C%BE")
	f.Add("service_code=&lat=NaN&long=1e400")
	f.Add("lat=39.1&lat=40&long=x%zz")
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	rules := &ingest.Rules{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return // answered 400 before decoding
		}
		rec := open311Record(form, now)
		rules.Violation(&rec, "wgs84")
		if len(rec.Problems) == 0 {
			if ps := rec.V.Validate(); len(ps) > 0 || !rec.V.Cell.IsValid() || rec.V.Source != "citizen" {
				t.Fatalf("accepted %+v with problems %v", rec.V, ps)
			}
		}
	})
}
