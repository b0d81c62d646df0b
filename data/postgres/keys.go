package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dazhigu/hotspot/data"
)

const createKeyQuery = `
INSERT INTO api_keys (name, role, hash, created_at, expires_at, area)
VALUES ($1, $2, $3, COALESCE($4, now()), $5, $6)
RETURNING id, created_at`

// CreateKey stores a key and returns it with its id. A zero CreatedAt is set
// to the database's clock. A hash that is already stored is ECONFLICT.
func (s *Store) CreateKey(ctx context.Context, k data.Key, a data.AuditEntry) (data.Key, error) {
	if ps := k.Validate(); len(ps) > 0 {
		return data.Key{}, invalid("key", 0, ps)
	}
	var created *time.Time
	if !k.CreatedAt.IsZero() {
		created = &k.CreatedAt
	}
	k.RevokedAt = time.Time{}
	var expires *time.Time
	if !k.ExpiresAt.IsZero() {
		k.ExpiresAt = k.ExpiresAt.UTC().Truncate(time.Microsecond)
		expires = &k.ExpiresAt
	}
	err := s.inTx(ctx, false, func(tx pgx.Tx) error {
		if err := areaExists(ctx, tx, k.Area); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, createKeyQuery, k.Name, string(k.Role), k.Hash, created, expires, k.Area).Scan(&k.ID, &k.CreatedAt); err != nil {
			return err
		}
		a.Target = strconv.FormatInt(k.ID, 10)
		return appendAudit(ctx, tx, a)
	})
	if err != nil {
		return data.Key{}, err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return k, nil
}

const keyByHashQuery = `
SELECT id, name, role, hash, created_at, revoked_at, expires_at, area
FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`

// KeyByHash returns the unrevoked key with this token hash, or
// data.ErrNotFound.
func (s *Store) KeyByHash(ctx context.Context, hash []byte) (data.Key, error) {
	var k data.Key
	var role string
	var revoked, expires *time.Time
	err := s.pool.QueryRow(ctx, keyByHashQuery, hash).Scan(&k.ID, &k.Name, &role, &k.Hash, &k.CreatedAt, &revoked, &expires, &k.Area)
	if err != nil {
		return data.Key{}, translate(err)
	}
	k.Role, k.CreatedAt = data.Role(role), k.CreatedAt.UTC()
	if expires != nil {
		k.ExpiresAt = expires.UTC()
	}
	return k, nil
}

// keysQuery leaves out the hash: listing keys reveals nothing that helps to
// find a token.
const keysQuery = `SELECT id, name, role, created_at, revoked_at, expires_at, area FROM api_keys ORDER BY id`

// Keys returns every key, revoked ones included, ordered by id. Hash is not
// filled in.
func (s *Store) Keys(ctx context.Context) ([]data.Key, error) {
	rows, err := s.pool.Query(ctx, keysQuery)
	if err != nil {
		return nil, translate(err)
	}
	ks, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Key, error) {
		var k data.Key
		var role string
		var revoked, expires *time.Time
		if err := row.Scan(&k.ID, &k.Name, &role, &k.CreatedAt, &revoked, &expires, &k.Area); err != nil {
			return data.Key{}, err
		}
		k.Role, k.CreatedAt = data.Role(role), k.CreatedAt.UTC()
		if revoked != nil {
			k.RevokedAt = revoked.UTC()
		}
		if expires != nil {
			k.ExpiresAt = expires.UTC()
		}
		return k, nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return ks, nil
}

// revokeKeyQuery keeps the first revocation time when a key is revoked again.
const revokeKeyQuery = `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1`

// RevokeKey marks a key revoked; data.ErrNotFound if there is none.
func (s *Store) RevokeKey(ctx context.Context, id int64, a data.AuditEntry) error {
	return s.inTx(ctx, false, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, revokeKeyQuery, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return data.ErrNotFound
		}
		a.Target = strconv.FormatInt(id, 10)
		return appendAudit(ctx, tx, a)
	})
}
