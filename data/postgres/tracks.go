package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

const insertTrackQuery = `
INSERT INTO tracks (officer, source_id, datum, start_at, end_at, n_fixes, seconds, fixes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (officer, source_id) DO NOTHING
RETURNING id`

const trackIDQuery = `SELECT id FROM tracks WHERE officer = $1 AND source_id = $2`

var dwellColumns = []string{"region", "track_id", "cell", "hour", "seconds"}

// PutTrack stores a track with its fixes and dwell in one transaction; see
// data.TrackStore. Start, End, NFixes and Seconds are derived from the fixes
// and the dwell.
func (s *Store) PutTrack(ctx context.Context, t data.Track) (data.Outcome, error) {
	out, err := s.PutTracks(ctx, []data.Track{t})
	if err != nil {
		return data.Outcome{}, err
	}
	return out[0], nil
}

// PutTracks stores a batch of tracks in one transaction; see
// data.TrackStore.
func (s *Store) PutTracks(ctx context.Context, ts []data.Track) ([]data.Outcome, error) {
	if err := data.CheckTracks(ts); err != nil {
		return nil, err
	}
	var hours []time.Time
	for _, t := range ts {
		for _, d := range t.Dwell {
			hours = append(hours, d.Hour)
		}
	}
	if err := s.ensurePartitions(ctx, "dwell", hours); err != nil {
		return nil, err
	}
	out := make([]data.Outcome, len(ts))
	err := s.inTx(ctx, true, func(tx pgx.Tx) error {
		for i, t := range ts {
			if err := putTrack(ctx, tx, t, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// putTrack writes one track and its dwell in tx, or finds it stored.
func putTrack(ctx context.Context, tx pgx.Tx, t data.Track, out *data.Outcome) error {
	var seconds float64
	for _, d := range t.Dwell {
		seconds += d.Seconds
	}
	err := tx.QueryRow(ctx, insertTrackQuery, t.Officer, t.SourceID, t.Datum, t.Fixes[0].Time,
		t.Fixes[len(t.Fixes)-1].Time, len(t.Fixes), seconds, data.EncodeFixes(t.Fixes)).Scan(&out.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return translate(tx.QueryRow(ctx, trackIDQuery, t.Officer, t.SourceID).Scan(&out.ID))
	}
	if err != nil {
		return translate(err)
	}
	out.Created = true
	src := pgx.CopyFromSlice(len(t.Dwell), func(i int) ([]any, error) {
		d := t.Dwell[i]
		return []any{region(d.Cell), out.ID, int64(d.Cell), d.Hour, d.Seconds}, nil
	})
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"dwell"}, dwellColumns, src)
	return translate(err)
}

const trackColumns = `id, officer, source_id, datum, start_at, end_at, n_fixes, seconds`

const trackQuery = `SELECT ` + trackColumns + `, fixes FROM tracks WHERE id = $1`

const dwellQuery = `SELECT track_id, cell, hour, seconds FROM dwell WHERE track_id = ANY($1) ORDER BY track_id, seq`

// Track returns one track with its fixes and dwell, or data.ErrNotFound.
func (s *Store) Track(ctx context.Context, id int64) (data.Track, error) {
	t, err := scanTrack(s.pool.QueryRow(ctx, trackQuery, id), true)
	if err != nil {
		return data.Track{}, translate(err)
	}
	ts := []data.Track{t}
	if err := s.loadDwell(ctx, ts); err != nil {
		return data.Track{}, err
	}
	return ts[0], nil
}

func scanTrack(row pgx.Row, withFixes bool) (data.Track, error) {
	var t data.Track
	dest := []any{&t.ID, &t.Officer, &t.SourceID, &t.Datum, &t.Start, &t.End, &t.NFixes, &t.Seconds}
	var packed []byte
	if withFixes {
		dest = append(dest, &packed)
	}
	if err := row.Scan(dest...); err != nil {
		return data.Track{}, err
	}
	t.Start, t.End = t.Start.UTC(), t.End.UTC()
	if withFixes {
		fs, err := data.DecodeFixes(packed)
		if err != nil {
			return data.Track{}, err
		}
		t.Fixes = fs
	}
	return t, nil
}

// loadDwell fills in the dwell of ts, in the order it was written.
func (s *Store) loadDwell(ctx context.Context, ts []data.Track) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]int64, len(ts))
	at := make(map[int64]int, len(ts))
	for i, t := range ts {
		ids[i], at[t.ID] = t.ID, i
	}
	rows, err := s.pool.Query(ctx, dwellQuery, ids)
	if err != nil {
		return translate(err)
	}
	var trackID, cell int64
	var d data.Dwell
	_, err = pgx.ForEachRow(rows, []any{&trackID, &cell, &d.Hour, &d.Seconds}, func() error {
		i := at[trackID]
		ts[i].Dwell = append(ts[i].Dwell, data.Dwell{Cell: h3.Cell(cell), Hour: d.Hour.UTC(), Seconds: d.Seconds})
		return nil
	})
	return translate(err)
}

// Tracks returns matching tracks in ascending id order. A track matches the
// time range when [Start, End] overlaps [From, To). The limit is capped as
// data.ViolationFilter.PageLimit caps it.
// CountTracks returns how many tracks match f, paging aside.
func (s *Store) CountTracks(ctx context.Context, f data.TrackFilter) (int, error) {
	f.After = 0
	w := trackWhere(f)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM tracks`+w.String(), w.args...).Scan(&n); err != nil {
		return 0, translate(err)
	}
	return n, nil
}

func trackWhere(f data.TrackFilter) where {
	var w where
	if f.Officer != "" {
		w.add("officer = $%d", f.Officer)
	}
	if !f.From.IsZero() {
		w.add("end_at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		w.add("start_at < $%d", f.To)
	}
	if f.After > 0 {
		w.add("id > $%d", f.After)
	}
	return w
}

func (s *Store) Tracks(ctx context.Context, f data.TrackFilter) ([]data.Track, error) {
	w := trackWhere(f)
	cols := trackColumns
	if f.WithFixes {
		cols += ", fixes"
	}
	q := `SELECT ` + cols + ` FROM tracks` + w.String() + ` ORDER BY id LIMIT ` + w.arg(data.PageLimit(f.Limit)) +
		` OFFSET ` + w.arg(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, translate(err)
	}
	ts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Track, error) {
		return scanTrack(row, f.WithFixes)
	})
	if err != nil {
		return nil, translate(err)
	}
	if f.WithDwell {
		if err := s.loadDwell(ctx, ts); err != nil {
			return nil, err
		}
	}
	return ts, nil
}
