package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/ingest"
	"github.com/dazhigu/hotspot/data/seed"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dazhigu/hotspot/data/sqlite"
	"github.com/dazhigu/hotspot/geo"
)

// importRun runs `hotspotd import args...` against the store in db.
func importRun(t *testing.T, db string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"import"}, args...)
	full = append(full, "-store.db", db)
	err = run(context.Background(), full, &out, &errb)
	return out.String(), errb.String(), err
}

// openImported opens the store an import wrote, for checking.
func openImported(t *testing.T, db string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// storedCount is the number of violations in db; 0 when it was never created.
func storedCount(t *testing.T, db string) int {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return 0
	}
	s := openImported(t, db)
	n := countViolations(t, s)
	s.Close()
	return n
}

// violationLine is one valid NDJSON violation, near 大直沽中路, observed in
// May 2026 (Beijing time).
func violationLine(t testing.TB, i int, cats []data.Category, extra string) string {
	t.Helper()
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)).Add(time.Duration(i) * time.Minute)
	lon := 117.226 + 0.002*math.Sin(float64(i))
	lat := 39.114 + 0.0015*math.Cos(float64(i)*0.7)
	return fmt.Sprintf(`{"source":"patrol","source_id":"imp-%d","category":%q,"observed_at":%q,"lon":%.6f,"lat":%.6f%s}`,
		i, cats[i%len(cats)].Code, at.Format(time.RFC3339), lon, lat, extra)
}

// writeViolations writes n NDJSON violations to a file in dir; bad(i), when
// it returns a line, replaces record i (1-based).
func writeViolations(t testing.TB, path string, n int, bad func(i int) string, extra string) {
	t.Helper()
	cats, err := seed.Categories()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for i := 1; i <= n; i++ {
		line := ""
		if bad != nil {
			line = bad(i)
		}
		if line == "" {
			line = violationLine(t, i, cats, extra)
		}
		fmt.Fprintln(w, line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("%s does not contain %q:\n%s", what, want, got)
		}
	}
}

// TestImportNDJSON imports 5,000 violations, then the same file again: the
// second run stores nothing new.
func TestImportNDJSON(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "v.ndjson")
	writeViolations(t, file, 5000, nil, "")

	out, errOut, err := importRun(t, db, "violations", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	mustContain(t, "summary", out, "imported violations from "+file+": read 5000, stored 5000 (created 5000, already stored 0), rejected 0 in ")
	if errOut != "" {
		t.Errorf("stderr is not a terminal, yet has %q", errOut)
	}
	if got, want := storedCount(t, db), 5000; got != want {
		t.Fatalf("store holds %d violations, want %d", got, want)
	}

	out, _, err = importRun(t, db, "violations", "-batch", "700", file)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	mustContain(t, "re-import summary", out, "read 5000, stored 5000 (created 0, already stored 5000), rejected 0")
	if got, want := storedCount(t, db), 5000; got != want {
		t.Fatalf("after re-import the store holds %d violations, want %d", got, want)
	}
}

// TestImportCSV reads the Chinese coordinate headers platforms export.
func TestImportCSV(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "export.CSV")
	csv := "source,source_id,category,observed_at,经度,纬度\n" +
		"hotline,12345001,dumping,2026-05-12 22:10:00+08:00,117.2301,39.1133\n" +
		"patrol,fx-1,street-vending,2026-05-12T07:45:10+08:00,117.22712,39.11471\n" +
		"camera,cam-9-001,outside-shop,2026-05-13T10:00:00Z,117.2262,39.1158\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := importRun(t, db, "violations", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	mustContain(t, "summary", out, "read 3, stored 3 (created 3, already stored 0), rejected 0")
	vs, err := openImported(t, db).Violations(context.Background(), data.ViolationFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 {
		t.Fatalf("%d violations stored, want 3", len(vs))
	}
	got := vs[0]
	if got.Source != "hotline" || got.SourceID != "12345001" || got.Category != "dumping" ||
		got.Point != (orb.Point{117.2301, 39.1133}) || !got.Cell.IsValid() {
		t.Errorf("first violation = %+v, want hotline 12345001 dumping at 117.2301 39.1133, placed", got)
	}
}

