package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/cube"
	"github.com/dazhigu/hotspot/api"
	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
	"github.com/dazhigu/hotspot/data/sqlite"
)

// BenchmarkAnalyticsRoutes times the analytics routes end to end (HTTP,
// JSON, the catch-up query, the study area from its cache) over a
// generated district year of 1,000,000 violations and 20,000,000 fixes,
// warm. docs/analytics.md records the figures:
//
//	go test ./api -run '^$' -bench AnalyticsRoutes -benchtime 20x
func BenchmarkAnalyticsRoutes(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := seed.Load(ctx, s); err != nil {
		b.Fatal(err)
	}
	roads, err := s.Roads(ctx)
	if err != nil {
		b.Fatal(err)
	}
	tok, hash := data.NewToken()
	if _, err := s.CreateKey(ctx, data.Key{Name: "bench", Role: data.RoleViewer, Hash: hash}, data.AuditEntry{}); err != nil {
		b.Fatal(err)
	}
	c := cube.New()
	c.Apply(demo.DistrictYear(roads, 1_000_000, 20_000_000))
	engine := analytics.New(analytics.Options{Source: s, Cube: c})
	srv := httptest.NewServer(api.New(api.Options{Store: s, Engine: engine, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	const window = "datetime=2026-09-01T00:00:00%2B08:00/2026-11-24T00:00:00%2B08:00"
	for _, route := range []struct{ name, path string }{
		{"heatmap-count-res11-geojson", "/api/v1/heatmap?res=11&" + window},
		{"heatmap-count-res11-h3", "/api/v1/heatmap?res=11&format=h3&" + window},
		{"heatmap-rate-res11-h3", "/api/v1/heatmap?res=11&metric=rate&format=h3&" + window},
		{"hotspots-gistar-res11-geojson", "/api/v1/hotspots?res=11&fdr=true&" + window},
		{"emerging-52-weeks-h3", "/api/v1/hotspots/emerging?step=week&steps=52&format=h3&datetime=../2026-11-24T00:00:00%2B08:00"},
		{"ranking-12-weeks", "/api/v1/roads/ranking?" + window},
		{"forecast-res11-geojson", "/api/v1/forecast?res=11&week=2026-11-23"},
		{"backtest-12-weeks-res11", "/api/v1/backtest?res=11"},
	} {
		b.Run(route.name, func(b *testing.B) {
			get := func() {
				req, _ := http.NewRequest("GET", srv.URL+route.path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("%s: %d", route.path, res.StatusCode)
				}
				b.SetBytes(n)
			}
			get() // warm: the study area and segment caches
			for b.Loop() {
				get()
			}
		})
	}
}
