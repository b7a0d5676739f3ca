# Two commands on a fresh machine: `make build` and `make test`.
# Both create .venv/ if it is missing and install the project into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SITE   := site
# The site generator: mkdocs, or properdocs (ProperDocs, MkDocs' maintained continuation,
# which builds the same pages): `make build ENGINE=properdocs`.
ENGINE ?= mkdocs

export NO_MKDOCS_2_WARNING := 1
export GX_ANALYTICS_ENABLED := false
# Compiled bytecode is kept in .venv/, out of the tree: each `portal` run after the first
# skips compiling the code (a tenth of a second a run).
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(abspath $(VENV))/pycache

.PHONY: build check test lint serve clean

# The pip Python 3.11 bundles (23.2) takes twice as long to choose the project's 86 packages
# as pip 26 (46 s against 21 s here): a new .venv/ brings its pip up to date first, and keeps
# the pip it has where an index offers no newer one.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade 'pip>=26' \
	  || echo "make: could not bring pip up to date; installing with the pip the venv has"

# --no-compile: pip would compile every module of every package (150 MB, 16 s here); Python
# compiles the ones a run imports, once, into the cache above.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile --editable '.[test]'
	@touch $@

## check: run every data check (exit 1 on errors)
check: $(STAMP)
	$(BIN)/portal check

## build: check the data, then build the site into site/ (left untouched if anything fails)
build: $(STAMP)
	$(BIN)/portal build --engine $(ENGINE)

## test: run the whole test suite (installing Chromium and the npm tools the tests use first)
test: $(STAMP)
	bash tests/setup-tools.sh $(VENV)/test-tools
	$(BIN)/pytest

## lint: ruff over the code
lint: $(STAMP)
	$(BIN)/ruff check src tests macros.py benchmarks

## serve: live preview; edits to content/ and program_data/ reload the page
serve: $(STAMP)
	$(BIN)/$(ENGINE) serve --livereload --config-file mkdocs.yml

clean:
	rm -rf $(SITE) .$(SITE)-new-* .$(SITE)-old-* .pytest_cache test-artifacts
