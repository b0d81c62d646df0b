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
	"github.com/dazhigu/hotspot/data"
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
	area, err := c.area()
	if err != nil {
		return err
	}
	s, err := c.openServing(ctx)
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
	if !d.enabled {
		fmt.Fprintf(stdout, "Console: %s (create a key: hotspotd token create -role viewer -name NAME)\n", url)
	}

	// What needs the store waits for it: /healthz answers at once, /readyz
	// says what is awaited until all is done.
	loading := &demoLoad{}
	bg, stopBG := context.WithCancel(context.Background())
	defer stopBG()
	engine := analytics.New(analytics.Options{Source: s, Boundary: area})
	var phase atomic.Pointer[string]
	setPhase := func(p string) { phase.Store(&p) }
	setPhase("waiting for the store")
	fatal := make(chan error, 1)
	go func() {
		if err := awaitStore(bg, log, func(ctx context.Context) error { return c.prepare(ctx, s) }); err != nil {
			fatal <- err
			return
		}
		if d.enabled {
			if err := d.announce(bg, s, url, stdout); err != nil {
				fatal <- err
				return
			}
			if err := loading.startIfEmpty(bg, s, d, log, stdout); err != nil {
				fatal <- err
				return
			}
		}
		setPhase("building the analytic index")
		followFeed(bg, engine, log, func() { setPhase("") })
	}()
	ready := func() error {
		if p := *phase.Load(); p != "" {
			return errors.New(p)
		}
		return loading.ready()
	}
	srv := &http.Server{
		Handler: api.New(api.Options{Store: s, Logger: log, Registry: prometheus.NewRegistry(),
			Ready: ready, Area: area, Limits: api.Limits{MaxBody: c.MaxBody, MaxRecords: c.MaxRecords, MaxFeatures: c.MaxFeatures,
				MaxAnalyses: c.MaxAnalyses, AnalysisTimeout: c.AnalysisTimeout, KeyRate: c.KeyRate, KeyBurst: c.KeyBurst},
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
	case err := <-fatal:
		ln.Close()
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
// until ctx ends; requests also catch it up before they read it. built is
// called once the first build is done, for readiness. A store that stops
// answering is logged when it stops and when it answers again, not on
// every poll.
func followFeed(ctx context.Context, engine *analytics.Engine, log *slog.Logger, built func()) {
	start := time.Now()
	if err := awaitStore(ctx, log, engine.CatchUp); err != nil {
		if ctx.Err() == nil {
			log.Error("build the analytic index", "err", err)
		}
		return
	}
	built()
	n, dwell := engine.Size()
	log.Info("analytic index built", "violations", n, "dwell_hours", int(dwell/3600), "took", time.Since(start).Round(time.Millisecond))
	t := time.NewTicker(feedPoll)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			err := engine.CatchUp(ctx)
			switch {
			case err != nil && ctx.Err() == nil && !failing:
				log.Warn("follow the change feed", "err", err)
				failing = true
			case err == nil && failing:
				log.Info("following the change feed again")
				failing = false
			}
		}
	}
}

// awaitStore runs fn until it succeeds, waiting between tries (250 ms,
// doubling to 5 s) while the store is unavailable; the wait is logged once.
// Any other error, or ctx ending, ends it.
func awaitStore(ctx context.Context, log *slog.Logger, fn func(context.Context) error) error {
	since, wait := time.Now(), 250*time.Millisecond
	for logged := false; ; {
		err := fn(ctx)
		switch {
		case err == nil:
			if logged {
				log.Info("the store answers", "after", time.Since(since).Round(time.Millisecond))
			}
			return nil
		case !data.IsOutage(err) || ctx.Err() != nil:
			return err
		case !logged:
			log.Warn("waiting for the store", "err", err)
			logged = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func storeName(c *config) string {
	if c.postgres() {
		return "PostgreSQL"
	}
	return "embedded SQLite at " + c.DB
}
