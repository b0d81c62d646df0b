package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// AppendAudit records an admin action.
func (s *Store) AppendAudit(ctx context.Context, e data.AuditEntry) (data.AuditEntry, error) {
	e.At = time.Now().UTC().Truncate(time.Microsecond)
	res, err := s.db.ExecContext(ctx, `INSERT INTO audit_log (at_us, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		micros(e.At), e.Actor, e.Action, e.Target, e.Detail)
	if err != nil {
		return data.AuditEntry{}, fmt.Errorf("sqlite: audit: %w", err)
	}
	if e.Seq, err = res.LastInsertId(); err != nil {
		return data.AuditEntry{}, fmt.Errorf("sqlite: audit: %w", err)
	}
	return e, nil
}

// Audit returns entries after a Seq, in order.
func (s *Store) Audit(ctx context.Context, after int64, limit int) ([]data.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at_us, actor, action, target, detail FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`,
		after, data.PageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit: %w", err)
	}
	defer rows.Close()
	var out []data.AuditEntry
	for rows.Next() {
		var e data.AuditEntry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("sqlite: audit: %w", err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
