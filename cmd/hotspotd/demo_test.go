package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// seeded is the make-run demo year written once to a store and shared by
// the tests that read it as its users would (the console, GDAL): writing
// it takes a minute or two, serving it again seconds. TestMain removes it.
var seeded struct {
	once     sync.Once
	bin, dir string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seeded.dir != "" {
		os.RemoveAll(seeded.dir)
	}
	os.Exit(code)
}

// seededDemo returns a built binary and a directory whose store holds the
// demo year, writing it on first use.
func seededDemo(t testing.TB) (bin, dir string) {
	t.Helper()
	seeded.once.Do(func() {
		if seeded.dir, seeded.err = os.MkdirTemp("", "hotspot-demo-"); seeded.err != nil {
			return
		}
		seeded.bin = filepath.Join(seeded.dir, "hotspotd")
		if out, err := exec.Command("go", "build", "-o", seeded.bin, ".").CombinedOutput(); err != nil {
			seeded.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		start := time.Now()
		d := startDemoIn(seeded.bin, seeded.dir)
		if d.err == nil {
			d.err = awaitReady(d.base, 5*time.Minute)
		}
		if d.cmd != nil {
			d.cmd.Process.Signal(syscall.SIGTERM)
			d.cmd.Wait()
		}
		seeded.err = d.err
		fmt.Fprintf(os.Stderr, "the demo year was written to %s in %s\n", seeded.dir, time.Since(start).Round(time.Second))
	})
	if seeded.err != nil {
		t.Fatalf("the shared demo store: %v", seeded.err)
	}
	return seeded.bin, seeded.dir
}
