# Every target runs inside .venv, which `make build` creates from the registries alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build zensical test test-fast serve lint typecheck bench clean check system-tools constraints

# The package's dependencies are ranges (another site installs the plugin beside its own); this site installs
# the exact versions of constraints.txt, so every machine runs the same tools.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,material]'
	$(BIN)/python -m compileall -q plugins >/dev/null
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

# The same site with Zensical, which runs no MkDocs plugins: the generated pages, downloads and assets are
# written into docs/ first (git-ignored), the docs_examples.extension Markdown extension adds the status lines.
zensical: $(STAMP) system-tools
	$(BIN)/docs-examples pages
	$(BIN)/zensical build --strict

# The whole suite: unit tests, real tools, site builds, corpus runs and the browser tests.
test: $(STAMP) system-tools
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The edit loop: everything but the browser tests and the whole-site and corpus runs (markers browser, slow).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not browser and not slow"

# Check every example without building the site.
check: $(STAMP)
	$(BIN)/docs-examples check

serve: $(STAMP)
	$(BIN)/mkdocs serve

lint: $(STAMP)
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/ruff format --check plugins tests benchmarks

# mypy, strict on plugins/ (configured in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

# After changing a version in pyproject.toml: rewrite constraints.txt from what a fresh .venv resolved.
constraints: $(STAMP)
	{ sed -n '1,3p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | LC_ALL=C sort -f; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .cache $(VENV)
	rm -rf docs/.docs-examples-generated.json docs/examples docs/interview docs/assets/docs-examples docs/assets/interview
