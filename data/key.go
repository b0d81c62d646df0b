package data

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// Role is what an API key may do.
type Role string

// The roles. Admin may do everything; scheduler is viewer plus
// recommendations; ingest writes violations and tracks and may read them back.
const (
	RoleViewer    Role = "viewer"
	RoleScheduler Role = "scheduler"
	RoleIngest    Role = "ingest"
	RoleAdmin     Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleViewer, RoleScheduler, RoleIngest, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Allows reports whether a key with role r may use a route that needs role need.
func (r Role) Allows(need Role) bool {
	switch {
	case r == RoleAdmin || r == need:
		return true
	case need == RoleViewer:
		return r == RoleScheduler || r == RoleIngest
	}
	return false
}

// Key is an API key. Only the SHA-256 hash of its token is stored.
type Key struct {
	ID        int64
	Name      string
	Role      Role
	Hash      []byte // SHA-256 of the token
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
	ExpiresAt time.Time // zero: never
	// Area is the id of the area the key is scoped to: it reads only
	// inside it and writes only inside it. "": the whole service.
	Area string
}

// Expired reports whether the key has expired by now.
func (k Key) Expired(now time.Time) bool { return !k.ExpiresAt.IsZero() && !now.Before(k.ExpiresAt) }

// TokenPrefix starts every token, so a leaked one is easy to recognise.
const TokenPrefix = "hs_"

// NewToken returns a fresh random token (160 bits) and its hash.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return token, HashToken(token)
}

// HashToken returns the stored form of a token. Tokens are long random
// strings, so a fast hash is enough; a slow password hash would add nothing.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Validate checks a key's fields.
func (k *Key) Validate() []Problem {
	var ps []Problem
	if reason := CheckID(k.Name); reason != "" {
		ps = append(ps, Problem{Field: "name", Reason: reason})
	}
	if !k.Role.Valid() {
		ps = append(ps, Problem{Field: "role", Reason: "must be one of viewer, scheduler, ingest, admin"})
	}
	if len(k.Hash) != sha256.Size {
		ps = append(ps, Problem{Field: "hash", Reason: "must be a SHA-256 hash"})
	}
	return ps
}
