package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/dazhigu/hotspot/data"
)

const (
	insertKey  = `INSERT INTO api_keys (name, role, hash, created_us, expires_us, area) VALUES (?, ?, ?, ?, ?, ?)`
	keyColumns = `id, name, role, hash, created_us, revoked_us, expires_us, area`
	revokeKey  = `UPDATE api_keys SET revoked_us = ? WHERE id = ? AND revoked_us = 0`
	keyExists  = `SELECT count(*) FROM api_keys WHERE id = ?`
)

// CreateKey stores a key and returns it with its id.
func (s *Store) CreateKey(ctx context.Context, k data.Key, a data.AuditEntry) (data.Key, error) {
	if ps := k.Validate(); len(ps) > 0 {
		return data.Key{}, &data.Error{Code: data.EINVALID, Message: "invalid key", Problems: ps}
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now()
	}
	k.CreatedAt = k.CreatedAt.UTC().Truncate(time.Microsecond)
	var expires int64
	if !k.ExpiresAt.IsZero() {
		k.ExpiresAt = k.ExpiresAt.UTC().Truncate(time.Microsecond)
		expires = micros(k.ExpiresAt)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := areaExists(ctx, tx, k.Area); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, insertKey, k.Name, string(k.Role), k.Hash, micros(k.CreatedAt), expires, k.Area)
		if err != nil {
			return fmt.Errorf("sqlite: create key: %w", err)
		}
		if k.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: create key: %w", err)
		}
		a.Target = strconv.FormatInt(k.ID, 10)
		return appendAudit(ctx, tx, a)
	})
	if err != nil {
		return data.Key{}, err
	}
	return k, nil
}

// KeyByHash returns the unrevoked key with this hash.
func (s *Store) KeyByHash(ctx context.Context, hash []byte) (data.Key, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE hash = ? AND revoked_us = 0`, hash)
	k, err := scanKey(row)
	if err != nil {
		return data.Key{}, notFound(err, "key")
	}
	return k, nil
}

// Keys returns every key by id.
func (s *Store) Keys(ctx context.Context) ([]data.Key, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: keys: %w", err)
	}
	defer rows.Close()
	var ks []data.Key
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: keys: %w", err)
		}
		ks = append(ks, k)
	}
	return ks, rows.Err()
}

// RevokeKey marks a key revoked.
func (s *Store) RevokeKey(ctx context.Context, id int64, a data.AuditEntry) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, keyExists, id).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: revoke key: %w", err)
		}
		if n == 0 {
			return data.Errorf(data.ENOTFOUND, "key %d not found", id)
		}
		if _, err := tx.ExecContext(ctx, revokeKey, micros(time.Now()), id); err != nil {
			return fmt.Errorf("sqlite: revoke key: %w", err)
		}
		a.Target = strconv.FormatInt(id, 10)
		return appendAudit(ctx, tx, a)
	})
}

func scanKey(r scanner) (data.Key, error) {
	var k data.Key
	var created, revoked, expires int64
	err := r.Scan(&k.ID, &k.Name, &k.Role, &k.Hash, &created, &revoked, &expires, &k.Area)
	k.CreatedAt = fromMicros(created)
	if revoked != 0 {
		k.RevokedAt = fromMicros(revoked)
	}
	if expires != 0 {
		k.ExpiresAt = fromMicros(expires)
	}
	return k, err
}
