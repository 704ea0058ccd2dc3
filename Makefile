# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make report   build the environment, validate the cases, run every notebook, write reports/
#   make test     build the environment and run lint + the test suite
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
# JupyterLab refuses to run as root unless told; containers run as root
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: all env report test lint lab bench lock clean notebooks

all: test

env: $(STAMP)

# Builds .venv once (again only when pyproject.toml or constraints.txt change), saying what it does as it goes.
$(STAMP): pyproject.toml constraints.txt
	@set -o pipefail; start=$$(date +%s); \
	total=$$(grep -c '==' constraints.txt); \
	echo "==> Building $(VENV): the project and $$total pinned packages (first time only; usually 1 to 5 minutes, mostly pip)"; \
	if ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	  echo "error: '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing); the project needs Python 3.11 or newer." >&2; \
	  echo "       Install it (Debian/Ubuntu: apt-get install -y python3.11 python3.11-venv), then: make PYTHON=python3.11 $(MAKECMDGOALS)" >&2; \
	  exit 1; fi; \
	if ! test -x $(BIN)/python; then \
	  echo "    1/3 creating $(VENV) with $$($(PYTHON) --version)"; \
	  if ! $(PYTHON) -m venv $(VENV) >$(VENV).log 2>&1; then \
	    cat $(VENV).log >&2; rm -rf $(VENV) $(VENV).log; \
	    echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu the venv module is a package of its own:" >&2; \
	    echo "       apt-get install -y python3-venv   (or python3.11-venv), then run make again" >&2; \
	    exit 1; fi; rm -f $(VENV).log; fi; \
	echo "    2/3 installing packages with pip (its output: $(VENV)/pip.log)"; \
	if ! $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off --constraint constraints.txt --editable ".[test,dev]" 2>&1 \
	  | tee $(VENV)/pip.log \
	  | awk -v total=$$total '/^(Collecting|Processing) /{n++; if (n % 25 == 0) {printf "        %d of %d packages found\n", n, total; fflush()}} \
	                          /^Installing collected packages/{print "        installing them (the longest step)"; fflush()}'; then \
	  echo "error: pip failed; the end of $(VENV)/pip.log:" >&2; tail -n 15 $(VENV)/pip.log >&2; exit 1; fi; \
	echo "    3/3 registering the Jupyter kernel 'python3' in $(VENV)"; \
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (qalamoun)" >/dev/null; \
	touch $(STAMP); \
	echo "==> $(VENV) ready in $$(( $$(date +%s) - start )) s"

report: $(STAMP)
	@echo "==> Validating the cases"
	$(BIN)/qalamoun validate eastern-qalamoun-2018
	$(BIN)/qalamoun validate eastern-ghouta-2018
	@echo "==> Running every notebook x parameter set into reports/ (unchanged runs come from the cache)"
	$(BIN)/qalamoun run --out reports --jobs $(JOBS)

lint: $(STAMP)
	@echo "==> ruff: lint and format check (notebooks included)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  echo "note: Chromium is not installed: the browser tests will be skipped (they say so)."; \
	  echo "      Install it with: apt-get install -y chromium   (Debian/Ubuntu, as root; Playwright drives it, no download of its own)"; fi
	@echo "==> pytest: unit, notebook-run and browser tests, $(JOBS) at a time (several minutes)"
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile tests
	@echo "==> pytest --nbval: the stored notebooks give their stored outputs"
	$(BIN)/python -m pytest -p no:xdist -p no:cacheprovider --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg

# Re-execute the stored notebooks from their defaults (commit the result: reviewers read them rendered).
notebooks: $(STAMP)
	$(BIN)/qalamoun execute-notebooks

# JupyterLab on this machine only (127.0.0.1); as root (containers) with --allow-root.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ --ip=127.0.0.1 $(LAB_ROOT)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Re-pin every package after changing pyproject.toml (needs the package registry).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check --editable ".[test,dev]"
	.lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^-e ' > constraints.txt
	rm -rf .lock-venv

# Removes the environment and caches; in reports/ only what `qalamoun run` wrote (qalamoun clean), before .venv goes.
clean:
	@if [ -d reports ]; then \
	  if [ -x $(BIN)/qalamoun ]; then $(BIN)/qalamoun clean --out reports; \
	  else echo "note: reports/ left as it is (no $(VENV) to run qalamoun clean with)"; fi; fi
	rm -rf $(VENV) .qalamoun-cache .pytest_cache .ruff_cache
