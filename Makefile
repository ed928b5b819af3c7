# Every target runs inside .venv, which `make build` creates from the registries alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve lint bench clean check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Build the site into site/ with every check; strict mode turns any failed example into a failed build.
build: $(STAMP)
	$(BIN)/mkdocs build --strict

# The whole suite: unit tests, real tools, site builds, corpus runs and the browser tests.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# Check every example without building the site.
check: $(STAMP)
	$(BIN)/docs-examples check

serve: $(STAMP)
	$(BIN)/mkdocs serve

lint: $(STAMP)
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/ruff format --check plugins tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .cache $(VENV)