// TestImportInvalidRecord: one bad record in the middle stops the whole
// file, unless -partial, which stores the others and names the bad one.
func TestImportInvalidRecord(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "v.ndjson")
	writeViolations(t, file, 5000, func(i int) string {
		if i == 2500 {
			return `{"source":"patrol","source_id":"imp-2500","category":"no-such-thing","observed_at":"2026-05-01T08:00:00+08:00","lon":117.226,"lat":39.114}`
		}
		return ""
	}, "")

	out, errOut, err := importRun(t, db, "violations", file)
	if err == nil {
		t.Fatal("import of a file with an invalid record succeeded; want an error")
	}
	mustContain(t, "error", err.Error(), "1 of 5000 records", "nothing was stored", "-partial")
	mustContain(t, "stderr", errOut, "record 2500: category: is not a code of the taxonomy")
	mustContain(t, "summary", out, "stopped importing violations", "read 5000, stored 0", "rejected 1")
	if got := storedCount(t, db); got != 0 {
		t.Fatalf("all-or-nothing import failed, yet the store holds %d violations", got)
	}

	// Flags may follow FILE.
	out, errOut, err = importRun(t, db, "violations", "-batch", "300", file, "-partial")
	if err != nil {
		t.Fatalf("-partial import: %v\n%s", err, errOut)
	}
	mustContain(t, "stderr", errOut, "record 2500: category:")
	mustContain(t, "summary", out, "read 5000, stored 4999 (created 4999, already stored 0), rejected 1")
	if got, want := storedCount(t, db), 4999; got != want {
		t.Fatalf("store holds %d violations, want %d", got, want)
	}
}

// TestImportProblemCap prints the first 50 problems and counts the rest.
func TestImportProblemCap(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "v.ndjson")
	writeViolations(t, file, 200, func(i int) string {
		if i%3 == 0 { // 66 records without a category
			return fmt.Sprintf(`{"source":"patrol","source_id":"x-%d","observed_at":"2026-05-01T08:00:00+08:00","lon":117.226,"lat":39.114}`, i)
		}
		return ""
	}, "")
	_, errOut, err := importRun(t, db, "violations", "-batch", "7", file)
	if err == nil {
		t.Fatal("want an error")
	}
	lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
	if got, want := len(lines), maxShownProblems+1; got != want {
		t.Fatalf("%d lines on stderr, want %d:\n%s", got, want, errOut)
	}
	if got, want := lines[0], "record 3: category: is required"; !strings.HasPrefix(got, want) {
		t.Errorf("first problem %q, want it to start %q", got, want)
	}
	if got, want := lines[maxShownProblems], "… and 16 more"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
}

// TestImportFatal: input that cannot be read on stops the import; -partial
// keeps what was stored before the break, and says so.
func TestImportFatal(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "v.geojson")
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 1; i <= 30; i++ {
		at := time.Date(2026, 5, 1, 8, i, 0, 0, time.FixedZone("CST", 8*3600))
		fmt.Fprintf(&b, `{"type":"Feature","geometry":{"type":"Point","coordinates":[117.226,39.114]},"properties":{"source":"camera","source_id":"c-%d","category":"dumping","observed_at":%q}},`,
			i, at.Format(time.RFC3339))
	}
	b.WriteString(`{"type":"Feature", "geometry": {`) // cut off
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		stored int
		want   string
	}{
		{"all or nothing", nil, 0, "cannot be read past record 31: malformed JSON"},
		{"partial", []string{"-partial", "-batch", "10"}, 30, "the 30 violations stored before it stay stored"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "hs.db")
			args := append([]string{"violations"}, c.args...)
			_, _, err := importRun(t, db, append(args, file)...)
			if err == nil {
				t.Fatal("want an error")
			}
			mustContain(t, "error", err.Error(), c.want)
			if got := storedCount(t, db); got != c.stored {
				t.Fatalf("store holds %d violations, want %d", got, c.stored)
			}
		})
	}
}

