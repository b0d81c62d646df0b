package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/dazhigu/hotspot/data"
)

// ErrNoRoads is returned when Generate is given no road with a geometry.
var ErrNoRoads = errors.New("demo: no roads to generate data for")

// Generate writes the period's violations (in batches of at most BatchSize)
// as they were opened, then the cases that closed later as re-sends (see
// Opening), then its patrol tracks through w, and says what it wrote.
// Records carry stable source ids and updated_at, so running it again with
// the same roads and options stores nothing new.
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
	opened, closed := make([]data.Violation, len(vs)), []data.Violation{}
	for i := range vs {
		s.addViolation(&vs[i])
		var later bool
		if opened[i], later = Opening(vs[i]); later {
			v := vs[i]
			v.UpdatedBy = UpdatedBy
			closed = append(closed, v)
		}
	}
	slices.SortStableFunc(closed, func(a, b data.Violation) int { return a.UpdatedAt.Compare(b.UpdatedAt) })
	err := putViolations(ctx, w, opened, func(outs []data.Outcome) {
		for _, o := range outs {
			if o.Created {
				s.NewViolations++
			}
		}
		p.Violations, p.LastViolationID = p.Violations+len(outs), outs[len(outs)-1].ID
		report()
	})
	if err == nil {
		err = putViolations(ctx, w, closed, func(outs []data.Outcome) {
			for _, o := range outs {
				if o.Updated {
					s.Closed++
				}
			}
		})
	}
	if err != nil {
		return s, err
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

// UpdatedBy is who the history of a demo record's update names.
const UpdatedBy = "demo"

// putViolations writes vs in batches of BatchSize and hands each batch's
// outcomes to done.
func putViolations(ctx context.Context, w Writer, vs []data.Violation, done func([]data.Outcome)) error {
	for i := 0; i < len(vs); i += BatchSize {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		batch := vs[i:min(i+BatchSize, len(vs))]
		outs, err := w.PutViolations(ctx, batch)
		if err == nil && len(outs) != len(batch) {
			err = fmt.Errorf("%d outcomes for %d violations", len(outs), len(batch))
		}
		if err != nil {
			return fmt.Errorf("demo: storing violations %d to %d: %w", i+1, i+len(batch), err)
		}
		done(outs)
	}
	return nil
}
