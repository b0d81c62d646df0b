package geo

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// benchTrack is a patrol walk of n fixes, one a second at about 1.3 m/s,
// wandering around Dazhigu.
func benchTrack(n int) []Fix {
	r := rand.New(rand.NewPCG(1, 2))
	fixes := make([]Fix, n)
	p := orb.Point{117.2300, 39.1200}
	heading := 0.0
	t0 := time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC)
	for i := range fixes {
		fixes[i] = Fix{t0.Add(time.Duration(i) * time.Second), p}
		heading += r.NormFloat64() * 0.3
		d := 1.3 / degree
		p = orb.Point{p[0] + d*math.Sin(heading)/math.Cos(p[1]*math.Pi/180), p[1] + d*math.Cos(heading)}
	}
	return fixes
}

func BenchmarkDwell(b *testing.B) {
	fixes := benchTrack(100000)
	b.ResetTimer()
	for b.Loop() {
		Dwell(fixes, DwellOptions{})
	}
	b.ReportMetric(float64(len(fixes))*float64(b.N)/b.Elapsed().Seconds(), "fixes/s")
}

// BenchmarkCover covers a 3 km road cut into 100 m stretches with a 20 m
// buffer at resolution 12.
func BenchmarkCover(b *testing.B) {
	line := orb.LineString{{117.2212, 39.1270}, {117.2240, 39.1245}, {117.2262, 39.1229},
		{117.2300, 39.1190}, {117.2337, 39.1150}, {117.2400, 39.1100}, {117.2438, 39.1070}}
	stretches := Cut(line, 100)
	b.ResetTimer()
	for b.Loop() {
		Cover(context.Background(), stretches, 20, 12)
	}
}
