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

.PHONY: all build deps demo test bench clean help

all: build

help:
	@echo "make demo   install missing packages, build, synthesise and import sample data, print the summary"
	@echo "make test   build and run every test"
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

test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	@set -o pipefail; $(SWIFT) test $(TEST_FLAGS) --skip-build --disable-swift-testing 2>&1 | tee .build/test.log
	@awk -f scripts/test-summary.awk .build/test.log

bench: build
	Benchmarks/run.sh

clean:
	rm -rf .build $(DEMO_DIR)
