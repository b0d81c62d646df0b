package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/dazhigu/hotspot/data"
)

// ErrNoRoads is returned when Generate is given no road with a geometry.
var ErrNoRoads = errors.New("demo: no roads to generate data for")

// Generate writes the period's violations (in batches of at most BatchSize)
// and then its patrol tracks through w, and says what it wrote. Records
// carry stable source ids, so running it again with the same roads and
// options stores nothing new.
func Generate(ctx context.Context, w Writer, roads []data.Road, opt Options) (Summary, error) {
	wd := newWorld(roads, opt)
	if len(wd.roads) == 0 {
		return Summary{}, ErrNoRoads
	}
	s := newSummary()
	s.Days, s.CampaignDays = len(wd.days), wd.campaignDays()
	var p Progress
	report := func() {
		if opt.Progress != nil {
			opt.Progress(p)
		}
	}
	vs := wd.violations()
	for i := 0; i < len(vs); i += BatchSize {
		if err := ctx.Err(); err != nil {
			return s, fmt.Errorf("demo: %w", err)
		}
		batch := vs[i:min(i+BatchSize, len(vs))]
		outs, err := w.PutViolations(ctx, batch)
		if err == nil && len(outs) != len(batch) {
			err = fmt.Errorf("%d outcomes for %d violations", len(outs), len(batch))
		}
		if err != nil {
			return s, fmt.Errorf("demo: storing violations %d to %d: %w", i+1, i+len(batch), err)
		}
		for k := range batch {
			s.addViolation(&batch[k])
			if outs[k].Created {
				s.NewViolations++
			}
		}
		p.Violations, p.LastViolationID = p.Violations+len(batch), outs[len(outs)-1].ID
		report()
	}
	for t := range wd.tracks() {
		if err := ctx.Err(); err != nil {
			return s, fmt.Errorf("demo: %w", err)
		}
		out, err := w.PutTrack(ctx, t)
		if err != nil {
			return s, fmt.Errorf("demo: storing track %s: %w", t.SourceID, err)
		}
		s.addTrack(&t)
		if out.Created {
			s.NewTracks++
		}
		if p.Tracks++; p.Tracks%TrackBatch == 0 {
			report()
		}
	}
	if p.Tracks%TrackBatch != 0 {
		report()
	}
	return s, nil
}
