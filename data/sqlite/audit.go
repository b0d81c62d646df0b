package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// appendAudit records an admin action in the action's transaction; an
// entry without an action records nothing.
func appendAudit(ctx context.Context, tx *sql.Tx, e data.AuditEntry) error {
	if e.Action == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at_us, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		micros(time.Now()), e.Actor, e.Action, e.Target, e.Detail)
	if err != nil {
		return fmt.Errorf("sqlite: audit: %w", err)
	}
	return nil
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
