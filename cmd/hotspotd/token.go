package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// token manages API keys: create (the key is printed as the last line), list
// and revoke.
func token(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("token needs a command: create, list or revoke")
	}
	var c config
	var role, name, expires, area string
	fs := newFlags("token "+args[0], stderr)
	c.storeFlags(fs)
	if args[0] == "create" {
		fs.StringVar(&role, "role", "", "viewer, scheduler, ingest or admin")
		fs.StringVar(&name, "name", "", "who or what the key is for")
		fs.StringVar(&expires, "expires", "", "how long the key is good for, e.g. 90d or 12h; default: until revoked")
		fs.StringVar(&area, "area", "", "scope the key to this area (e.g. street:dazhigu; see hotspotd areas list): it reads and writes only inside it")
	}
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch args[0] {
	case "create":
		var until time.Time
		if expires != "" {
			d, err := parseDays(expires)
			if err != nil {
				return err
			}
			until = time.Now().Add(d)
		}
		if err := seed.Load(ctx, s); err != nil { // the default area, on a store not yet served
			return err
		}
		scope := ""
		if area != "" {
			scope = ", area " + area
		}
		tok, err := createKey(ctx, s, data.Key{Role: data.Role(role), Name: name, ExpiresAt: until, Area: area},
			cliAudit("key.create", "role "+role+", name "+name+", "+when(until)+scope))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created a %s key named %q%s, good %s; it is shown once, store it now:\n%s\n", role, name, scope, when(until), tok)
		return nil
	case "list":
		return listKeys(ctx, s, stdout)
	case "revoke":
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("token revoke needs a key id (see token list)")
		}
		return s.RevokeKey(ctx, id, cliAudit("key.revoke", ""))
	}
	return fmt.Errorf("unknown token command %q: use create, list or revoke", args[0])
}

// when says how long a key is good for.
func when(until time.Time) string {
	if until.IsZero() {
		return "until revoked"
	}
	return "until " + until.Format(time.DateTime)
}

// cliAudit is the audit entry of an admin action of a hotspotd command,
// with the user who ran it; the store records it with the action.
func cliAudit(action, detail string) data.AuditEntry {
	who := "cli"
	if u, err := user.Current(); err == nil {
		who = "cli (" + u.Username + ")"
	}
	return data.AuditEntry{Actor: who, Action: action, Detail: detail}
}

// parseDays reads a duration as Go writes them (12h, 90m), or in days (90d).
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err == nil && days > 0 {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("-expires %q: give a positive duration such as 90d or 12h", s)
	}
	return d, nil
}

// createKey stores a new key like k (its role, name and expiry) and
// returns its token.
func createKey(ctx context.Context, s data.KeyStore, k data.Key, a data.AuditEntry) (string, error) {
	tok, hash := data.NewToken()
	k.Hash = hash
	_, err := s.CreateKey(ctx, k, a)
	if err != nil {
		return "", err
	}
	return tok, nil
}

func listKeys(ctx context.Context, s data.KeyStore, w io.Writer) error {
	ks, err := s.Keys(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-4s %-10s %-25s %-20s %-20s %-20s %s\n", "ID", "ROLE", "NAME", "AREA", "CREATED", "EXPIRES", "REVOKED")
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format(time.DateTime)
	}
	for _, k := range ks {
		fmt.Fprintf(w, "%-4d %-10s %-25s %-20s %-20s %-20s %s\n", k.ID, k.Role, k.Name, cmp.Or(k.Area, "-"), k.CreatedAt.Format(time.DateTime), stamp(k.ExpiresAt), stamp(k.RevokedAt))
	}
	return nil
}
