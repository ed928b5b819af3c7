# Every target runs inside .venv, which `make build` creates from the registries alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve lint bench clean check system-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# promtool (Prometheus configuration and PromQL) ships in no PyPI package, only in Debian's `prometheus`.
# As root with apt-get (CI, containers) it is installed here; elsewhere the build names it as a missing tool.
system-tools:
	@command -v promtool >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing promtool from Debian's prometheus package"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }; \
	  else \
	    echo "promtool not found: install Debian's prometheus package (sudo apt-get install prometheus) to check Prometheus examples"; \
	  fi; }

# Build the site into site/ with every check; strict mode turns any failed example into a failed build.
build: $(STAMP) system-tools
	$(BIN)/mkdocs build --strict

# The whole suite: unit tests, real tools, site builds, corpus runs and the browser tests.
test: $(STAMP) system-tools
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
