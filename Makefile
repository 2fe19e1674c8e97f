# Stratum — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BIN := .build/$(CONFIG)/stratum
DEMO_DIR ?= demo
DEMO_PATIENTS ?= 3000
DEMO_SEED ?= 42
APT_PACKAGES := libsqlite3-dev libgsl-dev libarchive-dev libedit-dev sqlite3 pkg-config
# Tests run optimised (they import real archives) but with testability on.
TEST_FLAGS := -c release -Xswiftc -enable-testing
# The fuzzer (Sources/StratumFuzz) is built with the test flags, so `make test` and `make fuzz`
# share one build. Its inputs are fixed by the seed: a failure replays with --replay SEED INDEX.
FUZZ_BIN := .build/release/stratum-fuzz
FUZZ_SEED ?= 1
FUZZ_ITERATIONS ?= 1000000
FUZZ_TEST_ITERATIONS ?= 20000

.PHONY: all build deps demo test fuzz bench clean help

all: build

help:
	@echo "make demo   install missing packages, build, synthesise and import sample data, print the summary"
	@echo "make test   build and run every test, then a short fuzz run ($(FUZZ_TEST_ITERATIONS) inputs)"
	@echo "make fuzz   fuzz the query language with $(FUZZ_ITERATIONS) generated inputs (FUZZ_SEED=$(FUZZ_SEED))"
	@echo "make bench  run the peer benchmarks (see Benchmarks/README.md)"

## deps: install missing system packages (apt-get when root, else print the command)
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

demo: build
	@mkdir -p $(DEMO_DIR)
	$(BIN) synth --patients $(DEMO_PATIENTS) --seed $(DEMO_SEED) -o $(DEMO_DIR)/sample.tar.gz
	@rm -f $(DEMO_DIR)/pop.sqlite
	$(BIN) import $(DEMO_DIR)/sample.tar.gz --db $(DEMO_DIR)/pop.sqlite
	@for f in Cohorts/*.stratum; do [ -e "$$f" ] || continue; echo "== $$f"; $(BIN) run "$$f" --db $(DEMO_DIR)/pop.sqlite || exit 1; done
	@echo; echo "demo store: $(DEMO_DIR)/pop.sqlite  (try: $(BIN) info --db $(DEMO_DIR)/pop.sqlite)"

# XCTest, then a short fuzz run; the last two lines summarise each ("P passed, F failed, K
# skipped" and "fuzz: N inputs, …"), and the target fails if either did.
test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	@set -o pipefail; status=0; \
	$(SWIFT) test $(TEST_FLAGS) --skip-build --disable-swift-testing 2>&1 | tee .build/test.log || status=1; \
	$(FUZZ_BIN) --iterations $(FUZZ_TEST_ITERATIONS) --seed $(FUZZ_SEED) 2>&1 | tee .build/fuzz.log || status=1; \
	echo; awk -f scripts/test-summary.awk .build/test.log || status=1; \
	grep '^fuzz: ' .build/fuzz.log | tail -n 1 | grep . || echo "fuzz: FAILED (no summary; see .build/fuzz.log)"; \
	exit $$status

fuzz: deps
	$(SWIFT) build $(TEST_FLAGS) --product stratum-fuzz
	$(FUZZ_BIN) --iterations $(FUZZ_ITERATIONS) --seed $(FUZZ_SEED) --progress

bench: build
	Benchmarks/run.sh

clean:
	rm -rf .build $(DEMO_DIR)
