package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

// demoFlags configure the demo data and the demo keys.
type demoFlags struct {
	enabled          bool
	seed             uint64
	days             int
	keyFile          string // the viewer key
	schedulerKeyFile string
}

func (d *demoFlags) register(fs *flag.FlagSet) {
	fs.Uint64Var(&d.seed, "demo.seed", 2026, "seed of the demo generator (same seed, same data)")
	fs.IntVar(&d.days, "demo.days", 365, "days of demo data, ending today")
	fs.StringVar(&d.keyFile, "demo.key-file", "var/demo-viewer.key",
		"file that keeps the demo viewer key between runs (keys are stored hashed)")
	fs.StringVar(&d.schedulerKeyFile, "demo.scheduler-key-file", "var/demo-scheduler.key",
		"file that keeps the demo scheduler key (patrol plans, merchant records) between runs")
}

func (d demoFlags) options(progress func(demo.Progress)) demo.Options {
	return demo.Options{Seed: d.seed, Days: d.days, Progress: progress}
}

// demoCmd writes the demo data in the foreground, printing each committed
// batch; re-running it is harmless (records carry stable source ids).
func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	var d demoFlags
	fs := newFlags("demo", stderr)
	c.storeFlags(fs)
	d.register(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := writeDemo(ctx, s, d, func(p demo.Progress) {
		fmt.Fprintf(stdout, "committed violations=%d tracks=%d last_violation_id=%d\n", p.Violations, p.Tracks, p.LastViolationID)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data written: %+v\n", sum)
	return nil
}

func writeDemo(ctx context.Context, s data.Store, d demoFlags, progress func(demo.Progress)) (demo.Summary, error) {
	if err := seed.Load(ctx, s); err != nil {
		return demo.Summary{}, err
	}
	roads, err := s.Roads(ctx)
	if err != nil {
		return demo.Summary{}, err
	}
	return demo.Generate(ctx, s, roads, d.options(progress))
}

// announce prints the console URL with the demo scheduler key (a
// scheduler sees the maps and the recommendations), and the viewer and
// scheduler keys, reusing the keys kept in their files when the store still
// knows them.
func (d demoFlags) announce(ctx context.Context, s data.KeyStore, url string, w io.Writer) error {
	viewer, err := demoKey(ctx, s, d.keyFile, data.RoleViewer)
	if err != nil {
		return err
	}
	scheduler, err := demoKey(ctx, s, d.schedulerKeyFile, data.RoleScheduler)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Console:       %s#key=%s\nViewer key:    %s (maps and reads)\n"+
		"Scheduler key: %s (also patrol plans, pilot zones, merchant records)\n"+
		"GIS (QGIS, GDAL): OAPIF:%sogc?api_key=%s\n", url, scheduler, viewer, scheduler, url, viewer)
	return nil
}

// demoKey returns the key kept in path, or creates one of role "demo-ROLE"
// and keeps it there.
func demoKey(ctx context.Context, s data.KeyStore, path string, role data.Role) (string, error) {
	tok, err := os.ReadFile(path)
	token := strings.TrimSpace(string(tok))
	if err == nil && token != "" {
		if k, err := s.KeyByHash(ctx, data.HashToken(token)); err == nil && k.Role == role {
			return token, nil
		}
	}
	token, err = createKey(ctx, s, data.Key{Role: role, Name: "demo-" + string(role)}, data.AuditEntry{})
	if err != nil {
		return "", err
	}
	return token, writeSecret(path, token)
}

func writeSecret(path, secret string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(secret+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// demoLoad tracks demo data loading in the background of serve.
type demoLoad struct {
	mu       sync.Mutex
	running  bool
	err      error
	progress demo.Progress
	done     chan struct{}
}

// startIfEmpty loads the demo in the background when the store holds no
// violations yet.
func (l *demoLoad) startIfEmpty(ctx context.Context, s data.Store, d demoFlags, log *slog.Logger, w io.Writer) error {
	vs, err := s.Violations(ctx, data.ViolationFilter{Limit: 1})
	if err != nil || len(vs) > 0 {
		return err
	}
	fmt.Fprintln(w, "Loading a year of demo data in the background; /readyz answers 200 when done.")
	l.running, l.done = true, make(chan struct{})
	go func() {
		defer close(l.done)
		sum, err := writeDemo(ctx, s, d, func(p demo.Progress) {
			l.mu.Lock()
			l.progress = p
			l.mu.Unlock()
		})
		l.mu.Lock()
		l.running, l.err = false, err
		l.mu.Unlock()
		if err != nil {
			log.Error("demo data failed", "err", err)
			return
		}
		log.Info("demo data loaded", "violations", sum.Violations, "tracks", sum.Tracks)
		fmt.Fprintln(w, "Demo data loaded.")
	}()
	return nil
}

// ready is nil once no demo is loading.
func (l *demoLoad) ready() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.running:
		return fmt.Errorf("demo data still loading (%d violations, %d tracks so far)", l.progress.Violations, l.progress.Tracks)
	case l.err != nil && !errors.Is(l.err, context.Canceled):
		return fmt.Errorf("demo data failed to load: %v", l.err)
	}
	return nil
}

func (l *demoLoad) wait() {
	if l.done != nil {
		<-l.done
	}
}
