package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uber/h3-go/v4"

	"github.com/dazhigu/hotspot/data"
)

const (
	trackColumns = `id, officer, source_id, datum, start_us, end_us, n_fixes, seconds`

	findTrack = `SELECT id FROM tracks WHERE officer = ? AND source_id = ?`

	insertTrack = `INSERT INTO tracks (officer, source_id, datum, start_us, end_us, n_fixes,
		seconds, fixes, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

	insertDwell = `INSERT INTO dwell (seq, track_id, cell, hour_us, seconds) VALUES (?, ?, ?, ?, ?)`

	selectDwell = `SELECT cell, hour_us, seconds FROM dwell WHERE track_id = ? ORDER BY seq`
)

// PutTrack stores a track, its fixes and its dwell atomically.
func (s *Store) PutTrack(ctx context.Context, t data.Track) (data.Outcome, error) {
	out, err := s.PutTracks(ctx, []data.Track{t})
	if err != nil {
		return data.Outcome{}, err
	}
	return out[0], nil
}

// PutTracks stores a batch of tracks in one transaction.
func (s *Store) PutTracks(ctx context.Context, ts []data.Track) ([]data.Outcome, error) {
	if err := data.CheckTracks(ts); err != nil {
		return nil, err
	}
	out := make([]data.Outcome, len(ts))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, t := range ts {
			err := tx.QueryRowContext(ctx, findTrack, t.Officer, t.SourceID).Scan(&out[i].ID)
			switch {
			case err == nil:
				continue // already stored: re-sending is harmless
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("sqlite: find track: %w", err)
			}
			out[i].Created = true
			if err := putTrack(ctx, tx, t, &out[i].ID); err != nil {
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

func putTrack(ctx context.Context, tx *sql.Tx, t data.Track, id *int64) error {
	var secs float64
	for _, d := range t.Dwell {
		secs += d.Seconds
	}
	first, last := t.Fixes[0].Time, t.Fixes[len(t.Fixes)-1].Time
	res, err := tx.ExecContext(ctx, insertTrack, t.Officer, t.SourceID, t.Datum, micros(first),
		micros(last), len(t.Fixes), secs, data.EncodeFixes(t.Fixes), micros(time.Now()))
	if err != nil {
		return fmt.Errorf("sqlite: insert track: %w", err)
	}
	if *id, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("sqlite: insert track: %w", err)
	}
	if len(t.Dwell) == 0 {
		return nil
	}
	seq, err := nextSeqs(ctx, tx, len(t.Dwell))
	if err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, insertDwell)
	if err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	defer ins.Close()
	for j, d := range t.Dwell {
		hour := d.Hour.UTC().Truncate(time.Hour)
		if _, err := ins.ExecContext(ctx, seq+int64(j), *id, int64(d.Cell), micros(hour), d.Seconds); err != nil {
			return fmt.Errorf("sqlite: insert dwell: %w", err)
		}
	}
	return nil
}

// Track returns one track with fixes and dwell.
func (s *Store) Track(ctx context.Context, id int64) (data.Track, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+trackColumns+`, fixes FROM tracks WHERE id = ?`, id)
	t, err := scanTrack(row, true)
	if err != nil {
		return data.Track{}, notFound(err, fmt.Sprintf("track %d", id))
	}
	if t.Dwell, err = s.dwell(ctx, id); err != nil {
		return data.Track{}, err
	}
	return t, nil
}

func (s *Store) dwell(ctx context.Context, id int64) ([]data.Dwell, error) {
	rows, err := s.db.QueryContext(ctx, selectDwell, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: dwell: %w", err)
	}
	defer rows.Close()
	var ds []data.Dwell
	for rows.Next() {
		var cell, hour int64
		var d data.Dwell
		if err := rows.Scan(&cell, &hour, &d.Seconds); err != nil {
			return nil, fmt.Errorf("sqlite: dwell: %w", err)
		}
		d.Cell, d.Hour = h3.Cell(cell), fromMicros(hour)
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// Tracks returns a page of matching tracks in id order.
// CountTracks returns how many tracks match f, paging aside.
func (s *Store) CountTracks(ctx context.Context, f data.TrackFilter) (int, error) {
	f.After = 0
	where, args := trackWhere(f)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM tracks WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count tracks: %w", err)
	}
	return n, nil
}

func trackWhere(f data.TrackFilter) (string, []any) {
	conds, args := []string{"id > ?"}, []any{f.After}
	if f.Officer != "" {
		conds, args = append(conds, "officer = ?"), append(args, f.Officer)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "end_us >= ?"), append(args, micros(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "start_us < ?"), append(args, micros(f.To))
	}
	return strings.Join(conds, " AND "), args
}

func (s *Store) Tracks(ctx context.Context, f data.TrackFilter) ([]data.Track, error) {
	where, args := trackWhere(f)
	q := `SELECT ` + trackColumns + `, fixes FROM tracks WHERE ` + where + ` ORDER BY id LIMIT ? OFFSET ?`
	if !f.WithFixes {
		q = strings.Replace(q, ", fixes FROM", ", NULL FROM", 1)
	}
	rows, err := s.db.QueryContext(ctx, q, append(args, data.PageLimit(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tracks: %w", err)
	}
	var ts []data.Track
	for rows.Next() {
		t, err := scanTrack(rows, f.WithFixes)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: tracks: %w", err)
		}
		ts = append(ts, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: tracks: %w", err)
	}
	for i := range ts {
		if f.WithDwell {
			if ts[i].Dwell, err = s.dwell(ctx, ts[i].ID); err != nil {
				return nil, err
			}
		}
	}
	return ts, nil
}

func scanTrack(r scanner, withFixes bool) (data.Track, error) {
	var t data.Track
	var start, end int64
	var fixes []byte
	err := r.Scan(&t.ID, &t.Officer, &t.SourceID, &t.Datum, &start, &end, &t.NFixes, &t.Seconds, &fixes)
	if err != nil {
		return t, err
	}
	t.Start, t.End = fromMicros(start), fromMicros(end)
	if withFixes {
		t.Fixes, err = data.DecodeFixes(fixes)
	}
	return t, err
}
