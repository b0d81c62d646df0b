package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/dazhigu/hotspot/data"
)

const (
	upsertCategory = `INSERT INTO categories (code, name_zh, name_en, aliases, national, shop_front)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
		aliases = excluded.aliases, national = excluded.national, shop_front = excluded.shop_front`

	selectCategories = `SELECT code, name_zh, name_en, aliases, national, shop_front
		FROM categories ORDER BY code`
)

// PutCategories inserts or replaces categories by code, atomically.
func (s *Store) PutCategories(ctx context.Context, cs []data.Category) error {
	for i := range cs {
		if ps := cs[i].Validate(); len(ps) > 0 {
			for j := range ps {
				ps[j].Record = i + 1
			}
			return &data.Error{Code: data.EINVALID, Message: "invalid category; nothing was stored", Problems: ps}
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, c := range cs {
			aliases, _ := json.Marshal(nonNil(c.Aliases))
			if _, err := tx.ExecContext(ctx, upsertCategory, c.Code, c.NameZh, c.NameEn, string(aliases),
				c.National, c.ShopFront); err != nil {
				return fmt.Errorf("sqlite: put category %s: %w", c.Code, err)
			}
		}
		return nil
	})
}

// Categories returns the taxonomy ordered by code.
func (s *Store) Categories(ctx context.Context) ([]data.Category, error) {
	rows, err := s.db.QueryContext(ctx, selectCategories)
	if err != nil {
		return nil, fmt.Errorf("sqlite: categories: %w", err)
	}
	defer rows.Close()
	var cs []data.Category
	for rows.Next() {
		var c data.Category
		var aliases string
		if err := rows.Scan(&c.Code, &c.NameZh, &c.NameEn, &aliases, &c.National, &c.ShopFront); err != nil {
			return nil, fmt.Errorf("sqlite: categories: %w", err)
		}
		if err := unmarshalAll(aliases, &c.Aliases); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}
