package demo

import (
	"context"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// Options control the generator. The zero value generates the default year.
type Options struct {
	Seed     uint64    // the same seed gives the same data
	End      time.Time // last day generated; default today in Asia/Shanghai
	Days     int       // number of days up to and including End; default 365
	Officers int       // size of the patrol team; default 12
	// Progress, when set, is called after every committed batch of
	// violations and after every TrackBatch tracks stored (and the last).
	Progress func(Progress)
}

// Defaults of Options.
const (
	DefaultDays     = 365
	DefaultOfficers = 12
)

// withDefaults fills unset options.
func (o Options) withDefaults(loc *time.Location) Options {
	if o.End.IsZero() {
		o.End = time.Now()
	}
	o.End = midnight(o.End, loc)
	if o.Days <= 0 {
		o.Days = DefaultDays
	}
	if o.Officers <= 0 {
		o.Officers = DefaultOfficers
	}
	return o
}

// Progress reports how far Generate has got.
type Progress struct {
	Violations      int   // violations committed so far
	Tracks          int   // tracks stored so far
	LastViolationID int64 // store id of the last violation committed
}

// Writer is the part of a store that Generate writes through: the normal
// write path of data.ViolationStore and data.TrackStore.
type Writer interface {
	PutViolations(ctx context.Context, vs []data.Violation) ([]data.Outcome, error)
	PutTrack(ctx context.Context, t data.Track) (data.Outcome, error)
}

// BatchSize is the most violations Generate writes in one call; each track
// is written in a call of its own, and progress is reported every
// TrackBatch tracks.
const (
	BatchSize  = 1000
	TrackBatch = 100
)

// Summary says what was generated. Maps are keyed by category code, source,
// road id and disposition.
type Summary struct {
	Days          int
	CampaignDays  int
	Violations    int
	NewViolations int // stored for the first time (Outcome.Created)
	Closed        int // re-sent when their case closed, and updated (Outcome.Updated)
	ByCategory    map[string]int
	BySource      map[data.Source]int
	ByRoad        map[string]int
	ByDisposition map[string]int
	Tracks        int
	NewTracks     int
	Fixes         int
	DwellRows     int     // (cell, hour) dwell records
	DwellHours    float64 // patrol presence counted as dwell, hours
}

func newSummary() Summary {
	return Summary{ByCategory: map[string]int{}, BySource: map[data.Source]int{},
		ByRoad: map[string]int{}, ByDisposition: map[string]int{}}
}

func (s *Summary) addViolation(v *data.Violation) {
	s.Violations++
	s.ByCategory[v.Category]++
	s.BySource[v.Source]++
	s.ByRoad[v.Road]++
	s.ByDisposition[v.Disposition]++
}

func (s *Summary) addTrack(t *data.Track) {
	s.Tracks++
	s.Fixes += len(t.Fixes)
	s.DwellRows += len(t.Dwell)
	s.DwellHours += t.Seconds / 3600
}
