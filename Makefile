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

.PHONY: all build deps demo test test-notebooks bench clean help notebook-kernel notebook-test notebooks

all: build

help:
	@echo "make demo   install missing packages, build, synthesise and import sample data, print the summary"
	@echo "make test   build and run every test"
	@echo "make bench  run the peer benchmarks (see Benchmarks/README.md)"
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
	@echo; echo "demo store: $(DEMO_DIR)/pop.sqlite  (try: $(BIN) info --db $(DEMO_DIR)/pop.sqlite)"

test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	@set -o pipefail; $(SWIFT) test $(TEST_FLAGS) --skip-build --disable-swift-testing 2>&1 | tee .build/test.log
	@awk -f scripts/test-summary.awk .build/test.log
	@$(MAKE) --no-print-directory test-notebooks

## test-notebooks: the kernel's own tests (against a mock server), then every notebook executed
## headless against the real binary on a small synthetic store
NOTEBOOK_TEST_DIR := .build/notebook-test
test-notebooks: notebook-kernel
	@mkdir -p $(NOTEBOOK_TEST_DIR); rm -f $(NOTEBOOK_TEST_DIR)/pop.sqlite
	@$(BIN) synth --patients 500 --seed 11 -o $(NOTEBOOK_TEST_DIR)/sample.tar.gz -q
	@$(BIN) import $(NOTEBOOK_TEST_DIR)/sample.tar.gz --db $(NOTEBOOK_TEST_DIR)/pop.sqlite -q
	@set -o pipefail; STRATUM_PROTOCOL_BIN=$(BIN) STRATUM_PROTOCOL_DB=$(NOTEBOOK_TEST_DIR)/pop.sqlite $(VENV_PY) $(KERNEL_DIR)/tests/run.py 2>&1 | tail -3
	@set -o pipefail; STRATUM_DB=$(NOTEBOOK_TEST_DIR)/pop.sqlite STRATUM_BIN=$(BIN) $(VENV_PY) scripts/run-notebooks.py 2>&1 | grep -v "running over TCP"

bench: build
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
