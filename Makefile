# Stratum — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BIN := .build/$(CONFIG)/stratum
DEMO_DIR ?= demo
DEMO_PATIENTS ?= 3000
DEMO_SEED ?= 42
APT_PACKAGES := libsqlite3-dev libgsl-dev libarchive-dev libedit-dev sqlite3 pkg-config python3 python3-venv
# Tests run optimised (they import real archives) but with testability on.
TEST_FLAGS := -c release -Xswiftc -enable-testing
# The Jupyter kernel lives in a virtual environment of its own (Notebooks/README.md).
PYTHON ?= python3
VENV ?= .venv
VENV_PY := $(VENV)/bin/python
KERNEL_DIR := Notebooks/kernel
KERNEL_STAMP := $(VENV)/.stratum-kernel-installed
NOTEBOOK_DB ?= $(DEMO_DIR)/pop.sqlite

# The fuzzer (Sources/StratumFuzz) is built with the test flags, so `make test` and `make fuzz`
# share one build. Its inputs are fixed by the seed: a failure replays with --replay SEED INDEX.
FUZZ_BIN := .build/release/stratum-fuzz
FUZZ_SEED ?= 1
FUZZ_ITERATIONS ?= 1000000
FUZZ_TEST_ITERATIONS ?= 20000

# Peer implementations (scikit-learn, statsmodels, pandas) for the analytics checks and benchmarks.
PEERS_VENV ?= .venv-peers
PEERS_STAMP := $(PEERS_VENV)/.installed

.PHONY: peers
.PHONY: all build deps demo test test-notebooks fuzz bench clean help notebook-kernel notebook-test notebooks

all: build

help:
	@echo "make demo   install missing packages, build, synthesise and import sample data, print the summary"
	@echo "make test   build and run every test, then a short fuzz run ($(FUZZ_TEST_ITERATIONS) inputs)"
	@echo "make fuzz   fuzz the query language with $(FUZZ_ITERATIONS) generated inputs (FUZZ_SEED=$(FUZZ_SEED))"
	@echo "make bench  run the peer benchmarks (see Benchmarks/README.md)"
	@echo "make peers  install scikit-learn, statsmodels and pandas into $(PEERS_VENV) (tests compare against them)"
	@echo "make notebook-kernel  install the Jupyter kernel into $(VENV)"
	@echo "make notebook-test    test the kernel against a mock server (no Swift build needed)"
	@echo "make notebooks        run Notebooks/*.ipynb headless on $(NOTEBOOK_DB)"

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
	@echo; echo "== care gaps, all measures, 2025 (demo value sets)"
	$(BIN) caregaps --db $(DEMO_DIR)/pop.sqlite --measures all --period 2025 --out $(DEMO_DIR)/caregaps
	@echo; echo "demo store: $(DEMO_DIR)/pop.sqlite  (try: $(BIN) info --db $(DEMO_DIR)/pop.sqlite)"
	@echo "care-gap report: $(DEMO_DIR)/caregaps/caregaps.html"

# XCTest, then a short fuzz run; the last two lines summarise each ("P passed, F failed, K
# skipped" and "fuzz: N inputs, …"), and the target fails if either did.
test: deps peers
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	@set -o pipefail; status=0; \
	$(SWIFT) test $(TEST_FLAGS) --skip-build --disable-swift-testing 2>&1 | tee .build/test.log || status=1; \
	$(FUZZ_BIN) --iterations $(FUZZ_TEST_ITERATIONS) --seed $(FUZZ_SEED) 2>&1 | tee .build/fuzz.log || status=1; \
	echo; awk -f scripts/test-summary.awk .build/test.log || status=1; \
	grep '^fuzz: ' .build/fuzz.log | tail -n 1 | grep . || echo "fuzz: FAILED (no summary; see .build/fuzz.log)"; \
	[ $$status = 0 ] || exit 1; \
	$(MAKE) --no-print-directory test-notebooks

## test-notebooks: the kernel's own tests (against a mock server), then every notebook executed
## headless against the real binary on a small synthetic store
NOTEBOOK_TEST_DIR := .build/notebook-test
test-notebooks: notebook-kernel
	@mkdir -p $(NOTEBOOK_TEST_DIR); rm -f $(NOTEBOOK_TEST_DIR)/pop.sqlite
	@$(BIN) synth --patients 500 --seed 11 -o $(NOTEBOOK_TEST_DIR)/sample.tar.gz -q
	@$(BIN) import $(NOTEBOOK_TEST_DIR)/sample.tar.gz --db $(NOTEBOOK_TEST_DIR)/pop.sqlite -q
	@set -o pipefail; STRATUM_PROTOCOL_BIN=$(BIN) STRATUM_PROTOCOL_DB=$(NOTEBOOK_TEST_DIR)/pop.sqlite $(VENV_PY) $(KERNEL_DIR)/tests/run.py 2>&1 | tail -3
	@set -o pipefail; STRATUM_DB=$(NOTEBOOK_TEST_DIR)/pop.sqlite STRATUM_BIN=$(BIN) $(VENV_PY) scripts/run-notebooks.py 2>&1 | grep -v "running over TCP"

## peers: a venv with the pinned peer libraries; a no-op when it is newer than the requirements
peers: $(PEERS_STAMP)

$(PEERS_STAMP): Benchmarks/peers/requirements.txt
	@$(PEERS_VENV)/bin/python -m pip --version >/dev/null 2>&1 || { rm -rf $(PEERS_VENV); $(PYTHON) -m venv $(PEERS_VENV); } || \
	  { echo "cannot create $(PEERS_VENV) with $(PYTHON) -m venv (on Debian: apt-get install -y python3-venv)"; exit 1; }
	$(PEERS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r Benchmarks/peers/requirements.txt
	@touch $@

fuzz: deps
	$(SWIFT) build $(TEST_FLAGS) --product stratum-fuzz
	$(FUZZ_BIN) --iterations $(FUZZ_ITERATIONS) --seed $(FUZZ_SEED) --progress

bench: build peers
	Benchmarks/run.sh

## notebook-kernel: a venv with ipykernel & co. and the `stratum` kernel spec in it; a no-op when
## the stamp is newer than what it was made from
notebook-kernel: $(KERNEL_STAMP)

$(KERNEL_STAMP): $(KERNEL_DIR)/requirements.txt $(KERNEL_DIR)/stratum_kernel/kernel.json $(KERNEL_DIR)/stratum_kernel/install.py
	@$(VENV_PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); } || \
	  { echo "cannot create $(VENV) with $(PYTHON) -m venv (on Debian: apt-get install -y python3-venv)"; exit 1; }
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -r $(KERNEL_DIR)/requirements.txt
	PYTHONPATH=$(KERNEL_DIR) $(VENV_PY) -m stratum_kernel.install --sys-prefix
	@touch $@

notebook-test: notebook-kernel
	$(VENV_PY) $(KERNEL_DIR)/tests/run.py

notebooks: notebook-kernel
	@[ -n "$$STRATUM_DB" ] || [ -f "$(NOTEBOOK_DB)" ] || { echo "no store at $(NOTEBOOK_DB): run make demo, or set STRATUM_DB"; exit 1; }
	STRATUM_DB="$${STRATUM_DB:-$(NOTEBOOK_DB)}" STRATUM_BIN="$${STRATUM_BIN:-$(BIN)}" $(VENV_PY) scripts/run-notebooks.py

clean:
	rm -rf .build $(DEMO_DIR)
