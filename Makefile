# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make report   build the environment, validate the case, run every notebook, write reports/
#   make test     build the environment and run lint + the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all env report test lint lab bench lock clean notebooks

all: test

env: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint constraints.txt --editable ".[test,dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (qalamoun)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/qalamoun validate eastern-qalamoun-2018
	$(BIN)/qalamoun validate eastern-ghouta-2018
	$(BIN)/qalamoun run --out reports --jobs $(JOBS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile tests
	$(BIN)/python -m pytest -p no:xdist -p no:cacheprovider --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg

# Re-execute the stored notebooks from their defaults (commit the result: reviewers read them rendered).
notebooks: $(STAMP)
	$(BIN)/qalamoun execute-notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Re-pin every package after changing pyproject.toml (needs the package registry).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check --editable ".[test,dev]"
	.lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^-e ' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) reports .qalamoun-cache .pytest_cache .ruff_cache
