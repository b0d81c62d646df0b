# hotspot: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/hotspotd
PKGS    := ./...

.PHONY: build run test bench fuzz clean vendor reliability

## build: compile the service into bin/hotspotd (cgo: h3 needs a C compiler)
build:
	$(GO) build -o $(BIN) ./cmd/hotspotd

## run: build, seed the demo on first start, serve, print the console URL and a key
run: build
	./$(BIN) serve -demo

# In CI (CI set) tests run verbosely, so the log shows each contract subtest
# passing against PostgreSQL rather than a bare "ok".
TESTFLAGS ?= -count=1 -timeout 9m $(if $(CI),-v)

## test: vet and run every test; set HOTSPOT_TEST_DB=postgres://… to include PostgreSQL
test:
	$(GO) vet $(PKGS)
	$(GO) test $(TESTFLAGS) $(PKGS)

## reliability: kill -9 trials (KILL_TRIALS=10 a store and kind), outages (also under load), bounds, hostile input and reads under writes (a few minutes; loopback; HOTSPOT_TEST_DB for PostgreSQL)
KILL_TRIALS ?= 10
reliability:
	HOTSPOT_KILL_TRIALS=$(KILL_TRIALS) $(GO) test -count=1 -v -timeout 20m \
		-run 'TestKillDuringIngest|TestServeWaitsForTheStore|TestOutage|TestStoreOutage|TestAnalysesAreBounded|TestKeyRateLimit|TestBadInput|TestHygiene|TestRoadsAreBounded|TestBackupRestore|TestImportCharsetAndGzip' \
		-bench 'ReadsUnderWrites' -benchtime 1x \
		./cmd/hotspotd ./data/postgres ./api

## bench: run the benchmarks (no unit tests)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 40m $(PKGS)

# Each fuzz target runs alone (go test -fuzz takes one target at a time).
FUZZTIME ?= 10s

## fuzz: run every Fuzz* target for FUZZTIME each (CI runs them for 5s)
# Go 1.26's fuzz coordinator can report "context deadline exceeded" when
# -fuzztime ends while a worker is mid-input (golang/go#75804, fixed in Go
# 1.27): with no failing input written, that is not a finding and the
# target is run once more; a failing input, or any other failure, fails.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			for try in 1 2; do \
				echo "fuzz: $$target ($$pkg, $(FUZZTIME))"; \
				if out=$$($(GO) test -run '^$$$$' -fuzz "^$$target\$$$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $$pkg 2>&1); then \
					echo "$$out" | tail -2; break; fi; \
				echo "$$out"; \
				if [ $$try = 1 ] && echo "$$out" | grep -q 'context deadline exceeded' && ! echo "$$out" | grep -q 'Failing input written'; then \
					echo "fuzz: $$target: the -fuzztime deadline race of Go 1.26 (golang/go#75804), no failing input; once more"; continue; fi; \
				exit 1; \
			done; \
		done; \
	done

# MapLibre GL JS, served by the console from api/console/vendor/ (committed:
# building needs only Go). The pin and its integrity are npm's dist.integrity.
MAPLIBRE_VERSION   := 6.20.0
MAPLIBRE_INTEGRITY := sha512-7manvqXeNoN0mKRzenYDopkb3VW9j7iag45RvopkOVFZ7c+La7CBWtK8eBS5bKrI6NyxqAIxPxIG1PMcotcY1w==
VENDOR             := api/console/vendor

## vendor: re-fetch the pinned MapLibre GL JS with npm, check its sha512, copy its dist files into api/console/vendor
vendor:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tgz=$$(cd "$$tmp" && npm pack --silent maplibre-gl@$(MAPLIBRE_VERSION)); \
	got="sha512-$$(openssl dgst -sha512 -binary "$$tmp/$$tgz" | base64 -w0)"; \
	if [ "$$got" != "$(MAPLIBRE_INTEGRITY)" ]; then echo "vendor: $$tgz is $$got, want $(MAPLIBRE_INTEGRITY)" >&2; exit 1; fi; \
	tar -xzf "$$tmp/$$tgz" -C "$$tmp"; \
	mkdir -p $(VENDOR); \
	cp "$$tmp/package/dist/maplibre-gl.mjs" "$$tmp/package/dist/maplibre-gl-worker.mjs" "$$tmp/package/dist/maplibre-gl.css" $(VENDOR)/; \
	cp "$$tmp/package/LICENSE.txt" $(VENDOR)/LICENSE.txt; \
	printf 'maplibre-gl %s %s\n' $(MAPLIBRE_VERSION) $(MAPLIBRE_INTEGRITY) > $(VENDOR)/VERSION; \
	echo "vendor: maplibre-gl $(MAPLIBRE_VERSION) ($$got) in $(VENDOR)"

## clean: remove the binary and the embedded database of `make run`
clean:
	rm -rf bin var
