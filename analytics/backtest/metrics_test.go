package backtest

import (
	"math"
	"testing"
)

// TestPTools checks the metrics on apwheele/ptools' worked vector: observed
// (6, 3, 0), predicted (3, 2, 1), unit areas. Flagging 1, 2 and 3 cells
// gives PAI 2, 1.5 and 1, and PEI 1 each (the forecast ranks the cells as a
// perfect one would).
func TestPTools(t *testing.T) {
	observed, predicted := []float64{6, 3, 0}, []float64{3, 2, 1}
	for _, tc := range []struct {
		share         float64
		m             int
		hit, pai, pei float64
		rri           float64 // hit share ÷ the forecast's mass share: (6/9)/(3/6), (9/9)/(5/6), 1
	}{
		{1.0 / 3, 1, 6.0 / 9, 2, 1, (6.0 / 9) / (3.0 / 6)},
		{2.0 / 3, 2, 1, 1.5, 1, 1 / (5.0 / 6)},
		{1, 3, 1, 1, 1, 1},
	} {
		s := ScoreAt(predicted, observed, tc.share)
		if s.Flagged != tc.m || !near(s.HitRate, tc.hit) || !near(s.PAI, tc.pai) || !near(s.PEI, tc.pei) || !near(s.RRI, tc.rri) {
			t.Errorf("share %.3f: %+v, want m %d, hit %.4f, PAI %.4f, PEI %.4f, RRI %.4f", tc.share, s, tc.m, tc.hit, tc.pai, tc.pei, tc.rri)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestPessimisticTies checks that among equal scores the cells with fewer
// actual events are flagged first: a forecast of all zeros scores no hits
// when it flags one cell of three, whatever the order of the cells.
func TestPessimisticTies(t *testing.T) {
	for _, observed := range [][]float64{{5, 0, 1}, {0, 1, 5}, {1, 5, 0}} {
		s := ScoreAt([]float64{0, 0, 0}, observed, 0.34)
		if s.Hits != 0 || s.PAI != 0 || s.PEI != 0 {
			t.Errorf("observed %v: %+v, want no hits", observed, s)
		}
		// Two tied at the top: the one with fewer events goes first.
		s = ScoreAt([]float64{2, 2, 1}, observed, 0.34)
		if want := math.Min(observed[0], observed[1]); s.Hits != want {
			t.Errorf("observed %v: %v hits, want %v", observed, s.Hits, want)
		}
	}
}

func TestFlagged(t *testing.T) {
	for _, tc := range []struct {
		share float64
		cells int
		want  int
	}{{0.01, 50, 1}, {0.01, 100, 1}, {0.01, 199, 1}, {0.01, 200, 2}, {0.05, 442, 22}, {0.10, 442, 44}, {0.1, 10, 1}, {1, 7, 7}, {0.3, 0, 0}} {
		if got := Flagged(tc.share, tc.cells); got != tc.want {
			t.Errorf("Flagged(%v, %d) = %d, want %d", tc.share, tc.cells, got, tc.want)
		}
	}
}

// TestNoEvents leaves the indices undefined for a week without events.
func TestNoEvents(t *testing.T) {
	s := ScoreAt([]float64{1, 2}, []float64{0, 0}, 0.5)
	if !math.IsNaN(s.PAI) || !math.IsNaN(s.HitRate) || s.Flagged != 1 {
		t.Fatalf("%+v", s)
	}
}