// TestImportTracksGPX imports a GPX walk for the officer given on the
// command line.
func TestImportTracksGPX(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hs.db")
	file := filepath.Join("..", "..", "data", "ingest", "testdata", "walk.gpx")
	out, errOut, err := importRun(t, db, "tracks", "-officer", "zf-01", "-source-id", "walk-0511", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	mustContain(t, "summary", out, "imported tracks from "+file+": read 1, stored 1 (created 1, already stored 0), rejected 0; 40 fixes, ")
	if m := regexp.MustCompile(`([\d.]+) presence hours`).FindStringSubmatch(out); m == nil || m[1] == "0.0" {
		t.Errorf("summary counts no presence: %s", out)
	}
	ts, err := openImported(t, db).Tracks(context.Background(), data.TrackFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Officer != "zf-01" || ts[0].SourceID != "walk-0511" || ts[0].NFixes != 40 || ts[0].Seconds <= 0 {
		t.Fatalf("tracks = %+v, want one of zf-01, walk-0511, 40 fixes, with dwell", ts)
	}
	out, _, err = importRun(t, db, "tracks", "-officer", "zf-01", "-source-id", "walk-0511", file)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "re-import summary", out, "stored 1 (created 0, already stored 1)")
}

// TestImportCRS converts GCJ-02 input to WGS-84.
func TestImportCRS(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "amap.jsonl")
	in := orb.Point{117.2320, 39.1125} // GCJ-02, as Amap reports it
	line := fmt.Sprintf(`{"source":"citizen","source_id":"amap-1","category":"dumping","observed_at":"2026-05-01T08:00:00+08:00","lon":%.7f,"lat":%.7f}`+"\n", in[0], in[1])
	if err := os.WriteFile(file, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := importRun(t, db, "violations", "-crs", "gcj02", file); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	vs, err := openImported(t, db).Violations(context.Background(), data.ViolationFilter{Limit: 1})
	if err != nil || len(vs) != 1 {
		t.Fatalf("violations: %v, %v", vs, err)
	}
	want := geo.ToWGS84(in, geo.GCJ02)
	if got := vs[0].Point; math.Abs(got[0]-want[0]) > 1e-7 || math.Abs(got[1]-want[1]) > 1e-7 {
		t.Errorf("stored point %v, want %v (GCJ-02 %v in WGS-84)", got, want, in)
	}
	if d := math.Hypot(want[0]-in[0], want[1]-in[1]); d < 1e-3 {
		t.Fatalf("GCJ-02 offset of %g° is too small for this test to tell", d)
	}
	if vs[0].Datum != geo.GCJ02 {
		t.Errorf("datum %q, want %q", vs[0].Datum, geo.GCJ02)
	}
}

// TestImportStdin reads standard input in one pass, only with -partial.
func TestImportStdin(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "v.ndjson")
	writeViolations(t, file, 20, nil, "")
	if _, _, err := importRun(t, db, "violations", "-format", "ndjson", "-"); err == nil ||
		!strings.Contains(err.Error(), "standard input can be read only once") {
		t.Fatalf("stdin without -partial: %v, want the read-once error", err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stdin := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = stdin }()
	out, errOut, err := importRun(t, db, "violations", "-format", "ndjson", "-partial", "-")
	if err != nil {
		t.Fatalf("stdin with -partial: %v\n%s", err, errOut)
	}
	mustContain(t, "summary", out, "imported violations from standard input: read 20, stored 20")
}

// TestImportArgs covers what is refused before anything is read.
func TestImportArgs(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"v.txt", "v.ndjson", "t.gpx"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown extension", []string{"violations", in("v.txt")}, "cannot tell the format"},
		{"stdin without format", []string{"violations", "-partial", "-"}, "give -format"},
		{"gpx violations", []string{"violations", in("t.gpx")}, "violations are read from geojson, ndjson or csv"},
		{"csv tracks", []string{"tracks", "-format", "csv", in("v.ndjson")}, "tracks are read from geojson, gpx or ndjson"},
		{"bad crs", []string{"violations", "-crs", "WGS84", in("v.ndjson")}, "-crs"},
		{"bad batch", []string{"violations", "-batch", "0", in("v.ndjson")}, "-batch"},
		{"no kind", []string{in("v.ndjson")}, "say what FILE holds"},
		{"no file", []string{"violations"}, "give the FILE"},
		{"two files", []string{"violations", in("v.ndjson"), in("v.ndjson")}, "one FILE at a time"},
		{"missing file", []string{"violations", in("none.ndjson")}, "no such file"},
		{"officer for violations", []string{"violations", "-officer", "x", in("v.ndjson")}, "not defined"},
		{"empty file", []string{"violations", in("v.ndjson")}, "holds no violations"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := importRun(t, filepath.Join(t.TempDir(), "hs.db"), c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestImportProgress draws the progress line on a "terminal" and clears it
// at the end.
func TestImportProgress(t *testing.T) {
	var buf syncBuffer
	m := newMeter(&buf, true, time.Millisecond)
	m.start()
	m.startPass(2, 2, true, 1000)
	m.bytes.Store(250)
	m.read.Store(40)
	m.stored.Store(30)
	time.Sleep(20 * time.Millisecond)
	m.problems([]data.Problem{{Record: 7, Field: "lon/lat", Reason: "lies far away"}})
	time.Sleep(20 * time.Millisecond)
	m.stop()
	got := buf.String()
	mustContain(t, "progress", got, "\r\033[Kpass 2/2 storing: read 40, stored 30, rejected 0, 25%, ",
		"\r\033[Krecord 7: lon/lat: lies far away\n")
	if !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("progress line not cleared at the end: %q", got)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestImportStreams imports a 50 MB file of 30,000 violations 500 at a
// time and checks that the live heap (sampled after a collection) never
// grows by a fifth of the file: records are held a chunk at a time. The
// importer is built by hand so that the heap is measured from when the store
// is open and the rules (key roads with their segments) are loaded.
func TestImportStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 records")
	}
	const n = 30000
	ctx := context.Background()
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "big.ndjson")
	writeViolations(t, file, n, nil, `,"attributes":{"note":"`+strings.Repeat("x", 1500)+`"}`)
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	s := openImported(t, db)
	if err := seed.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	rules, err := ingest.LoadRules(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	im := &importer{kind: "violations", path: file, name: file, format: "ndjson", datum: geo.WGS84,
		batch: 500, store: s, rules: rules, meter: newMeter(io.Discard, false, progressEvery)}

	var ms runtime.MemStats
	runtime.GC()
	runtime.GC() // and what finalizers released
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	start := time.Now()
	tally, err := im.run(ctx)
	close(stop)
	<-done
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if tally.created != n {
		t.Fatalf("created %d, want %d", tally.created, n)
	}
	grew := int64(peak.Load()) - int64(base)
	t.Logf("%s; live heap grew by at most %.1f MB importing %.1f MB",
		tally.summary("violations", time.Since(start)), float64(grew)/1e6, float64(st.Size())/1e6)
	if limit := st.Size() / 5; grew > limit {
		t.Errorf("live heap grew by %d bytes importing a %d-byte file, want under %d: the import does not stream", grew, st.Size(), limit)
	}
}

// TestImportRepeatAcrossChunks: a (source, source_id) that repeats an
// earlier record of the file is refused as in one batch, even when the two
// fall in different chunks.
func TestImportRepeatAcrossChunks(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "hs.db"), filepath.Join(dir, "v.ndjson")
	cats, err := seed.Categories()
	if err != nil {
		t.Fatal(err)
	}
	writeViolations(t, file, 1000, func(i int) string {
		if i == 900 {
			return violationLine(t, 10, cats, "") // record 10 again, nine chunks later
		}
		return ""
	}, "")
	_, errOut, err := importRun(t, db, "violations", "-batch", "100", file)
	if err == nil {
		t.Fatal("a file repeating a record across chunks was imported; want an error")
	}
	mustContain(t, "stderr", errOut, "record 900: source_id: repeats record 10")
	if got := storedCount(t, db); got != 0 {
		t.Fatalf("the store holds %d violations, want none", got)
	}
}

// TestImportCharsetAndGzip: import reads a file as the API reads a body
// (ingest.Decode): a GBK export with -charset gbk, a gzip file, and it
// refuses UTF-8 text labelled GBK, storing nothing.
func TestImportCharsetAndGzip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hs.db")
	csv := "source,source_id,category,observed_at,经度,纬度,地址\n" +
		"hotline,gbk-1,dumping,2026-05-12 22:10:00+08:00,117.2301,39.1133,津塘路12号\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	gbkFile, utf8File, gzFile := filepath.Join(dir, "gbk.csv"), filepath.Join(dir, "utf8.csv"), filepath.Join(dir, "export.csv.gz")
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(strings.ReplaceAll(csv, "gbk-1", "gz-1")))
	zw.Close()
	for path, body := range map[string][]byte{gbkFile: []byte(gbk), utf8File: []byte(csv), gzFile: z.Bytes()} {
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if _, _, err := importRun(t, db, "violations", gbkFile); err == nil {
		t.Fatal("a GBK file read as UTF-8 was imported: its Chinese headers cannot have been read")
	}
	if _, _, err := importRun(t, db, "violations", "-charset", "gbk", utf8File); err == nil ||
		!strings.Contains(err.Error(), "UTF-8") || storedCount(t, db) != 0 {
		t.Fatalf("UTF-8 labelled GBK: %v, %d stored; want a refusal naming UTF-8, nothing stored", err, storedCount(t, db))
	}
	if out, errOut, err := importRun(t, db, "violations", "-charset", "gbk", gbkFile); err != nil {
		t.Fatalf("import -charset gbk: %v\n%s", err, errOut)
	} else {
		mustContain(t, "summary", out, "stored 1 (created 1")
	}
	if out, errOut, err := importRun(t, db, "violations", gzFile); err != nil {
		t.Fatalf("import of a .csv.gz: %v\n%s", err, errOut)
	} else {
		mustContain(t, "summary", out, "stored 1 (created 1")
	}
	vs, err := openImported(t, db).Violations(context.Background(), data.ViolationFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if !strings.Contains(string(v.Attributes), "津塘路12号") {
			t.Errorf("violation %s: attributes %v, want the address 津塘路12号 read right", v.SourceID, v.Attributes)
		}
	}
}
