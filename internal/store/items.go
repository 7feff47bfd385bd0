package store

import (
	"context"
	"database/sql"

	"aidbridge/internal/domain"
)

const itemColumns = `i.id, i.code, i.name, i.category, i.unit, i.created_at, i.updated_at, i.version`

func scanItem(row scanner) (domain.Item, error) {
	var it domain.Item
	err := row.Scan(&it.ID, &it.Code, &it.Name, &it.Category, &it.Unit, &it.CreatedAt, &it.UpdatedAt, &it.Version)
	it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), it.UpdatedAt.UTC()
	return it, err
}

func findItem(ctx context.Context, db querier, id string) (domain.Item, error) {
	it, err := scanItem(db.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM items i WHERE i.id = $1`, id))
	if err == sql.ErrNoRows {
		return it, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "item", "ID", id)
	}
	return it, err
}

// FindItem returns the catalog item with the given id; ENOTFOUND when there is none.
func (s *Store) FindItem(ctx context.Context, id string) (domain.Item, error) {
	var it domain.Item
	err := s.read(ctx, func(db querier) error {
		var err error
		it, err = findItem(ctx, db, id)
		return err
	})
	return it, err
}

// CreateItem validates it and adds it to the catalog; ECONFLICT when its code is taken.
func (s *Store) CreateItem(ctx context.Context, by Actor, it *domain.Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		it.ID = newID()
		it.CreatedAt, it.UpdatedAt, it.Version = s.now(), s.now(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO items (id, code, name, category, unit, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, it.ID, it.Code, it.Name, it.Category, it.Unit, it.CreatedAt, it.UpdatedAt, it.Version); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "item", it.ID, "create", nil, it)
	})
}

// UpdateItem stores it over the item with it.ID at version it.Version.
func (s *Store) UpdateItem(ctx context.Context, by Actor, it *domain.Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findItem(ctx, tx, it.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("item", it.ID, before.Version, it.Version); err != nil {
			return err
		}
		it.CreatedAt, it.UpdatedAt, it.Version = before.CreatedAt, s.now(), before.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE items SET code = $1, name = $2, category = $3, unit = $4, updated_at = $5, version = $6
			WHERE id = $7 AND version = $8`, it.Code, it.Name, it.Category, it.Unit, it.UpdatedAt, it.Version, it.ID, before.Version)
		if err := checkUpdated(res, err, "item", it.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "item", it.ID, "update", before, it)
	})
}

// DeleteItem removes the item with id at the given version from the catalog.
func (s *Store) DeleteItem(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findItem(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("item", id, before.Version, version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM items WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, "", "item", id, "delete", before, nil)
	})
}

// ListItems returns a page of items ordered by name and the next cursor.
func (s *Store) ListItems(ctx context.Context, f domain.ItemFilter) ([]domain.Item, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.Query != "" {
		pat := likePattern(f.Query)
		q.add(`(lower(i.name) LIKE ? ESCAPE '\' OR lower(i.code) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if f.Category != "" {
		q.add("i.category = ?", f.Category)
	}
	q.page("i.name", "i.id", cur)
	limit := clampLimit(f.Limit)
	var out []domain.Item
	// readHot: the pages read the whole catalog on every request.
	err = s.readHot(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanItem, `SELECT `+itemColumns+` FROM items i`+q.clause()+` ORDER BY i.name, i.id LIMIT `+itoa(limit+1), q.args...)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(x domain.Item) (string, string) { return x.Name, x.ID })
	return out, next, nil
}
