// Package migrations holds the SQL schema of each store, embedded into the
// binary and applied with goose (github.com/pressly/goose/v3).
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite postgres
var files embed.FS

// SQLite returns the migrations of the embedded SQLite store.
func SQLite() fs.FS { return sub("sqlite") }

// Postgres returns the migrations of the PostgreSQL store.
func Postgres() fs.FS { return sub("postgres") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // unreachable: dir is a constant embedded above
	}
	return f
}
