# Plain entry points. `make build` installs the package into .venv and runs the full build;
# `make test` adds the test tools and runs lint plus the whole test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: build test lint format bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

build: $(STAMP)
	$(BIN)/analysis build

lint: $(TSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The package's bytecode is written once before the suite, which starts more than eighty
# interpreters (builds, report workers, Ray workers): where PYTHONDONTWRITEBYTECODE is set,
# each of them would otherwise compile the package again (about 0.1 s each).
test: lint
	$(BIN)/python -m compileall -q -j 0 analysis benchmarks tests
	$(BIN)/python -m pytest -n 2 --dist worksteal --durations=25

format: $(TSTAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# the archive's scaling table; ARCHIVE_SIZES="1 1000 10000 100000" for the whole one (hours)
ARCHIVE_SIZES ?= 1 100 1000

bench: $(TSTAMP)
	$(PIP) install --quiet -c constraints.txt -e '.[bench]'
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.archive --sizes $(ARCHIVE_SIZES)

bench-quick: $(TSTAMP)
	$(BIN)/python -m benchmarks.run --quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
