# hotspot: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/hotspotd
PKGS    := ./...

.PHONY: build run test bench fuzz clean

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

## bench: run the benchmarks (no unit tests)
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Each fuzz target runs alone (go test -fuzz takes one target at a time).
FUZZTIME ?= 10s

## fuzz: run every Fuzz* target for FUZZTIME each (CI runs them for 5s)
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz: $$target ($$pkg, $(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $$pkg; \
		done; \
	done

## clean: remove the binary and the embedded database of `make run`
clean:
	rm -rf bin var
