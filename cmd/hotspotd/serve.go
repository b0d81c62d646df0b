package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/api"
)

// shutdownGrace is how long in-flight requests may take after a signal.
const shutdownGrace = 15 * time.Second

// serve runs the HTTP server until ctx ends, then drains in-flight requests.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	var d demoFlags
	fs := newFlags("serve", stderr)
	c.storeFlags(fs)
	c.webFlags(fs)
	c.ingestFlags(fs)
	c.limitFlags(fs)
	c.consoleFlags(fs)
	fs.BoolVar(&d.enabled, "demo", false, "on an empty store, load a year of demo data and print a viewer key")
	d.register(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	log := c.logger(stderr)
	s, area, err := c.openSeeded(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "hotspot is listening on %s (store: %s)\n", url, storeName(&c))

	loading := &demoLoad{}
	bg, stopBG := context.WithCancel(context.Background())
	defer stopBG()
	if d.enabled {
		if err := d.announce(ctx, s, url, stdout); err != nil {
			ln.Close()
			return err
		}
		if err := loading.startIfEmpty(bg, s, d, log, stdout); err != nil {
			ln.Close()
			return err
		}
	} else {
		fmt.Fprintf(stdout, "Console: %s (create a key: hotspotd token create -role viewer -name NAME)\n", url)
	}
	engine := analytics.New(analytics.Options{Source: s, Boundary: area})
	var built atomic.Bool
	go followFeed(bg, engine, log, &built)
	ready := func() error {
		if !built.Load() {
			return errors.New("building the analytic index")
		}
		return loading.ready()
	}
	srv := &http.Server{
		Handler: api.New(api.Options{Store: s, Logger: log, Registry: prometheus.NewRegistry(),
			Ready: ready, Area: area, Limits: api.Limits{MaxBody: c.MaxBody, MaxRecords: c.MaxRecords, MaxFeatures: c.MaxFeatures},
			Engine: engine, Dwell: c.Dwell, Console: c.Console, CORSOrigins: c.corsOrigins()}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "grace", shutdownGrace)
	stopBG()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	loading.wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// feedPoll is how often the analytic index reads the change feed for rows
// it has not seen (written by the demo loader, imports or other instances).
const feedPoll = 2 * time.Second

// followFeed builds the analytic index from the store and keeps it in step
// until ctx ends. Requests also catch it up before they read it.
// built is set once the first build is done, for readiness.
func followFeed(ctx context.Context, engine *analytics.Engine, log *slog.Logger, built *atomic.Bool) {
	start := time.Now()
	if err := engine.CatchUp(ctx); err != nil && ctx.Err() == nil {
		log.Error("build the analytic index", "err", err)
	}
	built.Store(true)
	n, dwell := engine.Size()
	log.Info("analytic index built", "violations", n, "dwell_hours", int(dwell/3600), "took", time.Since(start).Round(time.Millisecond))
	t := time.NewTicker(feedPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := engine.CatchUp(ctx); err != nil && ctx.Err() == nil {
				log.Warn("follow the change feed", "err", err)
			}
		}
	}
}

func storeName(c *config) string {
	if c.postgres() {
		return "PostgreSQL"
	}
	return "embedded SQLite at " + c.DB
}
