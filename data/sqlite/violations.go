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
	violationColumns = `id, source, source_id, category, observed_us, lon, lat, datum, cell,
		road, segment, along_m, offset_m, merchant_id, severity, disposition, attributes`

	findViolation = `SELECT id FROM violations WHERE source = ? AND source_id = ?`

	insertViolation = `INSERT INTO violations (seq, source, source_id, category, observed_us,
		lon, lat, datum, cell, road, segment, along_m, offset_m, merchant_id, severity,
		disposition, attributes, created_us)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// PutViolations stores a batch atomically; see data.ViolationStore.
func (s *Store) PutViolations(ctx context.Context, vs []data.Violation) ([]data.Outcome, error) {
	if err := data.CheckBatch(vs); err != nil {
		return nil, err
	}
	out := make([]data.Outcome, len(vs))
	err := s.inTx(ctx, func(tx *sql.Tx) error { return putViolations(ctx, tx, vs, out) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

func putViolations(ctx context.Context, tx *sql.Tx, vs []data.Violation, out []data.Outcome) error {
	find, err := tx.PrepareContext(ctx, findViolation)
	if err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	defer find.Close()
	var fresh []int
	for i, v := range vs {
		err := find.QueryRowContext(ctx, string(v.Source), v.SourceID).Scan(&out[i].ID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			fresh = append(fresh, i)
		case err != nil:
			return fmt.Errorf("sqlite: find violation: %w", err)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	seq, err := nextSeqs(ctx, tx, len(fresh))
	if err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, insertViolation)
	if err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	defer ins.Close()
	now := micros(time.Now())
	for j, i := range fresh {
		v := vs[i]
		res, err := ins.ExecContext(ctx, seq+int64(j), string(v.Source), v.SourceID, v.Category,
			micros(v.ObservedAt), v.Point[0], v.Point[1], v.Datum, int64(v.Cell), v.Road, v.Segment,
			v.Along, v.Offset, v.MerchantID, v.Severity, v.Disposition, nullJSON(v.Attributes), now)
		if err != nil {
			return fmt.Errorf("sqlite: insert violation %d: %w", i+1, err)
		}
		if out[i].ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: insert violation %d: %w", i+1, err)
		}
		out[i].Created = true
	}
	return nil
}

// Violation returns one violation by id.
func (s *Store) Violation(ctx context.Context, id int64) (data.Violation, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+violationColumns+` FROM violations WHERE id = ?`, id)
	v, err := scanViolation(row)
	if err != nil {
		return data.Violation{}, notFound(err, fmt.Sprintf("violation %d", id))
	}
	return v, nil
}

// Violations returns a page of matching violations in id order.
func (s *Store) Violations(ctx context.Context, f data.ViolationFilter) ([]data.Violation, error) {
	where, args := violationWhere(f)
	q := `SELECT ` + violationColumns + ` FROM violations WHERE ` + where + ` ORDER BY id LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, f.PageLimit())...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: violations: %w", err)
	}
	defer rows.Close()
	var vs []data.Violation
	for rows.Next() {
		v, err := scanViolation(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: violations: %w", err)
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

func violationWhere(f data.ViolationFilter) (string, []any) {
	conds := []string{"id > ?"}
	args := []any{f.After}
	add := func(cond string, a ...any) { conds = append(conds, cond); args = append(args, a...) }
	if f.Bound != nil {
		add("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?", f.Bound.Min[0], f.Bound.Max[0], f.Bound.Min[1], f.Bound.Max[1])
	}
	if !f.From.IsZero() {
		add("observed_us >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		add("observed_us < ?", micros(f.To))
	}
	if len(f.Categories) > 0 {
		add("category IN ("+placeholders(len(f.Categories))+")", anys(f.Categories)...)
	}
	if len(f.Sources) > 0 {
		add("source IN ("+placeholders(len(f.Sources))+")", anys(f.Sources)...)
	}
	if f.Road != "" {
		add("road = ?", f.Road)
	}
	return strings.Join(conds, " AND "), args
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

type scanner interface{ Scan(dest ...any) error }

func scanViolation(r scanner) (data.Violation, error) {
	var v data.Violation
	var observed, cell int64
	var attrs sql.NullString
	err := r.Scan(&v.ID, &v.Source, &v.SourceID, &v.Category, &observed, &v.Point[0], &v.Point[1],
		&v.Datum, &cell, &v.Road, &v.Segment, &v.Along, &v.Offset, &v.MerchantID, &v.Severity,
		&v.Disposition, &attrs)
	v.ObservedAt, v.Cell = fromMicros(observed), h3.Cell(cell)
	if attrs.Valid {
		v.Attributes = []byte(attrs.String)
	}
	return v, err
}

func nullJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}
