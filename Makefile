# Two entry points for readers: `make serve` and `make test`. Each creates
# .venv and installs the pinned dependencies when they are missing.

PYTHON ?= python3
# Address of `make serve`; `make serve ADDR=127.0.0.1:8001` picks another port.
ADDR ?= 127.0.0.1:8000
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt when requirements.lock changes; marks a complete install.
VENV_STAMP := $(VENV)/.installed
# The same for the benchmark's extra packages (torch and JAX) in requirements-bench.lock.
BENCH_STAMP := $(VENV)/.bench-installed
# npm writes this file on every install; it is newer than package-lock.json
# once node_modules/ matches the lock.
NODE_STAMP := node_modules/.package-lock.json

export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build bench notebooks assets setup clean

serve: setup
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

test: setup
	$(BIN)/python -m pytest

build: setup
	$(BIN)/mkdocs build --strict

# Measures the site, the gradient code and `make test`; writes docs/assets/bench/.
# Takes about 15 minutes, most of it the timed `make test`.
bench: setup $(BENCH_STAMP)
	$(BIN)/python tools/bench.py

# Executes docs/*/*.ipynb and saves their outputs, which the site shows as they are stored.
notebooks: setup
	$(BIN)/python tools/run_notebooks.py

setup: $(VENV_STAMP) assets

assets: $(NODE_STAMP)

$(VENV_STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	touch $@

$(BENCH_STAMP): requirements-bench.lock $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-bench.lock
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf site .pytest_cache .hypothesis
