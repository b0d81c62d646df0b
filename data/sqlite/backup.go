package sqlite

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the store to path (which must not
// exist) while it serves: SQLite's VACUUM INTO reads one snapshot, so the
// copy holds every transaction committed before it began and nothing of
// any that commits during it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("sqlite: backup: %s exists already; choose a new file", path)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}
